"""Read the text of a 工作要点 notice into a structured document.

The genre: a notice (红头, 文号, 关于印发…的通知, 主送, 现将…印发, signature and date), then the work
points: a title, a preamble, sections 一、 and （一）, numbered tasks (1. 1、 （1） …) or named
projects (第X项工程), per-task calendars (工作月历：8-9月，…；10月，…), or a calendar annex by month
(一月份：) or quarter (一季度), and a footer (抄送, 印发). PDF extraction adds page numbers, repeated
headers and line breaks inside sentences.
"""
import datetime
import re
from dataclasses import dataclass, field

from .messages import TARGETS, ParseError, ParseWarning
from .numerals import cn_year, to_int
from .periods import MonthSpan, Period, parse_period, split_period
from .places import CountyMatcher, Gazetteer, Place, Scope
from .text import decode, is_page_number, split_lines

# ---------------------------------------------------------------------------------------------
# What a line can be
SECTION1 = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*(.*)$")
SECTION2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$")
ITEM3 = re.compile(r"^(\d{1,3})\s*(?:[.．](?!\d)|、|[)）])\s*(.*)$")
ITEM4 = re.compile(r"^(?:[（(]\s*(\d{1,3})\s*[）)]|([\u2460-\u2473]))\s*(.*)$")
PROJECT = re.compile(
    r"^(第([一二三四五六七八九十百零\d]{1,5})[项个](?:工程|行动|计划|项目|任务)?)"
    r"\s*(?:——|—|－|-|：|:|、)?\s*(.*)$"
)
_CAL_WORDS = r"(?:工作月历|月历|时间安排|进度安排|时间节点|工作进度|进度要求|完成时限|完成时间)"
CAL_LABEL = re.compile(rf"^(?:[【\[]{_CAL_WORDS}[】\]]\s*[：:]?|{_CAL_WORDS}\s*[：:])\s*(.*)$")
NOTE = re.compile(r"^(?:备注|附注|注)\s*[：:]\s*(.*)$")
CC = re.compile(r"^抄\s*送\s*[：:]?\s*(.*)$")
_DATE = (
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九OＯ]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
DATE_LINE = re.compile(rf"^{_DATE}$")
IMPRINT = re.compile(rf"^(?P<unit>.*?)\s*{_DATE}\s*印发$")
DISCLOSURE = re.compile(r"^[（(](?:此件)?(?:主动公开|依申请公开|不予公开|公开发布|不公开)[）)]$")
DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?(\d{1,4})\s*号"
)
_OFFICE_END = (
    r"(?:督导委员会办公室|督导办公室|教育督导室|督导室|督导办|督导委员会|教育局|教育厅|教育委员会|教委"
    r"|教育体育局|教体局|办公室|委员会|人民政府)"
)
OFFICE_LINE = re.compile(rf"^[\u4e00-\u9fff（）]{{2,40}}?{_OFFICE_END}(?:文件)?$")
OFFICE_PREFIX = re.compile(rf"^([\u4e00-\u9fff（）]{{2,40}}{_OFFICE_END})")
OFFICE_AND_DATE = re.compile(rf"^(?P<office>[\u4e00-\u9fff（）]{{2,40}}?{_OFFICE_END})\s*{_DATE}$")
ATTACHMENT = re.compile(r"^附\s*件\s*(?:\d+|[一二三四五六七八九十]+)?\s*[：:]?\s*(.*)$")
TITLE_WORDS = re.compile(r"工作要点|要点|工作计划|工作重点|工作思路|工作安排")
PART_TITLE_END = re.compile(r"(?:要点|计划|安排|工程|项目|行动|思路|月历|行事历|一览表|进度表)$")
SCHEDULE_TITLE = re.compile(r"月历|行事历|安排|进度|时间表|分月|分季度|一览表")
TERMINAL = re.compile(r"[。！？!?；;…][”’）)」』]*$")
YEAR_IN_TITLE = re.compile(r"(\d{4}|[〇○零一二三四五六七八九]{4})\s*(?:年|学年|—|-)")
TABLE_HEADER_WORDS = (
    "时间", "工作事项", "工作内容", "工作任务", "重点工作", "主要工作", "序号", "月份", "季度",
    "责任单位", "牵头单位", "责任处室", "配合单位", "完成时限", "完成时间", "备注", "具体内容",
    "工作安排", "内容", "事项", "项目", "主要内容",
)
TABLE_HEADER = re.compile("^(?:" + "|".join(sorted(TABLE_HEADER_WORDS, key=len, reverse=True)) + ")+$")
LEAD_UNIT = re.compile(
    r"[（(](?:牵头|责任|主责|负责|承办)(?:单位|处室|科室|部门)?[：:]\s*([^；;，,）)]+?)"
    r"(?:[；;，,][^）)]*)?[）)]"
)
# Parentheses that say who leads or by when, not what: kept in the text, not in the title.
ANNOTATION = re.compile(r"[（(][^）)]*(?:牵头|责任|主责|负责|承办|配合|时间|时限)[^）)]*[：:][^）)]*[）)]")
# （牵头单位：督导一处；完成时间：6月底前）— a task's deadline written inside its text.
INLINE_DEADLINE = re.compile(r"[（(][^）)]*?(?:完成时间|完成时限|时间节点|时间安排|时间)[：:]\s*([^；;，,）)]+)")
LEAD_LINE = re.compile(
    r"(?:^|\n)(?:牵头|责任|主责|负责|承办)(?:单位|处室|科室|部门)\s*[：:]\s*([^；;。\n]+)"
)
LEAD_BY = re.compile(r"由([\u4e00-\u9fff、]{2,30}?)(?:牵头|负责)")
CLAUSE_SPLIT = re.compile(r"[；;。]")
INLINE_ITEMS = re.compile(r"(?:^|(?<=[；;。]))\s*(?:\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[）)])\s*|(?<=[；;])")
TITLE_MAX = 100


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text))


def period_heading(text: str) -> Period | None:
    """一月份： / 七、八月份 / 一季度 / 一、1月 standing alone as a heading."""
    if DATE_LINE.match(text):
        return None
    period = parse_period(text)
    if period is None:
        section = SECTION1.match(text)
        if section and section[2]:
            period = parse_period(section[2])
    return period


# ---------------------------------------------------------------------------------------------
# What comes out


@dataclass
class ParsedSection:
    label: str
    heading: str
    level: int
    parent: int | None = None
    text: str = ""


@dataclass
class ParsedTask:
    number: int
    label: str
    title: str
    text: str
    section: int | None = None
    lead_unit: str = ""
    places: list[Place] = field(default_factory=list)

    @property
    def counties(self) -> list[str]:
        return [p.name for p in self.places]


@dataclass
class ParsedProject:
    number: int
    label: str
    name: str
    goal: str = ""
    annual_target: str = ""
    text: str = ""
    places: list[Place] = field(default_factory=list)


@dataclass
class ParsedEntry(MonthSpan):
    task: int | None
    period: str
    months: tuple[int, ...]
    granularity: str
    text: str
    places: list[Place] = field(default_factory=list)

    @property
    def counties(self) -> list[str]:
        return [p.name for p in self.places]


@dataclass
class ParsedDocument:
    issuing_office: str = ""
    doc_number: str = ""
    title: str = ""
    notice_title: str = ""
    issue_date: datetime.date | None = None
    plan_year: int | None = None
    recipients: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    notice_text: str = ""
    preamble: str = ""
    notes: str = ""
    imprint: str = ""
    disclosure: str = ""
    scope: Scope | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    projects: list[ParsedProject] = field(default_factory=list)
    schedule: list[ParsedEntry] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def counties(self) -> list[str]:
        return [p.name for p in self.places]

    def section_heading(self, index: int | None) -> str:
        if index is None:
            return ""
        section = self.sections[index]
        return f"{section.label}{section.heading}"

    def to_json(self, translate=lambda s: s) -> dict:
        """The shape our tooling reads (import_workpoints --json)."""
        return {
            "issuing_office": self.issuing_office,
            "doc_number": self.doc_number,
            "title": self.title,
            "notice_title": self.notice_title,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "plan_year": self.plan_year,
            "recipients": self.recipients,
            "cc": self.cc,
            "sections": [
                {"heading": s.heading, "label": s.label, "level": s.level} for s in self.sections
            ],
            "tasks": [
                {
                    "number": t.number,
                    "label": t.label,
                    "title": t.title,
                    "text": t.text,
                    "section": self.section_heading(t.section),
                    "lead_unit": t.lead_unit,
                    "counties": t.counties,
                }
                for t in self.tasks
            ],
            "projects": [
                {
                    "number": p.number,
                    "label": p.label,
                    "name": p.name,
                    "goal": p.goal,
                    "annual_target": p.annual_target,
                    "text": p.text,
                }
                for p in self.projects
            ],
            "schedule": [
                {
                    "task": e.task,
                    "period": e.period,
                    "start_month": e.start_month,
                    "end_month": e.end_month,
                    "months": list(e.months),
                    "granularity": e.granularity,
                    "text": e.text,
                    "counties": e.counties,
                }
                for e in self.schedule
            ],
            "counties": self.counties,
            "warnings": [w.render(translate) for w in self.warnings],
        }


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class Line:
    no: int
    text: str


def parse_bytes(data: bytes, gazetteer: Gazetteer | None = None, *, scope_code: str = "") -> ParsedDocument:
    return parse_text(decode(data), gazetteer, scope_code=scope_code)


def parse_text(text: str, gazetteer: Gazetteer | None = None, *, scope_code: str = "") -> ParsedDocument:
    return _Parser(text, gazetteer, scope_code).parse()


def _date(match) -> datetime.date | None:
    year, month, day = cn_year(match["y"].replace("O", "〇").replace("Ｏ", "〇")), to_int(match["m"]), to_int(match["d"])
    try:
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        return None


def _split_list(text: str) -> list[str]:
    """Split 主送/抄送 on top-level commas: 各县（市、区）教育局，市直各学校 → two."""
    items, depth, current = [], 0, ""
    for char in text.strip().rstrip("。：:;；"):
        if char in "（(《":
            depth += 1
        elif char in "）)》":
            depth = max(0, depth - 1)
        if char in "，,;；" and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def _excerpt(text: str, size: int = 30) -> str:
    return text if len(text) <= size else text[:size] + "…"


def _title_of(body: str) -> tuple[str, bool]:
    """The lead phrase up to the first full stop; shortened at a clause when it runs long."""
    body = ANNOTATION.sub("", body).strip()
    title = re.split(r"[。！？!?\n]", body, maxsplit=1)[0].strip()
    if len(title) <= TITLE_MAX:
        return title, False
    clause = re.split(r"[，；,;：:]", title, maxsplit=1)[0]
    if len(clause) <= TITLE_MAX:
        return clause, True
    return title[: TITLE_MAX - 1] + "…", True


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
            self.warn.append(ParseWarning("repeated_header", {"count": count, "excerpt": _excerpt(text)}))
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
                self.doc.cc = _split_list(value)
            elif imprint:
                self.doc.imprint = text
                self._imprint_date = _date(imprint)
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
                doc.recipients = _split_list("".join(header[first: i + 1]))
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
                    "line": lines[i].no, "excerpt": _excerpt(text), "target": TARGETS["notice"],
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
                return combined["office"], _date(combined)
            match = DATE_LINE.match(text)
            if match:
                date = date or _date(match)
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
        _BodyReader(self, main).run()
        if annex:
            _AnnexReader(self, annex).run()

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
                ParseWarning("repeated_header", {"count": repeated.count(text), "excerpt": _excerpt(text)})
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
            raise ParseError("truncated", excerpt=_excerpt(text[-20:], 20))

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
            task.title, shortened = _title_of(task.text)
            task.title = task.title or _excerpt(task.text, 20) or task.label
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


class _BodyReader:
    """Sections, tasks, projects, per-task calendars and running text, in document order."""

    def __init__(self, parser: _Parser, lines: list[Line]):
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
            self.p._end_signature_date = _date(date)
            self.open = False
            return
        if OFFICE_LINE.match(text) and DATE_LINE.match(nxt):
            self.p._end_signature_office = re.sub(r"文件$", "", text)
            return
        combined = OFFICE_AND_DATE.match(text)
        if combined:
            self.p._end_signature_office, self.p._end_signature_date = combined["office"], _date(combined)
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
                )
                self.doc.schedule.append(entry)
                self.last_entry = entry
            elif self.last_entry is not None:
                self.last_entry.text = (self.last_entry.text + "。" + clause).strip("。")
            else:
                self.p.warn.append(ParseWarning("unparsed_period", {
                    "line": line.no, "excerpt": _excerpt(clause), **self._target(),
                }))
                self.task.text = self._join(self.task.text, clause, None)

    def _target(self) -> dict:
        if self.task is not None:
            return {"target": TARGETS["task"], "label": self.task.label or str(self.task.number)}
        return {"target": TARGETS["preamble"]}


class _AnnexReader:
    """A calendar annex: period headings (一月份：, 一季度) each followed by items."""

    def __init__(self, parser: _Parser, lines: list[Line]):
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
            self.p._end_signature_date = self.p._end_signature_date or _date(DATE_LINE.match(text))
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
        )
        self.doc.schedule.append(entry)
        self.entry = entry
        self.open = self._runs_on(text)
