"""A round's results as an Excel workbook: the ranking as the page shows it, and the final score
of every participant on every scored item. Scores are written as Decimal with the '0.00' format,
so the workbook's totals are the page's."""

import io

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from evaluation.selectors_results import Comparison, Ranking
from plans.outputs.cells import FORMULA_START, cell_text

SCORE_FORMAT = "0.00"


def _put(ws, row: int, column: int, value, *, bold: bool = False):
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = cell_text(value)
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"  # text that starts like a formula stays text
    else:
        cell.value = value
        if value is not None and not isinstance(value, int | bool):
            cell.number_format = SCORE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet(book, title: str, headers: list[str], widths: list[int]):
    ws = book.create_sheet(title)
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        _put(ws, 1, column, header, bold=True)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "B2"
    return ws


def results_workbook(*, ranking: Ranking, comparison: Comparison) -> bytes:
    book = Workbook()
    book.remove(book.active)
    headers = [
        gettext("Rank"),
        gettext("Participant"),
        gettext("Self-assessed total"),
        gettext("Final total"),
        gettext("Difference"),
        gettext("Grade"),
        gettext("Veto item failed"),
    ]
    widths = [8, 24, 12, 12, 10, 10, 10]
    if ranking.has_last_year:
        headers += [gettext("Last year's total"), gettext("Last year's rank")]
        widths += [12, 10]
    ws = _sheet(book, gettext("Ranking"), headers, widths)
    for index, row in enumerate(ranking.rows, start=2):
        p = row.participant
        values = [
            p.rank,
            str(p),
            p.self_total,
            p.total,
            row.difference,
            p.get_grade_display() if p.grade else "",
            gettext("Yes") if p.vetoed else "",
        ]
        if ranking.has_last_year:
            values += [row.last.total if row.last else None, row.last.rank if row.last else None]
        for column, value in enumerate(values, start=1):
            _put(ws, index, column, value)

    names = [str(p) for p in comparison.participants]
    ws = _sheet(
        book,
        gettext("Scores by item"),
        [gettext("Number"), gettext("Indicator"), gettext("Points"), *names],
        [8, 40, 8] + [12] * len(names),
    )
    row_number = 1
    for row_number, row in enumerate(comparison.rows, start=2):
        item = row.indicator
        for column, value in enumerate(
            [item.code, item.title, item.points, *(cell.score for cell in row.cells)], start=1
        ):
            _put(ws, row_number, column, value)
    totals = [p.total for p in comparison.participants]
    for column, value in enumerate([gettext("Total"), "", None, *totals], start=1):
        _put(ws, row_number + 1, column, value, bold=True)

    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
