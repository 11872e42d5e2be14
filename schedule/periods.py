"""The periods of a work calendar, kept as written and normalised to months.

Forms of the genre: 3月, 三月份, 8-9月, 7—8月份, 3～5月, 10月-11月, 七、八月份, 5月、9月,
3月中旬, 4月中下旬, 8月下旬-9月上旬, 7月—8月上旬, 1月31日前, 6月底前, 一季度, 第二季度,
二季度末, 一至二季度, 上半年, 上半年和下半年, 全年, 年内, 年底前, 年初, 寒假, 暑期, and recurring work:
每月, 每月5日前, 每月底前, 每季度, 每季度末, 每半年, 每学期, 每周; optionally led by a year (2017年3月).
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from .numerals import to_int

TEN_DAY, MONTH, QUARTER, HALF_YEAR, YEAR = "ten_day", "month", "quarter", "half_year", "year"
# Finer first: a range or list of atoms takes the finest granularity among them.
GRANULARITY_ORDER = (TEN_DAY, MONTH, QUARTER, HALF_YEAR, YEAR)

_N = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
_D = r"(?:\d{1,2}|[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])"
_DASH = r"\s*(?:-|－|—|–|~|～|〜|至|到)\s*"

QUARTER_MONTHS = {1: (1, 2, 3), 2: (4, 5, 6), 3: (7, 8, 9), 4: (10, 11, 12)}


class MonthSpan:
    """Something dated by `months` (sorted): its first and last month."""

    months: tuple[int, ...]

    @property
    def start_month(self) -> int:
        return self.months[0]

    @property
    def end_month(self) -> int:
        return self.months[-1]


# The day of its last month by which a period is due, when it states one: 1月31日前 → 31,
# 3月中旬 → 20, 6月底前 → 31. Days past a month's end (6月底 → 31) mean its last day.
TEN_DAY_END = {"上": 10, "中": 20, "下": 31}
MONTH_PART_END = {"初": 10, "中": 20, "底": 31, "末": 31}
MONTH_END = 31


def period_due_date(year: int, month: int, day: int | None = None) -> datetime.date:
    """The day a period ending in `month` of `year` is due by: the day it states, where a day
    past the month's end means its last day (2月底 → 28 February, or 29 in a leap year);
    without a day, the month's last day. The one rule: pages, sheets and publishing ask it."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day, last) if day else last)


@dataclass(frozen=True)
class Period(MonthSpan):
    text: str
    months: tuple[int, ...]
    granularity: str
    deadline_day: int | None = None


@dataclass(frozen=True)
class _Atom:
    months: tuple[int, ...]
    granularity: str
    end: int
    day: int | None = None


def _months(first: int, last: int) -> tuple[int, ...] | None:
    if not (1 <= first <= 12 and 1 <= last <= 12) or first > last:
        return None
    return tuple(range(first, last + 1))


def _quarter_span(first: int, last: int) -> tuple[int, ...] | None:
    if not (1 <= first <= 4 and 1 <= last <= 4) or first > last:
        return None
    return tuple(m for q in range(first, last + 1) for m in QUARTER_MONTHS[q])


def _number_list(text: str) -> list[int | None]:
    return [to_int(part) for part in re.split(r"\s*[、,，]\s*", text)]


# Each rule: pattern anchored at the position, and a function of the match giving months and
# granularity. Longer forms come first so that 8-9月 is not read as 8 followed by noise.
def _rules():
    rules = []

    def rule(pattern):
        def register(func):
            rules.append((re.compile(pattern), func))
            return func

        return register

    @rule(rf"({_N})\s*月\s*(上|中|下)旬{_DASH}({_N})\s*月\s*(上|中|下)旬")
    def _xun_range(m):
        return _months(to_int(m[1]), to_int(m[3])), TEN_DAY, TEN_DAY_END[m[4]]

    @rule(rf"({_N}){_DASH}({_N})\s*月份?\s*(上|中|下)旬")
    def _compact_xun_range(m):
        return _months(to_int(m[1]), to_int(m[2])), TEN_DAY, TEN_DAY_END[m[3]]

    @rule(rf"({_N})\s*月份?{_DASH}({_N})\s*月份?\s*(上|中|下)旬")
    def _month_to_xun(m):
        return _months(to_int(m[1]), to_int(m[2])), TEN_DAY, TEN_DAY_END[m[3]]

    @rule(rf"({_N})\s*月份?{_DASH}({_N})\s*月份?")
    def _month_range(m):
        return _months(to_int(m[1]), to_int(m[2])), MONTH

    @rule(rf"({_N})(?:{_DASH})({_N})\s*月份?")
    def _compact_month_range(m):
        return _months(to_int(m[1]), to_int(m[2])), MONTH

    @rule(rf"({_N}(?:\s*、\s*{_N})+)\s*月份?")
    def _compact_month_list(m):
        numbers = _number_list(m[1])
        if None in numbers or not all(1 <= n <= 12 for n in numbers):
            return None, None
        return tuple(sorted(set(numbers))), MONTH

    @rule(rf"第?({_N})(?:{_DASH}|\s*、\s*)第?({_N})\s*季度")
    def _quarter_range(m):
        return _quarter_span(to_int(m[1]), to_int(m[2])), QUARTER

    @rule(rf"({_N})\s*月\s*({_D})\s*[日号]")
    def _day(m):
        day = to_int(m[2])
        if day is None or not 1 <= day <= 31:
            return None, None
        return _months(to_int(m[1]), to_int(m[1])), MONTH, day

    @rule(rf"({_N})\s*月份?\s*(?:上|中|下)?\s*[、至到-]?\s*(上|中|下)旬")
    def _xun(m):
        # 4月中下旬: two ten-days of one month, due at the end of the later.
        return _months(to_int(m[1]), to_int(m[1])), TEN_DAY, TEN_DAY_END[m[2]]

    @rule(rf"({_N})\s*月\s*(初|中|底|末)")
    def _month_part(m):
        return _months(to_int(m[1]), to_int(m[1])), MONTH, MONTH_PART_END[m[2]]

    @rule(rf"({_N})\s*月份?")
    def _month(m):
        return _months(to_int(m[1]), to_int(m[1])), MONTH

    @rule(rf"第?({_N})\s*季度\s*(末|底)")
    def _quarter_end(m):
        return _quarter_span(to_int(m[1]), to_int(m[1])), QUARTER, MONTH_END

    @rule(rf"第?({_N})\s*季度")
    def _quarter(m):
        return _quarter_span(to_int(m[1]), to_int(m[1])), QUARTER

    @rule(r"上\s*[、和及]?\s*下半年")
    def _both_halves(m):
        return tuple(range(1, 13)), HALF_YEAR

    @rule(r"(上|下)半年")
    def _half(m):
        return (tuple(range(1, 7)) if m[1] == "上" else tuple(range(7, 13))), HALF_YEAR

    @rule(r"全年|年内|全学年|年度内")
    def _whole_year(m):
        return tuple(range(1, 13)), YEAR

    @rule(r"年底|年末|岁末")
    def _year_end(m):
        return (12,), YEAR, MONTH_END

    @rule(r"年初")
    def _year_start(m):
        return (1,), YEAR

    @rule(r"年中")
    def _mid_year(m):
        return (6, 7), YEAR

    @rule(r"寒假")
    def _winter_break(m):
        return (1, 2), MONTH

    @rule(r"暑假|暑期")
    def _summer_break(m):
        return (7, 8), MONTH

    # Recurring work (schedule.recurrence reads how often from the text as written).
    @rule(rf"每个?月\s*({_D})\s*[日号]")
    def _monthly_by_day(m):
        return tuple(range(1, 13)), MONTH, to_int(m[1])

    @rule(r"每个?月(?:底|末)")
    def _monthly_at_end(m):
        return tuple(range(1, 13)), MONTH, MONTH_END

    @rule(r"每月|每个月")
    def _monthly(m):
        return tuple(range(1, 13)), MONTH

    @rule(r"(?:每季度|每个季度)(?:末|底)?")
    def _quarterly(m):
        return tuple(range(1, 13)), QUARTER

    @rule(r"每半年")
    def _half_yearly(m):
        return tuple(range(1, 13)), HALF_YEAR

    @rule(r"每学期(?:末)?")
    def _each_term(m):
        return tuple(range(1, 13)), HALF_YEAR

    @rule(r"每周|每星期")
    def _weekly(m):
        return tuple(range(1, 13)), MONTH

    return rules


RULES = _rules()
YEAR_PREFIX = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年(?!底|末|初|中|内|度)\s*")
YEAR_ONLY_PREFIX = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*(?=年(?:底|末|初|中|内))")
RANGE_JOIN = re.compile(_DASH)
LIST_JOIN = re.compile(r"\s*(?:、|和|及|与|以及)\s*")
ITEM_AFTER = re.compile(r"\d{1,2}\s*[.．、](?!\d)")
SUFFIX = re.compile(r"(?:以前|之前|前|以内|内|期间|左右)")


def _atom(text: str, pos: int) -> _Atom | None:
    for pattern, func in RULES:
        match = pattern.match(text, pos)
        if match:
            months, granularity, *day = func(match)
            if months:
                return _Atom(months, granularity, match.end(), day[0] if day else None)
    return None


def _finer(a: str, b: str) -> str:
    return min(a, b, key=GRANULARITY_ORDER.index)


def match_period(text: str) -> Period | None:
    """The period that leads `text`, if any (the rest of `text` is the work it dates)."""
    pos = 0
    prefix = YEAR_PREFIX.match(text) or YEAR_ONLY_PREFIX.match(text)
    if prefix:
        pos = prefix.end()
    atom = _atom(text, pos)
    if atom is None:
        return None
    months, granularity, end, day = set(atom.months), atom.granularity, atom.end, atom.day
    while True:
        joined = RANGE_JOIN.match(text, end)
        if joined:
            nxt = _atom(text, joined.end())
            if nxt and min(nxt.months) >= min(months):
                months = set(range(min(months), max(nxt.months) + 1))
                granularity, end = _finer(granularity, nxt.granularity), nxt.end
                day = nxt.day
                continue
        joined = LIST_JOIN.match(text, end)
        if joined:
            nxt = _atom(text, joined.end())
            if nxt:
                # 5月、9月: several dates, no single deadline unless the last one states a day.
                day = nxt.day if max(nxt.months) >= max(months) else day
                months |= set(nxt.months)
                granularity, end = _finer(granularity, nxt.granularity), nxt.end
                continue
        break
    suffix = SUFFIX.match(text, end)
    if suffix:
        end = suffix.end()
    # A period is a whole phrase: 12所 or 3-5年 must not pass for one; a numbered item may follow
    # it directly (一季度1.印发要点, a table's period cell and work cell read as one line).
    if end < len(text) and text[end].isdigit() and not ITEM_AFTER.match(text, end):
        return None
    return Period(
        text=text[:end].strip(),
        months=tuple(sorted(months)),
        granularity=granularity,
        deadline_day=day,
    )


PERIOD_SEPARATOR = re.compile(r"\s*[，,：:、]?\s*")


def split_period(text: str) -> tuple[Period, str] | None:
    """'8-9月，制定方案' → (Period('8-9月'), '制定方案')."""
    period = match_period(text)
    if period is None:
        return None
    rest = text[len(period.text) :]
    rest = rest[PERIOD_SEPARATOR.match(rest).end() :]
    return period, rest


def parse_period(text: str) -> Period | None:
    """The period when `text` is nothing but a period (a heading like 一月份： or 一季度)."""
    stripped = re.sub(r"[（(][^）)]*[）)]$", "", text.strip()).rstrip("：: ")
    period = match_period(stripped)
    if period is None or period.text != stripped:
        return None
    return Period(
        text=stripped,
        months=period.months,
        granularity=period.granularity,
        deadline_day=period.deadline_day,
    )
