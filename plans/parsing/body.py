"""The body of a notice, in document order: sections, tasks, projects, calendars; and the
calendar annex by month or quarter."""
import re

from .messages import TARGETS, ParseWarning
from .numerals import to_int
from .patterns import (
    ATTACHMENT,
    CAL_LABEL,
    CLAUSE_SPLIT,
    DATE_LINE,
    INLINE_ITEMS,
    ITEM3,
    ITEM4,
    NOTE,
    OFFICE_AND_DATE,
    OFFICE_LINE,
    PART_TITLE_END,
    PROJECT,
    SCHEDULE_TITLE,
    SECTION1,
    SECTION2,
    TABLE_HEADER,
    Line,
    ends_sentence,
    excerpt,
    period_heading,
    read_date,
)
from .periods import Period, parse_period, split_period
from .result import ParsedEntry, ParsedProject, ParsedSection, ParsedTask


class BodyReader:
    """Sections, tasks, projects, per-task calendars and running text, in document order."""

    def __init__(self, parser, lines: list[Line]):
        self.p = parser
        self.doc = parser.doc
        self.lines = lines
        self.level = parser._task_pattern
        self.target = None  # object whose .text receives paragraphs
        self.open = False  # the last paragraph runs on into the next line
        self.section1: int | None = None
        self.section2: int | None = None
        self.task: ParsedTask | None = None
        self.calendar = False
        self.last_entry: ParsedEntry | None = None
        self.calendar_buffer: tuple[str, Line] | None = None
        self.last_written = 0

    def run(self) -> None:
        lines = self.lines
        for index, line in enumerate(lines):
            nxt = lines[index + 1].text if index + 1 < len(lines) else ""
            self.line(line, nxt)
        self._flush_calendar()

    # Where paragraphs go
    def _append(self, target, text: str, *, joinable: bool = True, line: Line | None = None) -> None:
        if target is None:
            self.doc.preamble = self._join(self.doc.preamble, text, line)
        else:
            target.text = self._join(target.text, text, line)
        self.open = joinable and not ends_sentence(text) and not text.endswith(("：", ":"))
        self.p._last_body_text = text if joinable else ""

    def _join(self, existing: str, text: str, line: Line | None) -> str:
        if not existing:
            return text
        if self.open:
            # A fragment repeated over a page break: "…创建。组" + "组织开展…".
            tail = re.split(r"[。！？；，、：]", existing)[-1]
            if 0 < len(tail) <= 2 and text.startswith(tail) and line is not None:
                self.p.warn.append(
                    ParseWarning("duplicate_char", {"line": line.no, "excerpt": tail + "|" + text[:6]})
                )
                text = text[len(tail):]
            return existing + text
        return existing + "\n" + text

    def line(self, line: Line, nxt: str) -> None:
        text = line.text
        doc = self.doc

        if self.open and not self._is_structural(text):
            if self.calendar_buffer is not None:
                # 工作月历：8-9月，制定方 / 案；10月，… — one calendar broken over lines.
                buffered, first = self.calendar_buffer
                # A line that opens with its own period, after a whole item, is the next item;
                # after a fragment (工作月历：十 / 二月，…) it is the rest of one.
                tail = re.split(r"[；;。]", buffered)[-1]
                whole = split_period(tail)
                joint = "；" if tail and whole and whole[1] and split_period(text) else ""
                self.calendar_buffer = (buffered + joint + text, first)
                self.open = not self._closes_calendar(text)
                if not self.open:
                    self._flush_calendar()
                return
            self._continue(line)
            return
        self._flush_calendar()

        date = DATE_LINE.match(text)
        if date:
            self.p._end_signature_date = read_date(date)
            self.open = False
            return
        if OFFICE_LINE.match(text) and DATE_LINE.match(nxt):
            self.p._end_signature_office = re.sub(r"文件$", "", text)
            return
        combined = OFFICE_AND_DATE.match(text)
        if combined:
            self.p._end_signature_office, self.p._end_signature_date = combined["office"], read_date(combined)
            return
        note = NOTE.match(text)
        if note:
            doc.notes = (doc.notes + "\n" + note[1]).strip()
            self.open = False
            return

        project = PROJECT.match(text)
        if project and to_int(project[2]) is not None:
            self._start_project(project, line)
            return
        kind = self._task_kind(text)
        if kind is not None:
            number_text, label, rest = kind
            number = to_int(number_text)
            if self.open and number != self.last_written + 1:
                self._continue(line)
                return
            self._start_task(number, label, rest)
            return
        section = self._section_kind(text)
        if section is not None:
            self._start_section(*section)
            return
        label = CAL_LABEL.match(text)
        if label and self.task is not None:
            self.calendar = True
            self.last_entry = None
            self._calendar_text(label[1], line)
            return
        if self.calendar and self.task is not None and split_period(text):
            self._calendar_text(text, line)
            return
        if self._is_part_title(text):
            # A part title (郑州市教育局2016年工作要点) closes the projects before it.
            self.target, self.task, self.calendar = None, None, False
            self._append(None, text, joinable=False)
            return
        self._continue(line, new_paragraph=True)

    def _continue(self, line: Line, *, new_paragraph: bool = False) -> None:
        text = line.text
        if self.calendar and self.last_entry is not None and not new_paragraph and self.open:
            self.last_entry.text += text
            self.open = not ends_sentence(text)
            return
        if new_paragraph:
            self.open = False
        target = self.task or self.target
        self._append(target, text, line=line)

    def _is_structural(self, text: str) -> bool:
        if self._task_kind(text) is not None:
            number = to_int(self._task_kind(text)[0])
            return number == self.last_written + 1 or number == 1 and self.last_written == 0
        return bool(
            self._section_kind(text) or CAL_LABEL.match(text) or PROJECT.match(text)
            or NOTE.match(text) or DATE_LINE.match(text)
        )

    def _task_kind(self, text: str):
        if self.level == "item3":
            match = ITEM3.match(text)
            if match and match[2]:
                return match[1], text[: match.start(2)].strip(), match[2]
        elif self.level == "item4":
            match = ITEM4.match(text)
            if match and match[3]:
                return match[1] or str(ord(match[2]) - 0x245F), text[: match.start(3)].strip(), match[3]
        elif self.level == "section2":
            match = SECTION2.match(text)
            if match and match[2]:
                return match[1], text[: match.start(2)].strip(), match[2]
        elif self.level == "section1":
            match = SECTION1.match(text)
            if match and match[2] and parse_period(text) is None:
                return match[1], text[: match.start(2)].strip(), match[2]
        return None

    def _section_kind(self, text: str):
        if parse_period(text) is not None:
            return None
        levels = {"item3": (1, 2), "item4": (1, 2), "section2": (1,), "section1": ()}[self.level]
        match = SECTION1.match(text)
        if match and match[2] and 1 in levels:
            return 1, text[: match.start(2)].strip(), match[2]
        match = SECTION2.match(text)
        if match and match[2] and 2 in levels:
            return 2, text[: match.start(2)].strip(), match[2]
        return None

    def _is_part_title(self, text: str) -> bool:
        return (
            len(text) <= 50 and not ends_sentence(text) and not text.endswith(("：", ":", "，"))
            and bool(PART_TITLE_END.search(text)) and not self.open
        )

    def _start_section(self, level: int, label: str, rest: str) -> None:
        heading, text = rest, ""
        # 一、指导思想。以…为指导 carries its first paragraph on the heading line.
        if "。" in rest and not rest.endswith("。"):
            heading, text = rest.split("。", 1)
        heading = heading.rstrip("。")
        parent = self.section1 if level == 2 else None
        section = ParsedSection(label=label, heading=heading, level=level, parent=parent)
        self.doc.sections.append(section)
        index = len(self.doc.sections) - 1
        if level == 1:
            self.section1, self.section2 = index, None
        else:
            self.section2 = index
        self.task, self.target, self.calendar = None, section, False
        self.open = False
        if text:
            self._append(section, text)

    def _start_task(self, number: int, label: str, rest: str) -> None:
        section = self.section2 if self.section2 is not None else self.section1
        task = ParsedTask(number=number, label=label, title="", text="", section=section)
        self.doc.tasks.append(task)
        self.task, self.target, self.calendar, self.last_entry = task, task, False, None
        self.last_written = number or 0
        self.open = False
        self._append(task, rest)
        if self.level in ("section1", "section2") and not re.search(r"[，。；：,;:]", rest):
            # 一、加强督政 as a work point is a heading: its prose starts on the next line.
            self.open = False

    def _start_project(self, match, line: Line) -> None:
        rest = match[3].strip()
        name = re.sub(r"^[“\"「『]|[”\"」』]$", "", rest)
        project = ParsedProject(number=len(self.doc.projects) + 1, label=match[1], name=name, text="")
        self.doc.projects.append(project)
        self.task, self.target, self.calendar = None, project, False
        self.open = False

    @staticmethod
    def _closes_calendar(text: str) -> bool:
        # Calendar items are separated by ；, so only a full stop ends the calendar's sentence.
        return ends_sentence(text) and not re.search(r"[；;]$", text)

    def _calendar_text(self, text: str, line: Line) -> None:
        self.calendar_buffer = (text, line)
        # 工作月历： alone on its line: the items follow.
        self.open = not text or not self._closes_calendar(text)
        self.p._last_body_text = ""
        if not self.open:
            self._flush_calendar()

    def _flush_calendar(self) -> None:
        if self.calendar_buffer is None:
            return
        text, line = self.calendar_buffer
        self.calendar_buffer = None
        for clause in filter(None, (c.strip() for c in CLAUSE_SPLIT.split(text))):
            split = split_period(clause)
            if split:
                period, rest = split
                entry = ParsedEntry(
                    task=self.task, period=period.text, months=period.months,
                    granularity=period.granularity, text=rest,
                    deadline_day=period.deadline_day,
                )
                self.doc.schedule.append(entry)
                self.last_entry = entry
            elif self.last_entry is not None:
                self.last_entry.text = (self.last_entry.text + "。" + clause).strip("。")
            else:
                self.p.warn.append(ParseWarning("unparsed_period", {
                    "line": line.no, "excerpt": excerpt(clause), **self._target(),
                }))
                self.task.text = self._join(self.task.text, clause, None)

    def _target(self) -> dict:
        if self.task is not None:
            return {"target": TARGETS["task"], "label": self.task.label or str(self.task.number)}
        return {"target": TARGETS["preamble"]}


class AnnexReader:
    """A calendar annex: period headings (一月份：, 一季度) each followed by items."""

    def __init__(self, parser, lines: list[Line]):
        self.p = parser
        self.doc = parser.doc
        self.lines = lines
        self.period: Period | None = None
        self.entry: ParsedEntry | None = None
        self.open = False

    def run(self) -> None:
        for line in self.lines:
            self.line(line)

    def line(self, line: Line) -> None:
        text = line.text
        heading = period_heading(text)
        if heading is not None:
            self.period, self.entry, self.open = heading, None, False
            return
        if TABLE_HEADER.match(text) or (self.period is None and SCHEDULE_TITLE.search(text) and not ends_sentence(text)):
            return
        note = NOTE.match(text)
        if note:
            self.doc.notes = (self.doc.notes + "\n" + note[1]).strip()
            return
        if DATE_LINE.match(text):
            self.p._end_signature_date = self.p._end_signature_date or read_date(DATE_LINE.match(text))
            return
        if OFFICE_LINE.match(text) and not self.open:
            self.p._end_signature_office = self.p._end_signature_office or re.sub(r"文件$", "", text)
            return
        if ATTACHMENT.fullmatch(text) and not ATTACHMENT.match(text)[1]:
            return
        item = ITEM3.match(text) or ITEM4.match(text)
        if self.open and self.entry is not None and not item:
            self.open = self._runs_on(text)
            self.entry.text = (self.entry.text + text).rstrip("。；;")
            return
        led = split_period(text)
        if led and led[0].text and (led[1] or "") and not item:
            # 3月：召开会议 / 一季度：1.印发…；2.召开… — a period and its work on one line.
            self.period = led[0]
            for part in INLINE_ITEMS.split(led[1]):
                if part.strip("；;。 "):
                    self._add(part, line)
            return
        if item:
            body = item.groups()[-1]
            self._add(body, line)
            return
        # An unnumbered line under a period heading is an item of its own.
        self._add(text, line)

    @staticmethod
    def _runs_on(text: str) -> bool:
        # A long line without a stop was wrapped; a short one is an item written as a list line.
        return not ends_sentence(text) and len(text) >= 25

    def _add(self, text: str, line: Line) -> None:
        if self.period is None:
            self.p.warn.append(ParseWarning("entry_before_period", {"line": line.no, "target": TARGETS["notes"]}))
            self.doc.notes = (self.doc.notes + "\n" + text).strip()
            return
        entry = ParsedEntry(
            task=None, period=self.period.text, months=self.period.months,
            granularity=self.period.granularity, text=text.strip().rstrip("。；;"),
            deadline_day=self.period.deadline_day,
        )
        self.doc.schedule.append(entry)
        self.entry = entry
        self.open = self._runs_on(text)
