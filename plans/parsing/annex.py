"""The calendar annex: period headings (一月份：, 一季度) each followed by items, or a table whose
rows give a period, the work (often several numbered items in one cell) and the unit leading it."""

import re

from schedule.periods import Period, parse_period, split_period

from .messages import TARGETS
from .patterns import (
    ANNOTATION,
    ATTACHMENT,
    CAL_LABEL,
    DATE_LINE,
    INLINE_ITEMS,
    ITEM3,
    ITEM4,
    LEAD_UNIT,
    NOTE,
    OFFICE_LINE,
    SCHEDULE_TITLE,
    SECTION1,
    TABLE_HEADER,
    Line,
    ends_sentence,
    period_heading,
    read_date,
)
from .result import ParsedEntry
from .state import ParseState
from .tables import (
    NUMBER,
    OTHER,
    PERIOD,
    UNIT,
    WORK,
    flat_header_roles,
    header_roles,
    inferred_roles,
    is_ditto,
    is_number,
    is_unit,
)

# 1. 2、 3． 4) (5) ⑥ — the label of an item; a run of them numbered on splits a cell into items.
ITEM_LABEL = re.compile(
    r"(?:(?P<arabic>\d{1,3})\s*(?:[.．、](?!\d)|[)）])"
    r"|[（(]\s*(?P<bracketed>\d{1,2})\s*[）)]|(?P<circled>[\u2460-\u2473]))\s*"
)
# A period of a few characters, then an item's label: 一季度1. / 第二季度：(3) / 3月上旬 ①.
LED_ITEM = re.compile(
    r"^[^，。；]{2,12}?[：:，,\s]*(?:\d{1,2}\s*[.．、](?!\d)|[（(]\s*\d{1,2}\s*[）)]|[\u2460-\u2473])"
)
DATED_LINE = re.compile(r"^[^，。]{1,20}?[：:]")
# 全年重点工作按季度推进，具体安排如下： — a sentence that leads into the calendar, no item of it.
LEAD_IN = re.compile(r"(?:如下|见下表|见附表|安排是)[：:。]?$|^.{6,}，[^，。；]*[：:]$")
# What a period can start with (3月, 三月份, 第一季度, 上半年, 全年, 年底前, 寒假, 暑期, 每月).
PERIOD_START = set("0123456789一二三四五六七八九十第上下全年寒暑每")


def find_annex(lines: list[Line], attachments: list[str]) -> int:
    """Where the calendar annex starts: at its first period heading, period row or table header,
    or at the title the notice announced it by, taking in the title and header lines above."""
    calendars = [title for title in attachments if SCHEDULE_TITLE.search(title)]
    # The title's last words, to pass over the lines that cannot be it without a closer look.
    endings = {title[-3:] for title in calendars}
    for i, line in enumerate(lines):
        if endings and any(end in line.text for end in endings) and _is_announced(line.text, calendars):
            return _title_above(lines, i)
        if not _opens_annex(lines, i):
            continue
        above = lines[i - 1].text if i else ""
        # 工作月历： / 年底 / 前，… is a task's calendar broken over lines, not an annex.
        if CAL_LABEL.match(above) or (
            not ends_sentence(above) and "，" in above and not lines[i - 1].cells and not is_lead_in(above)
        ):
            continue
        return _below_section(lines, _title_above(lines, i))
    return len(lines)


def is_lead_in(text: str) -> bool:
    return bool(LEAD_IN.search(text)) and not ITEM3.match(text) and not ITEM4.match(text)


def _below_section(lines: list[Line], start: int) -> int:
    """五、工作安排 above a calendar is a section of the work points that holds it: the heading and
    the sentence leading into the calendar stay with the sections, the annex starts below them."""
    if start < len(lines) and SECTION1.match(lines[start].text) and period_heading(lines[start].text) is None:
        start += 1
        while start < len(lines) and is_lead_in(lines[start].text):
            start += 1
    return start


def _opens_annex(lines: list[Line], i: int) -> bool:
    line = lines[i]
    if line.cells:
        roles = header_roles(line.cells)
        if roles is not None:
            return PERIOD in roles and WORK in roles
        roles = inferred_roles(line.cells, continuing=False)
        work = next((cell for cell, role in zip(line.cells, roles or ()) if role == WORK), "")
        # Columns aligned by spaces alone are believed when the table shows more than one row,
        # or its work is numbered: a stray tab in a sentence makes no table.
        if work and (line.ruled or ITEM_LABEL.match(work) or _next_is_row(lines, i)):
            return True
    text = line.text
    if period_heading(text) is not None or _opens_dated_list(lines, i):
        return True
    # 一季度 1.印发工作要点 — a period cell and the first item of its work, read as one line.
    if text[0] not in PERIOD_START or not LED_ITEM.match(text):
        return False
    led = split_period(text)
    return bool(led and led[0].text and led[1] and (ITEM3.match(led[1]) or ITEM4.match(led[1])))


def _next_is_row(lines: list[Line], i: int) -> bool:
    following = lines[i + 1] if i + 1 < len(lines) else None
    return (
        following is not None
        and bool(following.cells)
        and (following.indent > 0 or inferred_roles(following.cells, continuing=True) is not None)
    )


def _opens_dated_list(lines: list[Line], i: int) -> bool:
    """A calendar titled 工作月历 whose lines each start with their period (1月：…)."""
    text = lines[i].text
    if not (SCHEDULE_TITLE.search(text) and len(text) <= 50 and not ends_sentence(text)):
        return False
    following = [line.text for line in lines[i + 1 : i + 4]]
    dated = [t for t in following if DATED_LINE.match(t) and split_period(t)]
    return len(following) > 0 and len(dated) * 2 > len(following)


def _is_announced(text: str, titles: list[str]) -> bool:
    if len(text) > 80 or ends_sentence(text):
        return False
    attachment = ATTACHMENT.match(text)
    written = (attachment[1] if attachment else text).strip().strip("《》")
    for title in titles:
        if written == title or len(written) >= 8 and (title in written or written in title):
            return True
    return False


def _title_above(lines: list[Line], start: int) -> int:
    while start > 0:
        line = lines[start - 1]
        above = line.text
        attachment = ATTACHMENT.match(above)
        if (
            TABLE_HEADER.match(above)
            or (line.cells and header_roles(line.cells) is not None)
            or (attachment and (not attachment[1] or SCHEDULE_TITLE.search(attachment[1])))
            or (
                SCHEDULE_TITLE.search(above)
                and len(above) <= 50
                and not ends_sentence(above)
                and not ITEM3.match(above)
            )
        ):
            start -= 1
        else:
            break
    return start


def split_items(text: str) -> list[str]:
    """The items of a cell or line: 1.印发要点 2.召开会议 3.开展培训, numbered on from its start;
    or its lines; or its clauses, when nothing is numbered (召开会议；部署工作)."""
    items: list[str] = []
    numbered = False
    for paragraph in filter(None, (p.strip() for p in text.split("\n"))):
        labels = _numbered_run(paragraph)
        if labels:
            numbered = True
            bounds = [*labels, len(paragraph)]
            items.extend(paragraph[bounds[k] : bounds[k + 1]] for k in range(len(labels)))
        elif numbered and items:
            # A line of a numbered cell without a number of its own continues the item above.
            items[-1] += paragraph
        else:
            items.extend(INLINE_ITEMS.split(paragraph))
    cleaned = []
    for item in items:
        label = ITEM_LABEL.match(item)
        if label:
            item = item[label.end() :]
        item = item.strip().strip("；;。，, ")
        if item:
            cleaned.append(item)
    return cleaned


def _label_number(match) -> int:
    if match["circled"]:
        return ord(match["circled"]) - 0x245F
    return int(match["arabic"] or match["bracketed"])


def _numbered_run(text: str) -> list[int]:
    """Offsets of the labels 1. 2. 3. …, each numbered one more than the last, from the start."""
    first = ITEM_LABEL.match(text)
    if not first:
        return []
    offsets, number = [0], _label_number(first)
    for match in ITEM_LABEL.finditer(text, first.end()):
        if _label_number(match) == number + 1 and _is_label_start(text, match):
            offsets.append(match.start())
            number += 1
    return offsets


def _is_label_start(text: str, match) -> bool:
    # 完成3、4号楼 or 第2.5轮 are not labels; a label follows a stop, a space or a word's end.
    before = text[match.start() - 1] if match.start() else ""
    return not before.isdigit() and before not in "第约近共和至到-—～~"


class AnnexReader:
    """Reads the annex into schedule entries of no task; linking them to tasks comes later."""

    def __init__(self, state: ParseState, lines: list[Line]):
        self.state = state
        self.doc = state.doc
        self.lines = lines
        self.period: Period | None = None
        self.entry: ParsedEntry | None = None
        self.open = False
        self.closed = True  # the last entry ended with a stop
        self.roles: tuple[str, ...] | None = None
        self.headers: tuple[str, ...] = ()
        self.flat_roles: set[str] = set()  # columns a header written as plain text names
        self.above: dict[str, str] = {}  # the previous row's cells by role, for 〃
        self.short_row: list[ParsedEntry] = []  # entries of a row that stopped before its unit

    def run(self) -> None:
        for line in self.lines:
            self.line(line)

    def line(self, line: Line) -> None:
        text = line.text
        if line.cells:
            roles = header_roles(line.cells)
            if roles is not None:
                self.roles, self.headers, self.open = roles, line.cells, False
                return
            if self._row(line):
                return
        heading = period_heading(text)
        if heading is not None:
            self.period, self.entry, self.open = heading, None, False
            return
        if TABLE_HEADER.match(text):
            self.flat_roles |= flat_header_roles(text)
            return
        if self.period is None and SCHEDULE_TITLE.search(text) and not ends_sentence(text):
            return
        if self.period is None and is_lead_in(text):
            # Kept with the notes: it says how the calendar is organised, it is no item of it.
            self.doc.notes = (self.doc.notes + "\n" + text).strip()
            return
        if self._flat_cell(text):
            return
        note = NOTE.match(text)
        if note:
            self.doc.notes = (self.doc.notes + "\n" + note[1]).strip()
            return
        if DATE_LINE.match(text):
            self.state.end_signature_date = self.state.end_signature_date or read_date(DATE_LINE.match(text))
            return
        if OFFICE_LINE.match(text) and not self.open:
            self.state.end_signature_office = self.state.end_signature_office or re.sub(r"文件$", "", text)
            return
        if ATTACHMENT.fullmatch(text) and not ATTACHMENT.match(text)[1]:
            return
        item = ITEM3.match(text) or ITEM4.match(text)
        led = split_period(text)
        # 4月：… — a period and a colon start a line of their own, however long the line above.
        dated = bool(led and led[0].text and led[1] and text[len(led[0].text) :].lstrip()[:1] in "：:")
        # A wrapped item runs on: a long line without a stop, or an unfinished one continued on a
        # line indented to the table's second column.
        if (
            self.entry is not None
            and not item
            and not dated
            and (self.open or line.indent and not self.closed and not (led and led[0].text))
        ):
            self.open, self.closed = self._runs_on(text), ends_sentence(text)
            self.entry.text = (self.entry.text + text).rstrip("。；;")
            return
        if led and led[0].text and (led[1] or "") and not item:
            # 3月：召开会议 / 一季度：1.印发…；2.召开… — a period and its work on one line.
            self.period = led[0]
            for part in split_items(led[1]):
                self._add(part, line)
            return
        if item:
            # 1.制定计划。 2.召开会议。 3.开展培训。 — items numbered on in one line.
            for part in split_items(text):
                self._add(part, line)
            return
        # An unnumbered line under a period heading is an item of its own.
        self._add(text, line)

    def _flat_cell(self, text: str) -> bool:
        """A table extracted one cell per line (PDF): the unit after an item is its lead unit, and
        a 序号 is no item."""
        if UNIT in self.flat_roles and self.entry is not None and not self.entry.lead_unit and is_unit(text):
            self.entry.lead_unit, self.open = text, False
            return True
        return NUMBER in self.flat_roles and is_number(text)

    # -- table rows -----------------------------------------------------------------------------
    def _row(self, line: Line) -> bool:
        """A row of a calendar table; False when the row is no such thing (read it as text)."""
        cells, roles, headers = line.cells, self.roles, self.headers
        continued = self._continued_cell(cells, roles)
        if continued:
            # 2.部署督导 | 督学科: the next item of the work cell above, on a line of its own.
            cells = ("",) * continued + cells
            cells = cells[: len(roles)] if all(not c for c in cells[len(roles) :]) else cells
        if roles is not None and len(cells) < len(roles):
            # A continuation row indented to its second column lacks its first cells.
            missing = ("",) * (len(roles) - len(cells))
            cells = missing + cells if line.indent else cells + missing
        if roles is None or len(cells) != len(roles):
            roles = inferred_roles(cells, continuing=self.period is not None)
            headers = ()
            if roles is None:
                return False
        row: dict[str, str] = {}
        extra = []
        for index, (cell, role) in enumerate(zip(cells, roles)):
            if is_ditto(cell):
                cell = self.above.get(role, "")
            if role in row or role == OTHER:
                if cell and role != NUMBER:
                    header = headers[index] if index < len(headers) else ""
                    extra.append(f"（{header}：{cell}）" if header else f"（{cell}）")
                continue
            row[role] = cell
        self.above = row
        written = row.get(PERIOD, "").replace("\n", "")
        if written:
            period = parse_period(written)
            if period is None:
                self.state.warn("unparsed_period", line=line.no, excerpt=written[:30], target=TARGETS["notes"])
                self.doc.notes = (self.doc.notes + "\n" + line.text).strip()
                return True
            self.period = period
        self.entry, self.open = None, False
        items = split_items(row.get(WORK, ""))
        if not items:
            return True
        units = [u.strip() for u in row.get(UNIT, "").split("\n") if u.strip()]
        if continued and units and self.short_row:
            # The row above stopped at its work cell: the unit written after the cell's last line
            # leads the items above it as well.
            for entry in self.short_row:
                entry.lead_unit = entry.lead_unit or "、".join(units)
        # One unit per item when the cell lists as many; otherwise the cell leads them all.
        paired = len(units) == len(items) and len(units) > 1
        added = []
        for index, item in enumerate(items):
            unit = units[index] if paired else "、".join(units)
            self._add(item + "".join(extra), line, lead_unit=unit)
            added.append(self.entry)
        self.short_row = [e for e in added if e is not None] if UNIT in roles and not row.get(UNIT) else []
        # A row typed in a text file wraps its long last cell onto the next line.
        self.open = self.state.has_page_debris and self._runs_on(items[-1])
        self.closed = not self.state.has_page_debris or ends_sentence(row.get(WORK, "").rstrip())
        return True

    def _continued_cell(self, cells: tuple[str, ...], roles: tuple[str, ...] | None) -> int:
        """How many cells a row lacks before its first when that cell is the next numbered item of
        the work cell above (a cell of two lines exported as text), else 0."""
        if roles is None or WORK not in roles or self.period is None or not self.doc.schedule:
            return 0
        first = cells[0]
        if not ITEM_LABEL.match(first) or parse_period(first.replace("\n", "")) is not None:
            return 0
        if PERIOD in roles and roles.index(PERIOD) > roles.index(WORK):
            return 0
        return roles.index(WORK)

    @staticmethod
    def _runs_on(text: str) -> bool:
        # A long line without a stop was wrapped; a short one is an item written as a list line.
        return not ends_sentence(text) and len(text) >= 25

    def _add(self, text: str, line: Line, *, lead_unit: str = "") -> None:
        if self.period is None:
            self.state.warn("entry_before_period", line=line.no, target=TARGETS["notes"])
            self.doc.notes = (self.doc.notes + "\n" + text).strip()
            return
        self.closed = ends_sentence(text.strip())
        text = text.strip().rstrip("。；;")
        if not lead_unit:
            # 召开工作会议（牵头科室：办公室） — the item names its lead unit.
            lead = LEAD_UNIT.search(text)
            if lead:
                lead_unit = lead[1].strip()
                text = ANNOTATION.sub("", text).strip().rstrip("。；;")
        entry = ParsedEntry(
            task=None,
            period=self.period.text,
            months=self.period.months,
            granularity=self.period.granularity,
            text=text,
            deadline_day=self.period.deadline_day,
            lead_unit=lead_unit,
        )
        self.doc.schedule.append(entry)
        self.entry = entry
        self.open = self._runs_on(text)
