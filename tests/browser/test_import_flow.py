"""An editor pastes a notice, settles a place the division table lacks, confirms, and reads the
plan, in Debian chromium."""

import pytest
from playwright.sync_api import expect

from organisation.models import County, Office
from plans.models import WorkPlan
from tests.factories import PASSWORD, UserFactory, staff_user_create

NOTICE = (
    "洛阳市教育局督导室\n洛阳市2018年教育督导工作要点\n一、督政\n"
    "1.开展专项督导。指导涧西区、洛阳伊滨新区、洛阳高新区做好迎检工作。\n"
    "2.完善督导机制。认真落实。\n"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_imports_a_notice_and_confirms_a_new_zone(live_server, page):
    office = Office.objects.create(
        name="洛阳市教育局督导室", level=Office.Level.CITY, region=County.objects.get(name="涧西区").city
    )
    staff_user_create(office=office, user=UserFactory(username="editor"))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stacked-form button[type=submit]").click()
    page.get_by_role("link", name="导入").click()
    expect(page.locator("body")).to_contain_text("不超过")
    page.get_by_label("或粘贴文本").fill(NOTICE)
    page.get_by_role("button", name="预览").click()

    expect(page.locator(".import-check")).to_contain_text("一份新的草稿计划")
    expect(page.locator(".places")).to_contain_text("洛阳伊滨新区")
    page.locator(".places select").first.select_option(label="作为洛阳市的功能区加入功能区表")
    page.screenshot(path="/tmp/import-preview.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()

    plan = WorkPlan.objects.get()
    expect(page).to_have_url(f"{live_server.url}{plan.get_absolute_url()}")
    task = page.locator("#task-1")
    expect(task.locator("a.chip", has_text="洛阳伊滨新区")).to_be_visible()
    expect(task.locator(".chip--unconfirmed")).to_have_text("洛阳高新区？")
    page.get_by_role("link", name="导入", exact=True).last.click()
    expect(page.locator(".import-warnings")).to_contain_text("洛阳高新区")
