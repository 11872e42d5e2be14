"""Recurring work: a calendar line written 每月, 每月5日前, 每季度, 每半年, 每学期 or 每周 falls due
once per month, quarter, half-year, term or week of the plan's year, and each time is an
occurrence of its own with its own due date (before it moves to a working day).

The rules:
- 每月 is due on the last day of each month, 每月底前 likewise; 每月N日前 on the Nth (the last
  day of a shorter month), and a Nth that is no working day moves *forward* to the next one
  (遇节假日顺延, as monthly reporting deadlines do), where every other due date moves back.
- 每季度 and 每季度末 are due on the last day of each quarter; 每半年 on 30 June and 31 December.
- 每学期 is due at the end of each term within the year: the spring term on 30 June, the autumn
  term on 31 December (the year's work closes before the term does).
- 每周 is due each Sunday (moved back to the week's last working day); the last week of the year
  is due on 31 December.
- A recurring line restricted to some months (3-6月每月) falls due only in those months.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from schedule.periods import period_due_date

MONTHLY, QUARTERLY, HALF_YEARLY, TERMLY, WEEKLY = "monthly", "quarterly", "half_yearly", "termly", "weekly"

_CN_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}
_RECURRING = re.compile(
    r"每个?(?:(?P<monthly>月)|(?P<quarterly>季度)|(?P<half_yearly>半年)|(?P<termly>学期)|(?P<weekly>周|星期))"
)


@dataclass(frozen=True)
class Recurrence:
    kind: str
    # 每月N日前: the day of each month it is due by.
    day: int | None = None


@dataclass(frozen=True)
class Occurrence:
    # Stable across revisions and years: M03, Q2, H1, T2, W07.
    key: str
    number: int
    count: int
    label: str
    due: datetime.date
    # 每月N日前: a day off moves the due date to the next working day, not the one before.
    roll_forward: bool = False


def recurrence_of(period: str, *, deadline_day: int | None = None) -> Recurrence | None:
    """How often a calendar line's period (as written) falls due, or None for a single period."""
    match = _RECURRING.search(period or "")
    if match is None:
        return None
    kind = next(name for name, value in match.groupdict().items() if value)
    return Recurrence(kind, deadline_day if kind == MONTHLY else None)


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def occurrences(
    recurrence: Recurrence, *, year: int, months: tuple[int, ...] = tuple(range(1, 13))
) -> list[Occurrence]:
    """Each time the work falls due in `year`, first to last, numbered 1..count."""
    wanted = set(months) or set(range(1, 13))
    found: list[tuple[str, str, datetime.date]] = []
    forward = recurrence.kind == MONTHLY and recurrence.day is not None and recurrence.day < 28
    if recurrence.kind == MONTHLY:
        for month in sorted(wanted):
            found.append((f"M{month:02d}", f"{month}月", period_due_date(year, month, recurrence.day)))
    elif recurrence.kind == QUARTERLY:
        for quarter in range(1, 5):
            last = quarter * 3
            if wanted & {last - 2, last - 1, last}:
                found.append(
                    (f"Q{quarter}", f"{_CN_QUARTER[quarter]}季度", datetime.date(year, last, _month_end(year, last)))
                )
    elif recurrence.kind in (HALF_YEARLY, TERMLY):
        names = ("上半年", "下半年") if recurrence.kind == HALF_YEARLY else ("春季学期", "秋季学期")
        prefix = "H" if recurrence.kind == HALF_YEARLY else "T"
        for half, (first, last) in enumerate(((1, 6), (7, 12)), start=1):
            if wanted & set(range(first, last + 1)):
                found.append((f"{prefix}{half}", names[half - 1], datetime.date(year, last, _month_end(year, last))))
    elif recurrence.kind == WEEKLY:
        number = 1
        while True:
            monday, due = _week(year, number)
            if due.month in wanted or monday.month in wanted:
                label = f"第{number}周（{monday.month}月{monday.day}日—{due.month}月{due.day}日）"
                found.append((f"W{number:02d}", label, due))
            if due == datetime.date(year, 12, 31):
                break
            number += 1
    count = len(found)
    return [Occurrence(key, n, count, label, due, forward) for n, (key, label, due) in enumerate(found, start=1)]


def _week(year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of week `number` of `year`: weeks end on Sunday, the first begins
    on 1 January and the last ends on 31 December."""
    first_sunday = datetime.date(year, 1, 1) + datetime.timedelta(days=(6 - datetime.date(year, 1, 1).weekday()))
    sunday = first_sunday + datetime.timedelta(days=7 * (number - 1))
    return (
        max(sunday - datetime.timedelta(days=6), datetime.date(year, 1, 1)),
        min(sunday, datetime.date(year, 12, 31)),
    )


_KEY = re.compile(r"^(?P<prefix>[MQHTW])(?P<number>\d{1,2})$")


def occurrence_span(key: str, year: int) -> tuple[datetime.date, datetime.date] | None:
    """The days an occurrence of `year` covers, from its key: M03 is March, Q2 April to June,
    H1 and T1 January to June (the spring term as the year holds it), W07 the seventh week.
    None for a key that names no occurrence. Work done on one of those days (a school visit)
    is that occurrence's."""
    match = _KEY.match(key or "")
    if match is None:
        return None
    prefix, number = match["prefix"], int(match["number"])
    if prefix == "M" and 1 <= number <= 12:
        return datetime.date(year, number, 1), datetime.date(year, number, _month_end(year, number))
    if prefix == "Q" and 1 <= number <= 4:
        last = number * 3
        return datetime.date(year, last - 2, 1), datetime.date(year, last, _month_end(year, last))
    if prefix in "HT" and number in (1, 2):
        first, last = (1, 6) if number == 1 else (7, 12)
        return datetime.date(year, first, 1), datetime.date(year, last, _month_end(year, last))
    if prefix == "W" and number >= 1:
        monday, sunday = _week(year, number)
        return (monday, sunday) if monday <= sunday and monday.year == year else None
    return None
