"""Every workbook the app hands out writes its cells one way: a report pasted from Word with a
vertical tab exports (the character dropped), and text that looks like a formula stays text."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from plans.services.cells import cell_text, safe_cell
from tests.test_local_times import report  # noqa: F401  (the fixture)
from tracking.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_a_cell_drops_control_characters_and_keeps_formulas_as_text():
    sheet = Workbook(write_only=True).create_sheet()

    pasted = safe_cell(sheet, "第一段\x0b第二段\x07")
    formula = safe_cell(sheet, '=HYPERLINK("http://x")')
    number = safe_cell(sheet, 12)

    assert cell_text("a\x0bb") == "ab"
    assert (pasted.value, pasted.data_type) == ("第一段第二段", "s")
    assert (formula.data_type, formula.quotePrefix) == ("s", True)
    assert (number.value, number.data_type) == (12, "n")


def test_the_dashboard_workbook_takes_a_report_pasted_from_word(client, report):  # noqa: F811
    ProgressReport.objects.update(text="一、已部署\x0b二、=SUM(A1:A9) 已自查")
    client.force_login(report["editor"])

    response = client.get(reverse("tracking:plan_dashboard", args=[report["plan"].pk]) + "?format=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["进展报告"]
    texts = [cell.value for cell in sheet[2]]
    assert "一、已部署二、=SUM(A1:A9) 已自查" in texts
