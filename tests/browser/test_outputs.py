"""Staff take a plan out in Debian chromium: the Excel workbook (read back with openpyxl), an
edited sheet imported into a draft, the printed notice, the calendars and the feed page."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from plans.models import ScheduleEntry, Task, WorkPlan
from tests.browser.helpers import sign_in
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    staff_user_create,
)

SCREENSHOTS = "/tmp/outputs-{}.png"


def plan_create(*, status=WorkPlan.Status.PUBLISHED) -> WorkPlan:
    office = OfficeFactory(name="镇江市人民政府教育督导室")
    staff_user_create(office=office, user=UserFactory(username="editor"))
    county = CountyFactory(name="京口区", city=office.region)
    plan = WorkPlanFactory(
        office=office,
        status=status,
        title="2020年镇江市教育督导工作要点",
        notice_title="镇江市人民政府教育督导室关于印发2020年镇江市教育督导工作要点的通知",
        doc_number="镇教督〔2020〕2号" if status != WorkPlan.Status.DRAFT else "",
        recipients=["各市、区教育局", "市属各学校（单位）"],
        cc=["省教育督导委员会办公室"],
        imprint="镇江市教育局办公室 2020年3月3日印发",
    )
    main = SectionFactory(plan=plan, position=1, label="一、", heading="主要工作")
    reform = TaskFactory(
        plan=plan,
        section=main,
        number=1,
        label="1.",
        title="深化教育督导体制机制改革",
        text="深化教育督导体制机制改革。对接国家、省教育督导改革工作部署。",
        lead_unit="督导科",
        counties=[county],
    )
    TaskFactory(
        plan=plan, section=main, number=2, label="2.", title="=SUM(A1:A9)", text="=SUM(A1:A9)。一项看似公式的任务。"
    )
    for number in range(3, 9):
        TaskFactory(
            plan=plan,
            section=main,
            number=number,
            label=f"{number}.",
            title=f"推进第{number}项工作",
            text=f"推进第{number}项工作。认真组织实施。" * 4,
        )
    ScheduleEntryFactory(
        plan=plan,
        task=None,
        position=1,
        period="全年",
        month_set=tuple(range(1, 13)),
        granularity=ScheduleEntry.Granularity.YEAR,
        text="开展经常性督导",
    )
    ScheduleEntryFactory(
        plan=plan,
        task=reform,
        position=2,
        period="3月中旬",
        month_set=(3,),
        granularity=ScheduleEntry.Granularity.TEN_DAY,
        deadline_day=20,
        text="报送年度督导计划",
        counties=[county],
    )
    ScheduleEntryFactory(
        plan=plan, task=None, position=3, period="8-9月", month_set=(8, 9), text="开展责任督学挂牌督导"
    )
    return plan


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    with open(info.value.path(), "rb") as fh:
        return fh.read()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_export_the_plan_to_excel_and_read_it_back(live_server, page):
    plan = plan_create()
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.locator(".plan-toc summary").click()
    page.screenshot(path=SCREENSHOTS.format("plan-page"), full_page=True)

    data = download(page, "导出 Excel")

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    tasks, schedule = workbook["工作任务"], workbook["分月安排"]
    assert [c.value for c in tasks[2]] == ["序号", "工作任务", "牵头单位", "责任县区", "时间"]
    assert [c.value for c in tasks[3]] == [1, "深化教育督导体制机制改革", "督导科", "京口区", "3月中旬"]
    assert tasks.freeze_panes == "A3" and schedule.freeze_panes == "A3"
    assert tasks["B4"].value == "=SUM(A1:A9)" and tasks["B4"].data_type == "s"
    assert [c.value for c in schedule[2]][:4] == ["序号", "月份", "时间", "工作内容"]
    assert [c.value for c in schedule[4]][2:4] == ["3月中旬", "报送年度督导计划"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_import_an_edited_sheet_into_a_draft(live_server, page, tmp_path):
    plan = plan_create(status=WorkPlan.Status.DRAFT)
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    workbook = openpyxl.load_workbook(io.BytesIO(download(page, "导出 Excel")))
    tasks, schedule = workbook["工作任务"], workbook["分月安排"]
    tasks["B3"] = "深化督导体制改革"
    assert schedule["D4"].value == "报送年度督导计划"
    schedule["C4"] = "4月底前"
    schedule.append([None, None, "下个季度", "一行读不懂的时间"])
    with_error = tmp_path / "计划-有错.xlsx"
    workbook.save(with_error)

    page.get_by_role("link", name="导入 Excel").click()
    page.get_by_label("修改后的工作簿（.xlsx）").set_input_files(str(with_error))
    page.get_by_role("button", name="预览").click()
    expect(page.locator(".import-errors")).to_contain_text("第6行：时间“下个季度”无法识别")
    expect(page.locator(".diff-group").first).to_contain_text("深化督导体制改革")
    expect(page.locator("main")).to_contain_text("4月底前")
    expect(page.get_by_role("button", name="导入这些修改")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS.format("import-errors"), full_page=True)
    assert Task.objects.get(plan=plan, number=1).title == "深化教育督导体制机制改革"

    schedule.delete_rows(6)
    corrected = tmp_path / "计划.xlsx"
    workbook.save(corrected)
    page.get_by_role("link", name="上传改正后的文件").click()
    page.get_by_label("修改后的工作簿（.xlsx）").set_input_files(str(corrected))
    page.get_by_role("button", name="预览").click()
    expect(page.locator(".import-errors")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS.format("import-preview"), full_page=True)
    page.get_by_role("button", name="导入这些修改").click()

    expect(page.locator(".message--success")).to_contain_text("表格已导入")
    expect(page.locator("#task-1 .task__title")).to_contain_text("深化督导体制改革")
    expect(page.locator("#task-1 .schedule-lines")).to_contain_text("4月底前")
    expect(page.locator("#calendar-month-4")).to_contain_text("报送年度督导计划")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_printed_notice_calendars_and_feed_page(live_server, page):
    plan = plan_create()
    sign_in(page, live_server, "editor")
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="打印").click()
    expect(page.locator(".red-head__office")).to_have_text("镇江市人民政府教育督导室")
    expect(page.get_by_role("button", name="打印")).to_be_visible()  # shown by static/js/print.js
    page.screenshot(path=SCREENSHOTS.format("print-screen"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS.format("print-media"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True)
    with open(SCREENSHOTS.format("print").replace(".png", ".pdf"), "wb") as fh:
        fh.write(pdf)
    # A4 pages (595 × 842 pt), the notice on the first and the plan after it.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) >= 2
    assert all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in boxes)
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("navigation", name="取用本计划").get_by_role("link", name="日历").click()
    expect(page.locator("#period-3")).to_contain_text("截止 3月20日")
    expect(page.locator("#standing")).to_contain_text("开展经常性督导")
    page.screenshot(path=SCREENSHOTS.format("plan-calendar"), full_page=True)
    page.get_by_role("link", name="镇江市人民政府教育督导室 2020 年全部计划").click()
    expect(page.locator("#period-9")).to_contain_text("开展责任督学挂牌督导")
    page.screenshot(path=SCREENSHOTS.format("office-calendar"), full_page=True)

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="订阅 iCal").click()
    page.get_by_role("button", name="生成订阅地址").click()
    feed = page.locator(".feed-list__url").first.input_value()
    assert feed.endswith(f"/plans/{plan.pk}.ics")
    page.screenshot(path=SCREENSHOTS.format("feeds"), full_page=True)
    response = page.request.get(feed)
    assert response.status == 200 and "BEGIN:VCALENDAR" in response.text()
    assert refused == []  # nothing on these pages breaks the Content-Security-Policy
