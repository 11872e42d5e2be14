"""The one way a cell is written to a workbook this app hands out (plans, dashboards): text is
text — control characters Excel refuses are dropped (a report pasted from Word carries \\x0b), and
a leading = + - @ never makes Excel, or a CSV reader after it, compute the cell; a moment is
written in the site's time zone, as the page shows it (supervision.localtime).

Workbooks are written with XlsxWriter in constant_memory mode: a row goes to disk when the next
one starts, so memory does not grow with the rows. `safe_cell` writes one cell through
XlsxWriter's API; `safe_row` writes a whole row of a long sheet straight to the sheet's file, as
XlsxWriter would write it, at several times the speed of one call a cell. Both take their values
from `cell_value`."""

import datetime
import decimal
import math
import re

from supervision.localtime import local_minute_text

FORMULA_START = ("=", "+", "-", "@")
# What XML 1.0 cannot hold (openpyxl refuses the same characters).
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
# Options every workbook is opened with: nothing typed is ever turned into a formula, a link or
# a number behind the writer's back.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def cell_text(value: str) -> str:
    """`value` without the control characters a workbook cannot hold, its line breaks as a
    cell's (a form's \\r\\n would come back from the sheet as "_x000D_")."""
    value = _ILLEGAL.sub("", value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def cell_value(value) -> str | int | float | bool | None:
    """What a cell holds for `value`: text without control characters, a number, a truth value,
    or nothing; a moment as the pages write it, in the site's time zone, and a day as ISO text."""
    if value is None or value.__class__ in (int, bool):
        return value
    if isinstance(value, str):
        return cell_text(value) or None
    if isinstance(value, float | decimal.Decimal):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, datetime.datetime):
        return local_minute_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return cell_text(str(value)) or None


class CellStyle:
    """A cell format, and the same with Excel's quote prefix (text that starts like a formula
    shows as typed, and stays text when edited)."""

    __slots__ = ("plain", "quoted", "_attributes")

    def __init__(self, plain, quoted):
        self.plain, self.quoted, self._attributes = plain, quoted, None

    def attributes(self) -> tuple[str, str]:
        """The style attribute of a cell in each format (' s="3"'), once the formats have their
        numbers (XlsxWriter numbers a format when a cell first uses it)."""
        if self._attributes is None:
            self._attributes = tuple(
                "" if cell_format is None else f' s="{cell_format._get_xf_index()}"'
                for cell_format in (self.plain, self.quoted)
            )
        return self._attributes


def cell_style(workbook, properties: dict | None = None) -> CellStyle:
    """The style of `properties` (XlsxWriter format properties) in `workbook`."""
    properties = properties or {}
    return CellStyle(
        plain=workbook.add_format(properties) if properties else None,
        quoted=workbook.add_format({**properties, "quote_prefix": True}),
    )


def safe_cell(sheet, row: int, column: int, value, style: CellStyle) -> None:
    """Write `value` to (`row`, `column`) of `sheet` (zero-based): a string always as text."""
    value = cell_value(value)
    if value is None:
        sheet.write_blank(row, column, None, style.plain)
    elif value.__class__ is str:
        sheet.write_string(row, column, value, style.quoted if value.startswith(FORMULA_START) else style.plain)
    elif value.__class__ is bool:
        sheet.write_boolean(row, column, value, style.plain)
    else:
        sheet.write_number(row, column, value, style.plain)


# --- Whole rows -----------------------------------------------------------------------------------

_COLUMNS = [chr(ord("A") + n) for n in range(26)]
# XlsxWriter's own rules for an inline string: "_x000D_" typed as text is escaped so that Excel
# does not read it as a carriage return; leading or trailing space is kept.
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_XML_SPECIAL = re.compile(r"[&<>]")
# What in a text asks for one of the steps below (a control character or a carriage return to
# drop, XML to escape, an "_x" to escape): one search finds that most cells need none of them.
_CARE = re.compile(r"[\000-\010\013\014\016-\037\r&<>_]")
_FORMULA_FIRST = frozenset(FORMULA_START)


def safe_row(sheet, row: int, values, styles: list[CellStyle]) -> None:
    """Write `values` as row `row` of `sheet` (a constant_memory XlsxWriter sheet), each through
    `cell_value` in its column's style; the row is complete: nothing more is written to it.

    Writes the XML XlsxWriter writes for the same cells (inline strings, numbers, blanks with a
    style), after letting the sheet write out the row before; a row with its own height or
    format, or a sheet not in constant_memory mode, takes XlsxWriter's way, a cell at a time."""
    if (
        not sheet.constant_memory
        or row in sheet.row_info
        or not (row > sheet.previous_row or (row == 0 and not sheet.table))
        or len(values) > len(_COLUMNS)
        or sheet._check_dimensions(row, 0)
        or sheet._check_dimensions(row, len(values) - 1)
    ):
        for column, value in enumerate(values):
            safe_cell(sheet, row, column, value, styles[column])
        return
    sheet._write_single_row(row)
    number = row + 1
    parts = [f'<row r="{number}">']
    append = parts.append
    for column, value in enumerate(values):
        kind = value.__class__
        plain, quoted = styles[column].attributes()
        if kind is str and not value:
            kind = value = None
        elif (
            kind is str
            and _CARE.search(value) is None
            and value[0] not in _FORMULA_FIRST
            and not value[0].isspace()
            and not value[-1].isspace()
        ):
            # Most text: nothing to drop or escape, no formula to defuse, no space to keep.
            append(f'<c r="{_COLUMNS[column]}{number}"{plain} t="inlineStr"><is><t>{value}</t></is></c>')
            continue
        if kind is str:
            value = cell_text(value)
        elif kind is not int:
            value = cell_value(value)
            kind = value.__class__
        if kind is str and value:
            if value.startswith(FORMULA_START):
                plain = quoted
            if "_x" in value:
                value = _ESCAPE_LIKE.sub(r"_x005F\1", value)
            if _XML_SPECIAL.search(value):
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
            append(f'<c r="{_COLUMNS[column]}{number}"{plain} t="inlineStr"><is><t{space}>{value}</t></is></c>')
        elif kind is int or kind is float:
            append(f'<c r="{_COLUMNS[column]}{number}"{plain}><v>{value:.16G}</v></c>')
        elif kind is bool:
            append(f'<c r="{_COLUMNS[column]}{number}"{plain} t="b"><v>{int(value)}</v></c>')
        elif plain:  # nothing, in a style (borders)
            append(f'<c r="{_COLUMNS[column]}{number}"{plain}/>')
    append("</row>")
    sheet.fh.write("".join(parts))
