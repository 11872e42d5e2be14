"""The county list: each city once, its counties and functional zones under it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import County, CountyAlias, Region
from plans.services import work_plan_import
from tests.conftest import SEEDS_DIR
from tests.factories import CountyFactory, OfficeFactory, county_user_create, staff_user_create, work_plan_build
from tracking.models import Assignment
from tracking.views.counties import COUNTIES_PER_PAGE

State = Assignment.State

pytestmark = pytest.mark.django_db


def _city_headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="city-\d+">([^<]+)', html)


def test_each_city_is_listed_once_with_its_functional_zones(client):
    # The 泉州 and 衡阳 notices name functional zones (泉州台商投资区, 衡阳高新区), which have
    # no division code: ordered by the county's code alone they came apart from their city.
    for prefix in ("001", "002"):
        path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    client.force_login(staff_user_create(office=OfficeFactory()))

    html = client.get(reverse("tracking:county_list")).content.decode()

    headings = _city_headings(html)
    assert len(headings) == len(set(headings)), headings
    assert {"泉州市", "衡阳市"} <= {name.strip() for name in headings}
    zone = County.objects.get(name="泉州台商投资区")
    assert zone.code == ""
    section = html.split(f'<h2 id="city-{zone.city_id}">')[1].split("</section>")[0]
    assert "泉州台商投资区" in section and "晋江市" in section


def test_the_user_own_city_comes_first_then_cities_by_code(client):
    henan = Region.objects.get(code="410100")
    office = OfficeFactory(region=henan)
    for prefix in ("000", "001", "002"):
        path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    client.force_login(staff_user_create(office=office))

    headings = [name.strip() for name in _city_headings(client.get(reverse("tracking:county_list")).content.decode())]

    codes = [Region.objects.get(name=name, level=Region.Level.CITY).code for name in headings[1:]]
    assert headings[0] == "郑州市" and codes == sorted(codes)


# --- One year at a time --------------------------------------------------------------------------

THIS_YEAR = timezone.localdate().year


def _assignment(plan, county, state, *, number=1):
    task = plan.tasks.get(number=number)
    done = timezone.now()
    return Assignment.objects.create(
        office=plan.office,
        year=plan.plan_year,
        plan=plan,
        task=task,
        county=county,
        label=task.title,
        state=state,
        due_date=datetime.date(plan.plan_year, 12, 31),
        due_date_rule=datetime.date(plan.plan_year, 12, 31),
        acknowledged_at=None if state in (State.ASSIGNED, State.WITHDRAWN) else done,
        closed_at=done if state in (State.ACCEPTED, State.WITHDRAWN) else None,
    )


@pytest.fixture
def county():
    return CountyFactory(name="测试京口区")


@pytest.fixture
def plans(county):
    """The county has work this year (two plans: 3 tasks; one assignment open, one accepted, one
    withdrawn) and in 2019 (one plan of 1 task: one open assignment). Another county has work
    in 2018 only."""
    this_year = work_plan_build(tasks=2, counties=[county], plan_year=THIS_YEAR, title="今年要点")
    this_year_too = work_plan_build(tasks=1, counties=[county], plan_year=THIS_YEAR, title="今年专项要点")
    of_2019 = work_plan_build(tasks=1, counties=[county], plan_year=2019, title="2019年要点")
    _assignment(this_year, county, State.ASSIGNED)
    _assignment(this_year_too, county, State.ACCEPTED)
    _assignment(this_year, county, State.WITHDRAWN, number=2)
    _assignment(this_year_too, CountyFactory(), State.ASSIGNED)  # another county's
    _assignment(of_2019, county, State.REPORTED)
    elsewhere = CountyFactory(name="测试别县")
    work_plan_build(tasks=1, counties=[elsewhere], plan_year=2018, title="别县要点")
    return {"this_year": this_year, "2019": of_2019, "elsewhere": elsewhere}


def _year_links(html: str) -> dict[str, str]:
    """The year navigation's links: text → href."""
    nav = re.search(r'<nav class="plan-tabs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return {text: href.replace("&amp;", "&") for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def _counts(html: str, county) -> list[str]:
    """The county's row: plans, tasks, calendar lines, assignments (open)."""
    row = re.search(rf'<a href="{county.get_absolute_url()}\?year=\d+">{county.name}</a>.*?</tr>', html, re.S)
    return re.findall(r'<td class="num">([^<]+)</td>', row.group(0))


def test_the_list_shows_this_years_counties_and_links_every_year_with_work(client, county, plans):
    client.force_login(staff_user_create())

    html = client.get(reverse("tracking:county_list")).content.decode()

    assert f"<h1>{THIS_YEAR} 年有工作任务的县（市、区）</h1>" in html
    assert f'<a href="{county.get_absolute_url()}?year={THIS_YEAR}">测试京口区</a>' in html
    assert "测试别县" not in html
    assert _year_links(html) == {
        f"{THIS_YEAR} 年（2 份）": f"?year={THIS_YEAR}",
        "2019 年（1 份）": "?year=2019",
        "2018 年（1 份）": "?year=2018",
    }
    assert f'aria-current="page">{THIS_YEAR} 年（2 份）</a>' in html


def test_the_counts_are_of_the_year_shown(client, county, plans):
    client.force_login(staff_user_create())
    url = reverse("tracking:county_list")

    this_year = client.get(url).content.decode()
    of_2019 = client.get(url, {"year": 2019}).content.decode()

    # Plans, tasks, calendar lines; assignments not withdrawn (those open).
    assert _counts(this_year, county) == ["2", "3", "3", "2 (1)"]
    assert _counts(of_2019, county) == ["1", "1", "1", "1 (1)"]


def test_another_year_is_reached_through_its_link(client, county, plans):
    client.force_login(staff_user_create())
    url = reverse("tracking:county_list")
    link = _year_links(client.get(url).content.decode())["2018 年（1 份）"]

    html = client.get(url + link).content.decode()

    assert "<h1>2018 年有工作任务的县（市、区）</h1>" in html
    assert f'<a href="{plans["elsewhere"].get_absolute_url()}?year=2018">测试别县</a>' in html
    assert "测试京口区" not in html


@pytest.mark.parametrize("asked", ["abc", "1900", "２０１９", "-1", ""])
def test_a_year_without_work_or_no_year_at_all_shows_the_default(client, county, plans, asked):
    client.force_login(staff_user_create())

    html = client.get(reverse("tracking:county_list"), {"year": asked}).content.decode()

    assert f"<h1>{THIS_YEAR} 年有工作任务的县（市、区）</h1>" in html


def test_without_work_this_year_the_latest_year_with_a_county_is_shown(client, county):
    work_plan_build(tasks=1, counties=[county], plan_year=2019)
    work_plan_build(tasks=1, counties=[county], plan_year=2017)
    # A plan of this year (and one of a later year) naming no county yet.
    work_plan_build(tasks=1, counties=[], plan_year=THIS_YEAR)
    work_plan_build(tasks=1, counties=[], plan_year=THIS_YEAR + 1)
    client.force_login(staff_user_create())

    html = client.get(reverse("tracking:county_list")).content.decode()

    assert "<h1>2019 年有工作任务的县（市、区）</h1>" in html
    assert ">测试京口区</a>" in html


def test_a_year_of_many_plans_is_counted_as_of_few(client, county, plans):
    """Eleven plans or more go into the counts' SQL as an array literal (supervision.lookups),
    which the prepared first page writes into its kept statement at each request."""
    client.force_login(staff_user_create())
    url = reverse("tracking:county_list")
    for n in range(12):
        plan = work_plan_build(tasks=1, counties=[county], plan_year=2019, title=f"2019年专项{n}")
        if n < 3:
            _assignment(plan, county, State.ASSIGNED)

    first = client.get(url, {"year": 2019}).content.decode()
    again = client.get(url, {"year": 2019}).content.decode()

    assert _counts(first, county) == _counts(again, county) == ["13", "13", "13", "4 (4)"]
    assert "2019 年（13 份）" in _year_links(first)


def test_the_search_and_the_pages_keep_the_year(client):
    named = [CountyFactory(name=f"测试{n:02}区") for n in range(COUNTIES_PER_PAGE + 2)]
    work_plan_build(tasks=1, counties=named, plan_year=2019)
    work_plan_build(tasks=1, counties=named[:1], plan_year=THIS_YEAR)
    client.force_login(staff_user_create())
    url = reverse("tracking:county_list")

    found = client.get(url, {"year": 2019, "q": "测试"}).content.decode()

    assert "<h1>2019 年有工作任务的县（市、区）</h1>" in found
    assert '<input type="hidden" name="year" value="2019">' in found
    assert f'<a class="button" href="{url}?year=2019">' in found  # 清除 keeps the year
    next_page = re.search(r'<a href="([^"]+)" rel="next">', found).group(1).replace("&amp;", "&")
    assert "year=2019" in next_page and "q=" in next_page
    second = client.get(url + next_page).content.decode()
    assert "<h1>2019 年有工作任务的县（市、区）</h1>" in second
    assert ">测试51区</a>" in second and ">测试00区</a>" not in second
    # Another year's link keeps the search, and starts at its first page.
    links = _year_links(second)
    assert set(links) == {f"{THIS_YEAR} 年（1 份）", "2019 年（1 份）"}
    assert "q=" in links[f"{THIS_YEAR} 年（1 份）"] and "page=" not in links[f"{THIS_YEAR} 年（1 份）"]


def test_a_county_user_sees_their_county_in_the_years_it_has_work(client, county, plans):
    client.force_login(county_user_create(county=county))

    html = client.get(reverse("tracking:county_list")).content.decode()

    assert f"<h1>{THIS_YEAR} 年有工作任务的县（市、区）</h1>" in html
    # 2018 named only another county.
    assert set(_year_links(html)) == {f"{THIS_YEAR} 年（2 份）", "2019 年（1 份）"}
    assert _counts(html, county) == ["2", "3", "3", "2 (1)"]


# --- Query counts ------------------------------------------------------------------------------


def test_the_staff_list_takes_six_queries(client, county, plans, django_assert_num_queries):
    client.force_login(staff_user_create())

    # session, user, memberships (with their offices' cities, which the list orders by); the
    # years with their plan counts; this year's plans naming a county (a query more for each
    # year before it without any); the page's counties with their counts and their number.
    with django_assert_num_queries(6):
        response = client.get(reverse("tracking:county_list"))

    assert response.status_code == 200


def test_a_year_asked_for_takes_as_many_queries(client, county, plans, django_assert_num_queries):
    client.force_login(staff_user_create())

    # Its plans naming a county, as this year's are read when none is asked for.
    with django_assert_num_queries(6):
        response = client.get(reverse("tracking:county_list"), {"year": 2019})

    assert response.status_code == 200


def test_a_search_takes_one_query_more_and_finds_the_county_by_name_or_alias(
    client, county, plans, django_assert_num_queries
):
    client.force_login(staff_user_create())
    CountyAlias.objects.create(county=county, name="老城关")

    # The counties the name means, read first; then the page of those as without a search.
    with django_assert_num_queries(7):
        by_name = client.get(reverse("tracking:county_list"), {"q": county.name[:2]}).content.decode()
    by_alias = client.get(reverse("tracking:county_list"), {"q": "城关"}).content.decode()
    nothing = client.get(reverse("tracking:county_list"), {"q": "没有这个县"}).content.decode()

    assert (
        _counts(by_name, county)
        == _counts(by_alias, county)
        == _counts(client.get(reverse("tracking:county_list")).content.decode(), county)
    )
    assert county.name not in nothing


def test_the_county_users_list_takes_six_queries(client, county, plans, django_assert_num_queries):
    client.force_login(county_user_create(county=county))

    # As staff: its years are those of the plans naming its county.
    with django_assert_num_queries(6):
        response = client.get(reverse("tracking:county_list"))

    assert response.status_code == 200


def test_a_county_name_is_escaped_in_its_row(client, county, plans):
    county.name = "测试<b>区"
    county.save(update_fields=["name"])
    client.force_login(staff_user_create())

    html = client.get(reverse("tracking:county_list")).content.decode()

    assert f'<a href="{county.get_absolute_url()}?year={THIS_YEAR}">测试&lt;b&gt;区</a>' in html
