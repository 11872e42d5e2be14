"""The county page: the county's work one year at a time, the years it has work in linked."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CountyFactory, county_user_create, staff_user_create, work_plan_build

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def county():
    return CountyFactory(name="测试京口区")


@pytest.fixture
def plans(county):
    """Two plans of this year and one of 2019 naming the county; one of 2018 naming another."""
    return {
        "this_year": work_plan_build(tasks=2, counties=[county], plan_year=THIS_YEAR, title="今年要点"),
        "this_year_too": work_plan_build(tasks=1, counties=[county], plan_year=THIS_YEAR, title="今年专项要点"),
        "2019": work_plan_build(tasks=1, counties=[county], plan_year=2019, title="2019年要点"),
        "elsewhere": work_plan_build(tasks=1, counties=[CountyFactory()], plan_year=2018, title="别县要点"),
    }


def _year_links(html: str) -> dict[str, str]:
    """The year navigation's links: text → href."""
    nav = re.search(r'<nav class="plan-tabs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return {text: href.replace("&amp;", "&") for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_the_page_shows_this_years_work_and_links_every_year_with_work(client, county, plans):
    client.force_login(staff_user_create())

    html = client.get(county.get_absolute_url()).content.decode()

    assert f"<h1>测试京口区 {THIS_YEAR} 年工作</h1>" in html
    assert ">今年要点</a>" in html and ">今年专项要点</a>" in html
    assert "2019年要点" not in html
    assert _year_links(html) == {
        f"{THIS_YEAR} 年（2 份）": f"{county.get_absolute_url()}?year={THIS_YEAR}",
        "2019 年（1 份）": f"{county.get_absolute_url()}?year=2019",
    }
    assert f'aria-current="page">{THIS_YEAR} 年（2 份）</a>' in html


def test_another_years_work_is_reached_through_its_link(client, county, plans):
    client.force_login(staff_user_create())
    link = _year_links(client.get(county.get_absolute_url()).content.decode())["2019 年（1 份）"]

    html = client.get(link).content.decode()

    assert "<h1>测试京口区 2019 年工作</h1>" in html
    assert f'<a href="{plans["2019"].get_absolute_url()}">2019年要点</a>' in html
    assert "今年要点" not in html
    assert 'aria-current="page">2019 年（1 份）</a>' in html


@pytest.mark.parametrize("year", ["abc", "1800", "2018", "99999999999999999999999", "", "٢٠١٩"])
def test_a_year_without_work_or_no_year_at_all_shows_this_years_work(client, county, plans, year):
    # 2018 has a plan, but it names another county.
    client.force_login(staff_user_create())

    response = client.get(county.get_absolute_url(), {"year": year})

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>测试京口区 {THIS_YEAR} 年工作</h1>" in html
    assert ">今年要点</a>" in html and "2019年要点" not in html


def test_without_work_this_year_the_page_shows_the_latest_year_with_work(client, county):
    work_plan_build(tasks=1, counties=[county], plan_year=2019, title="2019年要点")
    work_plan_build(tasks=1, counties=[county], plan_year=2017, title="2017年要点")
    client.force_login(staff_user_create())

    html = client.get(county.get_absolute_url()).content.decode()

    assert "<h1>测试京口区 2019 年工作</h1>" in html
    assert ">2019年要点</a>" in html and "2017年要点" not in html


def test_a_county_without_work_has_no_year_navigation(client, county):
    client.force_login(staff_user_create())

    html = client.get(county.get_absolute_url()).content.decode()

    assert "<h1>测试京口区</h1>" in html
    assert '<nav class="plan-tabs"' not in html
    assert "您有权查看的工作要点中均未涉及该县（市、区）。" in html


def test_the_county_user_sees_the_years_of_the_issued_plans_naming_it(client, county, plans):
    draft = work_plan_build(tasks=1, counties=[county], plan_year=2016, status="draft", title="草稿要点")
    client.force_login(county_user_create(county=county))

    html = client.get(county.get_absolute_url(), {"year": draft.plan_year}).content.decode()

    assert set(_year_links(html)) == {f"{THIS_YEAR} 年（2 份）", "2019 年（1 份）"}
    assert "草稿要点" not in html
    assert ">今年要点</a>" in html
    assert f'<a href="{reverse("tracking:county_contacts", args=[county.pk])}">' in html


# --- Query counts ------------------------------------------------------------------------------


def test_the_staff_page_takes_eight_queries(client, county, plans, django_assert_num_queries):
    client.force_login(staff_user_create())

    # session, user, memberships; county; the years with their plan counts; that year's tasks,
    # their calendar lines; that year's calendar lines.
    with django_assert_num_queries(8):
        response = client.get(county.get_absolute_url(), {"year": 2019})

    assert response.status_code == 200


def test_the_county_users_page_takes_eight_queries(client, county, plans, django_assert_num_queries):
    client.force_login(county_user_create(county=county))

    with django_assert_num_queries(8):
        response = client.get(county.get_absolute_url())

    assert response.status_code == 200


def test_a_county_without_work_takes_five_queries(client, county, django_assert_num_queries):
    client.force_login(staff_user_create())

    # No year to read the work of.
    with django_assert_num_queries(5):
        response = client.get(county.get_absolute_url())

    assert response.status_code == 200
