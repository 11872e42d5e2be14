"""When an assignment is due: the day its period states, else the end of its last month, moved
back to a working day on the official holiday calendar (weekdays only where it has no data)."""

import datetime

import pytest

from organisation.services.calendar import official_calendar_get
from plans.models import ScheduleEntry, months_to_mask
from schedule.periods import parse_period
from schedule.urgency import is_late_to_acknowledge
from tracking.services.assignments import (
    due_date_for,
    working_day_on_or_before,
    working_days_between,
)

D = datetime.date

# Working days come from the official calendar, which the database holds.
pytestmark = pytest.mark.django_db


def entry(period: str) -> ScheduleEntry:
    parsed = parse_period(period)
    assert parsed is not None, period
    return ScheduleEntry(
        period=period,
        start_month=parsed.start_month,
        end_month=parsed.end_month,
        months=months_to_mask(parsed.months),
        granularity=parsed.granularity,
        deadline_day=parsed.deadline_day,
    )


@pytest.mark.parametrize(
    "year, period, due",
    [
        # Every period form the seed notices use, in their own years.
        (2017, "1月31日前", D(2017, 1, 26)),  # 27 Jan – 2 Feb 2017: Spring Festival; 26 Jan works
        (2017, "3月中旬", D(2017, 3, 20)),
        (2017, "3月", D(2017, 3, 31)),
        (2017, "3-4月", D(2017, 4, 28)),  # 29 Apr – 1 May 2017: Labour Day
        (2017, "8-9月", D(2017, 9, 30)),  # a Saturday, but a make-up working day before 1 Oct
        (2017, "10月-11月", D(2017, 11, 30)),
        (2017, "8月下旬-9月上旬", D(2017, 9, 8)),  # the 10th is a Sunday
        (2017, "5月、9月", D(2017, 9, 30)),
        (2017, "上半年", D(2017, 6, 30)),
        (2017, "上半年和下半年", D(2017, 12, 29)),
        (2017, "全年", D(2017, 12, 29)),
        (2017, "年底前", D(2017, 12, 29)),
        (2017, "七、八月份", D(2017, 8, 31)),
        (2017, "十二月份", D(2017, 12, 29)),
        (2020, "一季度", D(2020, 3, 31)),
        (2020, "二季度", D(2020, 6, 30)),
        (2020, "三季度", D(2020, 9, 30)),
        (2020, "四季度", D(2020, 12, 31)),
        (2017, "6月底前", D(2017, 6, 30)),
    ],
)
def test_each_period_form_of_the_seeds_becomes_a_due_date(year, period, due):
    result = due_date_for(plan_year=year, entry=entry(period))

    assert (result.date, result.approximate) == (due, False)


def test_a_task_without_calendar_lines_is_due_on_the_last_working_day_of_the_year():
    assert due_date_for(plan_year=2017, entry=None).date == D(2017, 12, 29)
    assert due_date_for(plan_year=2021, entry=None).date == D(2021, 12, 31)


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2024, 2, 12), D(2024, 2, 9)),  # Spring Festival 2024: 10–17 Feb; 除夕 (the 9th) works
        (D(2024, 2, 18), D(2024, 2, 18)),  # a Sunday made a working day
        (D(2024, 10, 7), D(2024, 9, 30)),  # National Day week back to the Monday before
        (D(2025, 10, 8), D(2025, 9, 30)),  # National Day and Mid-Autumn 2025: 1–8 Oct
        (D(2025, 9, 28), D(2025, 9, 28)),  # a Sunday made a working day before it
        (D(2023, 10, 1), D(2023, 9, 28)),  # 29 Sep – 6 Oct 2023
    ],
)
def test_a_due_date_moves_back_over_spring_festival_and_national_day(day, working):
    due = working_day_on_or_before(day)
    assert (due.date, due.approximate) == (working, False)


def test_a_year_the_official_calendar_does_not_cover_skips_weekends_only_and_says_so():
    due = working_day_on_or_before(D(2031, 2, 2))  # a Sunday; 2031 has no official data yet

    assert (due.date, due.approximate) == (D(2031, 1, 31), True)


def test_working_days_between_skip_holidays():
    # From Friday 27 Sep 2024 to Tuesday 8 Oct 2024: Sunday 29 Sep, Monday 30 Sep, Tue 8 Oct
    # (the 29th was a make-up working day; 1–7 Oct the holiday).
    assert working_days_between(D(2024, 9, 27), D(2024, 10, 8)) == 3


def test_late_to_acknowledge_counts_working_days_only_as_far_as_the_limit():
    # Sent Friday 27 Sep 2024: three working days by 8 Oct (the National Day week between), a
    # fourth on 9 Oct; a start years back answers the same without walking the years.
    calendar = official_calendar_get()

    assert not is_late_to_acknowledge(sent=D(2024, 9, 27), today=D(2024, 10, 8), calendar=calendar)
    assert is_late_to_acknowledge(sent=D(2024, 9, 27), today=D(2024, 10, 9), calendar=calendar)
    assert is_late_to_acknowledge(sent=D(2004, 1, 2), today=D(2026, 11, 30), calendar=calendar)
    assert working_days_between(D(2004, 1, 2), D(2026, 11, 30), at_most=4) == 4
