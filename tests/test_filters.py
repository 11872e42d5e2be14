import pytest

from plans.filters import CountyFilter, WorkPlanFilter
from plans.models import County, WorkPlan
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    ScheduleEntryFactory,
    TaskFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def filtered(data) -> list[WorkPlan]:
    filterset = WorkPlanFilter(data, queryset=WorkPlan.objects.all())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def test_office_filter_keeps_only_that_offices_plans():
    zhenjiang, hengyang = OfficeFactory(), OfficeFactory()
    plan = WorkPlanFactory(office=zhenjiang)
    WorkPlanFactory(office=hengyang)

    assert filtered({"office": zhenjiang.pk}) == [plan]


def test_office_choices_are_the_offices_that_issued_plans():
    issuing = WorkPlanFactory().office
    OfficeFactory()

    filterset = WorkPlanFilter(None, queryset=WorkPlan.objects.all())

    assert list(filterset.form.fields["office"].queryset) == [issuing]


def test_year_filter_keeps_only_that_years_plans():
    plan_2017 = WorkPlanFactory(plan_year=2017)
    WorkPlanFactory(plan_year=2020)

    assert filtered({"plan_year": "2017"}) == [plan_2017]


def test_year_choices_are_the_years_present_newest_first():
    WorkPlanFactory(plan_year=2016)
    WorkPlanFactory(plan_year=2020)
    WorkPlanFactory(plan_year=2020)

    filterset = WorkPlanFilter(None, queryset=WorkPlan.objects.all())
    years = [value for value, _ in filterset.form.fields["plan_year"].choices if value != ""]

    assert years == ["2020", "2016"]


def test_a_year_without_plans_is_not_a_valid_choice():
    WorkPlanFactory(plan_year=2020)

    filterset = WorkPlanFilter({"plan_year": "1999"}, queryset=WorkPlan.objects.all())

    assert not filterset.is_valid()
    assert "plan_year" in filterset.errors


def test_status_filter_keeps_only_plans_in_that_status():
    draft = WorkPlanFactory(status=WorkPlan.Status.DRAFT)
    WorkPlanFactory(status=WorkPlan.Status.PUBLISHED)

    assert filtered({"status": "draft"}) == [draft]


def test_county_filter_finds_plans_naming_the_county_in_a_task():
    county = CountyFactory()
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[county])
    TaskFactory(plan=WorkPlanFactory(), counties=[CountyFactory()])

    assert filtered({"county": county.pk}) == [plan]


def test_county_filter_finds_plans_naming_the_county_only_in_the_calendar():
    county = CountyFactory()
    plan = WorkPlanFactory()
    ScheduleEntryFactory(plan=plan, counties=[county])

    assert filtered({"county": county.pk}) == [plan]


def test_county_filter_lists_a_plan_once_however_often_it_names_the_county():
    county = CountyFactory()
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, number=1, counties=[county])
    TaskFactory(plan=plan, number=2, counties=[county])
    ScheduleEntryFactory(plan=plan, position=1, counties=[county])

    assert filtered({"county": county.pk}) == [plan]


def test_county_choices_are_only_counties_some_plan_names():
    named, by_entry = CountyFactory(), CountyFactory()
    CountyFactory()
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[named])
    ScheduleEntryFactory(plan=plan, counties=[by_entry])

    filterset = WorkPlanFilter(None, queryset=WorkPlan.objects.all())

    assert set(filterset.form.fields["county"].queryset) == {named, by_entry}


def test_county_choice_labels_name_the_city():
    county = CountyFactory(name="鼓楼区", city__name="南京市")
    TaskFactory(counties=[county])

    filterset = WorkPlanFilter(None, queryset=WorkPlan.objects.all())
    labels = [str(label) for _, label in filterset.form.fields["county"].choices]

    assert "鼓楼区（南京市）" in labels


@pytest.mark.parametrize(
    "query",
    ["镇江市教育督导", "镇教督〔2020〕2号", "义务教育优质均衡", "创建工作推进会"],
    ids=["title", "doc_number", "task_title", "task_text"],
)
def test_text_search_matches_title_doc_number_and_tasks(query):
    plan = WorkPlanFactory(title="2020年镇江市教育督导工作要点", doc_number="镇教督〔2020〕2号")
    TaskFactory(
        plan=plan,
        title="扎实推进义务教育优质均衡发展",
        text="扎实推进义务教育优质均衡发展。召开创建工作推进会。",
    )
    other = WorkPlanFactory(title="2017年衡阳市教育督导工作要点", doc_number="衡教督办〔2017〕1号")
    TaskFactory(plan=other, title="开展责任督学挂牌督导", text="开展责任督学挂牌督导。")

    assert filtered({"q": query}) == [plan]


def test_text_search_lists_a_plan_once_when_many_tasks_match():
    plan = WorkPlanFactory(title="工作要点")
    TaskFactory(plan=plan, number=1, title="督导评估一")
    TaskFactory(plan=plan, number=2, title="督导评估二")

    assert filtered({"q": "督导评估"}) == [plan]


def test_text_search_without_a_match_finds_nothing():
    WorkPlanFactory(title="2020年镇江市教育督导工作要点")

    assert filtered({"q": "不存在的词"}) == []


def test_blank_filters_keep_every_plan():
    plans = {WorkPlanFactory(), WorkPlanFactory(status=WorkPlan.Status.DRAFT)}

    blank = {"q": "  ", "office": "", "plan_year": "", "status": "", "county": ""}

    assert set(filtered(blank)) == plans


def test_an_unknown_office_makes_the_filters_invalid():
    WorkPlanFactory()

    filterset = WorkPlanFilter({"office": "999999"}, queryset=WorkPlan.objects.all())

    assert not filterset.is_valid()


def test_county_search_matches_names_and_aliases():
    zone = CountyFactory(name="测试新区", kind=County.Kind.FUNCTIONAL_ZONE, code="")
    zone.aliases.create(name="高新园")
    CountyFactory(name="京口区", city=zone.city)
    # Reference data may hold real counties of the same names: search this city only.
    counties = County.objects.filter(city=zone.city)

    by_name = CountyFilter({"q": "测试新"}, queryset=counties).qs
    by_alias = CountyFilter({"q": "高新园"}, queryset=counties).qs

    assert list(by_name) == [zone]
    assert list(by_alias) == [zone]
