"""Assignments: what publishing a plan sends to each county, and when it is due.

The rules (the publish page shows them to staff):
- A task that names counties goes to each of them; a task addressed to all counties
  (各县（市、区）…) goes to every county of the issuing office's region; a task that names none
  is the office's own work and goes to nobody.
- A task with calendar lines goes as one assignment per line and county (a line that names
  counties of its own goes to those); a task without lines goes as one assignment per county,
  due at the end of the plan year. A calendar line of no task goes to the counties it names.
- Due dates: the day the period states (1月31日前, 6月底前, 3月中旬 → the 20th), else the end of its
  last month (二季度 → 30 June; 全年, 年底前 → 31 December), moved back to a working day on the
  official calendar (chinese-calendar); for a year that calendar does not cover yet, weekends
  only, and the assignment says so.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

import chinese_calendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from plans.models import (
    Assignment,
    County,
    EntryTarget,
    ScheduleEntry,
    Task,
    TaskTarget,
    WorkPlan,
)
from plans.parsing.periods import period_due_date
from plans.services.content import office_county_ids
from plans.services.history import acting_as

error_messages = {
    "reason_required": _("Say why the due date moves: the county sees the reason."),
    "closed": _("This assignment is closed; its due date no longer changes."),
}


# --- Due dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDate:
    date: datetime.date
    # The official calendar does not cover the year: only weekends were skipped.
    approximate: bool = False


def is_working_day(day: datetime.date) -> tuple[bool, bool]:
    """(working, known): whether `day` is a working day, and whether the official calendar
    said so (False: a year it does not cover, judged by the weekday alone)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def working_day_on_or_before(day: datetime.date) -> DueDate:
    approximate = False
    for _step in range(40):  # the longest holiday runs about nine days
        working, known = is_working_day(day)
        approximate = approximate or not known
        if working:
            return DueDate(day, approximate)
        day -= datetime.timedelta(days=1)
    return DueDate(day, approximate)


def working_days_between(start: datetime.date, end: datetime.date, *, at_most: int | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start); counting
    stops at `at_most` when given (a year-old start otherwise walks a year of days, and each
    costs the holiday calendar a lookup)."""
    count, day = 0, start
    while day < end and (at_most is None or count < at_most):
        day += datetime.timedelta(days=1)
        count += is_working_day(day)[0]
    return count


def more_working_days_than(start: datetime.date, end: datetime.date, limit: int) -> bool:
    """Whether more than `limit` working days come after `start` up to and including `end`."""
    return working_days_between(start, end, at_most=limit + 1) > limit


def rule_date(*, plan_year: int, entry: ScheduleEntry | None) -> datetime.date:
    """The calendar date the rules give, before it moves to a working day."""
    if entry is None:
        return datetime.date(plan_year, 12, 31)
    return period_due_date(plan_year, entry.end_month, entry.deadline_day)


def due_date_for(*, plan_year: int, entry: ScheduleEntry | None) -> DueDate:
    return working_day_on_or_before(rule_date(plan_year=plan_year, entry=entry))


# --- What publishing sends ---------------------------------------------------------------------


@dataclass
class Planned:
    task: Task | None
    entry: ScheduleEntry | None
    county_id: int
    label: str
    due: DueDate


def _label(task: Task | None, entry: ScheduleEntry | None) -> str:
    parts = []
    if task is not None:
        parts.append(f"{task.label or str(task.number) + '.'}{task.title}")
    if entry is not None:
        parts.append(f"{entry.period}：{entry.text}")
    return " · ".join(parts)


def assignments_planned(*, plan: WorkPlan) -> list[Planned]:
    """What publishing `plan` as it stands sends to counties (see the rules above)."""
    tasks = list(Task.objects.filter(plan=plan).order_by("number"))
    entries = list(ScheduleEntry.objects.filter(plan=plan).order_by("position"))
    task_counties, entry_counties = defaultdict(set), defaultdict(set)
    for task_id, county_id in TaskTarget.objects.filter(task__plan=plan).values_list("task_id", "county_id"):
        task_counties[task_id].add(county_id)
    for entry_id, county_id in EntryTarget.objects.filter(entry__plan=plan).values_list("entry_id", "county_id"):
        entry_counties[entry_id].add(county_id)
    if any(task.addresses_all_counties for task in tasks):
        region = set(office_county_ids(plan.office))
        for task in tasks:
            if task.addresses_all_counties:
                task_counties[task.pk] |= region
    entries_of = defaultdict(list)
    for entry in entries:
        entries_of[entry.task_id].append(entry)
    planned = []
    for task in tasks:
        counties = task_counties.get(task.pk)
        if not counties:
            continue  # the office's own work
        lines = entries_of.get(task.pk, [])
        if not lines:
            due = due_date_for(plan_year=plan.plan_year, entry=None)
            planned += [Planned(task, None, c, _label(task, None), due) for c in sorted(counties)]
            continue
        for entry in lines:
            due = due_date_for(plan_year=plan.plan_year, entry=entry)
            for county in sorted(entry_counties.get(entry.pk) or counties):
                planned.append(Planned(task, entry, county, _label(task, entry), due))
    for entry in entries_of.get(None, []):
        due = due_date_for(plan_year=plan.plan_year, entry=entry)
        for county in sorted(entry_counties.get(entry.pk, ())):
            planned.append(Planned(None, entry, county, _label(None, entry), due))
    return planned


def assignments_by_county(planned: list[Planned]) -> list[tuple[County, int]]:
    """How many assignments each county would get, by division code."""
    counts = defaultdict(int)
    for item in planned:
        counts[item.county_id] += 1
    counties = County.objects.filter(pk__in=counts).select_related("city").order_by("code", "name")
    return [(county, counts[county.pk]) for county in counties]


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    reopened: int = 0


def assignments_sync(*, plan: WorkPlan, acting_user, revision: int) -> SyncResult:
    """Make the plan's assignments what the published plan says: new ones for new targets,
    withdrawn ones closed with a note, due dates and labels of open ones brought up to date
    (a due date staff moved stays). Reports are never touched. Runs inside publishing."""
    result = SyncResult()
    now = timezone.now()
    existing = {
        (a.task_id, a.entry_id, a.county_id): a
        for a in Assignment.objects.filter(plan=plan)
    }
    wanted = {}
    for item in assignments_planned(plan=plan):
        wanted[(item.task.pk if item.task else None, item.entry.pk if item.entry else None, item.county_id)] = item
    new, changed = [], []
    for key, item in wanted.items():
        assignment = existing.get(key)
        if assignment is None:
            new.append(
                Assignment(
                    plan=plan, task=item.task, entry=item.entry, county_id=item.county_id,
                    label=item.label, due_date=item.due.date, due_date_rule=item.due.date,
                    due_date_approximate=item.due.approximate, created_at=now,
                )
            )
            continue
        fields = {}
        if assignment.state == Assignment.State.WITHDRAWN:
            # The county is named again: the old assignment comes back, with its reports.
            fields.update(
                state=Assignment.State.ACKNOWLEDGED if assignment.acknowledged_at else Assignment.State.ASSIGNED,
                closed_at=None, closed_note="",
            )
            result.reopened += 1
        if assignment.label != item.label:
            fields["label"] = item.label
        if assignment.due_date_rule != item.due.date and assignment.state in Assignment.OPEN + (Assignment.State.WITHDRAWN,):
            if assignment.due_date == assignment.due_date_rule:
                fields["due_date"] = item.due.date
            fields["due_date_rule"] = item.due.date
            fields["due_date_approximate"] = item.due.approximate
        if fields:
            for name, value in fields.items():
                setattr(assignment, name, value)
            changed.append(assignment)
    note = gettext("Withdrawn by revision %(number)s of the plan.") % {"number": revision}
    for key, assignment in existing.items():
        if key not in wanted and assignment.state in Assignment.OPEN:
            assignment.state = Assignment.State.WITHDRAWN
            assignment.closed_at = now
            assignment.closed_note = note
            changed.append(assignment)
            result.withdrawn += 1
    with acting_as(acting_user):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        if new:
            bulk_create_with_history(new, Assignment, batch_size=500, default_user=acting_user)
        if changed:
            bulk_update_with_history(
                changed, Assignment,
                ["state", "closed_at", "closed_note", "label", "due_date", "due_date_rule", "due_date_approximate"],
                batch_size=500, default_user=acting_user,
            )
    result.created = len(new)
    result.updated = len(changed) - result.withdrawn - result.reopened
    return result


@transaction.atomic
def assignment_due_date_set(*, assignment: Assignment, due_date: datetime.date, reason: str, acting_user) -> Assignment:
    """Staff move one county's due date, saying why (the county reads the reason)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_open:
        raise ValidationError(error_messages["closed"], code="closed")
    reason = (reason or "").strip()
    if due_date != assignment.due_date_rule and not reason:
        raise ValidationError(error_messages["reason_required"], code="reason_required")
    assignment.due_date = due_date
    assignment.due_date_reason = reason if due_date != assignment.due_date_rule else ""
    with acting_as(acting_user):
        assignment.save(update_fields=["due_date", "due_date_reason"])
    return assignment
