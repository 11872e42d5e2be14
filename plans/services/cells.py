"""The one way a cell is written to a workbook this app hands out (plans, calendars, dashboards):
text is text — control characters Excel refuses are dropped (a report pasted from Word carries
\\x0b), and a leading = + - @ never makes Excel, or a CSV reader after it, compute the cell."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@")


def cell_text(value: str) -> str:
    """`value` without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def safe_cell(sheet, value, *, style: str | None = None, font=None, alignment=None) -> WriteOnlyCell:
    """A write-only cell of `sheet` holding `value`; a string is always stored as text."""
    cell = WriteOnlyCell(sheet)
    if style is not None:
        cell.style = style
    if isinstance(value, str):
        value = cell_text(value)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell
