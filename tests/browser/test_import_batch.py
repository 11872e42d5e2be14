"""A reviewer brings three notices of the office's archive at once, and reads what became of
each: one imported as issued, one already there, one refused with the reason."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from organisation.models import County, Membership, Office
from plans.models import WorkPlan
from tests.browser.helpers import sign_in
from tests.factories import UserFactory, staff_user_create

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_imports_three_files_and_reads_the_outcome_of_each(live_server, page):
    office = Office.objects.create(
        name="镇江市人民政府教育督导室", level=Office.Level.CITY, region=County.objects.get(name="京口区").city
    )
    staff_user_create(office=office, role=Membership.Role.REVIEWER, user=UserFactory(username="reviewer"))
    notice = next(SEEDS.glob("004_*.txt")).read_bytes()

    sign_in(page, live_server, "reviewer")
    page.get_by_role("link", name="导入", exact=True).click()
    page.get_by_role("link", name="批量导入").click()
    page.get_by_label("通知文件").set_input_files(
        [
            {"name": "镇教督〔2020〕2号.txt", "mimeType": "text/plain", "buffer": notice},
            {"name": "副本.txt", "mimeType": "text/plain", "buffer": notice},
            {"name": "空白.txt", "mimeType": "text/plain", "buffer": b""},
        ]
    )
    page.get_by_label("作为已印发的通知导入（直接发布）").check()
    page.get_by_role("button", name="开始导入").click()

    # The job runs in the process here (no task server): its page shows it done.
    expect(page.locator("#batch-counts")).to_have_text("导入 1 份，已导入过 1 份，未导入 1 份", timeout=30_000)
    rows = page.locator("tr.batch-file")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("已导入")
    expect(rows.nth(1)).to_contain_text("之前导入的计划")
    expect(rows.nth(2)).to_contain_text("文件为空。")
    page.screenshot(path="/tmp/import-batch.png", full_page=True)

    rows.nth(0).get_by_role("link", name="镇教督〔2020〕2号").click()
    plan = WorkPlan.objects.get()
    expect(page).to_have_url(f"{live_server.url}{plan.get_absolute_url()}")
    assert plan.status == WorkPlan.Status.PUBLISHED

    page.get_by_role("link", name="我的任务").first.click()
    expect(page.locator("table")).to_contain_text("批量导入 3 份通知")
