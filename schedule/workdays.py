"""Working days on the official calendar (pure Python, no Django): the State Council's days off
(放假) and adjusted working days (调休上班) of each year it has published, weekdays otherwise.

A year the calendar holds no data for is judged by the weekday alone, and every answer for it
says so (`known` False), so that a due date computed before the year's notice is loaded can be
flagged and computed again once it is.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

# The longest run of days off (Spring Festival with the weekends around it) is about nine days.
_LONGEST_BREAK = 40


@dataclass(frozen=True)
class OfficialCalendar:
    days_off: frozenset[datetime.date] = frozenset()
    working_weekend_days: frozenset[datetime.date] = frozenset()
    years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_days(
        cls,
        *,
        days_off: Iterable[datetime.date],
        working_days: Iterable[datetime.date],
        years: Iterable[int],
    ) -> "OfficialCalendar":
        return cls(frozenset(days_off), frozenset(working_days), frozenset(years))

    def is_working_day(self, day: datetime.date) -> tuple[bool, bool]:
        """(working, known): whether `day` is a working day, and whether the official calendar
        said so (False: a year it holds no data for, judged by the weekday alone)."""
        if day.year not in self.years:
            return day.weekday() < 5, False
        if day in self.working_weekend_days:
            return True, True
        if day in self.days_off:
            return False, True
        return day.weekday() < 5, True

    def working_day_on_or_before(self, day: datetime.date) -> tuple[datetime.date, bool]:
        """The last working day on or before `day`, and whether weekdays alone decided it."""
        approximate = False
        for _step in range(_LONGEST_BREAK):
            working, known = self.is_working_day(day)
            approximate = approximate or not known
            if working:
                return day, approximate
            day -= datetime.timedelta(days=1)
        return day, approximate

    def working_day_on_or_after(self, day: datetime.date) -> tuple[datetime.date, bool]:
        """The first working day on or after `day`, and whether weekdays alone decided it."""
        approximate = False
        for _step in range(_LONGEST_BREAK):
            working, known = self.is_working_day(day)
            approximate = approximate or not known
            if working:
                return day, approximate
            day += datetime.timedelta(days=1)
        return day, approximate

    def working_days_between(self, start: datetime.date, end: datetime.date, *, at_most: int | None = None) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start); counting
        stops at `at_most` when given (a year-old start would otherwise walk a year of days)."""
        count, day = 0, start
        while day < end and (at_most is None or count < at_most):
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)[0]
        return count

    def working_days_after(self, day: datetime.date, count: int) -> datetime.date:
        """The date `count` working days after `day`."""
        while count > 0:
            day += datetime.timedelta(days=1)
            count -= self.is_working_day(day)[0]
        return day
