"""Reads of what happened: a plan's history (every recorded write to it and its parts, and its
lifecycle steps) and what one user did: the writes from the django-simple-history tables, the
steps from the audit log (audit.ActionLog).

Each history table is read once per page; the differences between consecutive records of a
row are computed here, not with a query per record.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from audit.models import ActionLog
from organisation.models import County, Membership
from plans import actions
from plans.models import (
    EntryTarget,
    PlanRevision,
    Project,
    ScheduleEntry,
    Section,
    Task,
    TaskTarget,
    WorkPlan,
    mask_to_months,
)
from plans.snapshots import snapshot_diff

KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Bookkeeping, not content: a change to these alone is not worth a line.
_QUIET = {
    "id",
    "key",
    "version",
    "updated_at",
    "search_grams",
    "plan",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
}
_EXCERPT = 60


@dataclass
class FieldDelta:
    label: str
    old: str
    new: str


@dataclass
class HistoryLine:
    at: datetime.datetime
    user: object
    kind: str  # a history type (+ ~ -) or "event"
    subject: str
    plan_id: int | None = None
    changes: list[FieldDelta] = field(default_factory=list)
    event: ActionLog | None = None
    # The history table a write line comes from (WorkPlan, Task, …; TaskTarget for counties).
    model: type | None = None
    # A publication: the number of places the revision changed, and whether there is an
    # earlier revision to compare it with.
    changed_places: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND.get(self.kind, "")


def _text(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if name == "months" and isinstance(value, int):
        return "、".join(f"{m}月" for m in mask_to_months(value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        value = "；".join(str(v) for v in value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"


def _subject(model, record) -> str:
    if model is Task:
        return str(_("Task %(number)s: %(title)s") % {"number": record.number, "title": _text("title", record.title)})
    if model is Section:
        return f"{_('Section')} {record.label}{_text('heading', record.heading)}"
    if model is Project:
        return f"{_('Project')} {record.label or record.number} {_text('name', record.name)}"
    if model is ScheduleEntry:
        return f"{_('Calendar line')} {record.period}：{_text('text', record.text)}"
    if model is WorkPlan:
        return str(_("Plan header"))
    if model is Membership:
        return str(_("Membership"))
    return str(model._meta.verbose_name)


def _lines(model, records, *, plan_of=lambda r: getattr(r, "plan_id", None), only=None) -> list[HistoryLine]:
    """History lines of one model's records, each compared with the previous record of the
    same row (records come ordered by row, then date); `only`: the history ids to show."""
    fields = [f for f in model._meta.concrete_fields if f.name not in _QUIET]
    lines, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if only is not None and record.history_id not in only:
            continue
        changes = []
        if record.history_type == "~" and before is not None:
            for f in fields:
                old, new = getattr(before, f.attname), getattr(record, f.attname)
                if old != new:
                    changes.append(FieldDelta(str(f.verbose_name), _text(f.name, old), _text(f.name, new)))
            if not changes:
                continue
        lines.append(
            HistoryLine(
                at=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                subject=_subject(model, record),
                plan_id=plan_of(record),
                changes=changes,
                model=model,
            )
        )
    return lines


def _target_lines(
    records, county_names: dict[int, str], owner: str, labels: dict[int, str], plans: dict[int, int] | None = None
):
    """`plans`: the plan of each task or calendar line, where the page needs to know it."""
    model = TaskTarget if owner == "task" else EntryTarget
    lines = []
    for record in records:
        if record.history_type not in "+-":
            continue
        owner_id = getattr(record, f"{owner}_id")
        lines.append(
            HistoryLine(
                at=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                subject=str(
                    (
                        _("County %(county)s added to %(what)s")
                        if record.history_type == "+"
                        else _("County %(county)s removed from %(what)s")
                    )
                    % {
                        "county": county_names.get(record.county_id, record.county_id),
                        "what": labels.get(owner_id, "—"),
                    }
                ),
                plan_id=(plans or {}).get(owner_id),
                model=model,
            )
        )
    return lines


# The kinds of change the history page filters by (GET values → the lines they keep).
HISTORY_KINDS = {
    "created": KIND["+"],
    "changed": KIND["~"],
    "deleted": KIND["-"],
    "lifecycle": _("Lifecycle steps and publications"),
}
_KIND_OF = {"+": "created", "~": "changed", "-": "deleted", "event": "lifecycle"}


def history_filter(
    lines: list[HistoryLine], *, user_id: int | None = None, kind: str | None = None
) -> list[HistoryLine]:
    """The lines of one user (`user_id`) and of one kind (a HISTORY_KINDS key)."""
    if user_id is not None:
        lines = [line for line in lines if line.user is not None and line.user.pk == user_id]
    if kind is not None:
        lines = [line for line in lines if _KIND_OF[line.kind] == kind]
    return lines


def history_users(lines: list[HistoryLine]) -> list:
    """Everyone who appears in `lines`, in the order of their first line."""
    users = {}
    for line in lines:
        if line.user is not None:
            users.setdefault(line.user.pk, line.user)
    return list(users.values())


def plan_history(*, plan: WorkPlan) -> list[HistoryLine]:
    """What happened to `plan`, newest first: the edits of the plan, its parts and targets
    (including those of its draft revisions), its lifecycle steps, and one line per
    publication.

    A revision is a copy of the whole plan, deleted when it is published or discarded: the
    rows written to make the copy and to remove it are bookkeeping, and so are the rows a
    publication writes onto the plan (the revision's differences say the same, once)."""
    Historical = WorkPlan.history.model
    plan_ids = [plan.pk, *Historical.objects.filter(revision_of_id=plan.pk).values_list("id", flat=True).distinct()]
    lines = _lines(
        WorkPlan,
        Historical.objects.filter(id__in=plan_ids)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id"),
        plan_of=lambda r: r.id,
    )
    labels: dict[str, dict[int, str]] = {"task": {}, "entry": {}}
    owners: dict[str, dict[int, int]] = {"task": {}, "entry": {}}
    for model in (Section, Task, Project, ScheduleEntry):
        records = list(
            model.history.filter(plan_id__in=plan_ids)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        lines += _lines(model, records)
        if model is Task:
            labels["task"] = {r.id: str(_("task %(number)s") % {"number": r.number}) for r in records}
            owners["task"] = {r.id: r.plan_id for r in records}
        if model is ScheduleEntry:
            labels["entry"] = {r.id: str(_("calendar line “%(period)s”") % {"period": r.period}) for r in records}
            owners["entry"] = {r.id: r.plan_id for r in records}
    task_targets = list(
        TaskTarget.history.filter(task_id__in=list(labels["task"]))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entry_targets = list(
        EntryTarget.history.filter(entry_id__in=list(labels["entry"]))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    county_ids = {r.county_id for r in task_targets + entry_targets}
    names = dict(County.objects.filter(pk__in=county_ids).values_list("pk", "name"))
    lines += _target_lines(task_targets, names, "task", labels["task"], owners["task"])
    lines += _target_lines(entry_targets, names, "entry", labels["entry"], owners["entry"])
    events = sorted(plan_action_logs(plan_ids=[plan.pk]).select_related("user"), key=lambda e: (e.datetime, e.id))
    lines = _without_bookkeeping(lines, plan=plan, events=events)
    changed = _revision_changes(plan, events)
    for event in events:
        line = _event_line(event)
        if event.action_type == actions.PLAN_PUBLISHED.name and event.revision in changed:
            line.changed_places = changed[event.revision]
        lines.append(line)
    lines.sort(key=lambda line: line.at, reverse=True)
    return lines


def plan_action_logs(*, plan_ids):
    """The audit log of plans (their lifecycle steps and saves), newest first. By the content
    type's name, not its id: no lookup of the type first, so a page's queries stay fixed."""
    return ActionLog.objects.filter(
        content_type__app_label=WorkPlan._meta.app_label,
        content_type__model=WorkPlan._meta.model_name,
        object_id__in=plan_ids,
    )


def plan_last_event(*, plan: WorkPlan) -> ActionLog | None:
    return plan_action_logs(plan_ids=[plan.pk]).select_related("user").order_by("-datetime", "-id").first()


def _event_line(event: ActionLog) -> HistoryLine:
    is_plan = event.action_type in actions.PLAN_LIFECYCLE
    return HistoryLine(
        at=event.datetime,
        user=event.user,
        kind="event",
        subject=event.display,
        plan_id=event.object_id if is_plan else (event.data or {}).get("plan"),
        event=event,
    )


def _without_bookkeeping(lines: list[HistoryLine], *, plan: WorkPlan, events: list[ActionLog]):
    hidden: set[int] = set()
    by_plan: dict[int, list[HistoryLine]] = {}
    for line in lines:
        by_plan.setdefault(line.plan_id, []).append(line)
    started = [e.datetime for e in events if e.action_type == actions.PLAN_REVISION_STARTED.name]
    for plan_id, own in by_plan.items():
        if plan_id == plan.pk or plan_id is None:
            continue
        rows = [line for line in own if line.model is WorkPlan]
        created = next((line.at for line in rows if line.kind == "+"), None)
        # The copy is written before the step that records it; what comes after is editing.
        copied = next((at for at in started if created is not None and at >= created), None)
        if copied is not None:
            hidden.update(id(line) for line in own if line.kind == "+" and line.at <= copied)
        if any(line.kind == "-" for line in rows):
            # Removing the copy deletes its parts last of all: the trailing run of deletions.
            # (Publishing needs a submission, which writes the copy's status, first.)
            last_edit = max((line.at for line in own if line.kind != "-"), default=None)
            hidden.update(id(line) for line in own if line.kind == "-" and (last_edit is None or line.at > last_edit))
    # What a publication writes onto the plan, between the step before it and itself.
    previous = None
    for event in events:
        if event.action_type == actions.PLAN_PUBLISHED.name:
            hidden.update(
                id(line)
                for line in by_plan.get(plan.pk, [])
                if line.at <= event.datetime and (previous is None or line.at > previous)
            )
        previous = event.datetime
    return [line for line in lines if id(line) not in hidden]


def _revision_changes(plan: WorkPlan, events: list[ActionLog]) -> dict[int, int]:
    """Revision number → how many places (header fields, sections, tasks, projects, calendar
    lines) differ from the revision before, as the comparison page lists them."""
    if not any(e.action_type == actions.PLAN_PUBLISHED.name and (e.revision or 0) > 1 for e in events):
        return {}
    snapshots = dict(PlanRevision.objects.filter(plan=plan).values_list("number", "snapshot"))
    changed = {}
    for number, snapshot in snapshots.items():
        if number - 1 in snapshots:
            diff = snapshot_diff(snapshots[number - 1], snapshot)
            changed[number] = sum(
                len(part) for part in (diff.plan, diff.sections, diff.tasks, diff.projects, diff.entries)
            )
    return changed


AUDIT_PAGE = 100


def user_actions(*, user_id: int, before: datetime.datetime | None = None) -> list[HistoryLine]:
    """What one user did, newest first: at most AUDIT_PAGE lines dated before `before`."""
    lines = []
    for model in (WorkPlan, Section, Task, Project, ScheduleEntry, Membership, TaskTarget, EntryTarget):
        records = model.history.filter(history_user_id=user_id)
        if before is not None:
            records = records.filter(history_date__lt=before)
        records = list(records.select_related("history_user").order_by("-history_date")[:AUDIT_PAGE])
        if not records:
            continue
        if model in (TaskTarget, EntryTarget):
            owner = "task" if model is TaskTarget else "entry"
            names = dict(County.objects.filter(pk__in={r.county_id for r in records}).values_list("pk", "name"))
            labels, plans = _owners(owner, {getattr(r, f"{owner}_id") for r in records})
            lines += _target_lines(records, names, owner, labels, plans)
            continue
        # The record before each of the user's, whoever wrote it, to say what changed.
        prior = model.history.filter(
            id__in={r.id for r in records}, history_date__lt=max(r.history_date for r in records)
        ).exclude(history_id__in=[r.history_id for r in records])
        combined = sorted([*records, *prior], key=lambda r: (r.id, r.history_date, r.history_id))
        plan_of = {WorkPlan: lambda r: r.id, Membership: lambda r: None}.get(
            model, lambda r: getattr(r, "plan_id", None)
        )
        lines += _lines(model, combined, plan_of=plan_of, only={r.history_id for r in records})
    lines = _user_without_bookkeeping(lines)
    events = ActionLog.objects.filter(user_id=user_id)
    if before is not None:
        events = events.filter(datetime__lt=before)
    for event in events.select_related("user").order_by("-datetime", "-id")[:AUDIT_PAGE]:
        lines.append(_event_line(event))
    lines.sort(key=lambda line: line.at, reverse=True)
    return lines[:AUDIT_PAGE]


def _owners(owner: str, ids: set[int]) -> tuple[dict[int, str], dict[int, int]]:
    """The label and the plan of each task or calendar line (gone or not), from its history."""
    if owner == "task":
        rows = list(Task.history.filter(id__in=ids).values_list("id", "plan_id", "number").distinct())
        label = _("task %(number)s")
        return {i: str(label % {"number": n}) for i, _p, n in rows}, {i: p for i, p, _n in rows}
    rows = list(ScheduleEntry.history.filter(id__in=ids).values_list("id", "plan_id", "period").distinct())
    label = _("calendar line “%(period)s”")
    return {i: str(label % {"period": n}) for i, _p, n in rows}, {i: p for i, p, _n in rows}


def _user_without_bookkeeping(lines: list[HistoryLine]) -> list[HistoryLine]:
    """Leave out what copying a plan into a revision, publishing it onto its plan and removing
    the copy wrote in the user's name: the steps say it (as on a plan's history page)."""
    plan_ids = {line.plan_id for line in lines if line.plan_id is not None}
    if not plan_ids:
        return lines
    # Each draft revision's plan (the draft may be gone: its history says).
    original_of = dict(
        WorkPlan.history.filter(id__in=plan_ids, revision_of_id__isnull=False)
        .values_list("id", "revision_of_id")
        .distinct()
    )
    originals = {original_of.get(plan_id, plan_id) for plan_id in plan_ids}
    events: dict[int, list[ActionLog]] = {}
    for event in plan_action_logs(plan_ids=sorted(originals)).order_by("datetime", "id"):
        events.setdefault(event.object_id, []).append(event)
    groups: dict[int, list[HistoryLine]] = {}
    for line in lines:
        if line.plan_id is not None:
            groups.setdefault(original_of.get(line.plan_id, line.plan_id), []).append(line)
    kept = {id(line) for line in lines if line.plan_id is None}
    for original, own in groups.items():
        if original not in events:
            kept.update(id(line) for line in own)
            continue
        kept.update(id(line) for line in _without_bookkeeping(own, plan=WorkPlan(pk=original), events=events[original]))
    return [line for line in lines if id(line) in kept]


def audit_user_get(*, user_id: int):
    return get_user_model().objects.filter(pk=user_id).first()
