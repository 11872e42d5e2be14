"""A year's work calendar as a table: months (or quarters) as rows, each with the lines that fall
in it, and the standing work listed once above them.

Every calendar view asks this module: the notice and its printed annex, the plan's and the
office's calendar pages, the 分月安排 sheet and the feeds. A line is anything with `month_list`,
`granularity`, `deadline_day` and `end_month` (a ScheduleEntry); the rows' labels are passed in,
translated by the caller.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .periods import HALF_YEAR, QUARTER, YEAR, period_due_date


class CalendarLine(Protocol):
    month_list: list[int]
    granularity: str
    deadline_day: int | None
    end_month: int


def is_standing(line: CalendarLine) -> bool:
    """全年, 每月, 每季度, 上半年, 上半年和下半年: work that runs on, not a date, listed once rather
    than in every month it covers. "二、三季度" or "4-9月" are dates, however long."""
    months = line.month_list
    if len(months) == 12:
        return True
    return line.granularity in (YEAR, HALF_YEAR) and len(months) >= 6


def is_by_quarter(granularities: Iterable[str]) -> bool:
    """A calendar is by quarter when every line of it is written by quarter (一季度…四季度), by
    month otherwise (and when it has no line)."""
    return set(granularities) == {QUARTER}


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def row_key(month: int, *, by_quarter: bool) -> int:
    """The row a month falls in: the month itself, or its quarter."""
    return quarter_of(month) if by_quarter else month


def row_keys(months: Iterable[int], *, by_quarter: bool) -> list[int]:
    """The rows a line of `months` falls in, in order, each once."""
    return sorted({row_key(month, by_quarter=by_quarter) for month in months})


def due_date(line: CalendarLine, year: int) -> datetime.date | None:
    """The day a line states it is due by in `year` (6月底前 → 30 June), or None."""
    if not line.deadline_day:
        return None
    return period_due_date(year, line.end_month, line.deadline_day)


@dataclass(frozen=True)
class CalendarToday:
    """Where "now" falls in a plan year."""

    month: int
    quarter: int


def calendar_today(*, year: int, today: datetime.date) -> CalendarToday | None:
    """Where `today` falls in `year`: nothing when it is another year."""
    if year != today.year:
        return None
    return CalendarToday(month=today.month, quarter=quarter_of(today.month))


@dataclass
class CalendarItem:
    """A line as one month (or quarter) of the calendar shows it."""

    entry: Any
    # The due date when it falls in this row (a line is due in its last row only).
    due: datetime.date | None = None
    # The line began in an earlier row (8-9月 in September).
    continued: bool = False
    # The line's first row, where the printed annex and the sheet list it.
    starts: bool = False


@dataclass
class CalendarRow:
    key: int
    label: str
    # In document order.
    items: list[CalendarItem] = field(default_factory=list)
    is_current: bool = False

    @property
    def entries(self) -> list:
        """The lines of the row in document order, as the notice lists them."""
        return [item.entry for item in self.items]

    @property
    def due_first(self) -> list[CalendarItem]:
        """What is due in the row first, by date, then the rest in document order."""
        return sorted(self.items, key=lambda item: (item.due is None, item.due or datetime.date.min))

    @property
    def deadlines(self) -> int:
        return sum(1 for item in self.items if item.due)


@dataclass
class ScheduleCalendar:
    year: int
    by_quarter: bool
    rows: list[CalendarRow]
    standing: list
    today: CalendarToday | None
    plans: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.standing and not any(row.items for row in self.rows)

    def listing(self) -> list[tuple[CalendarRow | None, Any]]:
        """Each line once, with the row it starts in (None for standing work), as the printed
        annex and the 分月安排 sheet list them: standing work first, then row by row, in
        document order within a row."""
        listed = [(None, entry) for entry in self.standing]
        for row in self.rows:
            listed += [(row, item.entry) for item in row.items if item.starts]
        return listed


def schedule_calendar(
    *,
    entries: Iterable[CalendarLine],
    year: int,
    today: datetime.date,
    month_labels: Mapping[int, str],
    quarter_labels: Mapping[int, str],
    by_quarter: bool | None = None,
) -> ScheduleCalendar:
    """The months (or quarters) of `year` with the lines of `entries` that fall in each, and
    the standing work; by quarter when every line is written by quarter, unless `by_quarter`
    says. A line sits in every row it falls in; it is due in the last."""
    entries = list(entries)
    if by_quarter is None:
        by_quarter = is_by_quarter(entry.granularity for entry in entries)
    now = calendar_today(year=year, today=today)
    if by_quarter:
        current, labels = (now.quarter if now else None), quarter_labels
    else:
        current, labels = (now.month if now else None), month_labels
    rows = [CalendarRow(key, str(labels[key]), is_current=key == current) for key in sorted(labels)]
    standing = []
    for entry in entries:
        if is_standing(entry):
            standing.append(entry)
            continue
        keys = row_keys(entry.month_list, by_quarter=by_quarter)
        due = due_date(entry, year)
        for key in keys:
            # 8-9月 continues into September; 5月、9月 is a second date, not a continuation.
            rows[key - 1].items.append(
                CalendarItem(
                    entry, due=due if key == keys[-1] else None, continued=key - 1 in keys, starts=key == keys[0]
                )
            )
    return ScheduleCalendar(year=year, by_quarter=by_quarter, rows=rows, standing=standing, today=now)
