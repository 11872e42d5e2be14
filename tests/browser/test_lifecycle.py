"""An editor and a reviewer take a plan through its lifecycle in Debian chromium: submit,
return with a comment, submit again, publish, start a revision, edit it on the edit page,
publish it, see what changed."""

import pytest
from playwright.sync_api import expect

from organisation.models import Membership
from plans.models import WorkPlan
from tests.browser.helpers import sign_in
from tests.factories import CountyFactory, OfficeFactory, UserFactory, staff_user_create, work_plan_build

SCREENSHOTS = "/tmp/lifecycle-{}.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_plan_goes_from_draft_to_a_second_revision(live_server, page):
    office = OfficeFactory(name="镇江市人民政府教育督导室")
    staff_user_create(office=office, user=UserFactory(username="editor"))
    staff_user_create(office=office, role=Membership.Role.REVIEWER, user=UserFactory(username="head"))
    county = CountyFactory(name="京口区")
    plan = work_plan_build(
        tasks=2, counties=[county], office=office, status=WorkPlan.Status.DRAFT, title="2021年镇江市教育督导工作要点"
    )
    url = f"{live_server.url}{plan.get_absolute_url()}"

    sign_in(page, live_server, "editor")
    page.goto(url)
    expect(page.locator(".badge--draft")).to_have_text("草稿")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".message--success")).to_have_text("已提交审核。")
    expect(page.locator(".badge--in_review")).to_have_text("审核中")

    sign_in(page, live_server, "head")
    page.goto(url)
    page.get_by_label("需要修改的内容").fill("请补充第2项的时间安排。")
    page.get_by_role("button", name="附意见退回").click()
    expect(page.locator(".message--success")).to_have_text("已退回编辑修改。")

    sign_in(page, live_server, "editor")
    page.goto(url)
    expect(page.locator(".banner--returned")).to_contain_text("请补充第2项的时间安排。")
    page.screenshot(path=SCREENSHOTS.format("returned"), full_page=True)
    page.get_by_role("button", name="提交审核").click()

    sign_in(page, live_server, "head")
    page.goto(url)
    page.get_by_role("link", name="审核通过并发布…").click()
    expect(page.locator("body")).to_contain_text("发布后将下发")
    expect(page.locator("table")).to_contain_text("京口区")
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page.locator(".message--success")).to_have_text("已发布。")
    expect(page.locator(".badge--published")).to_have_text("已发布")

    sign_in(page, live_server, "editor")
    page.goto(url)
    page.get_by_role("button", name="开始修订").click()
    expect(page.locator(".banner--revision")).to_contain_text("这是第 2 版修订稿")
    draft = WorkPlan.objects.get(revision_of=plan)
    # The revision is edited on the edit page: a new title, its county taken off.
    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page.locator(".banner--revision")).to_contain_text("第 2 版修订稿")
    first = page.locator(".edit-task").first
    first.get_by_label("标题").fill("修订后的第一项任务")
    first.get_by_label("涉及县（市、区）").fill("")
    page.screenshot(path=SCREENSHOTS.format("edit-revision"), full_page=False)
    page.get_by_role("button", name="保存").first.click()
    expect(page.locator(".message--success")).to_have_text("已保存。")
    page.get_by_role("button", name="提交审核").click()

    sign_in(page, live_server, "head")
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_role("link", name="审核通过并发布…").click()
    page.get_by_label("修订说明").fill("调整第一项任务")
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page).to_have_url(url)
    expect(page.locator("#task-1 .task__title")).to_contain_text("修订后的第一项任务")

    page.get_by_role("link", name="版本", exact=True).click()
    expect(page.locator("table")).to_contain_text("调整第一项任务")
    page.get_by_role("button", name="显示差异").click()
    expect(page.locator(".diff-group").first).to_contain_text("修订后的第一项任务")
    expect(page.locator("body")).to_contain_text("移除县区：")
    page.screenshot(path=SCREENSHOTS.format("diff"), full_page=True)
    page.get_by_role("link", name="修改记录").click()
    expect(page.locator(".history")).to_contain_text("已发布")
    page.screenshot(path=SCREENSHOTS.format("history"), full_page=True)
