"""Read the text of a 工作要点 notice into a structured document.

The genre: a notice (红头, 文号, 关于印发…的通知, 主送, 现将…印发, signature and date), then the work
points: a title, a preamble, sections 一、 and （一）, numbered tasks (1. 1、 （1） …) or named
projects (第X项工程), per-task calendars (工作月历：8-9月，…；10月，…), or a calendar annex by month
(一月份：) or quarter (一季度), and a footer (抄送, 印发). PDF extraction adds page numbers, repeated
headers and line breaks inside sentences.
"""
import datetime
import re

from .body import AnnexReader, BodyReader
from .messages import TARGETS, ParseError, ParseWarning
from .numerals import cn_year
from .patterns import (
    ATTACHMENT,
    CAL_LABEL,
    CC,
    DATE_LINE,
    DISCLOSURE,
    DOC_NUMBER,
    IMPRINT,
    INLINE_DEADLINE,
    ITEM3,
    ITEM4,
    LEAD_BY,
    LEAD_LINE,
    LEAD_UNIT,
    NOTE,
    OFFICE_AND_DATE,
    OFFICE_LINE,
    OFFICE_PREFIX,
    PROJECT,
    SCHEDULE_TITLE,
    SECTION1,
    SECTION2,
    TABLE_HEADER,
    TITLE_WORDS,
    YEAR_IN_TITLE,
    Line,
    ends_sentence,
    excerpt,
    period_heading,
    read_date,
    split_list,
    title_of,
)
from .periods import parse_period, split_period
from .places import CountyMatcher, Gazetteer, Place
from .result import ParsedDocument, ParsedEntry, ParsedTask
from .text import decode, is_page_number, split_lines

# ---------------------------------------------------------------------------------------------
# Reading


def parse_bytes(data: bytes, gazetteer: Gazetteer | None = None, *, scope_code: str = "") -> ParsedDocument:
    return parse_text(decode(data), gazetteer, scope_code=scope_code)


def parse_text(text: str, gazetteer: Gazetteer | None = None, *, scope_code: str = "") -> ParsedDocument:
    return _Parser(text, gazetteer, scope_code).parse()


class _Parser:
    def __init__(self, text: str, gazetteer: Gazetteer | None, scope_code: str):
        self.raw = text
        self.gazetteer = gazetteer
        self.scope_code = scope_code
        self.doc = ParsedDocument()
        self.warn = self.doc.warnings
        self._imprint_date = None
        self._title_line = ""
        self._title_office = ""
        self._end_signature_office = ""
        self._end_signature_date = None
        self._last_body_text = ""

    # -- the whole ------------------------------------------------------------------------------
    def parse(self) -> ParsedDocument:
        lines = self._clean_lines()
        if not lines:
            raise ParseError("empty")
        lines = self._take_footer(lines)
        body_start = self._read_header(lines)
        self._read_body(lines[body_start:])
        if not self.doc.tasks and not self.doc.projects:
            raise ParseError("not_workpoints")
        self._check_not_truncated(lines[body_start:])
        self._number_tasks()
        if not self.doc.issuing_office and self._end_signature_office:
            self.doc.issuing_office = self._end_signature_office
        self._resolve_places()
        self._settle_year()
        self._split_projects()
        return self.doc

    # -- lines ----------------------------------------------------------------------------------
    def _clean_lines(self) -> list[Line]:
        lines, debris = [], 0
        for no, text in enumerate(split_lines(self.raw), start=1):
            if not text:
                continue
            if is_page_number(text):
                debris += 1
                continue
            lines.append(Line(no, text))
        if debris:
            self.warn.append(ParseWarning("page_debris", {"count": debris}))
        return self._drop_running_headers(lines)

    def _drop_running_headers(self, lines: list[Line]) -> list[Line]:
        """A short line repeated at page tops is debris wherever it stands in the body; above the
        first numbered item it may be the title or the signature, which stay."""
        body_start = next(
            (i for i, line in enumerate(lines)
             if SECTION1.match(line.text) or ITEM3.match(line.text) or PROJECT.match(line.text)),
            len(lines),
        )
        seen: dict[str, int] = {}
        for line in lines:
            if self._is_plain_short(line.text):
                seen[line.text] = seen.get(line.text, 0) + 1
        repeated = {text for text, count in seen.items() if count >= 2}
        if not repeated:
            return lines
        kept, dropped = [], {}
        for index, line in enumerate(lines):
            signature = index + 1 < len(lines) and DATE_LINE.match(lines[index + 1].text)
            if line.text in repeated and index >= body_start and not signature:
                dropped[line.text] = dropped.get(line.text, 0) + 1
                continue
            kept.append(line)
        for text, count in sorted(dropped.items()):
            self.warn.append(ParseWarning("repeated_header", {"count": count, "excerpt": excerpt(text)}))
        return kept

    @staticmethod
    def _is_plain_short(text: str) -> bool:
        # Fragments of a broken line (强) repeat by chance; a page header is a phrase.
        if not 4 <= len(text) <= 40 or ends_sentence(text) or text.endswith(("：", ":")):
            return False
        structural = (
            SECTION1, SECTION2, ITEM3, ITEM4, PROJECT, CAL_LABEL, NOTE, CC, DATE_LINE, IMPRINT,
            DISCLOSURE, ATTACHMENT, TABLE_HEADER,
        )
        return not any(p.match(text) for p in structural) and parse_period(text) is None

    def _take_footer(self, lines: list[Line]) -> list[Line]:
        """抄送, 印发 and disclosure lines may stand anywhere; they are not content."""
        kept, i = [], 0
        while i < len(lines):
            text = lines[i].text
            cc = CC.match(text)
            imprint = IMPRINT.match(text)
            if cc:
                value = cc[1]
                # A long 抄送 wraps; it ends with a full stop or at the imprint.
                while not ends_sentence(value) and i + 1 < len(lines):
                    nxt = lines[i + 1].text
                    if IMPRINT.match(nxt) or DATE_LINE.match(nxt) or CC.match(nxt):
                        break
                    value += nxt
                    i += 1
                self.doc.cc = split_list(value)
            elif imprint:
                self.doc.imprint = text
                self._imprint_date = read_date(imprint)
            elif DISCLOSURE.match(text):
                self.doc.disclosure = text.strip("（）()")
            else:
                kept.append(lines[i])
            i += 1
        return kept

    # -- header ---------------------------------------------------------------------------------
    def _read_header(self, lines: list[Line]) -> int:
        texts = [line.text for line in lines]
        notice_start, notice_end = self._find_notice_title(texts)
        title_idx, title = self._find_title(texts, notice_end)
        if title_idx is None:
            body_start = self._first_structural(texts, notice_end + 1 if notice_end is not None else 0)
        else:
            body_start = title_idx + 1
        header = texts[:body_start]
        doc = self.doc
        used = set()
        if title_idx is not None:
            used |= {title_idx, title_idx - 1} if title != texts[title_idx] else {title_idx}

        # The 文号 stands above the notice title; the notice text may cite other documents' numbers.
        for i, text in enumerate(header[: notice_start if notice_start is not None else 6]):
            number = DOC_NUMBER.search(text)
            if number:
                doc.doc_number = f"{number[1]}〔{number[2]}〕{number[3]}号"
                used.add(i)
                break

        if notice_start is not None:
            doc.notice_title = "".join(texts[notice_start: notice_end + 1])
            used |= set(range(notice_start, notice_end + 1))

        office, date = self._signature(header)
        if not office and header and OFFICE_LINE.match(header[0]):
            office = re.sub(r"文件$", "", header[0])
        if not office and doc.notice_title:
            prefix = doc.notice_title.split("关于", 1)[0]
            if OFFICE_PREFIX.match(prefix):
                office = OFFICE_PREFIX.match(prefix)[1]
        if title:
            match = OFFICE_PREFIX.match(title)
            if match:
                self._title_office = match[1]
        doc.issuing_office = office or self._title_office
        doc.issue_date = date

        # 主送 ends with a colon and comes after the notice title; the notice text follows it.
        start = notice_end + 1 if notice_end is not None else 0
        recipients_idx = None
        for i in range(start, len(header)):
            text = header[i]
            if text.endswith(("：", ":")) and not ATTACHMENT.match(text) and not CAL_LABEL.match(text):
                # A long 主送 wraps: its first line ends with a comma.
                first = i
                while first - 1 >= start and header[first - 1].endswith(("，", "、", ",")):
                    first -= 1
                recipients_idx = i
                doc.recipients = split_list("".join(header[first: i + 1]))
                used |= set(range(first, i + 1))
                break
        if notice_start is not None or recipients_idx is not None:
            begin = (recipients_idx if recipients_idx is not None else notice_end) + 1
            notice_lines = []
            for text in header[begin:]:
                if DATE_LINE.match(text) or OFFICE_LINE.match(text) or OFFICE_AND_DATE.match(text):
                    break
                notice_lines.append(text)
            used |= set(range(begin, begin + len(notice_lines)))
            # Whatever else stands above the title is kept with the notice, and said.
            for i, text in enumerate(header):
                if i in used or self._is_header_furniture(text):
                    continue
                notice_lines.append(text)
                self.warn.append(ParseWarning("unknown_line", {
                    "line": lines[i].no, "excerpt": excerpt(text), "target": TARGETS["notice"],
                }))
            doc.notice_text = "\n".join(notice_lines)

        quoted = re.search(r"《([^》]*(?:要点|计划|安排)[^》]*)》", doc.notice_text)
        printed = re.search(r"关于印发《?(.+?)》?的通知$", doc.notice_title)
        doc.title = quoted[1] if quoted else (title or (printed[1] if printed else doc.notice_title))
        self._title_line = title
        return body_start

    def _is_header_furniture(self, text: str) -> bool:
        """Red header, signature, date, attachment markers and lists: read, or safely skipped."""
        return bool(
            OFFICE_LINE.match(text) or DATE_LINE.match(text) or OFFICE_AND_DATE.match(text)
            or ATTACHMENT.match(text) or self._is_title_line(text)
            or (ITEM3.match(text) and len(text) <= 60 and not ends_sentence(text))
        )

    def _find_notice_title(self, texts: list[str]) -> tuple[int | None, int | None]:
        for i, text in enumerate(texts[:15]):
            if "关于" in text and not ends_sentence(text):
                joined = text
                for j in range(i, min(i + 3, len(texts))):
                    if j > i:
                        joined += texts[j]
                    if joined.endswith("通知") or joined.endswith("通知》"):
                        return i, j
        return None, None

    def _is_title_line(self, text: str) -> bool:
        return (
            bool(TITLE_WORDS.search(text))
            and len(text) <= 60
            and not ends_sentence(text)
            and not text.endswith(("：", ":", "，"))
            and not re.match(r"^(?:附\s*件|现将|各|抄送|印发|\d+\s*[、.．]|关于)", text)
            and "通知" not in text
            and not DATE_LINE.match(text)
        )

    def _find_title(self, texts: list[str], notice_end: int | None) -> tuple[int | None, str]:
        start = notice_end + 1 if notice_end is not None else 0
        for i in range(start, min(len(texts), start + 40)):
            text = texts[i]
            # Attachment lists (附件：1、… 2、…) are short numbered lines; a task is prose.
            if SECTION1.match(text) or PROJECT.match(text) or (
                ITEM3.match(text) and (len(text) > 60 or ends_sentence(text))
            ):
                break
            if not self._is_title_line(text):
                continue
            title = text
            previous = texts[i - 1] if i > start else ""
            if previous and (
                re.match(r"^(?:及|和|与|暨|以及)", text)
                or (OFFICE_LINE.match(previous) and re.match(r"^\d{4}\s*年", text))
            ):
                title = previous + text
            return i, title
        return None, ""

    @staticmethod
    def _first_structural(texts: list[str], start: int) -> int:
        for i in range(start, len(texts)):
            if SECTION1.match(texts[i]) or ITEM3.match(texts[i]) or PROJECT.match(texts[i]):
                return i
        return start

    def _signature(self, header: list[str]) -> tuple[str, datetime.date | None]:
        office, date = "", None
        for i, text in enumerate(header):
            combined = OFFICE_AND_DATE.match(text)
            if combined:
                return combined["office"], read_date(combined)
            match = DATE_LINE.match(text)
            if match:
                date = date or read_date(match)
                previous = header[i - 1] if i else ""
                if OFFICE_LINE.match(previous) and not office:
                    office = previous
        return office, date

    # -- body -----------------------------------------------------------------------------------
    def _read_body(self, lines: list[Line]) -> None:
        lines = self._drop_title_headers(lines)
        annex_start = self._find_annex(lines)
        main, annex = lines[:annex_start], lines[annex_start:]
        self._task_pattern = self._task_level(main)
        BodyReader(self, main).run()
        if annex:
            AnnexReader(self, annex).run()

    def _drop_title_headers(self, lines: list[Line]) -> list[Line]:
        """A page header repeats the plan's title (or part of it) or the office at each page top."""
        title = self.doc.title or self._title_line
        repeated = []
        kept = []
        for index, line in enumerate(lines):
            text = line.text
            is_header = (
                index > 0
                and not ends_sentence(text)
                and (
                    (title and len(text) >= 6 and text in title)
                    or (self.doc.issuing_office and text == self.doc.issuing_office
                        and not (index + 1 < len(lines) and DATE_LINE.match(lines[index + 1].text)))
                )
            )
            if is_header:
                repeated.append(text)
            else:
                kept.append(line)
        for text in sorted(set(repeated)):
            self.warn.append(
                ParseWarning("repeated_header", {"count": repeated.count(text), "excerpt": excerpt(text)})
            )
        return kept

    def _find_annex(self, lines: list[Line]) -> int:
        """The calendar annex starts at its first standalone period heading (一月份： / 一季度),
        taking in the title and table header lines just above it."""
        for i, line in enumerate(lines):
            if period_heading(line.text) is None and not self._opens_dated_list(lines, i):
                continue
            above = lines[i - 1].text if i else ""
            # 工作月历： / 年底 / 前，… is a task's calendar broken over lines, not an annex.
            if CAL_LABEL.match(above) or (not ends_sentence(above) and "，" in above):
                continue
            start = i
            while start > 0:
                above = lines[start - 1].text
                if TABLE_HEADER.match(above) or ATTACHMENT.fullmatch(above) and not ATTACHMENT.match(above)[1] or (
                    SCHEDULE_TITLE.search(above) and len(above) <= 50 and not ends_sentence(above)
                    and not ITEM3.match(above)
                ):
                    start -= 1
                else:
                    break
            return start
        return len(lines)

    @staticmethod
    def _opens_dated_list(lines: list[Line], i: int) -> bool:
        """A calendar titled 工作月历 whose lines each start with their period (1月：…)."""
        text = lines[i].text
        if not (SCHEDULE_TITLE.search(text) and len(text) <= 50 and not ends_sentence(text)):
            return False
        following = [line.text for line in lines[i + 1: i + 4]]
        dated = [t for t in following if re.match(r"^[^，。]{1,20}?[：:]", t) and split_period(t)]
        return len(following) > 0 and len(dated) * 2 > len(following)

    def _task_level(self, lines: list[Line]) -> str:
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

    def _check_not_truncated(self, lines: list[Line]) -> None:
        """A document cut short ends mid-sentence in its running text."""
        if not self._last_body_text:
            return
        text = self._last_body_text
        if text[-1] in "，、；：,;:（(《“" or (
            # Prose with a comma or full stop inside ends with one; a bare title need not.
            not ends_sentence(text) and ("。" in text or "，" in text) and len(text) > 4
        ):
            raise ParseError("truncated", excerpt=excerpt(text[-20:], 20))

    def _number_tasks(self) -> None:
        written = [t.number for t in self.doc.tasks]
        expected = list(range(1, len(written) + 1))
        if written != expected and self._task_pattern in ("item3", "item4"):
            restarted = all(
                n == 1 or n == prev + 1 for prev, n in zip([0, *written], written)
            )
            if not restarted:
                shown = "、".join(str(n) for n in written[:20])
                self.warn.append(ParseWarning("numbering_gap", {"numbers": shown}))
        for ordinal, task in enumerate(self.doc.tasks, start=1):
            task.number = ordinal
            # The title is read from the whole text: a PDF may break the lead sentence.
            task.title, shortened = title_of(task.text)
            task.title = task.title or excerpt(task.text, 20) or task.label
            if shortened:
                self.warn.append(ParseWarning("long_title", {"number": ordinal}))
            lead = LEAD_UNIT.search(task.text) or LEAD_LINE.search(task.text) or LEAD_BY.search(task.text)
            task.lead_unit = lead[1].strip() if lead else ""
        for ordinal, project in enumerate(self.doc.projects, start=1):
            project.number = ordinal
        self._inline_deadlines()
        for entry in self.doc.schedule:
            if isinstance(entry.task, ParsedTask):
                entry.task = entry.task.number

    def _inline_deadlines(self) -> None:
        """A deadline inside a task's text is a calendar line of that task, after its others."""
        by_task: dict[int | None, list[ParsedEntry]] = {}
        for entry in self.doc.schedule:
            key = entry.task.number if isinstance(entry.task, ParsedTask) else entry.task
            by_task.setdefault(key, []).append(entry)
        for task in self.doc.tasks:
            for match in INLINE_DEADLINE.finditer(task.text):
                period = parse_period(match[1])
                if period is not None:
                    by_task.setdefault(task.number, []).append(ParsedEntry(
                        task=task.number, period=period.text, months=period.months,
                        granularity=period.granularity, text=task.title,
                        deadline_day=period.deadline_day,
                    ))
        ordered = [e for task in self.doc.tasks for e in by_task.get(task.number, [])]
        self.doc.schedule = ordered + by_task.get(None, [])

    def _resolve_places(self) -> None:
        doc = self.doc
        matcher = CountyMatcher([])
        if self.gazetteer is not None:
            if self.scope_code:
                doc.scope = self.gazetteer.scope_for_code(self.scope_code)
            elif doc.issuing_office:
                doc.scope = self.gazetteer.scope_for_office(doc.issuing_office)
                if doc.scope is None:
                    self.warn.append(ParseWarning("unknown_region", {"office": doc.issuing_office}))
            else:
                # 2019年长沙市教育督导工作计划: the title still says whose plan it is.
                title = re.sub(r"^\d{4}\s*年(?:度)?", "", doc.title)
                doc.scope = self.gazetteer.scope_for_office(title)
            matcher = self.gazetteer.matcher(doc.scope)
        if not doc.issuing_office:
            self.warn.append(ParseWarning("no_office"))
        found: dict[str, Place] = {}

        def collect(places):
            for place in places:
                found.setdefault(place.key, place)
            return places

        collect(matcher.find(doc.preamble))
        for section in doc.sections:
            collect(matcher.find(section.heading + "\n" + section.text))
        for project in doc.projects:
            project.places = collect(matcher.find(project.text))
        entries_by_task: dict[int, list[ParsedEntry]] = {}
        for entry in doc.schedule:
            entry.places = matcher.find(entry.text)
            if entry.task is not None:
                entries_by_task.setdefault(entry.task, []).append(entry)
        for task in doc.tasks:
            calendar = "\n".join(e.text for e in entries_by_task.get(task.number, []))
            task.places = collect(matcher.find(task.text + "\n" + calendar))
        for entry in doc.schedule:
            collect(entry.places)
        doc.places = list(found.values())

    def _settle_year(self) -> None:
        doc = self.doc
        for source in (doc.title, self._title_line, doc.notice_title):
            match = YEAR_IN_TITLE.search(source or "")
            if match and cn_year(match[1]):
                doc.plan_year = cn_year(match[1])
                break
        if doc.issue_date is None:
            doc.issue_date = self._end_signature_date or getattr(self, "_imprint_date", None)
            if doc.issue_date is None:
                self.warn.append(ParseWarning("no_issue_date"))
        if doc.plan_year is None:
            if doc.issue_date:
                doc.plan_year = doc.issue_date.year
            self.warn.append(ParseWarning("no_plan_year"))


    def _split_projects(self) -> None:
        """A project states a multi-year goal and the plan year's target in paragraphs of its own."""
        year = str(self.doc.plan_year or "")
        for project in self.doc.projects:
            paragraphs = project.text.split("\n")
            annual = [p for p in paragraphs if year and p.startswith(year)]
            goal = [p for p in paragraphs if p not in annual and re.search(r"三年|总目标|多年", p)]
            project.goal = "\n".join(goal)
            project.annual_target = "\n".join(annual)
