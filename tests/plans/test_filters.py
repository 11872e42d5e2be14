"""The plan list's and the county list's filters: text fields for offices and counties (a name,
part of one, an alias, or a suggestion's "name（city）"), a word search, years and statuses."""

import pytest

from organisation.models import County, CountyAlias, OfficeAlias, Region
from plans.filters import CountyFilter, WorkPlanFilter
from plans.models import WorkPlan
from plans.services import plan_county_index_refresh
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    ScheduleEntryFactory,
    TaskFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def filtered(data, queryset=None) -> list[WorkPlan]:
    if queryset is None:
        queryset = WorkPlan.objects.all()
    filterset = WorkPlanFilter(data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def reference_county(name: str, city: str) -> County:
    return County.objects.get(name=name, city__name=city)


@pytest.fixture
def zhenjiang_and_hengyang() -> dict[str, WorkPlan]:
    return {
        "zhenjiang": WorkPlanFactory(office=OfficeFactory(name="镇江市人民政府教育督导室")),
        "hengyang": WorkPlanFactory(office=OfficeFactory(name="衡阳市人民政府教育督导室")),
    }


# --- Office --------------------------------------------------------------------------------------


def test_the_office_filter_keeps_the_plans_of_offices_whose_name_contains_the_text(
    zhenjiang_and_hengyang,
):
    assert filtered({"office": "镇江"}) == [zhenjiang_and_hengyang["zhenjiang"]]
    assert filtered({"office": " 衡阳市人民政府教育督导室 "}) == [zhenjiang_and_hengyang["hengyang"]]


def test_the_office_filter_matches_an_alias_the_office_issued_under(zhenjiang_and_hengyang):
    zhenjiang = zhenjiang_and_hengyang["zhenjiang"]
    OfficeAlias.objects.create(office=zhenjiang.office, name="镇江市教育督导委员会办公室")

    assert filtered({"office": "督导委员会办公室"}) == [zhenjiang]


def test_the_office_filter_lists_a_plan_once_when_name_and_aliases_all_match(
    zhenjiang_and_hengyang,
):
    zhenjiang = zhenjiang_and_hengyang["zhenjiang"]
    OfficeAlias.objects.create(office=zhenjiang.office, name="镇江市教育督导室")
    OfficeAlias.objects.create(office=zhenjiang.office, name="镇江市教育督导委员会办公室")

    assert filtered({"office": "镇江"}) == [zhenjiang]


def test_the_office_filter_ignores_case_in_a_name_with_letters():
    latin = WorkPlanFactory(office=OfficeFactory(name="Education Supervision Office of Harbin"))
    alias = WorkPlanFactory(office=OfficeFactory(name="哈尔滨市人民政府教育督导室"))
    OfficeAlias.objects.create(office=alias.office, name="HRB Supervision Office")

    assert filtered({"office": "harbin"}) == [latin]
    assert filtered({"office": "hrb SUPERVISION"}) == [alias]


def test_an_office_no_plan_comes_from_finds_nothing(zhenjiang_and_hengyang):
    assert filtered({"office": "不存在的督导室"}) == []


# --- County --------------------------------------------------------------------------------------


def test_the_county_filter_finds_plans_naming_the_county_in_a_task():
    county = CountyFactory(name="测试京口区")
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[county])
    TaskFactory(plan=WorkPlanFactory(), counties=[CountyFactory(name="测试丹徒区")])

    assert filtered({"county": "测试京口区"}) == [plan]


def test_the_county_filter_matches_part_of_a_county_name():
    county = CountyFactory(name="测试京口区")
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[county])

    assert filtered({"county": "京口"}) == [plan]


def test_the_county_filter_matches_an_alias_of_the_county():
    zone = CountyFactory(name="测试高新技术产业开发区", kind=County.Kind.FUNCTIONAL_ZONE, code="")
    CountyAlias.objects.create(county=zone, name="测试高新区")
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[zone])
    TaskFactory(plan=WorkPlanFactory(), counties=[CountyFactory()])

    assert filtered({"county": "测试高新区"}) == [plan]


@pytest.mark.parametrize("typed", ["鼓楼区（福州市）", "鼓楼区(福州市)", " 鼓楼区（ 福州市 ） "])
def test_a_county_named_with_its_city_finds_only_that_citys_county(typed):
    # 鼓楼区 is a district of 南京, 徐州, 开封 and 福州: a suggestion names the city.
    fuzhou = WorkPlanFactory(title="福州要点")
    TaskFactory(plan=fuzhou, counties=[reference_county("鼓楼区", "福州市")])
    nanjing = WorkPlanFactory(title="南京要点")
    TaskFactory(plan=nanjing, counties=[reference_county("鼓楼区", "南京市")])

    assert filtered({"county": typed}) == [fuzhou]
    assert set(filtered({"county": "鼓楼区"})) == {fuzhou, nanjing}


def test_a_county_named_with_another_city_finds_nothing():
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[reference_county("鼓楼区", "福州市")])

    assert filtered({"county": "鼓楼区（郑州市）"}) == []


def test_the_county_filter_finds_plans_naming_the_county_only_in_the_calendar():
    county = CountyFactory()
    plan = WorkPlanFactory()
    ScheduleEntryFactory(plan=plan, counties=[county])

    assert filtered({"county": county.name}) == [plan]


def test_the_county_filter_lists_a_plan_once_however_often_it_names_the_county():
    county = CountyFactory()
    plan = WorkPlanFactory()
    TaskFactory(plan=plan, number=1, counties=[county])
    TaskFactory(plan=plan, number=2, counties=[county])
    ScheduleEntryFactory(plan=plan, position=1, counties=[county])

    assert filtered({"county": county.name}) == [plan]


def test_the_county_filter_finds_a_task_addressed_to_every_county_of_the_region():
    # 各县（市、区）: no target rows, only the plan → county index names each county.
    zhengzhou = Region.objects.get(code="410100")
    plan = WorkPlanFactory(office=OfficeFactory(region=zhengzhou))
    TaskFactory(plan=plan, addresses_all_counties=True)
    plan_county_index_refresh(plan=plan)

    assert filtered({"county": "金水区（郑州市）"}) == [plan]
    assert filtered({"county": "登封市"}) == [plan]
    assert filtered({"county": "鼓楼区（福州市）"}) == []


def test_a_county_nothing_names_finds_nothing():
    TaskFactory(counties=[CountyFactory()])

    assert filtered({"county": "不存在的县"}) == []


# --- Search --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "镇江市教育督导",
        "关于印发",
        "镇教督〔2020〕2号",
        "镇江市人民政府",
        "义务教育优质均衡",
        "创建工作推进会",
    ],
    ids=["title", "notice_title", "doc_number", "office", "task_title", "task_text"],
)
def test_search_matches_title_notice_title_doc_number_office_and_tasks(query):
    plan = WorkPlanFactory(
        office=OfficeFactory(name="镇江市人民政府教育督导室"),
        title="2020年镇江市教育督导工作要点",
        notice_title="关于印发2020年镇江市教育督导工作要点的通知",
        doc_number="镇教督〔2020〕2号",
    )
    TaskFactory(
        plan=plan,
        title="扎实推进义务教育优质均衡发展",
        text="扎实推进义务教育优质均衡发展。召开创建工作推进会。",
    )
    other = WorkPlanFactory(
        office=OfficeFactory(name="衡阳市教育督导室"),
        title="2017年衡阳市教育督导工作要点",
        notice_title="衡阳市教育督导工作要点",
        doc_number="衡教督办〔2017〕1号",
    )
    TaskFactory(plan=other, title="开展责任督学挂牌督导", text="开展责任督学挂牌督导。")

    assert filtered({"q": query}) == [plan]


@pytest.mark.parametrize("query", ["郑州 2017", "郑州，2017", "2017、郑州", "  郑州   2017  "])
def test_every_word_of_a_search_must_match(query):
    wanted = WorkPlanFactory(title="2017年郑州市教育督导工作要点", plan_year=2017, doc_number="")
    WorkPlanFactory(title="2018年郑州市教育督导工作要点", plan_year=2018, doc_number="")
    WorkPlanFactory(title="2017年洛阳市教育督导工作要点", plan_year=2017, doc_number="")

    assert filtered({"q": query}) == [wanted]


def test_a_four_digit_word_matches_the_plan_year():
    wanted = WorkPlanFactory(title="郑州市教育督导工作要点", plan_year=2017, doc_number="")
    WorkPlanFactory(title="郑州市教育督导工作要点", plan_year=2018, doc_number="")

    assert filtered({"q": "郑州 2017"}) == [wanted]


@pytest.mark.parametrize(
    "typed",
    [
        "郑教督〔2017〕2号",
        "郑教督[2017]2号",
        "郑教督［2017］2号",
        "郑教督【2017】2号",
        "郑教督(2017)2号",
        "郑教督（2017）2号",
        "郑教督[2017〕2号",
    ],
)
def test_a_doc_number_typed_with_any_brackets_finds_it_written_with_hexagonal_ones(typed):
    wanted = WorkPlanFactory(doc_number="郑教督〔2017〕2号", title="郑州要点")
    WorkPlanFactory(doc_number="郑教督〔2017〕3号", title="郑州要点")

    assert filtered({"q": typed}) == [wanted]


def test_search_lists_a_plan_once_when_many_tasks_match():
    plan = WorkPlanFactory(title="工作要点")
    TaskFactory(plan=plan, number=1, title="督导评估一")
    TaskFactory(plan=plan, number=2, title="督导评估二")

    assert filtered({"q": "督导评估"}) == [plan]


def test_search_without_a_match_finds_nothing():
    WorkPlanFactory(title="2020年镇江市教育督导工作要点")

    assert filtered({"q": "不存在的词"}) == []


def test_blank_filters_keep_every_plan():
    plans = {WorkPlanFactory(), WorkPlanFactory(status=WorkPlan.Status.DRAFT)}

    blank = {"q": "  ", "office": " ", "plan_year": "", "status": "", "county": "  "}

    assert set(filtered(blank)) == plans


# --- Year and status -----------------------------------------------------------------------------


def test_the_year_filter_keeps_only_that_years_plans():
    plan_2017 = WorkPlanFactory(plan_year=2017)
    WorkPlanFactory(plan_year=2020)

    assert filtered({"plan_year": "2017"}) == [plan_2017]


def test_year_choices_are_the_years_present_newest_first():
    WorkPlanFactory(plan_year=2016)
    WorkPlanFactory(plan_year=2020)
    WorkPlanFactory(plan_year=2020)
    WorkPlanFactory(plan_year=2018)

    filterset = WorkPlanFilter(None, queryset=WorkPlan.objects.all())
    years = [value for value, _ in filterset.form.fields["plan_year"].choices if value != ""]

    assert years == ["2020", "2018", "2016"]


def test_year_choices_come_only_from_the_plans_given():
    office = OfficeFactory()
    WorkPlanFactory(office=office, plan_year=2019)
    WorkPlanFactory(plan_year=2021)

    filterset = WorkPlanFilter(None, queryset=WorkPlan.objects.filter(office=office))
    years = [value for value, _ in filterset.form.fields["plan_year"].choices if value != ""]

    assert years == ["2019"]


@pytest.mark.parametrize("year", ["1999", "twenty", "2021"])
def test_a_year_without_plans_is_an_invalid_choice(year):
    WorkPlanFactory(plan_year=2020)

    filterset = WorkPlanFilter({"plan_year": year}, queryset=WorkPlan.objects.all())

    assert not filterset.is_valid()
    assert [error.code for error in filterset.form.errors.as_data()["plan_year"]] == ["invalid_choice"]


def test_the_status_filter_keeps_only_plans_in_that_status():
    draft = WorkPlanFactory(status=WorkPlan.Status.DRAFT)
    in_review = WorkPlanFactory(status=WorkPlan.Status.IN_REVIEW)
    archived = WorkPlanFactory(status=WorkPlan.Status.ARCHIVED)
    WorkPlanFactory(status=WorkPlan.Status.PUBLISHED)

    assert filtered({"status": "draft"}) == [draft]
    assert filtered({"status": "in_review"}) == [in_review]
    assert filtered({"status": "archived"}) == [archived]


def test_an_unknown_status_is_an_invalid_choice():
    WorkPlanFactory()

    filterset = WorkPlanFilter({"status": "staff"}, queryset=WorkPlan.objects.all())

    assert not filterset.is_valid()
    assert "status" in filterset.errors


def test_filters_combine():
    county = CountyFactory()
    wanted = WorkPlanFactory(plan_year=2017, status=WorkPlan.Status.PUBLISHED, title="郑州要点")
    TaskFactory(plan=wanted, counties=[county])
    draft = WorkPlanFactory(office=wanted.office, plan_year=2017, status=WorkPlan.Status.DRAFT, title="郑州要点")
    TaskFactory(plan=draft, counties=[county])
    other_year = WorkPlanFactory(office=wanted.office, plan_year=2018, title="郑州要点")
    TaskFactory(plan=other_year, counties=[county])

    data = {
        "q": "郑州",
        "office": wanted.office.name,
        "plan_year": "2017",
        "status": "published",
        "county": county.name,
    }

    assert filtered(data) == [wanted]


# --- County list ---------------------------------------------------------------------------------


@pytest.fixture
def zhenjiang_counties() -> dict[str, County]:
    city = Region.objects.get(name="镇江市")
    zone = CountyFactory(name="测试新区", kind=County.Kind.FUNCTIONAL_ZONE, code="", city=city)
    zone.aliases.create(name="高新园")
    return {"zone": zone, "jingkou": reference_county("京口区", "镇江市")}


def county_search(q: str, city_name: str = "镇江市") -> list[County]:
    # Reference data holds namesakes all over the country: search one city's counties.
    counties = County.objects.filter(city__name=city_name)
    filterset = CountyFilter({"q": q}, queryset=counties)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def test_county_search_matches_part_of_a_name(zhenjiang_counties):
    assert county_search("测试新") == [zhenjiang_counties["zone"]]
    assert county_search("京口") == [zhenjiang_counties["jingkou"]]


def test_county_search_matches_an_alias(zhenjiang_counties):
    assert county_search("高新园") == [zhenjiang_counties["zone"]]


def test_county_search_matches_a_name_with_its_city_exactly():
    counties = County.objects.filter(name="鼓楼区")

    found = CountyFilter({"q": "鼓楼区（福州市）"}, queryset=counties).qs

    assert list(found) == [reference_county("鼓楼区", "福州市")]


def test_a_blank_county_search_keeps_every_county(zhenjiang_counties):
    counties = County.objects.filter(city__name="镇江市")

    assert list(CountyFilter({"q": " "}, queryset=counties).qs) == list(counties)
