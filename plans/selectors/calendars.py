"""Reads for the calendar pages, the printed annex and the feeds: a plan's schedule (or an
office's, across its plans of a year) by month or quarter, with the deadlines it states.

A calendar line sits in every month it falls in, except standing work (全年, 每月, 上半年…),
which is listed once above the months (plans.selectors.plans.work_calendar). Query counts do
not depend on the number of lines: one query for the lines with their tasks and plans, one for
their counties.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from organisation.models import County, Office
from plans.models import ScheduleEntry, WorkPlan
from plans.selectors.plans import QUARTER_LABELS, _is_standing, work_plan_visible
from schedule.periods import period_due_date


@dataclass(frozen=True)
class CalendarToday:
    """Where "now" falls in a plan year: nothing when the year is not this year."""

    month: int
    quarter: int


def calendar_today(*, year: int, today: datetime.date | None = None) -> CalendarToday | None:
    today = today or timezone.localdate()
    if year != today.year:
        return None
    return CalendarToday(month=today.month, quarter=(today.month - 1) // 3 + 1)


def entry_due_date(entry: ScheduleEntry, year: int) -> datetime.date | None:
    """The day a line states it is due by in `year` (6月底前 → 30 June), or None."""
    if not entry.deadline_day:
        return None
    return period_due_date(year, entry.end_month, entry.deadline_day)


@dataclass
class CalendarItem:
    """A line as one month (or quarter) of the calendar shows it."""

    entry: ScheduleEntry
    # The due date when it falls in this row (a line is due in its last month only).
    due: datetime.date | None = None
    # The line began in an earlier row (8-9月 in September).
    continued: bool = False


@dataclass
class MonthRow:
    key: int
    label: str
    items: list[CalendarItem] = field(default_factory=list)
    is_current: bool = False

    @property
    def deadlines(self) -> int:
        return sum(1 for item in self.items if item.due)


@dataclass
class ScheduleCalendar:
    year: int
    by_quarter: bool
    rows: list[MonthRow]
    standing: list[ScheduleEntry]
    today: CalendarToday | None
    plans: list[WorkPlan] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.standing and not any(row.items for row in self.rows)


def _entries(plans: QuerySet | list) -> list[ScheduleEntry]:
    counties = County.objects.order_by("code", "name").only("id", "name", "code")
    return list(
        ScheduleEntry.objects.filter(plan__in=plans)
        .select_related("task", "plan")
        .only(
            "id",
            "key",
            "plan_id",
            "task_id",
            "position",
            "period",
            "start_month",
            "end_month",
            "months",
            "granularity",
            "deadline_day",
            "text",
            "lead_unit",
            "unconfirmed_places",
            "task__id",
            "task__number",
            "task__title",
            "plan__id",
            "plan__title",
            "plan__plan_year",
            "plan__status",
        )
        .order_by("plan__title", "plan_id", "position")
        .prefetch_related(Prefetch("counties", queryset=counties, to_attr="county_list"))
    )


def schedule_calendar(
    *,
    entries: list[ScheduleEntry],
    year: int,
    by_quarter: bool | None = None,
    today: datetime.date | None = None,
) -> ScheduleCalendar:
    """Months (or quarters) of `year` with the lines that fall in each, and the standing work.

    By quarter when every line is written by quarter (一季度…四季度) unless `by_quarter` says."""
    if by_quarter is None:
        by_quarter = bool(entries) and all(entry.granularity == ScheduleEntry.Granularity.QUARTER for entry in entries)
    now = calendar_today(year=year, today=today)
    if by_quarter:
        rows = [MonthRow(q, str(QUARTER_LABELS[q]), is_current=bool(now and now.quarter == q)) for q in range(1, 5)]
    else:
        rows = [MonthRow(m, str(MONTHS[m]), is_current=bool(now and now.month == m)) for m in range(1, 13)]
    standing = []
    for entry in entries:
        if _is_standing(entry):
            standing.append(entry)
            continue
        months = entry.month_list
        keys = sorted({(m - 1) // 3 + 1 for m in months}) if by_quarter else months
        last = keys[-1]
        due = entry_due_date(entry, year)
        for key in keys:
            # 8-9月 continues into September; 5月、9月 is a second date, not a continuation.
            rows[key - 1].items.append(CalendarItem(entry, due=due if key == last else None, continued=key - 1 in keys))
    for row in rows:
        # Within a month: what is due first, then the rest in document order.
        row.items.sort(key=lambda item: (item.due is None, item.due or datetime.date.min))
    return ScheduleCalendar(year=year, by_quarter=by_quarter, rows=rows, standing=standing, today=now)


def plan_calendar(*, plan: WorkPlan, today: datetime.date | None = None) -> ScheduleCalendar:
    """One plan's schedule as a calendar of its year."""
    entries = _entries([plan.pk])
    for entry in entries:
        entry.plan = plan
    result = schedule_calendar(entries=entries, year=plan.plan_year, today=today)
    result.plans = [plan]
    return result


def office_calendar_plans(*, office: Office, year: int, user) -> QuerySet[WorkPlan]:
    """The plans of `office` for `year` that `user` may read; a published plan stands for its
    draft revision (the revision is not issued yet and would repeat the plan)."""
    return (
        work_plan_visible(user=user)
        .filter(office=office, plan_year=year, revision_of__isnull=True)
        .only("id", "title", "doc_number", "plan_year", "status", "revision", "revision_of_id", "office_id")
        .order_by("title", "pk")
    )


def office_calendar(*, office: Office, year: int, user, today: datetime.date | None = None) -> ScheduleCalendar:
    """Every line of the office's plans of `year` that `user` may read, month by month."""
    plans = list(office_calendar_plans(office=office, year=year, user=user))
    entries = _entries([plan.pk for plan in plans]) if plans else []
    result = schedule_calendar(entries=entries, year=year, by_quarter=False, today=today)
    result.plans = plans
    return result


def office_calendar_years(*, office: Office, user) -> list[int]:
    """The years for which `user` may read some plan of `office`, latest first."""
    return list(
        work_plan_visible(user=user)
        .filter(office=office, revision_of__isnull=True)
        .order_by("-plan_year")
        .values_list("plan_year", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class YearLink:
    year: int
    rel: str  # "prev", "next", "current" or ""


def calendar_year_links(*, year: int, years: list[int]) -> list[YearLink]:
    """The year switch of a calendar: the years with plans and the two beside `year`, each once,
    in order (a year with plans right after this one was listed twice, as a year and as →)."""
    shown = {*years, year} | {other for other in (year - 1, year + 1) if other in WorkPlan.YEARS}
    rels = {year - 1: "prev", year: "current", year + 1: "next"}
    return [YearLink(other, rels.get(other, "")) for other in sorted(shown)]


def office_for_calendar(*, office_id: int) -> Office | None:
    return Office.objects.filter(pk=office_id).only("id", "name").first()


def schedule_rows(entries: list[ScheduleEntry], *, by_quarter: bool = False) -> list[tuple[str, ScheduleEntry]]:
    """Each line once, as the printed annex and the 分月安排 sheet list them: standing work
    first, then by the month (quarter) it starts in, in document order within it; each with
    the label of its group on the first line of the group, "" on the others."""

    def group(entry):
        if _is_standing(entry):
            return 0
        return (entry.start_month - 1) // 3 + 1 if by_quarter else entry.start_month

    rows, previous = [], None
    for entry in sorted(entries, key=lambda e: (group(e), e.position)):
        key = group(entry)
        if key == previous:
            label = ""
        elif key == 0:
            label = str(_("Throughout the year"))
        else:
            label = str(QUARTER_LABELS[key] if by_quarter else MONTHS[key])
        rows.append((label, entry))
        previous = key
    return rows
