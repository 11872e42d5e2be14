import pytest

from plans.models import ScheduleEntry, WorkPlan
from plans.selectors import (
    county_get,
    county_list,
    county_mentions,
    work_plan_calendar,
    work_plan_get,
    work_plan_list,
    work_plan_outline,
)
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return CountyFactory(name="京口区")


@pytest.fixture
def plans(county):
    """A published plan naming the county, one naming another county, and a draft naming it."""
    return {
        "published": work_plan_build(tasks=2, counties=[county], title="镇江要点"),
        "elsewhere": work_plan_build(tasks=2, counties=[CountyFactory()], title="衡阳要点"),
        "draft": work_plan_build(
            tasks=1, counties=[county], title="草稿要点", status=WorkPlan.Status.DRAFT
        ),
    }


# --- Who sees which plans ------------------------------------------------------------------


def test_county_user_lists_only_published_plans_naming_their_county(county, plans):
    user = county_user_create(county=county)

    assert list(work_plan_list(user=user)) == [plans["published"]]


def test_county_user_sees_a_plan_naming_their_county_only_in_the_calendar(county):
    plan = WorkPlanFactory()
    ScheduleEntryFactory(plan=plan, counties=[county])
    user = county_user_create(county=county)

    assert list(work_plan_list(user=user)) == [plan]


def test_bureau_staff_list_every_plan_drafts_included(plans):
    user = staff_user_create()

    assert set(work_plan_list(user=user)) == set(plans.values())


def test_superuser_without_membership_lists_every_plan(plans):
    user = UserFactory(is_superuser=True, is_staff=True)

    assert set(work_plan_list(user=user)) == set(plans.values())


def test_user_without_a_role_lists_only_published_plans(plans):
    user = UserFactory()

    assert set(work_plan_list(user=user)) == {plans["published"], plans["elsewhere"]}


def test_county_member_of_an_office_without_a_county_sees_nothing(plans):
    user = MembershipFactory(role="county").user  # a city office: no county to scope to

    assert list(work_plan_list(user=user)) == []


def test_plan_list_filters_within_what_the_user_may_see(county, plans):
    user = county_user_create(county=county)

    assert list(work_plan_list(user=user, filters={"status": "draft"})) == []
    assert list(work_plan_list(user=user, filters={"q": "镇江"})) == [plans["published"]]


def test_invalid_filters_list_no_plans(plans):
    user = staff_user_create()

    assert list(work_plan_list(user=user, filters={"office": "not-a-number"})) == []


def test_plan_list_counts_tasks_and_distinct_counties():
    jingkou, dantu, yangzhong = CountyFactory(), CountyFactory(), CountyFactory()
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, number=1, counties=[jingkou, dantu])
    TaskFactory(plan=plan, number=2, counties=[jingkou])
    ScheduleEntryFactory(plan=plan, position=1, counties=[dantu, yangzhong])
    WorkPlanFactory()  # a plan without tasks counts zero, not NULL

    listed = {p.pk: p for p in work_plan_list(user=staff_user_create())}

    assert (listed[plan.pk].task_count, listed[plan.pk].county_count) == (2, 3)
    assert [(p.task_count, p.county_count) for p in listed.values() if p.pk != plan.pk] == [(0, 0)]


# --- One plan ------------------------------------------------------------------------------


def test_county_user_cannot_get_a_plan_not_naming_their_county(county, plans):
    user = county_user_create(county=county)

    assert work_plan_get(pk=plans["elsewhere"].pk, user=user) is None
    assert work_plan_get(pk=plans["draft"].pk, user=user) is None
    assert work_plan_get(pk=plans["published"].pk, user=user) == plans["published"]


def test_plan_get_attaches_each_tasks_calendar_lines_in_order():
    plan = WorkPlanFactory()
    task = TaskFactory(plan=plan, number=1)
    TaskFactory(plan=plan, number=2)
    later = ScheduleEntryFactory(plan=plan, task=task, position=2, month_set=(9,))
    earlier = ScheduleEntryFactory(plan=plan, task=task, position=1, month_set=(5,))
    ScheduleEntryFactory(plan=plan, task=None, position=3)

    fetched = work_plan_get(pk=plan.pk, user=staff_user_create())
    lines = {t.number: t.schedule_lines for t in fetched.tasks.all()}

    assert lines == {1: [earlier, later], 2: []}


def test_outline_puts_tasks_under_their_sections_in_document_order():
    plan = WorkPlanFactory()
    first = SectionFactory(plan=plan, position=1, label="一、", heading="指导思想")
    second = SectionFactory(plan=plan, position=2, label="二、", heading="主要工作")
    sub = SectionFactory(plan=plan, position=3, level=2, label="（一）", heading="督政", parent=second)
    TaskFactory(plan=plan, number=2, section=sub)
    TaskFactory(plan=plan, number=1, section=second)
    TaskFactory(plan=plan, number=3, section=None)

    outline = work_plan_outline(plan=work_plan_get(pk=plan.pk, user=staff_user_create()))

    assert [(part.section, [t.number for t in part.tasks]) for part in outline] == [
        (None, [3]),
        (first, []),
        (second, [1]),
        (sub, [2]),
    ]


def test_month_calendar_shows_an_entry_in_every_month_it_falls_in():
    plan = WorkPlanFactory()
    may_and_september = ScheduleEntryFactory(plan=plan, position=1, month_set=(5, 9))
    august_to_october = ScheduleEntryFactory(plan=plan, position=2, month_set=(8, 9, 10))

    calendar = work_plan_calendar(plan=work_plan_get(pk=plan.pk, user=staff_user_create()))
    by_month = {row.key: row.entries for row in calendar.rows}

    assert not calendar.by_quarter
    assert sorted(by_month) == list(range(1, 13))
    assert by_month[5] == [may_and_september]
    assert by_month[9] == [may_and_september, august_to_october]
    assert by_month[10] == [august_to_october]
    assert by_month[6] == by_month[7] == []


def test_calendar_is_by_quarter_when_every_entry_is_a_quarter():
    plan = WorkPlanFactory()
    quarter = ScheduleEntry.Granularity.QUARTER
    first = ScheduleEntryFactory(
        plan=plan, position=1, period="一季度", month_set=(1, 2, 3), granularity=quarter
    )
    second_third = ScheduleEntryFactory(
        plan=plan, position=2, period="二、三季度", month_set=(4, 5, 6, 7, 8, 9), granularity=quarter
    )

    calendar = work_plan_calendar(plan=work_plan_get(pk=plan.pk, user=staff_user_create()))

    assert calendar.by_quarter
    assert [row.entries for row in calendar.rows] == [[first], [second_third], [second_third], []]


def test_a_mixed_calendar_is_by_month():
    plan = WorkPlanFactory()
    ScheduleEntryFactory(plan=plan, position=1, month_set=(1, 2, 3), granularity="quarter")
    ScheduleEntryFactory(plan=plan, position=2, month_set=(4,))

    calendar = work_plan_calendar(plan=work_plan_get(pk=plan.pk, user=staff_user_create()))

    assert not calendar.by_quarter
    assert len(calendar.rows) == 12


def test_a_plan_without_schedule_has_no_calendar():
    plan = WorkPlanFactory()

    assert work_plan_calendar(plan=work_plan_get(pk=plan.pk, user=staff_user_create())) is None


# --- Counties ------------------------------------------------------------------------------


def test_county_list_counts_tasks_and_entries_of_visible_plans(county, plans):
    listed = {c.pk: c for c in county_list(user=UserFactory())}

    # The draft's task and entry are not visible to a user without a role.
    assert (listed[county.pk].task_count, listed[county.pk].entry_count) == (2, 2)
    assert {c.pk: (c.task_count, c.entry_count) for c in county_list(user=staff_user_create())}[
        county.pk
    ] == (3, 3)


def test_county_list_leaves_out_counties_no_plan_names(county, plans):
    unnamed = CountyFactory()

    assert unnamed not in county_list(user=staff_user_create())
    assert county in county_list(user=staff_user_create())


def test_county_list_of_a_county_user_is_their_own_county(county, plans):
    user = county_user_create(county=county)

    assert list(county_list(user=user)) == [county]


def test_county_list_searches_by_name(county, plans):
    assert list(county_list(user=staff_user_create(), filters={"q": "京口"})) == [county]


def test_county_user_cannot_get_another_county(county):
    user = county_user_create(county=county)

    assert county_get(pk=CountyFactory().pk, user=user) is None
    assert county_get(pk=county.pk, user=user) == county


def test_county_mentions_group_tasks_and_entries_by_plan(county, plans):
    later = work_plan_build(tasks=1, counties=[county], plan_year=2021, title="2021年要点")

    groups = county_mentions(county=county, user=staff_user_create())

    assert [group.plan for group in groups][0] == later
    assert {group.plan for group in groups} == {later, plans["published"], plans["draft"]}
    published = next(group for group in groups if group.plan == plans["published"])
    assert [task.number for task in published.tasks] == [1, 2]
    assert [entry.position for entry in published.schedule_entries] == [1, 2]


def test_county_mentions_hide_drafts_from_county_users(county, plans):
    user = county_user_create(county=county)

    assert [group.plan for group in county_mentions(county=county, user=user)] == [
        plans["published"]
    ]


def test_django_staff_with_a_county_membership_list_every_plan(county, plans):
    user = county_user_create(county=county, user__is_staff=True)

    assert set(work_plan_list(user=user)) == set(plans.values())
