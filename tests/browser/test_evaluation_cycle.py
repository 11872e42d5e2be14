"""Issue 19's whole round in Debian chromium, every step through the pages: an indicator sheet
imported from Excel → a round for two counties with its calendar → each county's 自评 item by
item with evidence → the office's 初评 with reasons and one item's 复核 → publication → the
ranking page and its Excel, totals equal → a county's objection (申诉) answered, the answer read
by the county → a 通报 drafted from the data, a paragraph edited, issued with a 文号, its .docx
opened and its figures equal to the ranking page's."""

import io
from decimal import Decimal

import docx
import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from bulletins.models import Bulletin
from organisation.models import County, Membership, Region
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OfficeFactory, UserFactory, county_user_create
from tests.inspections.rectification_builders import PDF
from tests.inspections.work_builders import series_make

SHEET = "2026年县级政府履行教育职责评价指标"
ROUND = "2026年县级政府履行教育职责评价"
# 一级 | 二级 | 三级 | 分值 | 评分方式 | 评分标准 | 佐证材料 | 一票否决 | 数据来源
ROWS = [
    [
        "一、组织领导",
        "1. 工作机构",
        "成立教育督导委员会，职责明确",
        "40分",
        "按标准赋分",
        "未成立的不得分",
        "成立文件",
        "否",
        "",
    ],
    ["", "", "督导经费纳入财政预算", 20, "是否", "纳入预算得满分", "预算文件", "否", ""],
    ["二、教育质量", "2. 学业质量", "学业质量监测达标", 40, "等级：A=1, B=0.8, C=0.6", "", "监测报告", "否", ""],
]
BODY, BUDGET, QUALITY = (row[2] for row in ROWS)


def _setting():
    """What no user does: the office and its people, the counties' users, its 文号 prefix."""
    zhengzhou = Region.objects.get(code="410100")
    office = OfficeFactory(name="郑州市人民政府教育督导室", region=zhengzhou)
    MembershipFactory(office=office, role=Membership.Role.EDITOR, user=UserFactory(username="zz_staff"))
    MembershipFactory(office=office, role=Membership.Role.REVIEWER, user=UserFactory(username="zz_reviewer"))
    jinshui = County.objects.get(name="金水区", city=zhengzhou)
    zhongyuan = County.objects.get(name="中原区", city=zhengzhou)
    county_user_create(county=jinshui, user=UserFactory(username="jinshui"))
    county_user_create(county=zhongyuan, user=UserFactory(username="zhongyuan"))
    series_make(office, "郑教督")


def _sheet_workbook(template: bytes, path) -> None:
    """A new workbook with the template's header row and the sheet's rows."""
    header = [cell.value for cell in load_workbook(io.BytesIO(template))["指标体系"][1]]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标体系"
    sheet.append(header)
    for row in ROWS:
        sheet.append(row)
    workbook.save(path)


def _row(page, item: str):
    return page.locator(".score-table tbody tr", has_text=item)


def _fill(page, scores) -> None:
    """Each item's value (a level chosen by its label, or points typed) and its note or reason."""
    for item, (value, reason) in scores.items():
        row = _row(page, item)
        field = row.locator("select, input").first
        if field.evaluate("node => node.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
        row.locator("textarea").fill(reason)


def _self_assess(page, live_server, county: str, label: str, answers, evidence) -> None:
    """A county's user opens the 自评 obligation from their portal, scores item by item, and
    reports it with its evidence."""
    sign_in(page, live_server, county)
    page.goto(f"{live_server.url}/my/")
    page.get_by_role("link", name=f"评估自评：{ROUND}").click()
    page.get_by_role("link", name="逐项自评").click()
    expect(page.locator("h1")).to_have_text(f"自评：{label}")
    _fill(page, answers)
    page.get_by_role("button", name="保存自评").click()
    expect(page.locator(".message--success")).to_have_text("得分已保存。")
    expect(page.locator(".page-head")).to_contain_text("3 项中已自评 3 项")
    page.get_by_role("link", name="报送自评及佐证材料").click()
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill("已逐项完成自评。")
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message--success")).to_have_text("报告已报送。")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_whole_evaluation_round(live_server, page, tmp_path):
    _setting()
    evidence = tmp_path / "自评佐证材料.pdf"
    evidence.write_bytes(PDF)

    # 1. The office imports its indicator sheet from a workbook with the template's columns.
    sign_in(page, live_server, "zz_staff")
    page.get_by_role("link", name="评估考核", exact=True).click()
    page.goto(f"{live_server.url}/evaluation/sheets/")
    page.get_by_role("link", name="从表格导入").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    filled = tmp_path / "指标体系.xlsx"
    with open(download.value.path(), "rb") as fh:
        _sheet_workbook(fh.read(), filled)
    page.get_by_label("标题").fill(SHEET)
    page.get_by_label("年度").fill("2026")
    page.get_by_label("工作簿（.xlsx）").set_input_files(str(filled))
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator(".import-preview")).to_contain_text("合计 100.00 分")
    page.get_by_role("button", name="导入这套指标").click()
    tree = page.locator("table.indicator-tree")
    expect(tree).to_contain_text(BODY)
    expect(tree).to_contain_text(QUALITY)
    expect(page.locator(".sheet-total")).to_have_text("100.00")

    # 2. A round of the year for two counties, with its calendar; the counties are asked.
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name="新建评估").click()
    page.get_by_label("标题").fill(ROUND)
    page.get_by_label("年度").fill("2026")
    page.get_by_label("指标体系").select_option(label=f"2026 {SHEET}")
    page.get_by_label("金水区").check()
    page.get_by_label("中原区").check()
    page.get_by_label("自评截止日期").fill("2026-12-18")
    page.get_by_label("实地评估开始日期").fill("2026-12-21")
    page.get_by_label("实地评估结束日期").fill("2026-12-23")
    page.get_by_label("复核截止日期").fill("2026-12-25")
    page.get_by_label("计划公布日期").fill("2026-12-28")
    page.get_by_role("button", name="创建评估").click()
    expect(page.locator(".message--success")).to_have_text("评估轮次已创建。")
    expect(page.locator("h1")).to_have_text(ROUND)
    expect(page.locator("#calendar-heading ~ .facts")).to_contain_text("2026-12-21 – 2026-12-23")
    round_url = page.url
    page.get_by_text("通知参评对象开展自评").click()
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".stages__current")).to_have_text("自评")

    # 3. Each county finds its 自评 in its portal, scores item by item and reports with evidence.
    _self_assess(
        page,
        live_server,
        "jinshui",
        "金水区",
        {
            BODY: ("38", "督导委员会已成立。"),
            BUDGET: ("达标：满分", "经费已列入预算。"),
            QUALITY: ("A · 40.00", "监测达标。"),
        },
        evidence,
    )
    _self_assess(
        page,
        live_server,
        "zhongyuan",
        "中原区",
        {
            BODY: ("35", "职责分工已明确。"),
            BUDGET: ("达标：满分", "已列入预算。"),
            QUALITY: ("B · 32.00", "基本达标。"),
        },
        evidence,
    )

    # 4. Staff score on site (初评) with reasons; the reviewer reviews (复核) one item.
    sign_in(page, live_server, "zz_staff")
    page.goto(round_url)
    jinshui_row = page.locator("#participants-heading ~ .table-wrap tbody tr", has_text="金水区")
    expect(jinshui_row).to_contain_text("98.00")  # the self-assessed total
    expect(jinshui_row.get_by_role("link", name="已报送，待审核")).to_have_count(1)  # reported with evidence
    page.get_by_text("结束自评，开始初评").click()
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".stages__current")).to_have_text("初评")
    for county, scores in (
        (
            "金水区",
            {
                BODY: ("36", "职责分工文件不全。"),
                BUDGET: ("达标：满分", "已列入预算。"),
                QUALITY: ("B · 32.00", "监测结果为B。"),
            },
        ),
        (
            "中原区",
            {
                BODY: ("30", "委员会会议记录缺失。"),
                BUDGET: ("未达标：0分", "预算未落实。"),
                QUALITY: ("B · 32.00", "监测结果为B。"),
            },
        ),
    ):
        page.goto(round_url)
        page.locator("tbody tr", has_text=county).get_by_role("link", name="初评").click()
        _fill(page, scores)
        page.get_by_role("button", name="保存得分").click()
        expect(page.locator(".message--success")).to_have_text("得分已保存。")
    expect(_row(page, BUDGET)).to_contain_text("初评−自评 -20.00")
    page.goto(round_url)
    page.get_by_text("结束初评，开始复核").click()
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".stages__current")).to_have_text("复核")

    sign_in(page, live_server, "zz_reviewer")
    page.goto(round_url)
    page.locator("tbody tr", has_text="金水区").get_by_role("link", name="复核").click()
    expect(page.locator("h1")).to_have_text("复核：金水区")
    _fill(page, {BODY: ("34", "成立文件未明确职责，复核扣分。")})
    page.get_by_role("button", name="保存复核").click()
    expect(page.locator(".message--success")).to_have_text("得分已保存。")
    body = _row(page, BODY)
    expect(body).to_contain_text("初评−自评 -2.00")
    expect(body).to_contain_text("复核−初评 -2.00")
    expect(page.locator(".facts")).to_contain_text("自评总分98.00")
    expect(page.locator(".facts")).to_contain_text("合计86.00")
    # A Chinese label ends with the full-width colon.
    assert page.locator(".facts dt").first.evaluate("dt => getComputedStyle(dt, '::after').content") == '"："'

    # 5. The reviewer publishes; the ranking shows totals, grades and ranks; its Excel agrees.
    page.goto(round_url)
    page.get_by_role("link", name="排名与结果公布").click()
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".message--success")).to_contain_text("评估结果已公布，申诉截止")
    rows = page.locator("#ranking-heading ~ .table-wrap tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("金水区")
    expect(rows.nth(0)).to_contain_text("良好")
    expect(rows.nth(1)).to_contain_text("中原区")
    expect(rows.nth(1)).to_contain_text("合格")
    shown = {}
    for index in range(2):
        cells = rows.nth(index).locator("td")
        rank, name, _self, total, difference = (cells.nth(n).inner_text() for n in range(5))
        shown[name] = (int(rank), Decimal(total), Decimal(difference.replace("−", "-")))
    assert shown == {
        "金水区": (1, Decimal("86.00"), Decimal("-12.00")),
        "中原区": (2, Decimal("62.00"), Decimal("-25.00")),
    }
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    with open(download.value.path(), "rb") as fh:
        ranking = load_workbook(io.BytesIO(fh.read()))["排名"]
    in_excel = {
        name: (rank, Decimal(str(total)), Decimal(str(difference)))
        for rank, name, _self, total, difference, *_rest in ranking.iter_rows(min_row=2, values_only=True)
    }
    assert in_excel == shown

    # 6. 中原区 objects within the window; the reviewer answers; 中原区 reads the answer.
    sign_in(page, live_server, "zhongyuan")
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name="中原区的评估结果及申诉").click()
    expect(page.locator(".facts")).to_contain_text("62.00")
    page.get_by_role("link", name="提出申诉").click()
    page.get_by_label("申诉指标").select_option(label=f"{BUDGET}（20.00 分）")
    page.get_by_label("申诉内容").fill("经费已列入2026年区级预算，附预算文件。")
    page.get_by_role("button", name="提交申诉").click()
    expect(page.locator(".message--success")).to_have_text("申诉已提交，答复将显示在本页。")
    expect(page.locator(".report")).to_contain_text("待答复")

    sign_in(page, live_server, "zz_reviewer")
    page.goto(round_url)
    page.get_by_role("link", name="结果与排名").click()
    page.locator("#objections-heading ~ .table-wrap").get_by_role("link", name="答复").click()
    page.get_by_label("不成立：维持原得分").check()
    page.get_by_label("答复", exact=True).fill("预算文件未列明督导经费，维持原得分。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".message--success")).to_have_text("申诉已答复。")

    sign_in(page, live_server, "zhongyuan")
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name="中原区的评估结果及申诉").click()
    expect(page.locator(".report")).to_contain_text("预算文件未列明督导经费，维持原得分。")
    expect(page.locator(".report__review .label")).to_contain_text("不成立：维持原得分")
    expect(page.locator(".report__review .label")).to_contain_text("zz_reviewer答复：")

    # 7. A 通报 drafted from the data, a paragraph edited, reviewed and issued, its Word file opened.
    sign_in(page, live_server, "zz_staff")
    page.goto(f"{live_server.url}/bulletins/")
    page.get_by_role("link", name="起草通报").click()
    page.fill("input[name=period_start]", "2026-10-01")
    page.fill("input[name=period_end]", "2026-12-31")
    page.get_by_label("金水区").check()
    page.get_by_label("中原区").check()
    page.get_by_label("评估轮次").select_option(label=f"2026 {ROUND}")
    page.get_by_role("button", name="根据数据起草").click()
    bulletin = Bulletin.objects.get()
    page.wait_for_url(f"**/bulletins/{bulletin.pk}/edit/")
    intro = page.locator("textarea").filter(has_text="共评估2个县（市、区）")
    expect(intro).to_have_count(1)
    intro.fill(f"{ROUND}共评估2个县（市、区），其中优秀0个，不合格0个，各县区整改意识明显增强。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"**/bulletins/{bulletin.pk}/")
    expect(page.locator(".sheet")).to_contain_text("各县区整改意识明显增强。")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("button", name="编文号并印发")).to_have_count(0)

    sign_in(page, live_server, "zz_reviewer")
    page.goto(f"{live_server.url}/bulletins/{bulletin.pk}/")
    page.get_by_role("button", name="编文号并印发").click()
    bulletin.refresh_from_db()
    number = f"郑教督〔{bulletin.year}〕1号"
    expect(page.locator(".red-head__number")).to_have_text(number)
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    with open(info.value.path(), "rb") as fh:
        word = docx.Document(io.BytesIO(fh.read()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert number in text and "各县区整改意识明显增强。" in text
    for county, (rank, total, _difference) in shown.items():
        assert f"第{rank}名 {county}：总分{total}分" in text
