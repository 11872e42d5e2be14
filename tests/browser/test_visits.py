"""A 督学 on a phone (375 px wide): signs in, sees their schools, records a visit, and the zone's
month shows the school visited, in Debian chromium."""

import pytest
from playwright.sync_api import expect

from inspections.models import Inspector, School
from inspections.services.register import zone_create, zone_schools_set
from inspections.visits import visit_rhythm_set
from organisation.models import County, Office
from supervision.localtime import site_today
from tests.browser.helpers import sign_in
from tests.factories import UserFactory, county_user_create

PHONE = {"width": 375, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_督学_records_a_visit_on_a_phone_and_the_zone_shows_it(live_server, page):
    county = County.objects.get(name="金水区", city__code="410100")
    office_user = county_user_create(county=county, user=UserFactory(username="jinshui"))
    inspector = Inspector.objects.create(
        county=county, name="王督学", kind=Inspector.Kind.FULL_TIME, user=UserFactory(username="wang")
    )
    schools = [
        School.objects.create(county=county, name=name, kind=School.Kind.PRIMARY)
        for name in ("金水区第一小学", "金水区第二小学")
    ]
    zone = zone_create(county=county, name="第一责任区", inspector=inspector, acting_user=office_user)
    zone_schools_set(zone=zone, schools=schools, acting_user=office_user)
    assert Office.objects.filter(county=county).exists()
    today = site_today()
    visit_rhythm_set(county=county, year=today.year, period="每月", months=range(1, 13), acting_user=office_user)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "wang")
    expect(page.locator("h1")).to_have_text("我的学校")
    card = page.locator(".visit-school", has_text="金水区第一小学")
    expect(card).to_contain_text("尚未走访")
    expect(page.locator(".visit-school", has_text="金水区第二小学")).to_be_visible()
    # One column: no card wider than the screen, and nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    card.get_by_role("link", name="记录走访").click()
    expect(page.locator("h1")).to_have_text("记录走访")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("校园及周边安全、学生交通安全").check()
    page.get_by_label("食堂、食品、饮水及宿舍卫生").check()
    page.get_by_label("督导记录").fill("查看校门口交通秩序和食堂留样记录。")
    page.get_by_label("督导意见").fill("留样记录请一周内补齐。")
    page.get_by_role("button", name="保存走访记录").click()

    expect(page.locator(".sheet")).to_contain_text("查看校门口交通秩序和食堂留样记录。")
    expect(page.locator(".sheet")).to_contain_text("☑ 校园及周边安全、学生交通安全")
    page.get_by_role("link", name="返回").click()
    expect(page.locator(".visit-school", has_text="金水区第一小学")).to_contain_text("已走访")

    sign_in(page, live_server, "jinshui")
    page.goto(f"{live_server.url}/register/zones/{zone.pk}/visits/")
    row = page.locator("tr", has_text="金水区第一小学")
    expect(row).to_contain_text("已走访")
    expect(row).to_contain_text("王督学")
    expect(page.locator("tr", has_text="金水区第二小学")).to_contain_text("尚未走访")
    expect(page.locator(".stat--done .stat__n")).to_have_text("1")
