"""Every workbook the app hands out writes its cells one way: a report pasted from Word with a
vertical tab exports (the character dropped), text that looks like a formula stays text, and a
moment is written in the site's time zone."""

import datetime
import io

import pytest
import xlsxwriter
from django.urls import reverse
from openpyxl import load_workbook

from plans.outputs.cells import WORKBOOK_OPTIONS, cell_style, cell_text, safe_cell, safe_row
from tests.test_local_times import report  # noqa: F401  (the fixture)
from tracking.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_a_cell_drops_control_characters_keeps_formulas_as_text_and_times_local(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    sheet, style = workbook.add_worksheet(), cell_style(workbook)
    values = [
        "第一段\x0b第二段\x07",
        '=HYPERLINK("http://x")',
        12,
        datetime.datetime(2026, 3, 2, 4, 1, 7, tzinfo=datetime.UTC),
        datetime.date(2026, 3, 2),
    ]
    for column, value in enumerate(values):
        safe_cell(sheet, 0, column, value, style)
    workbook.close()

    pasted, formula, number, moment, day = load_workbook(io.BytesIO(out.getvalue())).active[1]
    assert cell_text("a\x0bb") == "ab"
    assert (pasted.value, pasted.data_type) == ("第一段第二段", "s")
    assert (formula.value, formula.data_type, formula.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)
    assert not pasted.quotePrefix
    assert (number.value, number.data_type) == (12, "n")
    assert moment.value == "2026-03-02 12:01"
    assert day.value == "2026-03-02"


def test_the_dashboard_workbook_takes_a_report_pasted_from_word(client, report):  # noqa: F811
    ProgressReport.objects.update(text="一、已部署\x0b二、=SUM(A1:A9) 已自查")
    client.force_login(report["editor"])

    response = client.get(reverse("tracking:plan_dashboard", args=[report["plan"].pk]) + "?format=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["进展报告"]
    texts = [cell.value for cell in sheet[2]]
    assert "一、已部署二、=SUM(A1:A9) 已自查" in texts


def test_a_whole_row_reads_back_as_the_same_cells_written_one_by_one():
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    sheet, style = workbook.add_worksheet(), cell_style(workbook, {"text_wrap": True})
    values = ["A & <b>", " 前后空格 ", "typed _x000D_ as text", "第一行\r\n第二行\x0b", "=1+1", "", None, 3, 2.5, True]
    for column, value in enumerate(values):
        safe_cell(sheet, 0, column, value, style)
    for row in (1, 2):
        safe_row(sheet, row, values, [style] * len(values))
    workbook.close()

    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    one_by_one, whole, next_row = (
        [(c.value, c.data_type, c.quotePrefix, c.alignment.wrap_text) for c in row] for row in sheet.iter_rows()
    )
    assert whole == one_by_one == next_row
    texts = [value for value, *_rest in whole]
    # (A "_x000D_" typed as text is escaped as XlsxWriter escapes it, for Excel to read back.)
    assert texts[:2] + texts[3:] == ["A & <b>", " 前后空格 ", "第一行\n第二行", "=1+1", None, None, 3, 2.5, True]
    assert whole[4][2]  # the formula-like text has its quote prefix
