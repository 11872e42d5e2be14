"""A staff member signs in and reads a plan, in Debian chromium."""

import datetime

import pytest
from playwright.sync_api import expect

from plans.models import ScheduleEntry
from tests.factories import (
    PASSWORD,
    CountyFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    WorkPlanFactory,
    staff_user_create,
)

SCREENSHOT = "/tmp/read_plan.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_member_logs_in_and_reads_a_plan(live_server, page):
    staff_user_create(user__username="reader", user__is_staff=True)
    plan = WorkPlanFactory(
        title="2020年镇江市教育督导工作要点",
        notice_title="镇江市人民政府教育督导室关于印发2020年镇江市教育督导工作要点的通知",
        doc_number="镇教督〔2020〕2号",
        office__name="镇江市人民政府教育督导室",
        issue_date=datetime.date(2020, 3, 3),
    )
    section = SectionFactory(plan=plan, position=1, label="一、", heading="主要工作")
    task = TaskFactory(
        plan=plan,
        section=section,
        number=1,
        title="深化教育督导体制机制改革",
        text="深化教育督导体制机制改革。对接国家、省教育督导改革工作部署。",
        counties=[CountyFactory(name="京口区")],
    )
    ScheduleEntryFactory(
        plan=plan,
        task=task,
        position=1,
        period="一季度",
        month_set=(1, 2, 3),
        granularity=ScheduleEntry.Granularity.QUARTER,
        text="印发《2020年镇江市教育督导工作要点》",
    )

    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stacked-form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/plans/")
    page.get_by_role("link", name="2020年镇江市教育督导工作要点").click()

    expect(page).to_have_url(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.locator(".notice-doc-number")).to_have_text("镇教督〔2020〕2号")
    expect(page.locator("h2.plan-title")).to_have_text("2020年镇江市教育督导工作要点")
    expect(page.locator("#task-1 .task__title")).to_contain_text("深化教育督导体制机制改革")
    expect(page.locator("#task-1 .chip")).to_have_text("京口区")
    first_quarter = page.locator("#calendar-quarter-1")
    expect(first_quarter).to_contain_text("一季度")
    expect(first_quarter).to_contain_text("印发《2020年镇江市教育督导工作要点》")
    page.screenshot(path=SCREENSHOT, full_page=True)
