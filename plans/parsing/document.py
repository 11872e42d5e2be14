"""Read the text of a 工作要点 notice into a structured document.

The genre: a notice (红头, 文号, 关于印发…的通知, 主送, 现将…印发, signature and date), then the work
points: a title, a preamble, sections 一、 and （一）, numbered tasks (1. 1、 （1） …) or named
projects (第X项工程), per-task calendars (工作月历：8-9月，…；10月，…), or a calendar annex by month
(一月份：) or quarter (一季度), often a table, and a footer (抄送, 印发). PDF extraction adds page
numbers, repeated headers and line breaks inside sentences.

This module orchestrates the readers: header.HeaderReader, body.BodyReader, annex.AnnexReader,
then settles what needs the whole document (numbering, places, the year, links).
"""

import re

from schedule.numerals import cn_year
from schedule.periods import match_period, parse_period

from .annex import AnnexReader, find_annex
from .body import BodyReader, task_level
from .header import HeaderReader
from .linking import link_annex_entries
from .messages import ParseError
from .patterns import (
    ALL_COUNTIES,
    ATTACHMENT,
    CAL_LABEL,
    CC,
    DATE_LINE,
    DISCLOSURE,
    IMPRINT,
    INLINE_DEADLINE,
    ITEM3,
    ITEM4,
    LEAD_BY,
    LEAD_LINE,
    LEAD_UNIT,
    NOTE,
    PROJECT,
    SECTION1,
    SECTION2,
    TABLE_HEADER,
    YEAR_IN_TITLE,
    Line,
    ends_sentence,
    excerpt,
    title_of,
)
from .places import CountyMatcher, Gazetteer, Place, find_zones
from .result import ParsedDocument, ParsedEntry, ParsedTask, UnconfirmedPlace
from .state import ParseState, source_format_of
from .text import (
    CELL_BREAK,
    LEADING_BLANKS,
    MAX_TEXT_CHARS,
    PIPE,
    RULE_START,
    TABLE_HINT,
    decode,
    indent_of,
    is_page_number,
    is_table_rule,
    normalise_line,
    physical_lines,
    row_text,
    split_row,
)


def parse_bytes(
    data: bytes, gazetteer: Gazetteer | None = None, *, scope_code: str = "", source_format: str = "txt"
) -> ParsedDocument:
    """A file's bytes: text (.txt) by default, or another form by `source_format` (its suffix)."""
    suffix = "." + (source_format or "txt").lower().lstrip(".")
    source_format = source_format_of(source_format)
    if source_format == "txt":
        text = decode(data)
    else:
        from .readers import read_document

        text = read_document(data, suffix)
    return parse_text(text, gazetteer, scope_code=scope_code, source_format=source_format)


def parse_text(
    text: str, gazetteer: Gazetteer | None = None, *, scope_code: str = "", source_format: str = "txt"
) -> ParsedDocument:
    """`source_format` says where the text came from: "docx" text has no PDF debris to mend."""
    if len(text) > MAX_TEXT_CHARS:
        raise ParseError("too_long", limit=f"{MAX_TEXT_CHARS:,}")
    state = ParseState(ParsedDocument(), gazetteer, scope_code, source_format=source_format_of(source_format))
    return _parse(state, text)


def _parse(state: ParseState, text: str) -> ParsedDocument:
    doc = state.doc
    lines = _clean_lines(state, text)
    if not lines:
        raise ParseError("empty")
    header = HeaderReader(state)
    lines = header.take_footer(lines)
    if lines and lines[-1].ruled:
        # A document that ends with a table row ends where its table does.
        state.ends_complete = True
    body_start = header.read(lines)
    annex = _read_body(state, lines[body_start:])
    if not doc.tasks and not doc.projects:
        raise ParseError("not_workpoints")
    _check_not_truncated(state, annex)
    _number_tasks(state)
    if not doc.issuing_office and state.end_signature_office:
        doc.issuing_office = state.end_signature_office
    _resolve_places(state)
    _settle_year(state)
    _split_projects(state)
    link_annex_entries(doc)
    _mark_all_counties(state)
    return doc


# -- lines --------------------------------------------------------------------------------------
def _clean_lines(state: ParseState, raw: str) -> list[Line]:
    lines, debris = [], 0
    pdf_debris = state.has_page_debris
    for no, physical in enumerate(physical_lines(raw), start=1):
        if not TABLE_HINT.search(physical) and physical.lstrip()[:1] not in RULE_START:
            # Most lines are running text: no rule, no pipe, no gap between columns.
            text, cells, ruled = normalise_line(physical), (), False
        else:
            if is_table_rule(physical):
                continue
            ruled = bool(PIPE.search(physical))
            text = row_text(physical) if ruled or CELL_BREAK in physical else normalise_line(physical)
            cells = split_row(physical)
        if not text:
            continue
        if pdf_debris and is_page_number(text):
            debris += 1
            continue
        indent = indent_of(physical) if physical[:1] in LEADING_BLANKS else 0
        lines.append(Line(no, text, cells, indent, ruled))
    if debris:
        state.warn("page_debris", count=debris)
    if not state.has_page_debris:
        return lines
    return _drop_running_headers(state, lines)


def _drop_running_headers(state: ParseState, lines: list[Line]) -> list[Line]:
    """A short line repeated at page tops is debris wherever it stands in the body; above the
    first numbered item it may be the title or the signature, which stay."""
    body_start = next(
        (
            i
            for i, line in enumerate(lines)
            if SECTION1.match(line.text) or ITEM3.match(line.text) or PROJECT.match(line.text)
        ),
        len(lines),
    )
    seen: dict[str, int] = {}
    for line in lines:
        if _is_plain_short(line.text):
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
        state.warn("repeated_header", count=count, excerpt=excerpt(text))
    return kept


_STRUCTURAL = (
    SECTION1,
    SECTION2,
    ITEM3,
    ITEM4,
    PROJECT,
    CAL_LABEL,
    NOTE,
    CC,
    DATE_LINE,
    IMPRINT,
    DISCLOSURE,
    ATTACHMENT,
    TABLE_HEADER,
)


# The end of a period range broken over lines (工作月历：10月 / -11月 / ，…), maybe after the
# first month's part (8月 / 下旬-9月上 / 旬，…).
RANGE_TAIL = re.compile(r"^(?:[上中下]旬|[初中底末])?\s*[-—–－~～至到]\s*")


def _is_plain_short(text: str) -> bool:
    # Fragments of a broken line (强, -11月) repeat by chance; a page header is a phrase.
    if not 4 <= len(text) <= 40 or ends_sentence(text) or text.endswith(("：", ":")):
        return False
    tail = RANGE_TAIL.match(text)
    if tail and match_period(text[tail.end() :]) is not None:
        return False
    return not any(p.match(text) for p in _STRUCTURAL) and parse_period(text) is None


# -- body ---------------------------------------------------------------------------------------
def _read_body(state: ParseState, lines: list[Line]) -> list[Line]:
    """Reads the work points and the calendar annex; returns the annex's lines."""
    if state.has_page_debris:
        lines = _drop_title_headers(state, lines)
    annex_start = find_annex(lines, state.attachments)
    main, annex = lines[:annex_start], lines[annex_start:]
    state.task_level = task_level(main)
    BodyReader(state, main).run()
    if annex:
        AnnexReader(state, annex).run()
    return annex


def _drop_title_headers(state: ParseState, lines: list[Line]) -> list[Line]:
    """A page header repeats the plan's title (or part of it) or the office at each page top."""
    doc = state.doc
    title = doc.title or state.title_line
    repeated = []
    kept = []
    for index, line in enumerate(lines):
        text = line.text
        is_header = (
            index > 0
            and not ends_sentence(text)
            and (
                (title and len(text) >= 6 and text in title)
                or (
                    doc.issuing_office
                    and text == doc.issuing_office
                    and not (index + 1 < len(lines) and DATE_LINE.match(lines[index + 1].text))
                )
            )
        )
        if is_header:
            repeated.append(text)
        else:
            kept.append(line)
    for text in sorted(set(repeated)):
        state.warn("repeated_header", count=repeated.count(text), excerpt=excerpt(text))
    return kept


def _check_not_truncated(state: ParseState, annex: list[Line]) -> None:
    """A document cut short ends mid-sentence in its running text.

    One that ends with a table row, or with its 抄送/印发 lines, ends where it should; a list
    item of an annex need not end with a stop, but one that ends with a comma was cut.
    """
    if state.ends_complete:
        return
    if annex:
        text = annex[-1].text
        if text[-1] in "，、：,:（(《“":
            raise ParseError("truncated", excerpt=excerpt(text[-20:], 20))
        return
    text = state.last_body_text
    if not text:
        return
    if text[-1] in "，、；：,;:（(《“" or (
        # Prose with a comma or full stop inside ends with one; a bare title need not.
        not ends_sentence(text) and ("。" in text or "，" in text) and len(text) > 4
    ):
        raise ParseError("truncated", excerpt=excerpt(text[-20:], 20))


# -- settling what needs the whole document ------------------------------------------------------
def _number_tasks(state: ParseState) -> None:
    doc = state.doc
    written = [t.number for t in doc.tasks]
    expected = list(range(1, len(written) + 1))
    if written != expected and state.task_level in ("item3", "item4"):
        restarted = all(n == 1 or n == prev + 1 for prev, n in zip([0, *written], written))
        if not restarted:
            shown = "、".join(str(n) for n in written[:20])
            state.warn("numbering_gap", numbers=shown)
    for ordinal, task in enumerate(doc.tasks, start=1):
        task.number = ordinal
        # The title is read from the whole text: a PDF may break the lead sentence.
        task.title, shortened = title_of(task.text)
        task.title = task.title or excerpt(task.text, 20) or task.label
        if shortened:
            state.warn("long_title", number=ordinal)
        lead = LEAD_UNIT.search(task.text) or LEAD_LINE.search(task.text) or LEAD_BY.search(task.text)
        task.lead_unit = lead[1].strip() if lead else ""
    for ordinal, project in enumerate(doc.projects, start=1):
        project.number = ordinal
    _inline_deadlines(doc)
    for entry in doc.schedule:
        if isinstance(entry.task, ParsedTask):
            entry.task = entry.task.number


def _inline_deadlines(doc: ParsedDocument) -> None:
    """A deadline inside a task's text is a calendar line of that task, after its others."""
    by_task: dict[int | None, list[ParsedEntry]] = {}
    for entry in doc.schedule:
        key = entry.task.number if isinstance(entry.task, ParsedTask) else entry.task
        by_task.setdefault(key, []).append(entry)
    for task in doc.tasks:
        for match in INLINE_DEADLINE.finditer(task.text):
            period = parse_period(match[1])
            if period is not None:
                by_task.setdefault(task.number, []).append(
                    ParsedEntry(
                        task=task.number,
                        period=period.text,
                        months=period.months,
                        granularity=period.granularity,
                        text=task.title,
                        deadline_day=period.deadline_day,
                    )
                )
    ordered = [e for task in doc.tasks for e in by_task.get(task.number, [])]
    doc.schedule = ordered + by_task.get(None, [])


def _resolve_places(state: ParseState) -> None:
    doc, gazetteer = state.doc, state.gazetteer
    matcher = CountyMatcher([])
    if gazetteer is not None:
        if state.scope_code:
            doc.scope = gazetteer.scope_for_code(state.scope_code)
        elif doc.issuing_office:
            doc.scope = gazetteer.scope_for_office(doc.issuing_office)
            if doc.scope is None:
                state.warn("unknown_region", office=doc.issuing_office)
        else:
            # 2019年长沙市教育督导工作计划: the title still says whose plan it is.
            title = re.sub(r"^\d{4}\s*年(?:度)?", "", doc.title)
            doc.scope = gazetteer.scope_for_office(title)
        matcher = gazetteer.matcher(doc.scope)
    if not doc.issuing_office:
        state.warn("no_office")
    found: dict[str, Place] = {}
    zones = find_zones(gazetteer, doc.scope, matcher)
    unconfirmed: dict[tuple[str, str], UnconfirmedPlace] = {}

    def collect(places):
        for place in places:
            found.setdefault(place.key, place)
        return places

    def find(text, *, task=None, entry=None):
        if zones is None:
            return matcher.find(text)
        located = matcher.locate(text)
        known, unknown = zones.find(text)
        if known:
            keys = {p.key for _, p in located}
            located = sorted(located + [(at, p) for at, p in known if p.key not in keys], key=lambda i: i[0])
        places = [place for _, place in located]
        for key, name, city_code in unknown:
            target = unconfirmed.setdefault(key, UnconfirmedPlace(name, city_code))
            if task is not None and task not in target.tasks:
                target.tasks.append(task)
            if entry is not None and entry not in target.entries:
                target.entries.append(entry)
        return places

    # A county's own notice names the county in its letterhead, title and the 《》 titles it cites:
    # the county is a target only where a task or a calendar line gives it work.
    own = doc.scope.place if doc.scope is not None else None

    def not_own(places):
        return [place for place in places if own is None or place.key != own.key]

    def named(text, **kwargs):
        places = find(text, **kwargs)
        if own is not None and any(place.key == own.key for place in places):
            if not any(place.key == own.key for place in matcher.find(CITED_TITLE.sub("", text))):
                places = not_own(places)
        return places

    collect(not_own(find(doc.preamble)))
    for section in doc.sections:
        collect(not_own(find(section.heading + "\n" + section.text)))
    for project in doc.projects:
        project.places = collect(named("\n".join((project.heading, project.text))))
    entries_by_task: dict[int, list[ParsedEntry]] = {}
    for index, entry in enumerate(doc.schedule):
        entry.places = named(entry.text, task=entry.task, entry=index)
        if entry.task is not None:
            entries_by_task.setdefault(entry.task, []).append(entry)
    for task in doc.tasks:
        calendar = "\n".join(e.text for e in entries_by_task.get(task.number, []))
        task.places = collect(named(task.text + "\n" + calendar, task=task.number))
    for entry in doc.schedule:
        collect(entry.places)
    doc.places = list(found.values())
    for place in unconfirmed.values():
        place.tasks.sort()
        doc.unconfirmed_places.append(place)
        state.warn("unconfirmed_place", name=place.name)


# 《仁寿县教育事业发展规划》: a document cited by its title, which names no target.
CITED_TITLE = re.compile(r"《[^》]*》")


def _settle_year(state: ParseState) -> None:
    doc = state.doc
    for source in (doc.title, state.title_line, doc.notice_title):
        match = YEAR_IN_TITLE.search(source or "")
        if match and cn_year(match[1]):
            doc.plan_year = cn_year(match[1])
            break
    if doc.issue_date is None:
        doc.issue_date = state.end_signature_date or state.imprint_date
        if doc.issue_date is None:
            state.warn("no_issue_date")
    if doc.plan_year is None:
        if doc.issue_date:
            doc.plan_year = doc.issue_date.year
        state.warn("no_plan_year")


# 三年总目标, 多年, 三年内 — but 第三年 is a step of the plan, not its horizon.
MULTI_YEAR = re.compile(r"(?<!第)[二两三四五]年|总目标|多年")


def _split_projects(state: ParseState) -> None:
    """A project states a multi-year goal and the plan year's target in paragraphs of its own;
    they are its goal and annual target, and its text is what remains."""
    year = str(state.doc.plan_year or "")
    for project in state.doc.projects:
        paragraphs = project.text.split("\n")
        annual = [p for p in paragraphs if year and p.startswith(year)]
        goal = [p for p in paragraphs if p not in annual and MULTI_YEAR.search(p)]
        project.goal = "\n".join(goal)
        project.annual_target = "\n".join(annual)
        project.text = "\n".join(p for p in paragraphs if p not in goal and p not in annual)


def _mark_all_counties(state: ParseState) -> None:
    """各县（市、区）, 各区县, 各县级督导部门: a task addressed to every county of the region. 各地
    means the counties only in a city's notice; in a province's it means its cities."""
    provincial = _is_provincial(state)
    for task in state.doc.tasks:
        for match in ALL_COUNTIES.finditer(task.text):
            if match["anywhere"] and provincial:
                continue
            task.addresses_all_counties = True
            break


def _is_provincial(state: ParseState) -> bool:
    doc, gazetteer = state.doc, state.gazetteer
    if gazetteer is not None and doc.scope is not None and doc.scope.region_code:
        code = doc.scope.region_code
        region = gazetteer.regions.get(code)
        # A municipality is a province of one city: its 各地 are its districts.
        cities = sum(1 for r in gazetteer.regions.values() if r.parent_code == code)
        return region is not None and region.level == "province" and cities > 1
    province = PROVINCE_OFFICE.match(doc.issuing_office)
    return bool(province) and not CITY_PREFIX.match(province[1])


PROVINCE_OFFICE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|自治区)(.*)$")
CITY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,9}?(?:市|州|盟|地区|县)")
