"""The domain's invariants, as the database enforces them.

Every row here is written past model validation (`objects.create`, `bulk_create`, `update`), the
way a bulk import or a careless script would: the database itself must refuse a bad row.
"""

import csv
import re
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint
from django.urls import resolve
from django.utils import timezone

from organisation.models import (
    County,
    CountyAlias,
    Membership,
    Office,
    OfficeAlias,
    OfficialCalendarDay,
    OfficialCalendarYear,
    Region,
)
from organisation.reference import FIXTURES_DIR, reference_data_load
from plans.models import (
    ALL_MONTHS_MASK,
    EntryTarget,
    PlanCounty,
    PlanRevision,
    PlanSource,
    ScheduleEntry,
    Task,
    TaskTarget,
    WorkPlan,
)
from plans.services import gazetteer_build
from tests.factories import (
    CountyFactory,
    CountyOfficeFactory,
    MembershipFactory,
    OfficeFactory,
    ProjectFactory,
    RegionFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def _constraint(name: str):
    for label in ("organisation", "plans", "tracking"):
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                if constraint.name == name:
                    return model, constraint
    raise LookupError(f"no constraint named {name} in the project's models")


def _error_pattern(name: str) -> str:
    model, constraint = _constraint(name)
    if connection.vendor == "sqlite" and isinstance(constraint, UniqueConstraint):
        # SQLite names the columns of a unique index, not the index.
        table = model._meta.db_table
        columns = ", ".join(f"{table}.{model._meta.get_field(f).column}" for f in constraint.fields)
        return re.escape(f"UNIQUE constraint failed: {columns}")
    return re.escape(name)


@contextmanager
def refused_by(name: str):
    """The block's write is refused by the database, and by the constraint `name`."""
    with pytest.raises(IntegrityError, match=_error_pattern(name)), transaction.atomic():
        yield


@contextmanager
def refused():
    """The block's write is refused by the database (a field's own unique or positive check)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


@pytest.fixture
def zhengzhou() -> Region:
    return Region.objects.get(code="410100")


@pytest.fixture
def plan() -> WorkPlan:
    return WorkPlanFactory()


def draft_revision_create(plan: WorkPlan, **fields) -> WorkPlan:
    """A draft revision of the published `plan`, as work_plan_revise writes it: same office,
    same 文号, the next revision number."""
    fields = {"status": WorkPlan.Status.DRAFT, **fields}
    return WorkPlanFactory(
        office=plan.office,
        title=plan.title,
        doc_number=plan.doc_number,
        plan_year=plan.plan_year,
        revision_of=plan,
        revision=plan.revision + 1,
        **fields,
    )


# --- Region --------------------------------------------------------------------------------------


def test_a_region_below_city_level_is_refused():
    with refused_by("region_level_valid"):
        Region.objects.create(code="990001", name="测试县", level="county")


def test_a_region_code_is_unique():
    with refused():
        Region.objects.create(code="410100", name="另一个郑州市", level=Region.Level.CITY)


# --- County --------------------------------------------------------------------------------------


def test_a_division_code_belongs_to_one_county():
    with refused_by("county_unique_code"):
        County.objects.create(code="410105", name="另一个金水区", kind=County.Kind.DISTRICT, city=RegionFactory())


def test_a_county_name_is_unique_within_its_city(zhengzhou):
    with refused_by("county_unique_name_per_city"):
        County.objects.create(code="419999", name="金水区", kind=County.Kind.DISTRICT, city=zhengzhou)


def test_the_same_county_name_in_another_city_is_allowed():
    County.objects.create(code="919999", name="金水区", kind=County.Kind.DISTRICT, city=RegionFactory())
    assert County.objects.filter(name="金水区").count() == 2


def test_a_division_without_a_code_is_refused(zhengzhou):
    with refused_by("county_division_has_code"):
        County.objects.create(code="", name="无码区", kind=County.Kind.DISTRICT, city=zhengzhou)


def test_functional_zones_without_a_code_are_allowed(zhengzhou):
    County.objects.bulk_create(
        [
            County(code="", name="测试新区", kind=County.Kind.FUNCTIONAL_ZONE, city=zhengzhou),
            County(code="", name="测试开发区", kind=County.Kind.FUNCTIONAL_ZONE, city=zhengzhou),
        ]
    )
    assert County.objects.filter(city=zhengzhou, code="", name__startswith="测试").count() == 2


def test_a_county_alias_is_recorded_once():
    county = CountyFactory()
    CountyAlias.objects.create(county=county, name="测试")
    with refused_by("county_alias_unique"):
        CountyAlias.objects.create(county=county, name="测试")


# --- Office --------------------------------------------------------------------------------------


def test_a_county_office_without_its_county_is_refused():
    with refused_by("office_covers_its_level"):
        Office.objects.create(name="某县教育督导室", level=Office.Level.COUNTY)


@pytest.mark.parametrize("level", [Office.Level.CITY, Office.Level.PROVINCE])
def test_a_city_or_provincial_office_covering_a_county_is_refused(level):
    with refused_by("office_covers_its_level"):
        Office.objects.create(name="某市教育督导室", level=level, county=CountyFactory())


def test_an_office_of_an_unknown_level_is_refused():
    with refused_by("office_covers_its_level"):
        Office.objects.create(name="某镇教育办", level="town")


def test_offices_of_each_level_covering_what_they_should_are_allowed(zhengzhou):
    county = County.objects.get(city=zhengzhou, name="金水区")
    city = Office.objects.create(name="郑州市测试督导室", level=Office.Level.CITY, region=zhengzhou)
    Office.objects.create(name="金水区测试督导室", level=Office.Level.COUNTY, county=county, parent=city)
    Office.objects.create(name="河南省测试督导室", level=Office.Level.PROVINCE, region=zhengzhou.parent)
    assert Office.objects.filter(name__contains="测试督导室").count() == 3


def test_an_office_name_is_unique():
    office = OfficeFactory()
    with refused():
        Office.objects.create(name=office.name, level=Office.Level.CITY)


def test_an_office_alias_names_one_office():
    # An alias is how an imported notice's issuer is found: two offices under one name would
    # make the match a guess.
    OfficeAlias.objects.create(office=OfficeFactory(), name="测试市教育督导委员会办公室")
    with refused():
        OfficeAlias.objects.create(office=OfficeFactory(), name="测试市教育督导委员会办公室")


# --- Membership ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", ""])
def test_a_membership_of_an_unknown_role_is_refused(role):
    # "staff" was the one bureau role before roles were scoped by office.
    with refused_by("membership_role_valid"):
        Membership.objects.create(user=UserFactory(), office=OfficeFactory(), role=role)


@pytest.mark.parametrize("role", Membership.BUREAU_ROLES)
def test_a_membership_of_each_bureau_role_is_allowed(role):
    assert Membership.objects.create(user=UserFactory(), office=OfficeFactory(), role=role).pk


def test_a_user_has_one_role_per_office():
    membership = MembershipFactory(role=Membership.Role.EDITOR)
    with refused_by("membership_unique_office"):
        Membership.objects.create(user=membership.user, office=membership.office, role=Membership.Role.REVIEWER)


def test_a_user_may_belong_to_several_offices():
    user = UserFactory()
    Membership.objects.bulk_create(
        [
            Membership(user=user, office=OfficeFactory(), role=Membership.Role.EDITOR),
            Membership(user=user, office=OfficeFactory(), role=Membership.Role.VIEWER),
            Membership(user=user, office=CountyOfficeFactory(), role=Membership.Role.COUNTY),
        ]
    )
    assert user.memberships.count() == 3


# The office's level lives in another table, so the database cannot check a role against it;
# validation does (and plans.permissions ignores a county role without a county).


def test_validation_refuses_the_county_role_in_a_city_office():
    membership = Membership(user=UserFactory(), office=OfficeFactory(), role=Membership.Role.COUNTY)

    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()

    assert list(excinfo.value.error_dict) == ["role"]


def test_the_refused_county_role_carries_its_error_code():
    membership = Membership(user=UserFactory(), office=OfficeFactory(), role=Membership.Role.COUNTY)

    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()

    assert [error.code for error in excinfo.value.error_dict["role"]] == ["role_level"]


@pytest.mark.parametrize("role", Membership.BUREAU_ROLES)
def test_a_county_office_may_have_its_own_staff_for_the_plans_it_issues(role):
    Membership(user=UserFactory(), office=CountyOfficeFactory(), role=role).full_clean()


def test_validation_accepts_the_county_role_in_a_county_office_and_bureau_roles_elsewhere():
    user = UserFactory()
    Membership(user=user, office=CountyOfficeFactory(), role=Membership.Role.COUNTY).full_clean()
    Membership(user=user, office=OfficeFactory(), role=Membership.Role.VIEWER).full_clean()


# --- Work plan -----------------------------------------------------------------------------------


def test_a_doc_number_is_unique_per_office(plan):
    with refused_by("workplan_unique_doc_number_per_office"):
        WorkPlanFactory(office=plan.office, doc_number=plan.doc_number)


def test_a_new_draft_cannot_take_the_doc_number_of_a_published_plan(plan):
    with refused_by("workplan_unique_doc_number_per_office"):
        WorkPlanFactory(office=plan.office, doc_number=plan.doc_number, status=WorkPlan.Status.DRAFT)


def test_the_same_doc_number_in_another_office_is_allowed(plan):
    other = WorkPlanFactory(doc_number=plan.doc_number)
    assert other.office != plan.office


def test_plans_without_a_doc_number_may_share_an_office():
    first = WorkPlanFactory(doc_number="")
    WorkPlanFactory(office=first.office, doc_number="")
    assert WorkPlan.objects.filter(office=first.office, doc_number="").count() == 2


def test_a_draft_revision_carries_the_doc_number_of_the_plan_it_revises(plan):
    revision = draft_revision_create(plan)
    assert WorkPlan.objects.filter(office=plan.office, doc_number=plan.doc_number).count() == 2
    assert revision.revision_of == plan


def test_a_draft_revision_detached_from_its_plan_must_give_up_the_doc_number(plan):
    revision = draft_revision_create(plan)
    with refused_by("workplan_unique_doc_number_per_office"):
        WorkPlan.objects.filter(pk=revision.pk).update(revision_of=None)


def test_a_plan_has_one_draft_revision_at_a_time(plan):
    draft_revision_create(plan)
    with refused():
        draft_revision_create(plan)


@pytest.mark.parametrize("status", [WorkPlan.Status.PUBLISHED, WorkPlan.Status.ARCHIVED])
def test_a_draft_revision_is_never_published_on_its_own(plan, status):
    with refused_by("workplan_revision_draft_unpublished"):
        draft_revision_create(plan, status=status)


def test_publishing_a_draft_revision_by_update_is_refused(plan):
    revision = draft_revision_create(plan, status=WorkPlan.Status.IN_REVIEW)
    with refused_by("workplan_revision_draft_unpublished"):
        WorkPlan.objects.filter(pk=revision.pk).update(status=WorkPlan.Status.PUBLISHED, published_at=timezone.now())


def test_a_draft_revision_may_go_to_review(plan):
    revision = draft_revision_create(plan, status=WorkPlan.Status.IN_REVIEW)
    assert revision.status == WorkPlan.Status.IN_REVIEW


@pytest.mark.parametrize("year", [0, 1948, 2101, 20170])
def test_a_plan_year_out_of_range_is_refused(year):
    with refused_by("workplan_plan_year_range"):
        WorkPlanFactory(plan_year=year)


@pytest.mark.parametrize("year", [1949, 2100])
def test_the_plan_year_range_includes_its_bounds(year):
    assert WorkPlanFactory(plan_year=year).plan_year == year


@pytest.mark.parametrize("status", ["deleted", "staff", "review"])
def test_an_unknown_plan_status_is_refused(status):
    with refused_by("workplan_status_valid"):
        WorkPlanFactory(status=status, published_at=timezone.now())


@pytest.mark.parametrize("status", [WorkPlan.Status.PUBLISHED, WorkPlan.Status.ARCHIVED])
def test_a_published_or_archived_plan_needs_its_publication_date(status):
    with refused_by("workplan_published_has_date"):
        WorkPlanFactory(status=status, published_at=None)


@pytest.mark.parametrize("status", [WorkPlan.Status.DRAFT, WorkPlan.Status.IN_REVIEW])
def test_a_plan_not_yet_published_needs_no_publication_date(status):
    assert WorkPlanFactory(status=status).published_at is None


def test_an_archived_plan_needs_its_archive_date():
    with refused_by("workplan_archived_has_date"):
        WorkPlanFactory(status=WorkPlan.Status.ARCHIVED, archived_at=None)


def test_publishing_by_update_without_a_date_is_refused():
    draft = WorkPlanFactory(status=WorkPlan.Status.DRAFT)
    with refused_by("workplan_published_has_date"):
        WorkPlan.objects.filter(pk=draft.pk).update(status=WorkPlan.Status.PUBLISHED)


def test_archiving_by_update_without_a_date_is_refused(plan):
    with refused_by("workplan_archived_has_date"):
        WorkPlan.objects.filter(pk=plan.pk).update(status=WorkPlan.Status.ARCHIVED)


def test_a_plan_version_starts_at_one(plan):
    assert plan.version == 1
    with refused_by("workplan_version_positive"):
        WorkPlanFactory(version=0)
    with refused_by("workplan_version_positive"):
        WorkPlan.objects.filter(pk=plan.pk).update(version=0)


# --- Source and revisions ------------------------------------------------------------------------


def test_the_same_document_is_imported_once(plan):
    PlanSource.objects.create(plan=plan, name="a.docx", text="通知", sha256="a" * 64)
    with refused_by("plansource_unique_text"):
        PlanSource.objects.create(plan=WorkPlanFactory(), name="b.docx", text="通知", sha256="a" * 64)


def test_a_plan_has_one_source(plan):
    PlanSource.objects.create(plan=plan, text="通知一", sha256="a" * 64)
    with refused():
        PlanSource.objects.create(plan=plan, text="通知二", sha256="b" * 64)


def test_a_revision_number_is_unique_per_plan(plan):
    PlanRevision.objects.create(plan=plan, number=1, snapshot={})
    with refused_by("planrevision_unique_number"):
        PlanRevision.objects.create(plan=plan, number=1, snapshot={})


def test_the_same_revision_number_in_another_plan_is_allowed(plan):
    PlanRevision.objects.bulk_create(
        [
            PlanRevision(plan=plan, number=1, snapshot={}),
            PlanRevision(plan=plan, number=2, snapshot={}),
            PlanRevision(plan=WorkPlanFactory(), number=1, snapshot={}),
        ]
    )
    assert PlanRevision.objects.filter(number=1).count() == 2


def test_revisions_are_numbered_from_one(plan):
    with refused_by("planrevision_number_positive"):
        PlanRevision.objects.create(plan=plan, number=0, snapshot={})


# --- Section -------------------------------------------------------------------------------------


def test_a_section_position_is_unique_per_plan(plan):
    SectionFactory(plan=plan, position=1)
    with refused_by("section_unique_position"):
        SectionFactory(plan=plan, position=1)


@pytest.mark.parametrize("level", [0, 3])
def test_a_section_below_two_levels_is_refused(plan, level):
    with refused_by("section_level_valid"):
        SectionFactory(plan=plan, level=level)


def test_a_section_position_starts_at_one(plan):
    with refused_by("section_position_positive"):
        SectionFactory(plan=plan, position=0)


# --- Keys of a plan's parts ----------------------------------------------------------------------

PARTS = [
    pytest.param(SectionFactory, "section_unique_key", id="section"),
    pytest.param(TaskFactory, "task_unique_key", id="task"),
    pytest.param(ProjectFactory, "project_unique_key", id="project"),
    pytest.param(ScheduleEntryFactory, "schedule_unique_key", id="schedule_entry"),
]


@pytest.mark.parametrize("factory, constraint", PARTS)
def test_a_part_key_is_unique_per_plan(plan, factory, constraint):
    first = factory(plan=plan)
    with refused_by(constraint):
        factory(plan=plan, key=first.key)


@pytest.mark.parametrize("factory, constraint", PARTS)
def test_a_draft_revision_keeps_the_keys_of_its_plans_parts(plan, factory, constraint):
    # A revision is matched back onto its plan by key, so its rows carry the plan's keys.
    first = factory(plan=plan)
    copy = factory(plan=draft_revision_create(plan), key=first.key)
    assert copy.key == first.key


# --- Task and project ----------------------------------------------------------------------------


def test_a_task_number_is_unique_per_plan(plan):
    with refused_by("task_unique_number_per_plan"):
        Task.objects.bulk_create(
            [
                Task(plan=plan, number=3, title="甲", text="甲。"),
                Task(plan=plan, number=3, title="乙", text="乙。"),
            ]
        )
    assert not plan.tasks.exists()


def test_the_same_task_number_in_another_plan_is_allowed(plan):
    first = TaskFactory(plan=plan, number=1)
    second = TaskFactory(plan=WorkPlanFactory(), number=1)
    assert Task.objects.filter(pk__in=[first.pk, second.pk], number=1).count() == 2


def test_a_task_number_zero_is_refused(plan):
    with refused_by("task_number_positive"):
        TaskFactory(plan=plan, number=0)


def test_a_negative_task_number_is_refused(plan):
    with refused():
        TaskFactory(plan=plan, number=-1)


def test_renumbering_a_task_to_zero_is_refused(plan):
    task = TaskFactory(plan=plan, number=1)
    with refused_by("task_number_positive"):
        Task.objects.filter(pk=task.pk).update(number=0)


def test_a_project_number_is_unique_per_plan(plan):
    ProjectFactory(plan=plan, number=1)
    with refused_by("project_unique_number_per_plan"):
        ProjectFactory(plan=plan, number=1)


def test_a_project_number_zero_is_refused(plan):
    with refused_by("project_number_positive"):
        ProjectFactory(plan=plan, number=0)


# --- Schedule entry ------------------------------------------------------------------------------


def test_a_schedule_position_is_unique_per_plan(plan):
    ScheduleEntryFactory(plan=plan, position=1)
    with refused_by("schedule_unique_position"):
        ScheduleEntryFactory(plan=plan, position=1)


@pytest.mark.parametrize(
    "start, end, constraint",
    [
        (0, 3, "schedule_start_month_range"),
        (1, 13, "schedule_end_month_range"),
        (5, 3, "schedule_start_before_end"),
        (12, 1, "schedule_start_before_end"),
    ],
)
def test_schedule_months_outside_a_year_or_backwards_are_refused(plan, start, end, constraint):
    with refused_by(constraint):
        ScheduleEntryFactory(plan=plan, start_month=start, end_month=end, months=1)


def test_a_start_month_past_december_is_refused(plan):
    # Whichever of the range and order checks the database tries first refuses it.
    with refused():
        ScheduleEntryFactory(plan=plan, start_month=13, end_month=13, months=1)


@pytest.mark.parametrize("months", [0, ALL_MONTHS_MASK + 1, 1 << 13])
def test_a_months_mask_outside_twelve_bits_is_refused(plan, months):
    with refused_by("schedule_months_mask_range"):
        ScheduleEntryFactory(plan=plan, months=months)


def test_a_whole_year_mask_is_allowed(plan):
    entry = ScheduleEntryFactory(plan=plan, month_set=tuple(range(1, 13)))
    entry.refresh_from_db()
    assert entry.months == ALL_MONTHS_MASK
    assert entry.month_list == list(range(1, 13))


def test_an_unknown_granularity_is_refused(plan):
    with refused_by("schedule_granularity_valid"):
        ScheduleEntryFactory(plan=plan, granularity="week")


def test_moving_an_entry_past_december_by_update_is_refused(plan):
    entry = ScheduleEntryFactory(plan=plan, month_set=(11, 12))
    with refused_by("schedule_end_month_range"):
        ScheduleEntry.objects.filter(pk=entry.pk).update(end_month=13)


@pytest.mark.parametrize("day", [0, 32])
def test_a_deadline_day_outside_a_month_is_refused(plan, day):
    with refused_by("schedule_deadline_day_range"):
        ScheduleEntryFactory(plan=plan, deadline_day=day)


@pytest.mark.parametrize("day", [None, 1, 20, 31])
def test_a_deadline_day_within_a_month_or_none_is_allowed(plan, day):
    entry = ScheduleEntryFactory(plan=plan, deadline_day=day)
    entry.refresh_from_db()
    assert entry.deadline_day == day


def test_moving_a_deadline_past_the_month_end_by_update_is_refused(plan):
    entry = ScheduleEntryFactory(plan=plan, deadline_day=31)
    with refused_by("schedule_deadline_day_range"):
        ScheduleEntry.objects.filter(pk=entry.pk).update(deadline_day=32)


# --- Targets and the plan → county index ---------------------------------------------------------


def test_a_task_names_a_county_once(plan):
    task, county = TaskFactory(plan=plan), CountyFactory()
    TaskTarget.objects.create(task=task, county=county)
    with refused_by("tasktarget_unique"):
        TaskTarget.objects.create(task=task, county=county)


def test_a_calendar_line_names_a_county_once(plan):
    entry, county = ScheduleEntryFactory(plan=plan), CountyFactory()
    with refused_by("entrytarget_unique"):
        EntryTarget.objects.bulk_create(
            [EntryTarget(entry=entry, county=county), EntryTarget(entry=entry, county=county)]
        )
    assert not entry.targets.exists()


def test_the_county_index_lists_a_county_once_per_plan(plan):
    county = CountyFactory()
    PlanCounty.objects.create(plan=plan, county=county)
    with refused_by("plancounty_unique"):
        PlanCounty.objects.create(plan=plan, county=county)


def test_a_county_may_be_named_by_many_tasks_and_plans(plan):
    county = CountyFactory()
    other_plan = WorkPlanFactory()
    TaskFactory(plan=plan, number=1, counties=[county])
    TaskFactory(plan=plan, number=2, counties=[county])
    TaskFactory(plan=other_plan, number=1, counties=[county])

    assert TaskTarget.objects.filter(county=county).count() == 3
    assert set(PlanCounty.objects.filter(county=county).values_list("plan", flat=True)) == {
        plan.pk,
        other_plan.pk,
    }


# --- How rows read -------------------------------------------------------------------------------


def test_each_model_reads_as_a_person_would_write_it(zhengzhou):
    county = County.objects.get(city=zhengzhou, name="金水区")
    alias = CountyAlias.objects.get(name="泉州开发区")
    office = OfficeFactory(name="郑州市人民政府教育督导室", region=zhengzhou)
    office_alias = OfficeAlias.objects.create(office=office, name="郑州市教育督导委员会办公室")
    membership = MembershipFactory(user=UserFactory(username="zhang"), office=office)
    plan = WorkPlanFactory(office=office, title="2017年郑州市教育督导工作要点", doc_number="郑教督〔2017〕2号")
    revision = PlanRevision.objects.create(plan=plan, number=1, snapshot={})
    section = SectionFactory(plan=plan, label="一、", heading="聚焦教育公平")
    task = TaskFactory(plan=plan, number=3, title="开展县级政府教育工作专项督导")
    project = ProjectFactory(plan=plan, label="第一项工程", name="学校建设工程")
    entry = ScheduleEntryFactory(
        plan=plan, period="8-9月", text="制定县级政府教育工作专项督导工作方案，报市政府审定后印发各县（市、区）执行"
    )

    assert str(zhengzhou) == "郑州市"
    assert str(county) == "金水区"
    assert str(alias) == "泉州开发区 → 泉州经济技术开发区"
    assert str(office) == "郑州市人民政府教育督导室"
    assert str(office_alias) == "郑州市教育督导委员会办公室 → 郑州市人民政府教育督导室"
    assert str(membership).startswith("zhang · 郑州市人民政府教育督导室 · ")
    assert str(membership).endswith(str(Membership.Role.EDITOR.label))
    assert str(plan) == "2017年郑州市教育督导工作要点（郑教督〔2017〕2号）"
    assert str(revision) == "2017年郑州市教育督导工作要点（郑教督〔2017〕2号） · r1"
    assert str(section) == "一、聚焦教育公平"
    assert str(task) == "3. 开展县级政府教育工作专项督导"
    assert str(project) == "第一项工程：学校建设工程"
    assert str(entry) == "8-9月：" + entry.text[:40]


def test_a_plan_without_a_doc_number_reads_as_its_title():
    assert str(WorkPlanFactory(title="郑州市教育局2016年工作要点", doc_number="")) == "郑州市教育局2016年工作要点"


def test_a_plan_a_revision_and_a_county_link_to_their_pages(plan, zhengzhou):
    county = County.objects.get(city=zhengzhou, name="金水区")
    revision = PlanRevision.objects.create(plan=plan, number=2, snapshot={})
    match = resolve(plan.get_absolute_url())
    assert (match.view_name, match.kwargs) == ("plans:plan_detail", {"pk": plan.pk})
    match = resolve(revision.get_absolute_url())
    assert (match.view_name, match.kwargs) == (
        "plans:revision_detail",
        {"pk": plan.pk, "number": 2},
    )
    match = resolve(county.get_absolute_url())
    assert (match.view_name, match.kwargs) == ("tracking:county_detail", {"pk": county.pk})


# --- Reference data ------------------------------------------------------------------------------


def test_every_county_level_division_is_loaded():
    with open(FIXTURES_DIR / "divisions.csv", encoding="utf-8") as fh:
        codes = {row["code"] for row in csv.DictReader(fh) if row["level"] == "county"}
    assert County.objects.exclude(kind=County.Kind.FUNCTIONAL_ZONE).count() >= 2800
    assert set(County.objects.exclude(code="").values_list("code", flat=True)) == codes


def test_zhengzhou_has_its_districts_by_their_official_names(zhengzhou):
    names = set(zhengzhou.counties.values_list("name", flat=True))
    assert {"金水区", "管城回族区", "中原区", "登封市", "郑东新区"} <= names
    assert County.objects.get(code="410104").name == "管城回族区"


def test_zhenjiang_new_area_is_a_functional_zone_of_zhenjiang():
    zone = County.objects.get(name="镇江新区")
    assert zone.kind == County.Kind.FUNCTIONAL_ZONE
    assert zone.is_functional_zone
    assert zone.code == ""
    assert (zone.city.name, zone.city.level) == ("镇江市", Region.Level.CITY)


def test_an_alias_resolves_to_its_zone():
    alias = CountyAlias.objects.select_related("county__city").get(name="泉州开发区")
    assert alias.county.name == "泉州经济技术开发区"
    assert alias.county.city.name == "泉州市"
    gazetteer = gazetteer_build()
    found = gazetteer.matcher(gazetteer.scope_for_code("350500")).find("泉州开发区社会事业局")
    assert [(place.key, place.name) for place in found] == [(str(alias.county.pk), "泉州经济技术开发区")]


def test_loading_the_reference_data_again_adds_nothing():
    counted = (Region, County, CountyAlias, OfficialCalendarYear, OfficialCalendarDay)
    before = [model.objects.count() for model in counted]
    assert reference_data_load() == {"regions": 0, "counties": 0, "zones": 0, "calendar_years": 0}
    assert [model.objects.count() for model in counted] == before
