"""An office keeps its indicator sheet (指标体系) in the browser: downloads the template, fills it
in, imports it through the preview, reads the tree, and edits one item's points, in Debian chromium."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import OfficeFactory, UserFactory, staff_user_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_office_imports_its_sheet_and_edits_an_item(live_server, page, tmp_path):
    office = OfficeFactory(name="测试市人民政府教育督导委员会办公室")
    staff_user_create(office=office, user=UserFactory(username="keeper"))

    sign_in(page, live_server, "keeper")
    page.goto(f"{live_server.url}/evaluation/sheets/")
    page.get_by_role("link", name="从表格导入").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    template = tmp_path / "指标体系.xlsx"
    download.value.save_as(template)

    workbook = load_workbook(io.BytesIO(template.read_bytes()))
    sheet = workbook["指标体系"]
    sheet.append(
        ["二、教育质量", "2. 学业质量", "学业质量监测结果达标", "90分", "等级：A=1, B=0.8", "", "监测报告", "", ""]
    )
    sheet.append(["", "", "无重大安全责任事故", "", "", "", "", "是", ""])
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)

    page.get_by_label("标题").fill("2026年县级教育督导评估指标体系")
    page.get_by_label("年度").fill("2026")
    page.get_by_label("工作簿（.xlsx）").set_input_files(str(filled))
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator(".import-preview")).to_contain_text("共 8 项指标，合计 100.00 分")
    page.get_by_role("button", name="导入这套指标").click()

    tree = page.locator("table.indicator-tree")
    expect(tree).to_contain_text("学业质量监测结果达标")
    expect(tree).to_contain_text("一票否决")
    expect(tree).to_contain_text("工作要点完成率")
    expect(page.locator(".sheet-total")).to_have_text("100.00")

    page.get_by_role("link", name="编辑指标").click()
    page.locator('input[name="rows-2-points"]').fill("4")
    page.locator('input[name="rows-1-points"]').fill("")
    page.locator('input[name="rows-0-points"]').fill("")
    page.get_by_role("button", name="保存指标体系").click()
    expect(page.locator(".messages")).to_contain_text("指标体系已保存")
    expect(page.locator(".sheet-total")).to_have_text("99.00")
    expect(page.locator("table.indicator-tree")).to_contain_text("4.00")
