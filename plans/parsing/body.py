"""The body of a notice, in document order: sections, tasks, projects, per-task calendars."""

import re

from schedule.numerals import to_int
from schedule.periods import parse_period, split_period

from .messages import TARGETS
from .patterns import (
    CAL_LABEL,
    CLAUSE_SPLIT,
    DATE_LINE,
    ITEM3,
    ITEM4,
    NOTE,
    OFFICE_AND_DATE,
    OFFICE_LINE,
    PART_TITLE_END,
    PROJECT,
    SECTION1,
    SECTION2,
    Line,
    ends_sentence,
    excerpt,
    read_date,
)
from .result import ParsedEntry, ParsedProject, ParsedSection, ParsedTask
from .state import ParseState


class BodyReader:
    """Sections, tasks, projects, per-task calendars and running text, in document order."""

    def __init__(self, state: ParseState, lines: list[Line]):
        self.state = state
        self.doc = state.doc
        self.lines = lines
        self.level = state.task_level
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
        self.state.last_body_text = text if joinable else ""

    def _join(self, existing: str, text: str, line: Line | None) -> str:
        if not existing:
            return text
        # A Word paragraph is whole; a line of extracted text may be part of a sentence.
        if self.open and self.state.has_page_debris:
            # A fragment repeated over a page break: "…创建。组" + "组织开展…".
            tail = re.split(r"[。！？；，、：]", existing)[-1]
            if 0 < len(tail) <= 2 and text.startswith(tail) and line is not None:
                self.state.warn("duplicate_char", line=line.no, excerpt=tail + "|" + text[:6])
                text = text[len(tail) :]
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
            self.state.end_signature_date = read_date(date)
            self.open = False
            return
        if OFFICE_LINE.match(text) and DATE_LINE.match(nxt):
            self.state.end_signature_office = re.sub(r"文件$", "", text)
            return
        combined = OFFICE_AND_DATE.match(text)
        if combined:
            self.state.end_signature_office = combined["office"]
            self.state.end_signature_date = read_date(combined)
            return
        note = NOTE.match(text)
        if note:
            doc.notes = (doc.notes + "\n" + note[1]).strip()
            self.open = False
            return

        project = PROJECT.match(text)
        if project and to_int(project[2]) is not None:
            self._start_project(project)
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
            self._section_kind(text)
            or CAL_LABEL.match(text)
            or PROJECT.match(text)
            or NOTE.match(text)
            or DATE_LINE.match(text)
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
            len(text) <= 50
            and not ends_sentence(text)
            and not text.endswith(("：", ":", "，"))
            and bool(PART_TITLE_END.search(text))
            and not self.open
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

    def _start_project(self, match) -> None:
        heading, text = match[0], ""
        # 第一项工程：学校建设工程。三年内… carries its first paragraph on the heading line.
        first = re.search(r"[。！？]", match[3])
        if first and first.end() < len(match[3]):
            heading, text = match[0][: match.start(3) + first.start()], match[3][first.end() :]
        rest = heading[match.start(3) :].strip().rstrip("。")
        name = re.sub(r"^[“\"「『《]|[”\"」』》]$", "", rest)
        if not self.doc.projects and not self.doc.tasks and not self.doc.sections:
            self.doc.projects_first = True
        project = ParsedProject(
            number=len(self.doc.projects) + 1,
            label=match[1],
            name=name,
            text="",
            heading=heading.rstrip("。"),
        )
        self.doc.projects.append(project)
        self.task, self.target, self.calendar = None, project, False
        self.open = False
        if text:
            self._append(project, text)

    @staticmethod
    def _closes_calendar(text: str) -> bool:
        # Calendar items are separated by ；, so only a full stop ends the calendar's sentence.
        return ends_sentence(text) and not re.search(r"[；;]$", text)

    def _calendar_text(self, text: str, line: Line) -> None:
        self.calendar_buffer = (text, line)
        # 工作月历： alone on its line: the items follow.
        self.open = not text or not self._closes_calendar(text)
        self.state.last_body_text = ""
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
                    task=self.task,
                    period=period.text,
                    months=period.months,
                    granularity=period.granularity,
                    text=rest,
                    deadline_day=period.deadline_day,
                )
                self.doc.schedule.append(entry)
                self.last_entry = entry
            elif self.last_entry is not None:
                self.last_entry.text = (self.last_entry.text + "。" + clause).strip("。")
            else:
                self.state.warn("unparsed_period", line=line.no, excerpt=excerpt(clause), **self._target())
                self.task.text = self._join(self.task.text, clause, None)

    def _target(self) -> dict:
        if self.task is not None:
            return {"target": TARGETS["task"], "label": self.task.label or str(self.task.number)}
        return {"target": TARGETS["preamble"]}


def task_level(lines: list[Line]) -> str:
    """How this notice numbers its tasks: item3 (1.), item4 ((1) ①), section2 ((一)), section1."""
    texts = [line.text for line in lines if not PROJECT.match(line.text)]
    section2 = [t for t in texts if SECTION2.match(t)]
    # （一）开展评价。具体包括：/ 1.制定方案； — numbered lines are the points of a task.
    # Prose means a sentence after the first full stop: （一）强化督政。 alone is a heading.
    if section2 and sum(bool(re.search(r"。.", t)) for t in section2) * 2 > len(section2):
        return "section2"
    if any(ITEM3.match(t) for t in texts):
        return "item3"
    if any(ITEM4.match(t) for t in texts):
        return "item4"
    if section2:
        return "section2"
    # Only 一、 headings with prose under them: each is a work point.
    if any(SECTION1.match(t) for t in texts):
        return "section1"
    return "item3"
