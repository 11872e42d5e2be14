"""Staff draft plans in Debian chromium: copy last year's plan, add, remove and reorder tasks
(renumbered on the page and when saved), a failed save that keeps what was typed, and two
people saving the same draft."""

import pytest
from playwright.sync_api import expect

from organisation.models import County, Region
from plans.models import Task, WorkPlan
from tests.browser.helpers import sign_in
from tests.factories import OfficeFactory, UserFactory, staff_user_create, work_plan_build

SCREENSHOTS = "/tmp/editing-{}.png"
Status = WorkPlan.Status


@pytest.fixture
def zhengzhou():
    office = OfficeFactory(name="郑州市人民政府教育督导委员会办公室", region=Region.objects.get(code="410100"))
    staff_user_create(office=office, user=UserFactory(username="editor"))
    return office


def draft_of(office, tasks=4):
    counties = list(County.objects.filter(name__in=["金水区"]))
    plan = work_plan_build(
        tasks=tasks,
        counties=counties,
        office=office,
        status=Status.DRAFT,
        title="2025年郑州市教育督导工作要点",
        doc_number="",
    )
    for task in plan.tasks.all():
        task.title = f"第{task.number}项原有任务"
        task.save()
    return plan


def task(page, number):
    return page.locator(".edit-task").nth(number - 1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_copying_last_years_plan_opens_next_years_draft(live_server, page, zhengzhou):
    work_plan_build(
        tasks=3, office=zhengzhou, plan_year=2024, title="2024年郑州市教育督导工作要点", doc_number="郑教督〔2024〕1号"
    )
    sign_in(page, live_server, "editor")

    page.get_by_role("link", name="复制上一年计划").click()
    expect(page.get_by_label("要复制的计划")).to_contain_text("2024年郑州市教育督导工作要点")
    page.screenshot(path=SCREENSHOTS.format("start"), full_page=True)
    page.get_by_role("button", name="复制为新草稿").click()

    expect(page.locator(".message--success")).to_contain_text("复制为2025年度的草稿")
    expect(page.get_by_role("textbox", name="标题", exact=True).first).to_have_value("2025年郑州市教育督导工作要点")
    expect(page.get_by_role("textbox", name="文号")).to_have_value("")
    expect(page.locator(".edit-task")).to_have_count(3)
    copy = WorkPlan.objects.get(office=zhengzhou, plan_year=2025)
    assert (copy.status, copy.doc_number, copy.tasks.count()) == (Status.DRAFT, "", 3)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_adding_removing_and_moving_tasks_renumbers_them(live_server, page, zhengzhou):
    plan = draft_of(zhengzhou)
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="编辑", exact=True).click()

    task(page, 1).get_by_role("button", name="在后面插入任务").click()
    expect(task(page, 2).locator("[data-number]")).to_have_text("任务 2")
    task(page, 2).get_by_label("标题").fill("新插入的任务")
    task(page, 2).get_by_label("涉及县（市、区）").fill("管城")
    expect(page.locator(".suggest-list li").first).to_have_text("管城回族区")
    page.locator(".suggest-list li").first.click()
    task(page, 2).get_by_role("button", name="添加月历事项").click()
    task(page, 2).get_by_label("时间").fill("3月上旬")
    expect(task(page, 2).locator(".period-reading")).to_have_text("读作：3月 · 截止 3月10日")
    task(page, 2).get_by_label("工作内容").fill("部署新任务")
    task(page, 4).get_by_role("button", name="删除").first.click()  # 第3项原有任务
    task(page, 4).get_by_role("button", name="上移").first.click()  # 第4项 before 第2项
    numbers = page.locator(".edit-task [data-number]")
    expect(numbers).to_have_text(["任务 1", "任务 2", "任务 3", "任务 4"])
    page.screenshot(path=SCREENSHOTS.format("edit"), full_page=True)
    page.get_by_role("button", name="保存").first.click()

    expect(page.locator(".message--success")).to_have_text("已保存。")
    expect(page.locator("#task-2 .task__title")).to_have_text("新插入的任务")
    expect(page.locator("#task-3 .task__title")).to_have_text("第4项原有任务")
    expect(page.locator("#task-4 .task__title")).to_have_text("第2项原有任务")
    expect(page.locator("#task-2")).to_contain_text("管城回族区")
    rows = list(Task.objects.filter(plan=plan).order_by("number").values_list("number", "title"))
    assert rows == [(1, "第1项原有任务"), (2, "新插入的任务"), (3, "第4项原有任务"), (4, "第2项原有任务")]
    page.screenshot(path=SCREENSHOTS.format("saved"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_failed_save_shows_the_error_by_its_field_and_keeps_what_was_typed(live_server, page, zhengzhou):
    plan = draft_of(zhengzhou, tasks=2)
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")

    task(page, 1).get_by_label("标题").fill("改过的标题")
    period = task(page, 2).get_by_label("时间")
    period.fill("明年某个时候")
    expect(task(page, 2).locator(".period-reading")).to_contain_text("无法识别时间")
    page.get_by_role("button", name="保存").first.click()

    expect(page.locator("[role=alert]").first).to_contain_text("未保存")
    period = task(page, 2).get_by_label("时间")
    expect(period).to_have_value("明年某个时候")
    expect(period).to_have_attribute("aria-invalid", "true")
    error_id = period.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_contain_text("无法识别时间“明年某个时候”")
    expect(task(page, 1).get_by_label("标题")).to_have_value("改过的标题")
    page.screenshot(path=SCREENSHOTS.format("error"), full_page=True)
    plan.refresh_from_db()
    assert plan.version == 1 and plan.tasks.get(number=1).title == "第1项原有任务"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_conflicting_saves_is_refused_with_a_link_to_the_newer(live_server, page, browser, zhengzhou):
    plan = draft_of(zhengzhou, tasks=2)
    staff_user_create(office=zhengzhou, user=UserFactory(username="colleague"))
    edit_url = f"{live_server.url}/plans/{plan.pk}/edit/"
    sign_in(page, live_server, "editor")
    page.goto(edit_url)
    other = browser.new_context(locale="zh-CN").new_page()
    sign_in(other, live_server, "colleague")
    other.goto(edit_url)

    other.get_by_role("textbox", name="标题", exact=True).first.fill("同事先保存的标题")
    other.get_by_role("button", name="保存").first.click()
    expect(other.locator(".message--success")).to_have_text("已保存。")
    page.get_by_role("textbox", name="标题", exact=True).first.fill("我后保存的标题")
    page.get_by_role("button", name="保存").first.click()

    conflict = page.locator(".banner--conflict")
    expect(conflict).to_contain_text("未保存：您打开此计划后，colleague 已于")
    expect(page.get_by_role("textbox", name="标题", exact=True).first).to_have_value("我后保存的标题")
    page.screenshot(path=SCREENSHOTS.format("conflict"), full_page=False)
    with page.context.expect_page() as newer:
        conflict.get_by_role("link", name="查看最新版本（在新标签页打开）").click()
    expect(newer.value.locator(".plan-title")).to_contain_text("同事先保存的标题")
    plan.refresh_from_db()
    assert plan.title == "同事先保存的标题"
    other.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_failed_save_focuses_the_error_summary_and_no_focused_field_hides_under_the_save_bar(
    live_server, page, zhengzhou
):
    plan = draft_of(zhengzhou, tasks=12)
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    page.locator(".edit-entry input[name$='-period']").first.fill("明年某时")
    page.get_by_label("涉及县（市、区）").nth(2).fill("火星区")

    page.locator(".editor-actions--bottom").get_by_role("button", name="保存", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("2 处需要修改")
    expect(summary).to_be_focused()
    page.screenshot(path=SCREENSHOTS.format("error-summary"))
    summary.get_by_role("link").nth(1).click()
    expect(page.get_by_label("涉及县（市、区）").nth(2)).to_be_in_viewport()

    # Tab through the whole page: every focused control stands clear of the sticky bar.
    summary.focus()
    covered, stops = [], 0
    for _step in range(400):
        page.keyboard.press("Tab")
        box = page.evaluate(
            """() => {
              const el = document.activeElement, bar = document.querySelector('.editor-actions--bottom');
              if (!el || el === document.body) return null;
              const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
              return {inBar: bar.contains(el), top: r.top, bottom: r.bottom, height: r.height,
                      barTop: b.top, viewport: window.innerHeight, name: el.name || el.id || el.tagName,
                      inForm: !!el.closest('form.plan-editor')};
            }"""
        )
        if box is None or not box["inForm"]:
            if stops:
                break  # past the form
            continue
        if box["inBar"] or box["height"] == 0:
            continue
        stops += 1
        if box["bottom"] > box["barTop"] + 0.5 or box["top"] < 0:
            covered.append(box)
    assert stops > 100, stops
    assert covered == [], covered[:3]
