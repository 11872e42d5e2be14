"""Assignments: what publishing a plan sends to each county, and when it is due.

The rules (the publish page shows them to staff):
- A task that names counties goes to each of them; a task addressed to all counties
  (各县（市、区）…) goes to every county of the issuing office's region; a task that names none
  is the office's own work and goes to nobody.
- A task with calendar lines goes as one assignment per line and county (a line that names
  counties of its own goes to those); a task without lines goes as one assignment per county,
  due at the end of the plan year. A calendar line of no task goes to the counties it names.
- Recurring work (每月, 每月5日前, 每季度, 每半年, 每学期, 每周) goes as one assignment per
  occurrence in the year and county, each with its own due date (schedule.recurrence).
- Due dates: the day the period states (1月31日前, 6月底前, 3月中旬 → the 20th), else the end of its
  last month (二季度 → 30 June; 全年, 年底前 → 31 December), moved back to a working day on the
  official calendar (organisation.services.calendar: the State Council's notices as data); for a year
  it holds no data for yet, weekends only, and the assignment says so until the year is loaded.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import log_actions
from organisation.models import County
from organisation.selectors import counties_of
from organisation.services.calendar import official_calendar_get
from plans.models import EntryTarget, ScheduleEntry, Task, TaskTarget, WorkPlan, mask_to_months
from plans.services.content import PlanRows, office_county_ids
from schedule.obligations import obligation_label, task_heading
from schedule.periods import parse_period, period_due_date
from schedule.recurrence import Occurrence, occurrences, recurrence_of
from schedule.workdays import OfficialCalendar
from supervision.history import acting_as
from supervision.prepared import Prepared
from tracking import actions
from tracking.kinds import kind_get, kind_of, kinds, obligations_loaded
from tracking.models import Assignment

error_messages = {
    "unknown_kind": _("There is no kind of obligation “%(kind)s”."),
    "plan_work": _("Plan work is sent by publishing its plan."),
    "due_required": _("Say when it is due: a due date, or a period that recurs."),
    "reason_required": _("Say why the due date moves: the county sees the reason."),
    "closed": _("This assignment is closed; its due date no longer changes."),
    "not_open": _("This obligation is closed already."),
}


# --- Due dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDate:
    date: datetime.date
    # The official calendar does not cover the year: only weekends were skipped.
    approximate: bool = False


def is_working_day(day: datetime.date) -> tuple[bool, bool]:
    """(working, known): whether `day` is a working day, and whether the official calendar
    said so (False: a year it holds no data for, judged by the weekday alone)."""
    return official_calendar_get().is_working_day(day)


def working_day_on_or_before(day: datetime.date, *, calendar: OfficialCalendar | None = None) -> DueDate:
    return DueDate(*(calendar or official_calendar_get()).working_day_on_or_before(day))


def working_days_between(start: datetime.date, end: datetime.date, *, at_most: int | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start); counting
    stops at `at_most` when given."""
    return official_calendar_get().working_days_between(start, end, at_most=at_most)


def rule_date(*, plan_year: int, entry: ScheduleEntry | None) -> datetime.date:
    """The calendar date the rules give a single period, before it moves to a working day."""
    if entry is None:
        return datetime.date(plan_year, 12, 31)
    return period_due_date(plan_year, entry.end_month, entry.deadline_day)


def due_date_for(
    *,
    plan_year: int,
    entry: ScheduleEntry | None,
    occurrence: Occurrence | None = None,
    calendar: OfficialCalendar | None = None,
) -> DueDate:
    """When a task, a calendar line or one occurrence of a recurring line is due."""
    if occurrence is not None:
        official = calendar or official_calendar_get()
        if occurrence.roll_forward:
            return DueDate(*official.working_day_on_or_after(occurrence.due))
        return DueDate(*official.working_day_on_or_before(occurrence.due))
    return working_day_on_or_before(rule_date(plan_year=plan_year, entry=entry), calendar=calendar)


def entry_occurrences(entry: ScheduleEntry | None, plan_year: int) -> list[Occurrence | None]:
    """The times a calendar line falls due in the year: each occurrence of recurring work
    (schedule.recurrence), else once ([None])."""
    if entry is None:
        return [None]
    recurrence = recurrence_of(entry.period, deadline_day=entry.deadline_day)
    if recurrence is None:
        return [None]
    return occurrences(recurrence, year=plan_year, months=mask_to_months(entry.months)) or [None]


def assignment_due_by_rule(assignment: Assignment, *, calendar: OfficialCalendar | None = None) -> DueDate | None:
    """The due date the rules give plan work now (None when its line is gone)."""
    plan_year = assignment.year
    if assignment.entry_id is None:
        return None if assignment.task_id is None else due_date_for(plan_year=plan_year, entry=None, calendar=calendar)
    occurrence = None
    if assignment.occurrence:
        occurrence = next(
            (o for o in entry_occurrences(assignment.entry, plan_year) if o and o.key == assignment.occurrence), None
        )
        if occurrence is None:
            return None
    return due_date_for(plan_year=plan_year, entry=assignment.entry, occurrence=occurrence, calendar=calendar)


# --- What publishing sends ---------------------------------------------------------------------


@dataclass
class Planned:
    task: Task | None
    entry: ScheduleEntry | None
    county_id: int
    label: str
    due: DueDate
    occurrence: Occurrence | None = None


def _label(task: Task | None, entry: ScheduleEntry | None, occurrence: Occurrence | None = None) -> str:
    return obligation_label(
        task=task_heading(label=task.label, number=task.number, title=task.title) if task else None,
        period=entry.period if entry else None,
        text=entry.text if entry else None,
        occurrence=occurrence.label if occurrence else None,
    )


def _planned_for_line(task, entry, counties, plan_year, calendar) -> list[Planned]:
    planned = []
    for occurrence in entry_occurrences(entry, plan_year):
        due = due_date_for(plan_year=plan_year, entry=entry, occurrence=occurrence, calendar=calendar)
        label = _label(task, entry, occurrence)
        planned += [Planned(task, entry, county, label, due, occurrence) for county in sorted(counties)]
    return planned


def _plan_tasks(*, plan_id: int):
    # Without the search index's characters and pairs (about 1 KB a task), which no rule reads.
    return Task.objects.filter(plan_id=plan_id).defer("search_grams").order_by("number")


def _plan_lines(*, plan_id: int):
    return ScheduleEntry.objects.filter(plan_id=plan_id).order_by("position")


def _task_targets(*, plan_id: int):
    return TaskTarget.objects.filter(task__plan_id=plan_id).order_by().values_list("task_id", "county_id")


def _line_targets(*, plan_id: int):
    return EntryTarget.objects.filter(entry__plan_id=plan_id).order_by().values_list("entry_id", "county_id")


# Compiled once a process: the publish preview reads a plan's rows on every visit.
_plan_tasks_read = Prepared(_plan_tasks)
_plan_lines_read = Prepared(_plan_lines)
_task_targets_read = Prepared(_task_targets)
_line_targets_read = Prepared(_line_targets)


def assignments_planned(*, plan: WorkPlan, rows: PlanRows | None = None) -> list[Planned]:
    """What publishing `plan` as it stands sends to counties (see the rules above); `rows`:
    its parts as publishing read them (plans.services.content.plan_rows), else read here."""
    task_counties, entry_counties = defaultdict(set), defaultdict(set)
    if rows is not None:
        tasks, entries = rows.tasks, rows.entries
        for owners, targets in ((task_counties, rows.task_counties), (entry_counties, rows.entry_counties)):
            for owner, counties in targets.items():
                owners[owner].update(county_id for county_id, _name in counties)
    else:
        tasks = _plan_tasks_read(plan_id=plan.pk)
        entries = _plan_lines_read(plan_id=plan.pk)
        for task_id, county_id in _task_targets_read(plan_id=plan.pk):
            task_counties[task_id].add(county_id)
        for entry_id, county_id in _line_targets_read(plan_id=plan.pk):
            entry_counties[entry_id].add(county_id)
    return assignments_planned_from(
        tasks=tasks,
        entries=entries,
        task_counties=task_counties,
        entry_counties=entry_counties,
        region=lambda: rows.region if rows is not None and rows.region is not None else office_county_ids(plan.office),
        plan_year=plan.plan_year,
    )


def assignments_planned_from(
    *,
    tasks: list,
    entries: list,
    task_counties: dict[int, set[int]],
    entry_counties: dict[int, set[int]],
    region: Callable[[], Iterable[int]],
    plan_year: int,
) -> list[Planned]:
    """The rules above on a plan's rows, read no further: `tasks` by number and `entries` by
    position (Task and ScheduleEntry, or anything with their attributes: the data generator
    passes its own), the counties each names by pk, and `region`, asked only when a task is
    addressed to all counties, the counties of the issuing office's region."""
    task_counties = defaultdict(set, {pk: set(counties) for pk, counties in task_counties.items()})
    if any(task.addresses_all_counties for task in tasks):
        region = set(region())
        for task in tasks:
            if task.addresses_all_counties:
                task_counties[task.pk] |= region
    entries_of = defaultdict(list)
    for entry in entries:
        entries_of[entry.task_id].append(entry)
    calendar = official_calendar_get()
    planned = []
    for task in tasks:
        counties = task_counties.get(task.pk)
        if not counties:
            continue  # the office's own work
        lines = entries_of.get(task.pk, [])
        if not lines:
            due = due_date_for(plan_year=plan_year, entry=None, calendar=calendar)
            label = _label(task, None)
            planned += [Planned(task, None, c, label, due) for c in sorted(counties)]
            continue
        for entry in lines:
            planned += _planned_for_line(task, entry, entry_counties.get(entry.pk) or counties, plan_year, calendar)
    for entry in entries_of.get(None, []):
        planned += _planned_for_line(None, entry, entry_counties.get(entry.pk, ()), plan_year, calendar)
    return planned


def assignments_by_county(planned: list[Planned]) -> list[tuple[County, int]]:
    """How many assignments each county would get, by division code."""
    counts = defaultdict(int)
    for item in planned:
        counts[item.county_id] += 1
    return [(county, counts[county.pk]) for county in counties_of(counts, with_city=True)]


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    reopened: int = 0


@dataclass
class AssignmentChange:
    """What publishing does to one county's assignment: `kind` is "new" (a new assignment),
    "reopened" (a withdrawn one named again), "withdrawn", "redated" (the county's due date
    moves) or "updated" (its label or rule date only); `fields`: what is written."""

    kind: str
    county_id: int
    label: str
    old_due: datetime.date | None = None
    new_due: datetime.date | None = None
    planned: Planned | None = None
    assignment: Assignment | None = None
    fields: dict = field(default_factory=dict)


def _planned_key(item: Planned, task_id=None, entry_id=None):
    return (
        (task_id or (lambda t: t.pk))(item.task) if item.task else None,
        (entry_id or (lambda e: e.pk))(item.entry) if item.entry else None,
        item.county_id,
        item.occurrence.key if item.occurrence else "",
    )


def assignments_compare(
    *, existing: dict[tuple, Assignment], wanted: dict[tuple, Planned], revision: int, now=None
) -> list[AssignmentChange]:
    """The changes that make `existing` assignments (by task, calendar line, county and
    occurrence) what
    `wanted` says: publishing writes them, the publish page shows them (see assignments_sync)."""
    changes = []
    for key, item in wanted.items():
        assignment = existing.get(key)
        if assignment is None:
            changes.append(AssignmentChange("new", item.county_id, item.label, new_due=item.due.date, planned=item))
            continue
        fields, kind = {}, "updated"
        if assignment.state == Assignment.State.WITHDRAWN:
            # The county is named again: the old assignment comes back, with its reports.
            fields.update(
                state=Assignment.State.ACKNOWLEDGED if assignment.acknowledged_at else Assignment.State.ASSIGNED,
                closed_at=None,
                closed_note="",
            )
            kind = "reopened"
        if assignment.label != item.label:
            fields["label"] = item.label
        if item.occurrence and assignment.occurrence_count != item.occurrence.count:
            # 3-6月每月 widened to 3-9月每月: the same occurrences, numbered of a new count.
            fields.update(occurrence_number=item.occurrence.number, occurrence_count=item.occurrence.count)
        if assignment.due_date_rule != item.due.date and assignment.state in Assignment.OPEN + (
            Assignment.State.WITHDRAWN,
        ):
            # A due date staff moved stays where they put it.
            if assignment.due_date == assignment.due_date_rule:
                fields["due_date"] = item.due.date
                kind = "redated" if kind == "updated" else kind
            fields["due_date_rule"] = item.due.date
            fields["due_date_approximate"] = item.due.approximate
        if fields:
            changes.append(
                AssignmentChange(
                    kind,
                    item.county_id,
                    item.label,
                    old_due=assignment.due_date,
                    new_due=fields.get("due_date", assignment.due_date),
                    planned=item,
                    assignment=assignment,
                    fields=fields,
                )
            )
    note = gettext("Withdrawn by revision %(number)s of the plan.") % {"number": revision}
    for key, assignment in existing.items():
        if key not in wanted and assignment.state in Assignment.OPEN:
            changes.append(
                AssignmentChange(
                    "withdrawn",
                    assignment.county_id,
                    assignment.label,
                    old_due=assignment.due_date,
                    assignment=assignment,
                    fields={
                        "state": Assignment.State.WITHDRAWN,
                        "closed_at": now or timezone.now(),
                        "closed_note": note,
                    },
                )
            )
    return changes


def assignments_preview(*, plan: WorkPlan, planned: list[Planned] | None = None) -> list[AssignmentChange]:
    """What publishing `plan` now would do to the assignments counties already have: for a
    draft revision, those of the plan it revises, its tasks and calendar lines taken as the
    plan's rows of the same key (publishing writes them so); nothing for a first publication.
    `planned`: assignments_planned(plan=plan), when the caller has it already."""
    if plan.revision_of_id is None:
        return []
    target = plan.revision_of
    task_ids = dict(Task.objects.filter(plan=target).values_list("key", "pk"))
    entry_ids = dict(ScheduleEntry.objects.filter(plan=target).values_list("key", "pk"))
    wanted = {
        _planned_key(
            item,
            task_id=lambda t: task_ids.get(t.key, ("new", t.key)),
            entry_id=lambda e: entry_ids.get(e.key, ("new", e.key)),
        ): item
        for item in (assignments_planned(plan=plan) if planned is None else planned)
    }
    existing = {(a.task_id, a.entry_id, a.county_id, a.occurrence): a for a in Assignment.objects.filter(plan=target)}
    return assignments_compare(existing=existing, wanted=wanted, revision=plan.revision)


@dataclass
class CountyChanges:
    county: County
    gained: list[AssignmentChange] = field(default_factory=list)  # new and reopened
    withdrawn: list[AssignmentChange] = field(default_factory=list)
    redated: list[AssignmentChange] = field(default_factory=list)


def assignment_changes_by_county(changes: list[AssignmentChange]) -> list[CountyChanges]:
    """The changes a county notices (what it gains, loses, and whose due date moves), by
    division code; a new label or rule date alone is left out."""
    groups: dict[int, list[AssignmentChange]] = defaultdict(list)
    for change in changes:
        if change.kind != "updated":
            groups[change.county_id].append(change)
    result = []
    for county in counties_of(groups, with_city=True):
        row = CountyChanges(county)
        for change in groups[county.pk]:
            {"new": row.gained, "reopened": row.gained, "withdrawn": row.withdrawn, "redated": row.redated}[
                change.kind
            ].append(change)
        result.append(row)
    return result


def assignments_sync(
    *, plan: WorkPlan, acting_user, revision: int, rows: PlanRows | None = None, fresh: bool = False
) -> SyncResult:
    """Make the plan's assignments what the published plan says: new ones for new targets,
    withdrawn ones closed with a note, due dates and labels of open ones brought up to date
    (a due date staff moved stays). Reports are never touched. Runs inside publishing.
    `fresh`: the plan was created in this transaction and has no assignments to read."""
    result = SyncResult()
    now = timezone.now()
    existing = (
        {}
        if fresh
        else {(a.task_id, a.entry_id, a.county_id, a.occurrence): a for a in Assignment.objects.filter(plan=plan)}
    )
    wanted = {_planned_key(item): item for item in assignments_planned(plan=plan, rows=rows)}
    new, changed = [], []
    for change in assignments_compare(existing=existing, wanted=wanted, revision=revision, now=now):
        if change.kind == "new":
            item = change.planned
            new.append(
                Assignment(
                    kind=Assignment.Kind.PLAN_WORK,
                    office_id=plan.office_id,
                    year=plan.plan_year,
                    plan=plan,
                    task=item.task,
                    entry=item.entry,
                    county_id=item.county_id,
                    occurrence=item.occurrence.key if item.occurrence else "",
                    occurrence_number=item.occurrence.number if item.occurrence else 0,
                    occurrence_count=item.occurrence.count if item.occurrence else 0,
                    label=item.label,
                    due_date=item.due.date,
                    due_date_rule=item.due.date,
                    due_date_approximate=item.due.approximate,
                    created_at=now,
                )
            )
            continue
        for name, value in change.fields.items():
            setattr(change.assignment, name, value)
        changed.append(change.assignment)
        result.withdrawn += change.kind == "withdrawn"
        result.reopened += change.kind == "reopened"
    with acting_as(acting_user):
        from supervision.history import bulk_create_with_history, bulk_update_with_history

        if new:
            bulk_create_with_history(new, Assignment, batch_size=500, acting_user=acting_user)
        if changed:
            bulk_update_with_history(
                changed,
                Assignment,
                [
                    "state",
                    "closed_at",
                    "closed_note",
                    "label",
                    "due_date",
                    "due_date_rule",
                    "due_date_approximate",
                    "occurrence_number",
                    "occurrence_count",
                ],
                batch_size=500,
                acting_user=acting_user,
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
    old = assignment.due_date
    assignment.due_date = due_date
    assignment.due_date_reason = reason if due_date != assignment.due_date_rule else ""
    with acting_as(acting_user):
        assignment.save(update_fields=["due_date", "due_date_reason"])
    office_id = WorkPlan.objects.filter(pk=assignment.plan_id).values_list("office_id", flat=True).first()
    log_actions(
        [
            (
                assignment,
                office_id,
                {
                    "plan": assignment.plan_id,
                    "old": old.isoformat() if old else None,
                    "new": due_date.isoformat(),
                    "reason": assignment.due_date_reason,
                },
            )
        ],
        actions.ASSIGNMENT_DUE_DATE_MOVED,
        user=acting_user,
    )
    return assignment


def due_dates_follow_calendar(*, year: int, calendar: OfficialCalendar, acting_user, result) -> None:
    """The official calendar of `year` changed: open obligations' due dates follow it, each by
    its kind's rule, except where staff moved one by hand (counted in `result`,
    organisation.services.calendar.YearLoadResult)."""
    # Due dates fall in the work's own year, or on the last working day of the year before
    # (a 1月 deadline after 元旦), so the work of this year and the next can move.
    changed = []
    ruled = [kind.key for kind in kinds() if kind.due_by_rule is not None]
    candidates = obligations_loaded(
        Assignment.objects.filter(state__in=Assignment.OPEN, year__in=(year, year + 1), kind__in=ruled),
        related=("entry",),
    )
    for assignment in candidates:
        due = kind_of(assignment).due_by_rule(assignment, calendar=calendar)
        if due is None:
            continue
        if due.date == assignment.due_date_rule and due.approximate == assignment.due_date_approximate:
            continue
        if assignment.due_date_approximate and not due.approximate:
            result.flags_cleared += 1
        if due.date != assignment.due_date_rule:
            if assignment.due_date == assignment.due_date_rule:
                assignment.due_date = due.date
                result.due_dates_moved += 1
            else:
                result.due_dates_kept += 1
        assignment.due_date_rule = due.date
        assignment.due_date_approximate = due.approximate
        changed.append(assignment)
    if changed:
        from supervision.history import bulk_update_with_history

        with acting_as(acting_user):
            bulk_update_with_history(
                changed,
                Assignment,
                ["due_date", "due_date_rule", "due_date_approximate"],
                batch_size=500,
                acting_user=acting_user,
            )


# --- Obligations of the other kinds ----------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """One subject of obligations_issue_many: what the obligations concern, the counties that
    owe them and what they are called."""

    subject: object
    counties: tuple
    label: str


@transaction.atomic
def obligations_issue(
    *,
    kind: str,
    subject,
    office,
    year: int,
    counties,
    label: str,
    acting_user,
    due_date: datetime.date | None = None,
    period: str = "",
    months: tuple[int, ...] = (),
) -> list[Assignment]:
    """Counties come to owe `office` something of `kind` (a kind of tracking.kinds other than
    plan work) about `subject`, a model row: once, by `due_date` (moved back to a working day
    on the official calendar), or at each occurrence of recurring work in `year` when `period`
    says so (每月, 每月5日前, 每季度, … in `months`; schedule.recurrence, the rules of plan work).
    What a county already owes of it is left as it is. Returns the new obligations."""
    return obligations_issue_many(
        kind=kind,
        owed=[Owed(subject, tuple(counties), label)],
        office=office,
        year=year,
        acting_user=acting_user,
        due_date=due_date,
        period=period,
        months=months,
    )


def _recurrence_of(period: str):
    # 每月10日前: the day each month's occurrence is due by, as the period states it.
    parsed = parse_period(period)
    return recurrence_of(period, deadline_day=parsed.deadline_day if parsed else None)


@transaction.atomic
def obligations_issue_many(
    *,
    kind: str,
    owed: list[Owed],
    office,
    year: int,
    acting_user,
    due_date: datetime.date | None = None,
    period: str = "",
    months: tuple[int, ...] = (),
) -> list[Assignment]:
    """obligations_issue for many subjects of one type at once (a county's schools owing their
    visits): the same rules, in a handful of queries whatever the number."""
    obligation_kind = kind_get(kind)
    if obligation_kind is None:
        raise ValidationError(error_messages["unknown_kind"], code="unknown_kind", params={"kind": kind})
    if kind == Assignment.Kind.PLAN_WORK:
        raise ValidationError(error_messages["plan_work"], code="plan_work")
    calendar = official_calendar_get()
    recurrence = _recurrence_of(period) if period else None
    times: list[Occurrence | None] = (
        occurrences(recurrence, year=year, months=tuple(months) or tuple(range(1, 13))) if recurrence else []
    ) or [None]
    if times == [None] and due_date is None:
        raise ValidationError(error_messages["due_required"], code="due_required")
    if not owed:
        return []
    dues = [
        working_day_on_or_before(due_date, calendar=calendar)
        if occurrence is None
        else due_date_for(plan_year=year, entry=None, occurrence=occurrence, calendar=calendar)
        for occurrence in times
    ]
    if len({type(item.subject) for item in owed}) > 1:
        raise ValueError("obligations_issue_many issues for subjects of one type at a time.")
    subject_type = ContentType.objects.get_for_model(owed[0].subject)
    wanted = {item.subject.pk: sorted({getattr(county, "pk", county) for county in item.counties}) for item in owed}
    county_ids = sorted({county for counties in wanted.values() for county in counties})
    already = set()
    subject_ids = sorted(wanted)
    for start in range(0, len(subject_ids), 500):
        already |= set(
            Assignment.objects.filter(
                kind=kind,
                subject_type=subject_type,
                subject_id__in=subject_ids[start : start + 500],
                year=year,
                county_id__in=county_ids,
            ).values_list("subject_id", "county_id", "occurrence")
        )
    now = timezone.now()
    new = []
    for item in owed:
        for occurrence, due in zip(times, dues, strict=True):
            key = occurrence.key if occurrence else ""
            for county_id in wanted[item.subject.pk]:
                if (item.subject.pk, county_id, key) in already:
                    continue
                new.append(
                    Assignment(
                        kind=kind,
                        office=office,
                        year=year,
                        subject_type=subject_type,
                        subject_id=item.subject.pk,
                        county_id=county_id,
                        occurrence=key,
                        occurrence_number=occurrence.number if occurrence else 0,
                        occurrence_count=occurrence.count if occurrence else 0,
                        label=obligation_label(
                            task=item.label,
                            period=None,
                            text=None,
                            occurrence=occurrence.label if occurrence else None,
                        ),
                        due_date=due.date,
                        due_date_rule=due.date,
                        due_date_approximate=due.approximate,
                        created_at=now,
                    )
                )
    with acting_as(acting_user):
        from supervision.history import bulk_create_with_history

        return bulk_create_with_history(new, Assignment, batch_size=500, acting_user=acting_user)


@transaction.atomic
def obligation_fulfil(*, assignment: Assignment, acting_user, note: str = "") -> Assignment:
    """An obligation met by what the app itself records (a school visit for its occurrence),
    with no report to review: it closes as accepted, with one audit event."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not locked.is_open:
        raise ValidationError(error_messages["not_open"], code="not_open")
    now = timezone.now()
    locked.state = Assignment.State.ACCEPTED
    locked.closed_at = now
    locked.closed_note = note
    fields = ["state", "closed_at", "closed_note"]
    if locked.acknowledged_at is None:
        locked.acknowledged_at, locked.acknowledged_by = now, acting_user
        fields += ["acknowledged_at", "acknowledged_by"]
    with acting_as(acting_user):
        locked.save(update_fields=fields)
    log_actions(
        [(locked, locked.office_id, {"kind": locked.kind, "county": locked.county_id, "note": note})],
        actions.ASSIGNMENT_FULFILLED,
        user=acting_user,
    )
    return locked


@transaction.atomic
def obligations_withdraw(*, assignments, acting_user, note: str) -> int:
    """Open obligations of a kind other than plan work no longer owed (a closed school's
    visits to come): withdrawn with a note, one audit event each. Returns how many."""
    from supervision.history import bulk_update_with_history

    locked = list(
        Assignment.objects.select_for_update()
        .filter(pk__in=[a.pk for a in assignments], state__in=Assignment.OPEN)
        .exclude(kind=Assignment.Kind.PLAN_WORK)
        .order_by("pk")
    )
    now = timezone.now()
    for assignment in locked:
        assignment.state = Assignment.State.WITHDRAWN
        assignment.closed_at = now
        assignment.closed_note = note
    if locked:
        with acting_as(acting_user):
            bulk_update_with_history(
                locked, Assignment, ["state", "closed_at", "closed_note"], batch_size=500, acting_user=acting_user
            )
        log_actions(
            [(a, a.office_id, {"kind": a.kind, "county": a.county_id, "note": note}) for a in locked],
            actions.ASSIGNMENT_WITHDRAWN,
            user=acting_user,
        )
    return len(locked)
