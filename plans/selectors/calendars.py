"""Reads for the calendar pages, the printed annex and the feeds: a plan's schedule (or an
office's, across its plans of a year) by month or quarter, with the deadlines it states.

One structure serves every calendar view (schedule.calendars.ScheduleCalendar): the notice and
its printed annex, the plan's and the office's calendar pages; the 分月安排 sheet and the feeds
ask the same rules. A calendar line sits in every month it falls in, except standing work (全年,
每月, 上半年…), which is listed once above the months. Query counts do not depend on the number
of lines: one query for the lines with their tasks and plans, one for their counties.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from organisation.models import Office
from plans.models import EntryTarget, ScheduleEntry, WorkPlan, mask_to_months
from plans.permissions import plan_reader, readable_plans_q
from plans.selectors.plans import TARGET_COUNTY, county_lists_of
from schedule import calendars
from schedule.calendars import ScheduleCalendar
from supervision.lookups import InArray
from supervision.prepared import Prepared

QUARTER_LABELS = {
    1: _("First quarter"),
    2: _("Second quarter"),
    3: _("Third quarter"),
    4: _("Fourth quarter"),
}
STANDING_LABEL = _("Throughout the year")


def row_label(key: int, *, by_quarter: bool) -> str:
    """A calendar row's name: 一月…十二月, or 第一季度…第四季度."""
    return str(QUARTER_LABELS[key] if by_quarter else MONTHS[key])


def _calendar_lines(*, plan_ids: list[int]) -> QuerySet[ScheduleEntry]:
    # In the order of the caller's list of plans (by title): ordered by the title here,
    # PostgreSQL hashed every plan of the table to join them (the largest plan's 129 lines:
    # 3.1 ms; 0.3 without the join).
    return (
        ScheduleEntry.objects.filter(InArray(F("plan_id"), plan_ids))
        .select_related("task")
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
        )
        .order_by("plan_id", "position")
    )


def _line_counties(*, plan_ids: list[int]) -> QuerySet:
    return (
        EntryTarget.objects.filter(InArray(F("entry__plan_id"), plan_ids))
        .values_list("entry_id", *TARGET_COUNTY)
        .order_by("county__code", "county__name")
    )


# Compiled once a process: the calendar pages read them on every request.
_calendar_lines_read = Prepared(_calendar_lines)
_line_counties_read = Prepared(_line_counties)


def calendar_lines(plans: list[WorkPlan]) -> list[ScheduleEntry]:
    """The calendar lines of `plans` (in the order of `plans`, each plan's in its order), with
    their task, plan and `county_list` (the calendar pages; the feeds read `feed_lines`)."""
    by_pk = {plan.pk: plan for plan in plans}
    plan_ids = list(by_pk)
    order = {pk: n for n, pk in enumerate(plan_ids)}
    entries = sorted(_calendar_lines_read(plan_ids=plan_ids), key=lambda entry: order[entry.plan_id])
    # No lines, no query for their counties.
    county_lists = county_lists_of(_line_counties_read(plan_ids=plan_ids), {}) if entries else {}
    for entry in entries:
        entry.plan = by_pk[entry.plan_id]
        entry.county_list = county_lists.get(entry.pk, [])
    return entries


class FeedLine(NamedTuple):
    """A calendar line as the iCalendar feeds write it, read as plain rows: a feed of an office's
    plans holds hundreds of lines, and as model instances with their tasks and counties they were
    a third of its time (a tuple, made from its row at C speed: a frozen dataclass's __init__ was
    a sixteenth of a feed's CPU). `counties`: the names of the counties it names."""

    key: object  # the line's UUID: its events' UIDs
    plan_id: int
    period: str
    text: str
    lead_unit: str
    months: int
    end_month: int
    deadline_day: int | None
    task_number: int | None
    task_title: str | None
    counties: tuple[str, ...]

    @property
    def month_list(self) -> list[int]:
        return mask_to_months(self.months)


def _feed_lines(*, plan_ids: list[int]) -> QuerySet:
    return (
        ScheduleEntry.objects.filter(InArray(F("plan_id"), plan_ids))
        .values_list(
            "id",
            "key",
            "plan_id",
            "period",
            "text",
            "lead_unit",
            "months",
            "end_month",
            "deadline_day",
            "task__number",
            "task__title",
        )
        .order_by("plan_id", "position")
    )


def _feed_line_counties(*, plan_ids: list[int]) -> QuerySet:
    return (
        EntryTarget.objects.filter(InArray(F("entry__plan_id"), plan_ids))
        .values_list("entry_id", "county__name")
        .order_by("county__code", "county__name")
    )


# Calendar clients poll every feed: compiled once a process.
_feed_lines_read = Prepared(_feed_lines)
_feed_line_counties_read = Prepared(_feed_line_counties)


def feed_lines(plans: list[WorkPlan]) -> list[FeedLine]:
    """The calendar lines of `plans` as the feeds write them (in the order of `plans`, each
    plan's in its order), with the names of their counties: two queries."""
    plan_ids = [plan.pk for plan in plans]
    if not plan_ids:
        return []
    order = {pk: n for n, pk in enumerate(plan_ids)}
    rows = sorted(_feed_lines_read(plan_ids=plan_ids), key=lambda row: order[row[2]])
    names: dict[int, list[str]] = {}
    if rows:
        for entry_id, name in _feed_line_counties_read(plan_ids=plan_ids):
            names.setdefault(entry_id, []).append(name)
    return [FeedLine._make((*row[1:], tuple(names.get(row[0], ())))) for row in rows]


def schedule_calendar(
    *,
    entries: list[ScheduleEntry],
    year: int,
    by_quarter: bool | None = None,
    today: datetime.date | None = None,
) -> ScheduleCalendar:
    """Months (or quarters) of `year` with the lines that fall in each, and the standing work.

    By quarter when every line is written by quarter (一季度…四季度) unless `by_quarter` says."""
    return calendars.schedule_calendar(
        entries=entries,
        year=year,
        today=today or timezone.localdate(),
        month_labels=MONTHS,
        quarter_labels=QUARTER_LABELS,
        by_quarter=by_quarter,
    )


def plan_calendar(*, plan: WorkPlan, today: datetime.date | None = None) -> ScheduleCalendar:
    """One plan's schedule as a calendar of its year."""
    entries = calendar_lines([plan])
    result = schedule_calendar(entries=entries, year=plan.plan_year, today=today)
    result.plans = [plan]
    return result


def _readable(reader: dict) -> QuerySet[WorkPlan]:
    where = readable_plans_q(**reader)
    return WorkPlan.objects.all() if where is None else WorkPlan.objects.filter(where)


def _office_calendar_plans(*, office_id: int, year: int, **reader) -> QuerySet[WorkPlan]:
    return (
        _readable(reader)
        .filter(office_id=office_id, plan_year=year, revision_of__isnull=True)
        .only("id", "title", "doc_number", "plan_year", "status", "revision", "revision_of_id", "office_id")
        .order_by("title", "pk")
    )


def _office_calendar_years(*, office_id: int, **reader) -> QuerySet:
    return (
        _readable(reader)
        .filter(office_id=office_id, revision_of__isnull=True)
        .order_by("-plan_year")
        .values_list("plan_year", flat=True)
        .distinct()
    )


def _office(*, office_id: int) -> QuerySet[Office]:
    return Office.objects.filter(pk=office_id).only("id", "name")[:1]


# Compiled once a process: an office's calendar reads them all.
_office_calendar_plans_read = Prepared(_office_calendar_plans)
_office_calendar_years_read = Prepared(_office_calendar_years)
_office_read = Prepared(_office)


def office_calendar_plans(*, office: Office, year: int, user) -> list[WorkPlan]:
    """The plans of `office` for `year` that `user` may read; a published plan stands for its
    draft revision (the revision is not issued yet and would repeat the plan)."""
    return _office_calendar_plans_read(office_id=office.pk, year=year, **plan_reader(user))


def office_calendar(*, office: Office, year: int, user, today: datetime.date | None = None) -> ScheduleCalendar:
    """Every line of the office's plans of `year` that `user` may read, month by month."""
    plans = office_calendar_plans(office=office, year=year, user=user)
    entries = calendar_lines(plans) if plans else []
    result = schedule_calendar(entries=entries, year=year, by_quarter=False, today=today)
    result.plans = plans
    return result


def office_calendar_years(*, office: Office, user) -> list[int]:
    """The years for which `user` may read some plan of `office`, latest first."""
    return _office_calendar_years_read(office_id=office.pk, **plan_reader(user))


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
    found = _office_read(office_id=office_id)
    return found[0] if found else None


def schedule_rows(calendar: ScheduleCalendar | None) -> list[tuple[str, ScheduleEntry]]:
    """Each line of `calendar` once, as the printed annex lists them (ScheduleCalendar.listing),
    each with the label of its group on the first line of the group, "" on the others."""
    rows, previous = [], ()
    for row, entry in calendar.listing() if calendar else []:
        if row is previous:
            label = ""
        else:
            label = str(STANDING_LABEL) if row is None else row.label
        rows.append((label, entry))
        previous = row
    return rows


# --- Feed addresses ----------------------------------------------------------------------------


def _feed_offices(*, first: int, last: int, **reader) -> QuerySet:
    q = readable_plans_q(**reader)
    plans = WorkPlan.objects.all() if q is None else WorkPlan.objects.filter(q)
    return (
        plans.filter(revision_of__isnull=True, plan_year__gte=first, plan_year__lte=last)
        .order_by("office__name")
        .values_list("office_id", "office__name")
        .distinct()
    )


# Compiled once a process: the feed settings page lists them.
_feed_offices_read = Prepared(_feed_offices)


def feed_offices(*, user, year: int) -> list[tuple[int, str]]:
    """(id, name) of the offices with plans `user` reads of the year before `year` to the one
    after, by name: an office feed address each."""
    return _feed_offices_read(first=year - 1, last=year + 1, **plan_reader(user))
