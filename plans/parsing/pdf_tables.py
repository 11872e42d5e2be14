"""Tables drawn in a text PDF, read as tables: rows of cells from the page's ruling lines and the
characters' positions (pdfplumber's table finder, on the pdfminer.six the PDF reader uses).

A calendar drawn as a table (时间 | 工作内容 | 责任科室) read as a text stream comes apart: a
wrapped cell is two lines, a merged period cell sits between its rows, the unit column runs on
its own. Here each table becomes rows the way a Word table does (readers._table_lines): a cell's
wrapped lines are joined and its numbered items kept apart by CELL_BREAK, a cell merged with the
one above says 〃, a header row repeated on the next page is dropped and a table continued there
is carried on (an empty first period cell continues the period above the page break). The rows go
to the same header-role logic as Word tables (tables.grid_lines, then the text parser).

The caller (readers._read_pdf) has already read the file once within its limits (pages, decoded
bytes, time, characters and paths per page, nesting) and reads again here under the same budget;
this module adds the limit on table cells per page. Pure Python, no Django.
"""

import bisect
import io
import re
from dataclasses import dataclass

from .messages import ParseError
from .tables import PERIOD, grid_lines, header_roles, is_number
from .text import CELL_BREAK, DITTO

# Only ruling lines make tables: text alone aligned in columns stays with the text reader.
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "intersection_tolerance": 3}
# A cell's line that ends within this many character widths of the cell's right edge (beyond
# the padding) was wrapped there; a shorter line ended its item.
WRAP_SLACK_CHARS = 1.6
CELL_PADDING = 8.0
# A line starting an item of its own: 1. 1、 （1） ① 一、 …
ITEM_START = re.compile(r"^\s*(?:[（(]?\d{1,3}[）)]|\d{1,3}[.．、]|[①-⑳]|[一二三四五六七八九十]+、)")
PAGE_NUMBER = re.compile(r"^[-—－–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*\d{1,3})?[-—－–\s]*$")


@dataclass
class _Open:
    """The last table of the page before, when nothing followed it there."""

    columns: int
    header: tuple[str, ...] | None


def ruled_lines(data: bytes, *, max_cells: int) -> list[str] | None:
    """The PDF's lines in page order with each ruled table as table rows, or None when no page
    has a table (the caller keeps its own reading)."""
    import pdfplumber

    lines: list[str] = []
    found = False
    open_table: _Open | None = None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                try:
                    items, open_table, has_table = _page_items(page, open_table, max_cells)
                finally:
                    page.close()  # its characters and layout are not needed any more
                found = found or has_table
                lines.extend(items)
    except Exception as error:
        # pdfplumber wraps what pdfminer raised, our budget's refusals among them.
        cause = error
        while cause is not None and not isinstance(cause, ParseError):
            cause = cause.__cause__ or cause.__context__
        if cause is None:
            raise
        raise cause from None
    return lines if found else None


def _page_items(page, open_table: _Open | None, max_cells: int):
    edges = page.edges
    # The table finder crosses every horizontal rule with every vertical one: a grid of more
    # crossings than a page of calendar has cells is refused before it is built.
    rows = {round(e["top"]) for e in edges if e["orientation"] == "h"}
    columns = {round(e["x0"]) for e in edges if e["orientation"] == "v"}
    if len(rows) * len(columns) > 2 * max_cells:
        raise ParseError("too_complex", limit=f"{max_cells:,}")
    tables = page.find_tables(TABLE_SETTINGS) if edges else []
    # A frame around the page or a one-cell box is not a table of rows.
    tables = [t for t in tables if len(t.rows) > 1 or len(t.rows[0].cells) > 1]
    cells = sum(len(row.cells) for t in tables for row in t.rows)
    if cells > max_cells:
        raise ParseError("too_complex", limit=f"{max_cells:,}")
    if not tables:
        lines = [text for _, text in _text_lines(page.chars)]
        # A page number alone leaves a table open across the page.
        if any(not PAGE_NUMBER.match(line) for line in lines):
            open_table = None
        return lines, open_table, False

    boxes = [t.bbox for t in tables]
    chars = [c for c in page.chars if not any(_inside(c, box) for box in boxes)]
    text_lines = _text_lines(chars)
    items: list[tuple[float, int, object]] = [(top, 0, text) for top, text in text_lines]
    items += [(t.bbox[1], 1, t) for t in tables]
    items.sort(key=lambda item: (item[0], item[1]))
    out: list[str] = []
    by_top = sorted(page.chars, key=_centre_y)
    tops = [_centre_y(c) for c in by_top]
    for _, kind, item in items:
        if kind == 0:
            if not PAGE_NUMBER.match(item):
                open_table = None
            out.append(item)
            continue
        rows = _table_rows(item, by_top, tops)
        out_rows, open_table = _joined(rows, open_table)
        out.extend(grid_lines(out_rows))
    return out, open_table, True


def _joined(rows: list[list[str]], open_table: _Open | None) -> tuple[list[list[str]], _Open]:
    """Rows of one table, its repeated header dropped when it continues the table above."""
    columns = max(len(row) for row in rows)
    header = _header(rows[0])
    continuing = open_table is not None and open_table.columns == columns
    if continuing:
        if header is not None and header == open_table.header:
            rows = rows[1:]
        header = header or open_table.header
        if rows:
            # A cell merged over the page break is drawn again, empty, below it.
            at = _period_column(header, rows[0])
            if rows[0][at] == "":
                rows[0] = rows[0][:at] + [DITTO] + rows[0][at + 1 :]
    if header is not None:
        # The header row repeated inside one table goes too.
        rows = [row for i, row in enumerate(rows) if (i == 0 and not continuing) or _header(row) != header]
    return rows, _Open(columns, header)


def _period_column(header: tuple[str, ...] | None, row: list[str]) -> int:
    roles = header_roles(header) if header else None
    if roles and PERIOD in roles:
        return roles.index(PERIOD)
    return 1 if len(row) > 2 and is_number(row[0]) else 0


def _header(row: list[str]) -> tuple[str, ...] | None:
    cells = tuple(cell.replace(CELL_BREAK, "") for cell in row)
    return cells if header_roles(cells) is not None else None


def _table_rows(table, by_top: list[dict], tops: list[float]) -> list[list[str]]:
    """The table's grid as text: None cells (covered by a merged cell) become 〃 below a cell
    merged over rows, or empty right of a cell merged over columns."""
    rows = table.rows
    columns = max(len(row.cells) for row in rows)
    centres: list[float | None] = [None] * columns
    for row in rows:
        for i, box in enumerate(row.cells):
            if box is not None and centres[i] is None:
                centres[i] = (box[0] + box[2]) / 2
    grid: list[list[str]] = []
    for row in rows:
        cells: list[str] = []
        left_edge = None
        for i in range(columns):
            box = row.cells[i] if i < len(row.cells) else None
            if box is not None:
                cells.append(_cell_text(box, by_top, tops))
                left_edge = box[2]
            elif left_edge is not None and centres[i] is not None and left_edge > centres[i]:
                cells.append("")  # under a cell merged over columns
            else:
                cells.append(DITTO)  # under a cell merged over rows
        grid.append(cells)
    return grid


def _cell_text(box, by_top: list[dict], tops: list[float]) -> str:
    x0, top, x1, bottom = box
    start, end = bisect.bisect_left(tops, top), bisect.bisect_right(tops, bottom)
    chars = [c for c in by_top[start:end] if x0 <= (c["x0"] + c["x1"]) / 2 <= x1]
    items: list[str] = []
    wrapped = False
    for _, text, right, size in _lines(chars):
        text = text.strip()
        if not text:
            continue
        if items and wrapped and not ITEM_START.match(text):
            items[-1] += text
        else:
            items.append(text)
        wrapped = right >= x1 - CELL_PADDING - WRAP_SLACK_CHARS * size
    return CELL_BREAK.join(re.sub(r"[|｜│┃]", "／", item) for item in items)


def _text_lines(chars: list[dict]) -> list[tuple[float, str]]:
    return [(top, text.strip()) for top, text, _, _ in _lines(chars) if text.strip()]


def _lines(chars: list[dict]):
    """Characters grouped into lines by their vertical centre, each line left to right with a
    space where a gap is wider than half a character: (top, text, right end, font size)."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=_centre_y):
        if lines and abs(_centre_y(char) - _centre_y(lines[-1][0])) <= max(lines[-1][0]["size"], 1) * 0.4:
            lines[-1].append(char)
        else:
            lines.append([char])
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        parts, last = [], None
        for char in line:
            if last is not None and char["x0"] - last["x1"] > max(char["size"], 1) * 0.5:
                parts.append(" ")
            parts.append(char["text"])
            last = char
        size = max(c["size"] for c in line)
        yield min(c["top"] for c in line), "".join(parts), max(c["x1"] for c in line), size


def _centre_y(char: dict) -> float:
    return (char["top"] + char["bottom"]) / 2


def _inside(char: dict, box) -> bool:
    x, y = (char["x0"] + char["x1"]) / 2, _centre_y(char)
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
