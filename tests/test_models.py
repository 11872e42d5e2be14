"""The domain's invariants, as the database enforces them.

Every row here is written past model validation (`objects.create`, `bulk_create`, `update`), the
way a bulk import or a careless script would: the database itself must refuse a bad row.
"""
import csv
import re
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint
from django.urls import resolve
from django.utils import timezone

from plans.models import (
    ALL_MONTHS_MASK,
    County,
    CountyAlias,
    Membership,
    Office,
    Region,
    ScheduleEntry,
    Task,
    WorkPlan,
)
from plans.reference import FIXTURES_DIR, reference_data_load
from plans.services import gazetteer_build
from tests.factories import (
    CountyFactory,
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
    for model in apps.get_app_config("plans").get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    raise LookupError(f"no constraint named {name} in plans.models")


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
        County.objects.create(
            code="410105", name="另一个金水区", kind=County.Kind.DISTRICT, city=RegionFactory()
        )


def test_a_county_name_is_unique_within_its_city(zhengzhou):
    with refused_by("county_unique_name_per_city"):
        County.objects.create(code="419999", name="金水区", kind=County.Kind.DISTRICT, city=zhengzhou)


def test_the_same_county_name_in_another_city_is_allowed():
    County.objects.create(
        code="919999", name="金水区", kind=County.Kind.DISTRICT, city=RegionFactory()
    )
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


# --- Office and membership -----------------------------------------------------------------------


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


def test_a_membership_of_an_unknown_role_is_refused():
    with refused_by("membership_role_valid"):
        Membership.objects.create(user=UserFactory(), office=OfficeFactory(), role="admin")


def test_a_user_has_one_membership():
    membership = MembershipFactory()
    with refused():
        Membership.objects.create(
            user=membership.user, office=OfficeFactory(), role=Membership.Role.STAFF
        )


# --- Work plan -----------------------------------------------------------------------------------


def test_a_doc_number_is_unique_per_office(plan):
    with refused_by("workplan_unique_doc_number_per_office"):
        WorkPlanFactory(office=plan.office, doc_number=plan.doc_number)


def test_the_same_doc_number_in_another_office_is_allowed(plan):
    other = WorkPlanFactory(doc_number=plan.doc_number)
    assert other.office != plan.office


def test_plans_without_a_doc_number_may_share_an_office():
    first = WorkPlanFactory(doc_number="")
    WorkPlanFactory(office=first.office, doc_number="")
    assert WorkPlan.objects.filter(office=first.office, doc_number="").count() == 2


def test_the_same_source_is_imported_once(plan):
    WorkPlan.objects.filter(pk=plan.pk).update(source_sha256="a" * 64)
    with refused_by("workplan_unique_source"):
        WorkPlanFactory(source_sha256="a" * 64)


def test_plans_without_a_source_checksum_are_allowed():
    WorkPlanFactory.create_batch(2, source_sha256="")
    assert WorkPlan.objects.filter(source_sha256="").count() >= 2


@pytest.mark.parametrize("year", [0, 1948, 2101, 20170])
def test_a_plan_year_out_of_range_is_refused(year):
    with refused_by("workplan_plan_year_range"):
        WorkPlanFactory(plan_year=year)


@pytest.mark.parametrize("year", [1949, 2100])
def test_the_plan_year_range_includes_its_bounds(year):
    assert WorkPlanFactory(plan_year=year).plan_year == year


def test_an_unknown_plan_status_is_refused():
    with refused_by("workplan_status_valid"):
        WorkPlanFactory(status="deleted", published_at=timezone.now())


@pytest.mark.parametrize("status", [WorkPlan.Status.PUBLISHED, WorkPlan.Status.ARCHIVED])
def test_a_published_or_archived_plan_needs_its_publication_date(status):
    with refused_by("workplan_published_has_date"):
        WorkPlanFactory(status=status, published_at=None)


def test_a_draft_needs_no_publication_date():
    assert WorkPlanFactory(status=WorkPlan.Status.DRAFT).published_at is None


def test_publishing_by_update_without_a_date_is_refused():
    draft = WorkPlanFactory(status=WorkPlan.Status.DRAFT)
    with refused_by("workplan_published_has_date"):
        WorkPlan.objects.filter(pk=draft.pk).update(status=WorkPlan.Status.PUBLISHED)


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


# --- How rows read -------------------------------------------------------------------------------


def test_each_model_reads_as_a_person_would_write_it(zhengzhou):
    county = County.objects.get(city=zhengzhou, name="金水区")
    alias = CountyAlias.objects.get(name="泉州开发区")
    office = OfficeFactory(name="郑州市人民政府教育督导室", region=zhengzhou)
    membership = MembershipFactory(user=UserFactory(username="zhang"), office=office)
    plan = WorkPlanFactory(office=office, title="2017年郑州市教育督导工作要点", doc_number="郑教督〔2017〕2号")
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
    assert str(membership).startswith("zhang · 郑州市人民政府教育督导室 · ")
    assert str(membership).endswith(str(Membership.Role.STAFF.label))
    assert str(plan) == "2017年郑州市教育督导工作要点（郑教督〔2017〕2号）"
    assert str(section) == "一、聚焦教育公平"
    assert str(task) == "3. 开展县级政府教育工作专项督导"
    assert str(project) == "第一项工程：学校建设工程"
    assert str(entry) == "8-9月：" + entry.text[:40]


def test_a_plan_without_a_doc_number_reads_as_its_title():
    assert str(WorkPlanFactory(title="郑州市教育局2016年工作要点", doc_number="")) == "郑州市教育局2016年工作要点"


def test_a_plan_and_a_county_link_to_their_pages(plan, zhengzhou):
    county = County.objects.get(city=zhengzhou, name="金水区")
    match = resolve(plan.get_absolute_url())
    assert (match.view_name, match.kwargs) == ("plans:plan_detail", {"pk": plan.pk})
    match = resolve(county.get_absolute_url())
    assert (match.view_name, match.kwargs) == ("plans:county_detail", {"pk": county.pk})


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
    before = (Region.objects.count(), County.objects.count(), CountyAlias.objects.count())
    assert reference_data_load() == {"regions": 0, "counties": 0, "zones": 0}
    assert (Region.objects.count(), County.objects.count(), CountyAlias.objects.count()) == before
