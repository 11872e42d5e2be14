"""One calendar structure for every calendar view (schedule.calendars): which rows a line falls
in, which it continues into, the row it is due in, standing work, month or quarter, and where
today falls. Pure: lines are parsed periods, no database."""

import datetime
from dataclasses import dataclass

import pytest

from schedule.calendars import calendar_today, is_standing, schedule_calendar
from schedule.periods import parse_period

MONTH_LABELS = {month: f"{month}月" for month in range(1, 13)}
QUARTER_LABELS = {quarter: f"Q{quarter}" for quarter in range(1, 5)}


@dataclass
class Line:
    period: str
    month_list: list[int]
    granularity: str
    deadline_day: int | None
    end_month: int


def line(period: str) -> Line:
    parsed = parse_period(period)
    assert parsed is not None, period
    return Line(period, list(parsed.months), parsed.granularity, parsed.deadline_day, parsed.end_month)


def calendar(*periods: str, year: int = 2024, today: datetime.date = datetime.date(2024, 9, 5)):
    return schedule_calendar(
        entries=[line(period) for period in periods],
        year=year,
        today=today,
        month_labels=MONTH_LABELS,
        quarter_labels=QUARTER_LABELS,
    )


def periods_by_row(result) -> dict[str, list[str]]:
    return {row.label: [item.entry.period for item in row.items] for row in result.rows if row.items}


@pytest.mark.parametrize(
    "period, standing",
    [
        ("全年", True),
        ("每月", True),
        ("每季度", True),
        ("上半年", True),
        ("上半年和下半年", True),
        ("二、三季度", False),
        ("4-9月", False),
        ("6月底前", False),
    ],
)
def test_standing_work_runs_on_and_a_long_stretch_is_still_a_date(period, standing):
    assert is_standing(line(period)) is standing


def test_a_line_sits_in_every_month_it_falls_in_and_standing_work_once_above():
    result = calendar("全年", "5月、9月", "8-9月", "3月20日前")

    assert [entry.period for entry in result.standing] == ["全年"]
    assert not result.by_quarter
    assert [row.label for row in result.rows] == [f"{month}月" for month in range(1, 13)]
    assert periods_by_row(result) == {
        "3月": ["3月20日前"],
        "5月": ["5月、9月"],
        "8月": ["8-9月"],
        "9月": ["5月、9月", "8-9月"],
    }


def test_a_line_continues_into_the_next_month_but_a_second_date_does_not():
    september = calendar("5月、9月", "8-9月").rows[8]

    assert [(item.entry.period, item.continued, item.starts) for item in september.items] == [
        ("5月、9月", False, False),
        ("8-9月", True, False),
    ]


def test_a_line_is_due_in_its_last_row_only_and_the_page_lists_it_first():
    result = calendar("8-9月", "8月下旬-9月上旬")
    august, september = result.rows[7], result.rows[8]

    assert [item.due for item in august.items] == [None, None]
    assert [item.due for item in september.items] == [None, datetime.date(2024, 9, 10)]
    assert [item.entry.period for item in september.due_first] == ["8月下旬-9月上旬", "8-9月"]
    assert september.entries == [item.entry for item in september.items]  # the notice's order
    assert (august.deadlines, september.deadlines) == (0, 1)


def test_a_calendar_is_by_quarter_only_when_every_line_is_written_by_quarter():
    by_quarter = calendar("一季度", "二、三季度")
    mixed = calendar("一季度", "4月")

    assert by_quarter.by_quarter
    assert periods_by_row(by_quarter) == {"Q1": ["一季度"], "Q2": ["二、三季度"], "Q3": ["二、三季度"]}
    assert not mixed.by_quarter and len(mixed.rows) == 12
    assert not calendar().by_quarter and calendar().is_empty


def test_today_marks_its_month_or_quarter_in_its_own_year_only():
    assert calendar_today(year=2024, today=datetime.date(2024, 9, 5)).quarter == 3
    assert calendar_today(year=2025, today=datetime.date(2024, 9, 5)) is None
    assert [row.key for row in calendar("3月").rows if row.is_current] == [9]
    assert [row.key for row in calendar("一季度").rows if row.is_current] == [3]
    assert not any(row.is_current for row in calendar("3月", year=2025).rows)


def test_the_listing_gives_each_line_once_standing_first_then_by_the_row_it_starts_in():
    result = calendar("9月", "全年", "5月、9月", "8-9月", "每月")

    assert [(row.label if row else None, entry.period) for row, entry in result.listing()] == [
        (None, "全年"),
        (None, "每月"),
        ("5月", "5月、9月"),
        ("8月", "8-9月"),
        ("9月", "9月"),
    ]
