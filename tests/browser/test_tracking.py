"""A county reports on its work and staff review it, in Debian chromium: the county signs in,
sees only its assignments, acknowledges, reports with a file; staff return it; the county
reports again; staff accept, and the dashboard shows it."""

import pytest
from playwright.sync_api import expect

from organisation.models import Membership, Office, Region
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.browser.helpers import sign_in
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    UserFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_county_reports_and_staff_return_then_accept(live_server, page, tmp_path):
    region = RegionFactory(name="示范市")
    office = OfficeFactory(name="示范市教育督导室", region=region)
    mine, theirs = CountyFactory(name="示范一区", city=region), CountyFactory(name="示范二区", city=region)
    editor = staff_user_create(office=office, user=UserFactory(username="editor"))
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER, user=UserFactory(username="head"))
    county_user_create(county=mine, user=UserFactory(username="county"))
    plan = work_plan_build(
        tasks=1, counties=[mine, theirs], office=office, status=WorkPlan.Status.DRAFT, title="示范市督导工作要点"
    )
    work_plan_submit(plan=plan, acting_user=editor)
    work_plan_publish(plan=plan, acting_user=reviewer)
    assignment = Assignment.objects.get(county=mine)
    evidence = tmp_path / "自查报告.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, live_server, "county")
    expect(page).to_have_url(f"{live_server.url}/my/")
    expect(page.locator(".assignment")).to_have_count(1)
    page.get_by_role("button", name="签收", exact=True).click()
    expect(page.locator(".message--success")).to_contain_text("已签收 1 项")
    page.locator(".assignment__label").click()
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill("已完成自查。")
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message--success")).to_have_text("报告已报送。")
    expect(page.locator(".evidence")).to_contain_text("自查报告.pdf")

    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/assignments/{assignment.pk}/")
    page.get_by_label("附意见退回").check()
    page.get_by_label("意见（退回时必填）").fill("请补充整改清单。")
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.locator(".report__review")).to_contain_text("请补充整改清单。")

    sign_in(page, live_server, "county")
    page.goto(f"{live_server.url}/assignments/{assignment.pk}/")
    expect(page.locator("body")).to_contain_text("已退回，需重新报送")
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill("已补充整改清单。")
    page.get_by_role("button", name="报送").click()

    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/assignments/{assignment.pk}/")
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.locator("body")).to_contain_text("已通过")
    page.goto(f"{live_server.url}/plans/{plan.pk}/dashboard/")
    expect(page.locator(".page-head__meta")).to_contain_text("共 2 项责任分工，已完成 1 项")
    expect(page.locator(".matrix")).to_contain_text("示范一区")
    page.screenshot(path="/tmp/tracking-dashboard.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_provincial_office_follows_its_cities_year_by_year(live_server, page):
    province = RegionFactory(name="示范省", level=Region.Level.PROVINCE)
    provincial = OfficeFactory(name="示范省教育督导室", level=Office.Level.PROVINCE, region=province)
    staff_user_create(office=provincial, role=Membership.Role.VIEWER, user=UserFactory(username="province"))
    for city, years in (("甲市", (2023, 2024)), ("乙市", (2023,))):
        region = RegionFactory(name=city, parent=province)
        office = OfficeFactory(name=f"{city}教育督导室", region=region)
        county = CountyFactory(name=f"{city}一区", city=region)
        editor, reviewer = (
            staff_user_create(office=office),
            staff_user_create(office=office, role=Membership.Role.REVIEWER),
        )
        for year in years:
            plan = work_plan_build(
                tasks=2,
                counties=[county],
                office=office,
                status=WorkPlan.Status.DRAFT,
                plan_year=year,
                title=f"{city}{year}年督导工作要点",
                doc_number=f"{city}〔{year}〕1号",
            )
            work_plan_submit(plan=plan, acting_user=editor)
            work_plan_publish(plan=plan, acting_user=reviewer)

    sign_in(page, live_server, "province")
    page.get_by_role("link", name="进展").click()

    expect(page.locator("h1")).to_have_text("示范省：2024年工作进展")
    rows = page.locator(".province-table tbody tr")
    expect(rows).to_have_count(3)
    jia = rows.filter(has_text="甲市教育督导室").locator("td")
    expect(jia.nth(0)).to_have_text("1")  # plans issued
    expect(jia.nth(2)).to_have_text("2")  # assignments sent: two tasks to one county
    expect(rows.filter(has_text="乙市教育督导室")).to_contain_text("未发布")
    expect(page.locator(".message--warning")).to_contain_text("2个单位尚未发布2024年的计划")

    page.get_by_label("年度").select_option("2023")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("h1")).to_have_text("示范省：2023年工作进展")
    expect(page.locator(".province-table tbody tr").filter(has_text="乙市教育督导室")).not_to_contain_text("未发布")
