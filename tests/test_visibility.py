"""Who reads which plans, and what they may do to them.

plans.permissions states the rules twice: as `rules` predicates for one plan
(`user.has_perm("plans.view_workplan", plan)`) and as a query for lists
(`work_plan_visible`). The two must always agree; the selectors built on them (the plan list,
the county pages) show nothing a user may not read, and read it in a number of queries that
does not grow with the size of a plan.
"""

import pytest
from django.db import connection

from organisation.models import Membership, Region
from plans.models import ScheduleEntry, WorkPlan
from plans.permissions import plan_actions
from plans.selectors.plans import (
    plan_document_calendar,
    revision_list,
    snapshot_document,
    work_plan_document,
    work_plan_filterset,
    work_plan_get,
    work_plan_list,
    work_plan_pages,
    work_plan_visible,
)
from plans.services import plan_county_index_refresh, plan_snapshot
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    OfficeFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment
from tracking.selectors.counties import (
    county_get,
    county_list,
    county_mentions,
    county_pages,
    county_year_plans,
    county_year_shown,
    county_years,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
Status = WorkPlan.Status

STATES = ["draft", "in_review", "published", "archived", "revision"]
ISSUED = {"published", "archived"}

# Who each kind of user is, relative to office A (which issues every plan of `plans`) and the
# county those plans name.
USER_KINDS = [
    "editor",
    "reviewer",
    "viewer",
    "staff_of_another_office",
    "county_named",
    "county_not_named",
    "no_membership",
    "django_staff",
    "superuser",
]
READS = {
    "editor": set(STATES),
    "reviewer": set(STATES),
    "viewer": set(STATES),
    "staff_of_another_office": ISSUED,
    "county_named": ISSUED,
    "county_not_named": set(),
    "no_membership": set(),
    # Django's is_staff opens the admin door and nothing else.
    "django_staff": set(),
    "superuser": set(STATES),
}


def user_create(kind: str, *, office, county):
    if kind in ("editor", "reviewer", "viewer"):
        return staff_user_create(role=Role(kind), office=office)
    if kind == "staff_of_another_office":
        return staff_user_create(role=Role.EDITOR)
    if kind == "county_named":
        return county_user_create(county=county)
    if kind == "county_not_named":
        return county_user_create(county=CountyFactory())
    if kind == "no_membership":
        return UserFactory()
    if kind == "django_staff":
        return UserFactory(is_staff=True)
    if kind == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    raise ValueError(kind)


@pytest.fixture
def county():
    return CountyFactory(name="测试京口区")


@pytest.fixture
def office():
    """Office A."""
    return OfficeFactory(name="镇江市人民政府教育督导室")


@pytest.fixture
def plans(office, county) -> dict[str, WorkPlan]:
    """Office A's plans in every state, each naming the county; "revision" is the draft
    revision of the published plan."""
    published = work_plan_build(tasks=2, counties=[county], office=office, title="镇江要点")
    return {
        "draft": work_plan_build(tasks=1, counties=[county], office=office, status=Status.DRAFT, title="草稿要点"),
        "in_review": work_plan_build(
            tasks=1, counties=[county], office=office, status=Status.IN_REVIEW, title="待审要点"
        ),
        "published": published,
        "archived": work_plan_build(
            tasks=1,
            counties=[county],
            office=office,
            status=Status.ARCHIVED,
            plan_year=2019,
            title="2019年镇江要点",
        ),
        "revision": work_plan_build(
            tasks=2,
            counties=[county],
            office=office,
            status=Status.DRAFT,
            title="镇江要点",
            revision_of=published,
            doc_number=published.doc_number,
            revision=2,
        ),
    }


def visible(user) -> set[WorkPlan]:
    return set(work_plan_visible(user=user))


# --- Who reads which plans -----------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", USER_KINDS)
def test_the_plan_list_and_the_permission_agree_on_who_reads_what(kind, state, office, county, plans):
    user = user_create(kind, office=office, county=county)
    plan = WorkPlan.objects.get(pk=plans[state].pk)
    expected = state in READS[kind]

    assert work_plan_visible(user=user).filter(pk=plan.pk).exists() is expected
    assert user.has_perm("plans.view_workplan", plan) is expected
    # A plan page reads its plan through work_plan_get, then checks the permission on it.
    fetched = work_plan_get(pk=plan.pk, user=user)
    assert (fetched is not None) is expected
    if fetched is not None:
        assert user.has_perm("plans.view_workplan", fetched)


def test_a_viewer_reads_drafts_of_their_own_office(office, plans):
    user = staff_user_create(role=Role.VIEWER, office=office)

    assert visible(user) == set(plans.values())


def test_staff_read_every_offices_issued_plans_but_only_their_own_offices_drafts(plans):
    own_draft = WorkPlanFactory(status=Status.DRAFT)
    user = staff_user_create(role=Role.VIEWER, office=own_draft.office)

    assert visible(user) == {own_draft, plans["published"], plans["archived"]}


def test_a_member_of_two_offices_reads_the_drafts_of_both(office, plans):
    other_draft = WorkPlanFactory(status=Status.DRAFT)
    user = staff_user_create(role=Role.EDITOR, office=office)
    MembershipFactory(user=user, office=other_draft.office, role=Role.VIEWER)

    assert visible(user) == set(plans.values()) | {other_draft}


def test_a_county_user_reads_issued_plans_naming_their_county_only(county, plans):
    elsewhere = work_plan_build(tasks=1, counties=[CountyFactory()])
    user = county_user_create(county=county)

    assert visible(user) == {plans["published"], plans["archived"]}
    assert not user.has_perm("plans.view_workplan", elsewhere)


def test_a_county_user_reads_a_plan_naming_their_county_only_in_the_calendar(county):
    plan = WorkPlanFactory()
    ScheduleEntryFactory(plan=plan, counties=[county])
    user = county_user_create(county=county)

    assert visible(user) == {plan}
    assert user.has_perm("plans.view_workplan", plan)


def test_a_county_user_reads_a_plan_addressed_to_every_county_of_the_region():
    zhengzhou = Region.objects.get(code="410100")
    jinshui = zhengzhou.counties.get(name="金水区")
    plan = WorkPlanFactory(office=OfficeFactory(region=zhengzhou))
    TaskFactory(plan=plan, addresses_all_counties=True)
    plan_county_index_refresh(plan=plan)
    user = county_user_create(county=jinshui)

    assert visible(user) == {plan}
    assert user.has_perm("plans.view_workplan", plan)


def test_a_county_role_in_a_city_office_reads_nothing(plans):
    # Written past validation (Membership.clean refuses it): no county to scope to.
    user = MembershipFactory(role=Role.COUNTY).user

    assert visible(user) == set()
    assert not user.has_perm("plans.view_workplan", plans["published"])


def test_django_staff_with_a_county_membership_read_what_the_county_reads(county, plans):
    user = county_user_create(county=county, user__is_staff=True)

    assert visible(user) == {plans["published"], plans["archived"]}


def test_an_inactive_user_reads_nothing(office, plans):
    user = staff_user_create(role=Role.EDITOR, office=office, user__is_active=False)

    assert visible(user) == set()
    assert not user.has_perm("plans.view_workplan", plans["published"])


def test_an_inactive_superuser_reads_nothing(plans):
    user = UserFactory(is_staff=True, is_superuser=True, is_active=False)

    assert visible(user) == set()
    assert not user.has_perm("plans.view_workplan", plans["draft"])


# --- What a role may do --------------------------------------------------------------------------

# One permission per action; an office's editors may take the first, its reviewers both.
EDITING_ACTIONS = [
    "plans.change_workplan",
    "plans.submit_workplan",
    "plans.discard_workplan",
    "plans.revise_workplan",
    "plans.copy_workplan",
]
REVIEWING_ACTIONS = ["plans.review_workplan", "plans.archive_workplan"]
COUNTY_ACTIONS = ["tracking.acknowledge_assignment", "tracking.report_assignment"]


@pytest.mark.parametrize(
    "kind, change, review, internals",
    [
        ("editor", True, False, True),
        ("reviewer", True, True, True),
        ("viewer", False, False, True),
        ("staff_of_another_office", False, False, False),
        ("county_named", False, False, False),
        ("no_membership", False, False, False),
        ("django_staff", False, False, False),
        ("superuser", True, True, True),
    ],
)
def test_what_each_role_may_do_to_a_plan_of_office_a(kind, change, review, internals, office, county, plans):
    user = user_create(kind, office=office, county=county)

    for state in ("draft", "published"):
        plan = plans[state]
        allowed = {perm for perm in EDITING_ACTIONS + REVIEWING_ACTIONS if user.has_perm(perm, plan)}
        assert allowed == set(EDITING_ACTIONS if change else []) | set(REVIEWING_ACTIONS if review else [])
        assert user.has_perm("plans.view_plan_internals", plan) is internals


@pytest.mark.parametrize(
    "kind, acts",
    [
        ("county_named", True),
        ("county_not_named", False),
        ("editor", False),
        ("viewer", False),
        ("superuser", True),
    ],
)
def test_the_county_acknowledges_and_reports_under_a_permission_for_each(kind, acts, office, county, plans):
    user = user_create(kind, office=office, county=county)
    assignment = Assignment(plan=plans["published"], county=county)

    allowed = {perm for perm in COUNTY_ACTIONS if user.has_perm(perm, assignment)}

    assert allowed == (set(COUNTY_ACTIONS) if acts else set())


@pytest.mark.parametrize(
    "kind, for_office_a, somewhere",
    [
        ("editor", True, True),
        ("reviewer", True, True),
        ("viewer", False, False),
        # An editor of office B imports for B, not for A.
        ("staff_of_another_office", False, True),
        ("county_named", False, False),
        ("no_membership", False, False),
        ("django_staff", False, False),
        ("superuser", True, True),
    ],
)
def test_who_may_import_a_notice(kind, for_office_a, somewhere, office, county):
    user = user_create(kind, office=office, county=county)

    assert user.has_perm("plans.import_for_office", office) is for_office_a
    assert user.has_perm("plans.import_workplan") is somewhere


def test_a_user_imports_for_each_office_where_they_edit(office):
    other = OfficeFactory()
    user = staff_user_create(role=Role.VIEWER, office=office)
    MembershipFactory(user=user, office=other, role=Role.REVIEWER)

    assert not user.has_perm("plans.import_for_office", office)
    assert user.has_perm("plans.import_for_office", other)


@pytest.mark.parametrize(
    "kind, own, other",
    [
        ("viewer", True, True),
        ("staff_of_another_office", True, True),
        ("county_named", True, False),
        ("no_membership", False, False),
        ("django_staff", False, False),
        ("superuser", True, True),
    ],
)
def test_who_may_read_a_county_page(kind, own, other, office, county):
    user = user_create(kind, office=office, county=county)

    assert user.has_perm("plans.view_county", county) is own
    assert user.has_perm("plans.view_county", CountyFactory()) is other


# --- What a user may do to a plan now: role and state together -----------------------------------


def test_a_reviewer_can_review_a_plan_in_review_and_an_editor_cannot(office, plans):
    reviewer = staff_user_create(role=Role.REVIEWER, office=office)
    editor = staff_user_create(role=Role.EDITOR, office=office)

    assert plan_actions(reviewer, plans["in_review"]).review
    assert not plan_actions(editor, plans["in_review"]).review


def test_a_reviewer_of_another_office_cannot_review(plans):
    reviewer = staff_user_create(role=Role.REVIEWER)

    assert not plan_actions(reviewer, plans["in_review"]).review


def test_an_editor_edits_submits_and_discards_a_draft(office, plans):
    actions = plan_actions(staff_user_create(role=Role.EDITOR, office=office), plans["draft"])

    assert (actions.edit, actions.submit, actions.discard) == (True, True, True)
    assert (actions.review, actions.revise, actions.archive) == (False, False, False)
    assert actions.internals and actions.any_transition


def test_a_plan_in_review_is_neither_edited_nor_discarded(office, plans):
    actions = plan_actions(staff_user_create(role=Role.EDITOR, office=office), plans["in_review"])

    assert (actions.edit, actions.submit, actions.discard) == (False, False, False)


def test_a_published_plan_is_revised_not_edited(office, plans):
    actions = plan_actions(staff_user_create(role=Role.EDITOR, office=office), plans["published"])

    assert actions.revise
    assert (actions.edit, actions.submit, actions.discard, actions.archive) == (
        False,
        False,
        False,
        False,
    )


def test_a_plan_with_an_open_revision_is_neither_revised_nor_archived(office, plans):
    reviewer = staff_user_create(role=Role.REVIEWER, office=office)

    assert plan_actions(reviewer, plans["published"]).revise
    assert plan_actions(reviewer, plans["published"]).archive
    actions = plan_actions(reviewer, plans["published"], has_open_revision=True)
    assert not actions.revise
    assert not actions.archive


def test_a_draft_revision_is_edited_and_submitted_not_revised(office, plans):
    actions = plan_actions(staff_user_create(role=Role.EDITOR, office=office), plans["revision"])

    assert (actions.edit, actions.submit, actions.discard) == (True, True, True)
    assert not actions.revise


def test_only_an_original_plan_is_revised(office, plans):
    # A published draft revision is refused by the database (workplan_revision_draft_unpublished);
    # the rule does not lean on that.
    published_revision = WorkPlan(
        pk=plans["revision"].pk,
        office=office,
        status=Status.PUBLISHED,
        revision_of=plans["published"],
    )

    actions = plan_actions(staff_user_create(role=Role.REVIEWER, office=office), published_revision)

    assert not actions.revise
    assert not actions.archive


def test_an_archived_plan_allows_nothing_but_reading_its_internals(office, plans):
    actions = plan_actions(staff_user_create(role=Role.REVIEWER, office=office), plans["archived"])

    assert not actions.any_transition
    assert not actions.edit
    assert actions.internals


def test_only_a_reviewer_archives_a_published_plan(office, plans):
    reviewer = staff_user_create(role=Role.REVIEWER, office=office)
    editor = staff_user_create(role=Role.EDITOR, office=office)

    assert plan_actions(reviewer, plans["published"]).archive
    assert not plan_actions(editor, plans["published"]).archive


@pytest.mark.parametrize("state", STATES)
def test_a_viewer_may_do_nothing_but_read_the_internals(office, plans, state):
    actions = plan_actions(staff_user_create(role=Role.VIEWER, office=office), plans[state])

    assert not actions.any_transition
    assert not actions.edit
    assert actions.internals


@pytest.mark.parametrize("kind", ["staff_of_another_office", "county_named"])
def test_readers_outside_the_office_may_do_nothing_to_an_issued_plan(kind, office, county, plans):
    user = user_create(kind, office=office, county=county)

    actions = plan_actions(user, plans["published"])

    assert not actions.any_transition
    assert not actions.edit
    assert not actions.internals


# --- The plan list -------------------------------------------------------------------------------


def plan_list(user, filters=None) -> list[WorkPlan]:
    plans = work_plan_list(filterset=work_plan_filterset(user=user, filters=filters))
    return list(work_plan_pages(plans, per_page=25))


def test_the_plan_list_filters_within_what_the_user_may_read(county, plans):
    user = county_user_create(county=county)

    assert plan_list(user, {"status": "draft"}) == []
    assert plan_list(user, {"q": "镇江"}) == [plans["published"], plans["archived"]]


def test_year_choices_offer_only_years_of_plans_the_user_reads(office, plans):
    WorkPlanFactory(office=office, status=Status.DRAFT, plan_year=2022)

    def years(user):
        field = work_plan_filterset(user=user).form.fields["plan_year"]
        return [value for value, _ in field.choices if value != ""]

    assert years(staff_user_create(office=office)) == ["2022", "2020", "2019"]
    assert years(staff_user_create()) == ["2020", "2019"]


def test_invalid_filters_list_no_plans(office, plans):
    user = staff_user_create(office=office)

    assert plan_list(user, {"plan_year": "1999"}) == []
    assert plan_list(user, {"status": "deleted"}) == []


def test_the_plan_list_counts_tasks_and_distinct_counties():
    jingkou, dantu, yangzhong = CountyFactory(), CountyFactory(), CountyFactory()
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, number=1, counties=[jingkou, dantu])
    TaskFactory(plan=plan, number=2, counties=[jingkou])
    ScheduleEntryFactory(plan=plan, position=1, counties=[dantu, yangzhong])
    WorkPlanFactory()  # a plan without tasks counts zero, not NULL

    listed = {p.pk: p for p in plan_list(staff_user_create())}

    assert (listed[plan.pk].task_count, listed[plan.pk].county_count) == (2, 3)
    assert [(p.task_count, p.county_count) for p in listed.values() if p.pk != plan.pk] == [(0, 0)]


# --- Counties ------------------------------------------------------------------------------------


def counties_listed(user, filters=None, year=2020) -> list:
    """The county list's first page, read as the page reads it."""
    plan_ids = county_year_plans(user=user, year=year)
    listing = county_list(user=user, plan_ids=plan_ids, filters=filters)
    pages = county_pages(listing.counties, plan_ids=plan_ids, per_page=50, first_page=listing.first_page)
    return pages[:50]


def test_the_county_list_counts_by_the_plans_of_its_year_that_name_a_county(office, county, plans):
    naming_none = WorkPlanFactory(office=office)

    counted = set(county_year_plans(user=staff_user_create(), year=2020))

    assert plans["published"].pk in counted
    assert plans["archived"].pk not in counted  # of 2019
    assert naming_none.pk not in counted
    assert plans["revision"].pk not in counted


def test_the_county_list_has_only_counties_named_by_plans_the_user_reads(office, county, plans):
    in_drafts_only = CountyFactory()
    TaskFactory(plan=plans["draft"], number=2, counties=[in_drafts_only])
    CountyFactory()  # named by no plan

    assert set(counties_listed(staff_user_create(office=office))) == {county, in_drafts_only}
    assert counties_listed(staff_user_create()) == [county]
    assert counties_listed(UserFactory()) == []


def test_a_county_user_lists_only_their_own_county(county):
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[county, CountyFactory()])

    assert counties_listed(county_user_create(county=county)) == [county]


def test_a_county_user_whose_county_only_drafts_name_lists_nothing(county, plans):
    county_of_draft = CountyFactory()
    TaskFactory(plan=plans["draft"], number=2, counties=[county_of_draft])

    assert counties_listed(county_user_create(county=county_of_draft)) == []


def test_county_counts_are_of_the_plans_of_the_year_the_user_reads(office, county, plans):
    def counts(user, year):
        (listed,) = [c for c in counties_listed(user, year=year) if c == county]
        return listed.plan_count, listed.task_count, listed.entry_count

    # Office A reads three plans of 2020; its draft revision is the working copy of the
    # published one and is not counted again: 1 + 1 + 2 tasks, each with one calendar line.
    assert counts(staff_user_create(office=office), 2020) == (3, 4, 4)
    assert counts(staff_user_create(office=office), 2019) == (1, 1, 1)
    # Others read the published (2 tasks, 2020) and the archived (1 task, 2019) plan.
    assert counts(staff_user_create(), 2020) == (1, 2, 2)
    assert counts(staff_user_create(), 2019) == (1, 1, 1)
    assert counts(county_user_create(county=county), 2020) == (1, 2, 2)


def test_the_county_list_searches_by_name(county, plans):
    assert counties_listed(staff_user_create(), {"q": "京口"}) == [county]
    assert counties_listed(staff_user_create(), {"q": "丹徒"}) == []


def test_a_county_user_cannot_get_another_county(county):
    user = county_user_create(county=county)

    assert county_get(pk=CountyFactory().pk, user=user) is None
    assert county_get(pk=county.pk, user=user) == county


def test_staff_get_any_county_and_a_user_without_membership_none(county):
    other = CountyFactory()

    assert county_get(pk=other.pk, user=staff_user_create(role=Role.VIEWER)) == other
    assert county_get(pk=county.pk, user=UserFactory()) is None
    assert county_get(pk=county.pk, user=UserFactory(is_staff=True)) is None
    assert county_get(pk=0, user=UserFactory(is_superuser=True)) is None


def test_county_mentions_group_one_years_tasks_and_entries_by_plan(office, county, plans):
    later = work_plan_build(tasks=1, counties=[county], plan_year=2021, title="2021年要点")
    TaskFactory(plan=plans["published"], number=3, counties=[CountyFactory()])
    user = staff_user_create(office=office)

    groups = county_mentions(county=county, user=user, year=2020)

    # The draft revision is the working copy of the published plan: not a mention of its own.
    assert {group.plan for group in groups} == {plans["draft"], plans["in_review"], plans["published"]}
    published = next(group for group in groups if group.plan == plans["published"])
    # Task 3 names another county.
    assert [task.number for task in published.tasks] == [1, 2]
    assert [entry.position for entry in published.schedule_entries] == [1, 2]
    assert [group.plan for group in county_mentions(county=county, user=user, year=2021)] == [later]
    assert [group.plan for group in county_mentions(county=county, user=user, year=2019)] == [plans["archived"]]


def test_county_years_count_the_plans_of_each_year_newest_first(office, county, plans):
    work_plan_build(tasks=1, counties=[county], plan_year=2021)
    work_plan_build(tasks=1, counties=[CountyFactory()], plan_year=2018)

    years = county_years(county=county, user=staff_user_create(office=office))

    # Not the draft revision (its plan is counted), nor the plan naming another county.
    assert list(years.items()) == [(2021, 1), (2020, 3), (2019, 1)]


@pytest.mark.parametrize("kind", ["county_named", "staff_of_another_office"])
def test_county_mentions_show_others_only_issued_plans(kind, office, county, plans):
    user = user_create(kind, office=office, county=county)

    assert county_years(county=county, user=user) == {2020: 1, 2019: 1}
    assert [group.plan for group in county_mentions(county=county, user=user, year=2020)] == [plans["published"]]
    assert [group.plan for group in county_mentions(county=county, user=user, year=2019)] == [plans["archived"]]


@pytest.mark.parametrize(
    "asked, shown",
    [
        (None, 2026),  # this year
        ("2019", 2019),
        ("2024", 2026),  # no work that year
        ("1949", 2026),
        ("20x9", 2026),
        ("٢٠١٩", 2026),  # digits, but not ASCII ones
        ("99999999999999999999", 2026),
        ("", 2026),
    ],
)
def test_the_county_page_shows_the_year_asked_for_when_the_county_has_work_then(asked, shown):
    assert county_year_shown(years={2026: 2, 2019: 1}, asked=asked, this_year=2026) == shown


def test_the_county_page_falls_back_to_the_latest_year_with_work():
    assert county_year_shown(years={2024: 1, 2019: 3}, asked=None, this_year=2026) == 2024
    assert county_year_shown(years={2027: 1, 2024: 1}, asked="2026", this_year=2026) == 2027
    # No work at all: this year, with nothing in it.
    assert county_year_shown(years={}, asked="2019", this_year=2026) == 2026


# --- Query counts --------------------------------------------------------------------------------
#
# Each user is new, so each count includes reading the user's memberships (once per request).


@pytest.fixture(params=[3, 30], ids=["3_tasks", "30_tasks"])
def sized_plan(request, county) -> WorkPlan:
    return work_plan_build(tasks=request.param, counties=[county, CountyFactory()])


def test_the_plan_list_takes_four_queries_five_on_postgresql_whatever_the_plan_size(
    sized_plan, django_assert_num_queries
):
    user = staff_user_create(office=sized_plan.office)

    # Memberships, the year choices the filter validates against, (on PostgreSQL, where the
    # grams index answers a word, the offices it names,) the ids of the plans (with the number
    # found), the plans with their counts.
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 4):
        listed = plan_list(user, {"q": "要点", "plan_year": "2020"})

    assert listed == [sized_plan]


def test_getting_a_plan_takes_two_queries_and_one_more_for_a_county_user(sized_plan, county, django_assert_num_queries):
    staff = staff_user_create(office=sized_plan.office)
    county_user = county_user_create(county=county)

    with django_assert_num_queries(2):
        assert work_plan_get(pk=sized_plan.pk, user=staff) == sized_plan
    with django_assert_num_queries(3):
        fetched = work_plan_get(pk=sized_plan.pk, user=county_user)
    # The permission check then reads what work_plan_get found.
    with django_assert_num_queries(0):
        assert county_user.has_perm("plans.view_workplan", fetched)


def test_the_plan_document_takes_six_queries_whatever_the_plan_size(sized_plan, django_assert_num_queries):
    # Sections; tasks and their counties; calendar lines and their counties; projects.
    with django_assert_num_queries(6):
        document = work_plan_document(plan=sized_plan)

    with django_assert_num_queries(0):
        for task in document.tasks:
            assert len(task.county_list) == 2
            assert [line.task for line in task.schedule_lines] == [task]


def test_a_revision_is_laid_out_without_a_query(sized_plan, django_assert_num_queries):
    snapshot = plan_snapshot(sized_plan)

    with django_assert_num_queries(0):
        document = snapshot_document(plan=sized_plan, snapshot=snapshot)

    assert len(document.tasks) == sized_plan.tasks.count()


def test_the_revision_list_takes_one_query(sized_plan, django_assert_num_queries):
    with django_assert_num_queries(1):
        revision_list(plan=sized_plan)


def test_the_county_list_takes_three_queries_and_a_search_four_whatever_the_plan_size(
    sized_plan, county, django_assert_num_queries
):
    staff = staff_user_create()
    county_user = county_user_create(county=county)

    # memberships (with the cities of the user's offices, listed first), the year's plans, the
    # page's counties with their counts and their number; a search reads the counties the name
    # means first
    with django_assert_num_queries(4):
        assert county in counties_listed(staff, {"q": county.name}, year=sized_plan.plan_year)
    with django_assert_num_queries(3):
        assert counties_listed(county_user) == [county]


def test_county_mentions_take_four_queries_whatever_the_plan_size(sized_plan, county, django_assert_num_queries):
    user = staff_user_create()
    tasks = sized_plan.tasks.count()

    # memberships; tasks, with their calendar lines; calendar lines
    with django_assert_num_queries(4):
        groups = county_mentions(county=county, user=user, year=sized_plan.plan_year)

    with django_assert_num_queries(0):
        assert [group.plan.office.name for group in groups] == [sized_plan.office.name]
        assert len(groups[0].tasks) == len(groups[0].schedule_entries) == tasks
        assert all(entry.task.plan_id == sized_plan.pk for entry in groups[0].schedule_entries)


# --- A plan as its notice ------------------------------------------------------------------------


def test_the_document_attaches_each_tasks_calendar_lines_in_order():
    plan = WorkPlanFactory()
    task = TaskFactory(plan=plan, number=1)
    TaskFactory(plan=plan, number=2)
    later = ScheduleEntryFactory(plan=plan, task=task, position=2, month_set=(9,))
    earlier = ScheduleEntryFactory(plan=plan, task=task, position=1, month_set=(5,))
    ScheduleEntryFactory(plan=plan, task=None, position=3)

    document = work_plan_document(plan=plan)
    lines = {t.number: t.schedule_lines for t in document.tasks}

    assert lines == {1: [earlier, later], 2: []}


def test_the_outline_puts_tasks_under_their_sections_in_document_order():
    plan = WorkPlanFactory()
    first = SectionFactory(plan=plan, position=1, label="一、", heading="指导思想")
    second = SectionFactory(plan=plan, position=2, label="二、", heading="主要工作")
    sub = SectionFactory(plan=plan, position=3, level=2, label="（一）", heading="督政", parent=second)
    TaskFactory(plan=plan, number=2, section=sub)
    TaskFactory(plan=plan, number=1, section=second)
    TaskFactory(plan=plan, number=3, section=None)

    outline = work_plan_document(plan=plan).outline

    assert [(part.section, [t.number for t in part.tasks]) for part in outline] == [
        (None, [3]),
        (first, []),
        (second, [1]),
        (sub, [2]),
    ]


def test_a_revision_reads_like_the_live_plan_it_was_taken_from(county):
    plan = work_plan_build(tasks=3, counties=[county])
    live = work_plan_document(plan=plan)

    revision = snapshot_document(plan=plan, snapshot=plan_snapshot(plan))

    def shape(document):
        return (
            [
                (part.section.heading if part.section else None, [t.number for t in part.tasks])
                for part in document.outline
            ],
            [(t.title, [c.name for c in t.county_list]) for t in document.tasks],
            [[e.text for e in row.entries] for row in document.calendar.rows],
        )

    assert shape(revision) == shape(live)
    assert revision.plan.title == plan.title


def test_the_month_calendar_shows_an_entry_in_every_month_it_falls_in():
    plan = WorkPlanFactory()
    may_and_september = ScheduleEntryFactory(plan=plan, position=1, month_set=(5, 9))
    august_to_october = ScheduleEntryFactory(plan=plan, position=2, month_set=(8, 9, 10))

    calendar = work_plan_document(plan=plan).calendar
    by_month = {row.key: row.entries for row in calendar.rows}

    assert not calendar.by_quarter
    assert sorted(by_month) == list(range(1, 13))
    assert by_month[5] == [may_and_september]
    assert by_month[9] == [may_and_september, august_to_october]
    assert by_month[10] == [august_to_october]
    assert by_month[6] == by_month[7] == []


def test_the_calendar_is_by_quarter_when_every_entry_is_a_quarter():
    plan = WorkPlanFactory()
    quarter = ScheduleEntry.Granularity.QUARTER
    first = ScheduleEntryFactory(plan=plan, position=1, period="一季度", month_set=(1, 2, 3), granularity=quarter)
    second_third = ScheduleEntryFactory(
        plan=plan, position=2, period="二、三季度", month_set=(4, 5, 6, 7, 8, 9), granularity=quarter
    )

    calendar = work_plan_document(plan=plan).calendar

    assert calendar.by_quarter
    assert [row.entries for row in calendar.rows] == [[first], [second_third], [second_third], []]


def test_a_mixed_calendar_is_by_month():
    plan = WorkPlanFactory()
    ScheduleEntryFactory(plan=plan, position=1, month_set=(1, 2, 3), granularity="quarter")
    ScheduleEntryFactory(plan=plan, position=2, month_set=(4,))

    calendar = work_plan_document(plan=plan).calendar

    assert not calendar.by_quarter
    assert len(calendar.rows) == 12


def test_a_plan_without_schedule_has_no_calendar():
    plan = WorkPlanFactory()
    assert work_plan_document(plan=plan).calendar is None
    assert plan_document_calendar(plan=plan, entries=[]) is None
