"""In Debian chromium: Back then 报送 after a report stores nothing twice (the browser fetches
the page again and restores the text and the file, not the form's key); staff work through
their to-do inbox with 审核下一份."""

import pytest
from playwright.sync_api import expect

from organisation.models import Membership
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
from tracking.models import Assignment, EvidenceFile, ProgressReport
from tracking.services.reports import report_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def published(counties, tasks=1):
    region = RegionFactory(name="示范市")
    office = OfficeFactory(name="示范市教育督导室", region=region)
    for county in counties:
        county.city = region
        county.save()
    editor = staff_user_create(office=office, user=UserFactory(username="editor"))
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER, user=UserFactory(username="head"))
    plan = work_plan_build(tasks=tasks, counties=counties, office=office, status=WorkPlan.Status.DRAFT)
    work_plan_submit(plan=plan, acting_user=editor)
    return work_plan_publish(plan=plan, acting_user=reviewer)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_back_and_send_again_after_a_report_stores_it_once(live_server, page, tmp_path):
    county = CountyFactory(name="示范一区")
    published([county])
    county_user_create(county=county, user=UserFactory(username="county"))
    assignment = Assignment.objects.get(county=county)
    evidence = tmp_path / "自查报告.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, live_server, "county")
    page.goto(f"{live_server.url}/assignments/{assignment.pk}/")
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill("已完成自查。")
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message--success")).to_have_text("报告已报送。")
    page.go_back()
    expect(page.get_by_label("完成情况")).to_have_value("已完成自查。")  # restored by the browser
    page.get_by_role("button", name="报送").click()

    expect(page.locator(".message--info")).to_contain_text("未重复保存")
    assert ProgressReport.objects.count() == 1 and EvidenceFile.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_works_through_the_inbox_with_review_next(live_server, page):
    first, second = CountyFactory(name="示范一区"), CountyFactory(name="示范二区")
    plan = published([first, second])
    for county, text in ((first, "一区已完成。"), (second, "二区已完成。")):
        report_submit(
            assignment=Assignment.objects.get(plan=plan, county=county),
            acting_user=county_user_create(county=county),
            progress="done",
            text=text,
        )

    sign_in(page, live_server, "head")
    page.get_by_role("link", name="待办").click()
    expect(page.locator(".nav-count")).to_have_text("2")
    expect(page.locator(".inbox-item")).to_have_count(2)
    page.get_by_role("link", name="审核下一份").click()
    expect(page.locator("body")).to_contain_text("一区已完成。")
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交并审核下一份").click()

    expect(page.locator("body")).to_contain_text("二区已完成。")
    expect(page.locator(".nav-count")).to_have_text("1")
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交并审核下一份").click()
    expect(page).to_have_url(f"{live_server.url}/inbox/")
    expect(page.locator(".message--info")).to_contain_text("没有其他待您审核的报告了")
    expect(page.locator(".nav-count")).to_have_count(0)
