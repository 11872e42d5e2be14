"""Reads of what happened: a plan's history (every recorded write to it and its parts, and its
lifecycle steps) and what one user did: the writes from the django-simple-history tables, the
steps from the audit log (audit.ActionLog).

Each history table is read once per page; the differences between consecutive records of a
row are computed here, not with a query per record.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
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
from supervision.history import historical_model
from supervision.lookups import InArray
from supervision.prepared import Prepared

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
    # The row of its history table (history_id), or of the audit log, the line comes from.
    entry_id: int | None = None
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


def _subject_of(model):
    """How the lines of `model`'s records are named: a function of the record, with its
    words translated once (a page names hundreds of records)."""
    if model is Task:
        task = str(_("Task %(number)s: %(title)s"))
        return lambda record: task % {"number": record.number, "title": _text("title", record.title)}
    if model is Section:
        section = str(_("Section"))
        return lambda record: f"{section} {record.label}{_text('heading', record.heading)}"
    if model is Project:
        project = str(_("Project"))
        return lambda record: f"{project} {record.label or record.number} {_text('name', record.name)}"
    if model is ScheduleEntry:
        line = str(_("Calendar line"))
        return lambda record: f"{line} {record.period}：{_text('text', record.text)}"
    if model is WorkPlan:
        name = str(_("Plan header"))
    elif model is Membership:
        name = str(_("Membership"))
    else:
        name = str(model._meta.verbose_name)
    return lambda record: name


def _lines(
    model, records, users: dict, *, plan_of=lambda r: getattr(r, "plan_id", None), only=None
) -> list[HistoryLine]:
    """History lines of one model's records, each compared with the previous record of the
    same row (records come ordered by row, then date); `users`: who wrote them, by id;
    `only`: the history ids to show."""
    fields = [(f.name, f.attname, str(f.verbose_name)) for f in model._meta.concrete_fields if f.name not in _QUIET]
    subject = _subject_of(model)
    lines, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if only is not None and record.history_id not in only:
            continue
        changes = []
        if record.history_type == "~" and before is not None:
            for name, attname, label in fields:
                old, new = getattr(before, attname), getattr(record, attname)
                if old != new:
                    changes.append(FieldDelta(label, _text(name, old), _text(name, new)))
            if not changes:
                continue
        lines.append(
            HistoryLine(
                at=record.history_date,
                user=users.get(record.history_user_id),
                kind=record.history_type,
                subject=subject(record),
                plan_id=plan_of(record),
                changes=changes,
                model=model,
                entry_id=record.history_id,
            )
        )
    return lines


def _target_lines(
    records,
    users: dict,
    county_names: dict[int, str],
    owner: str,
    labels: dict[int, str],
    plans: dict[int, int] | None = None,
):
    """`users`: who wrote them, by id; `plans`: the plan of each task or calendar line, where
    the page needs to know it."""
    model = TaskTarget if owner == "task" else EntryTarget
    phrasing = {
        "+": str(_("County %(county)s added to %(what)s")),
        "-": str(_("County %(county)s removed from %(what)s")),
    }
    lines = []
    for record in records:
        if record.history_type not in "+-":
            continue
        owner_id = getattr(record, f"{owner}_id")
        lines.append(
            HistoryLine(
                at=record.history_date,
                user=users.get(record.history_user_id),
                kind=record.history_type,
                subject=phrasing[record.history_type]
                % {
                    "county": county_names.get(record.county_id, record.county_id),
                    "what": labels.get(owner_id, "—"),
                },
                plan_id=(plans or {}).get(owner_id),
                model=model,
                entry_id=record.history_id,
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


def _revision_ids(*, plan_id: int) -> QuerySet:
    return (
        historical_model(WorkPlan)
        .objects.filter(revision_of_id=plan_id)
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()
    )


def _records(*, model, plan_ids: list[int]) -> QuerySet:
    """The history rows of `model` (a plan or one of its parts) of the plans `plan_ids`."""
    column = "id" if model is WorkPlan else "plan_id"
    return (
        historical_model(model)
        .objects.filter(InArray(F(column), plan_ids))
        .order_by("id", "history_date", "history_id")
    )


def _target_records(*, tasks: bool, owner_ids: list[int]) -> QuerySet:
    """The history rows of the counties of the tasks (or calendar lines) `owner_ids`. By their
    ids, which the SQL holds as an array literal from eleven on (supervision.lookups): by a
    subquery of the plans' lines, PostgreSQL hashed every history row of the table's targets
    (the largest plan: 7.2 ms against 0.2)."""
    owner, model = ("task", TaskTarget) if tasks else ("entry", EntryTarget)
    return (
        historical_model(model)
        .objects.filter(InArray(F(f"{owner}_id"), owner_ids))
        .order_by("history_date", "history_id")
    )


def _users(*, user_ids: list[int]) -> QuerySet:
    return get_user_model().objects.filter(InArray(F("pk"), user_ids))


def _county_names(*, county_ids: list[int]) -> QuerySet:
    return County.objects.filter(InArray(F("pk"), county_ids)).values_list("pk", "name")


def _plan_events(*, plan_id: int) -> QuerySet[ActionLog]:
    return plan_action_logs(plan_ids=[plan_id]).select_related("user").order_by("datetime", "id")


# Compiled once a process: the history page reads them all.
_revision_ids_read = Prepared(_revision_ids)
_records_read = Prepared(_records)
_target_records_read = Prepared(_target_records)
_users_read = Prepared(_users)
_county_names_read = Prepared(_county_names)
_plan_events_read = Prepared(_plan_events)


_PARTS = (Section, Task, Project, ScheduleEntry)


def plan_history(*, plan: WorkPlan) -> list[HistoryLine]:
    """What happened to `plan`, newest first: the edits of the plan, its parts and targets
    (including those of its draft revisions), its lifecycle steps, and one line per
    publication.

    A revision is a copy of the whole plan, deleted when it is published or discarded: the
    rows written to make the copy and to remove it are bookkeeping, and so are the rows a
    publication writes onto the plan (the revision's differences say the same, once)."""
    plan_ids = [plan.pk, *_revision_ids_read(plan_id=plan.pk)]
    records = {model: _records_read(model=model, plan_ids=plan_ids) for model in (WorkPlan, *_PARTS)}
    task_targets = _target_records_read(tasks=True, owner_ids=sorted({r.id for r in records[Task]}))
    entry_targets = _target_records_read(tasks=False, owner_ids=sorted({r.id for r in records[ScheduleEntry]}))
    # Who wrote them, read once: joined to each table's rows, PostgreSQL hashed the whole
    # user table for a large plan's calendar lines (5 ms against 0.6).
    every = [*task_targets, *entry_targets, *(record for rows in records.values() for record in rows)]
    users = {user.pk: user for user in _users_read(user_ids=sorted({r.history_user_id for r in every} - {None}))}
    lines = _lines(WorkPlan, records[WorkPlan], users, plan_of=lambda r: r.id)
    labels: dict[str, dict[int, str]] = {"task": {}, "entry": {}}
    owners: dict[str, dict[int, int]] = {"task": {}, "entry": {}}
    task_label, entry_label = str(_("task %(number)s")), str(_("calendar line “%(period)s”"))
    for model in _PARTS:
        lines += _lines(model, records[model], users)
    labels["task"] = {r.id: task_label % {"number": r.number} for r in records[Task]}
    owners["task"] = {r.id: r.plan_id for r in records[Task]}
    labels["entry"] = {r.id: entry_label % {"period": r.period} for r in records[ScheduleEntry]}
    owners["entry"] = {r.id: r.plan_id for r in records[ScheduleEntry]}
    county_ids = sorted({r.county_id for r in task_targets + entry_targets})
    names = dict(_county_names_read(county_ids=county_ids))
    lines += _target_lines(task_targets, users, names, "task", labels["task"], owners["task"])
    lines += _target_lines(entry_targets, users, names, "entry", labels["entry"], owners["entry"])
    events = _plan_events_read(plan_id=plan.pk)
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
        InArray(F("object_id"), list(plan_ids)),
        content_type__app_label=WorkPlan._meta.app_label,
        content_type__model=WorkPlan._meta.model_name,
    )


def _last_event(*, plan_id: int) -> QuerySet[ActionLog]:
    return plan_action_logs(plan_ids=[plan_id]).select_related("user").order_by("-datetime", "-id")[:1]


# Compiled once a process: a draft's page says who last moved it.
_last_event_read = Prepared(_last_event)


def plan_last_event(*, plan: WorkPlan) -> ActionLog | None:
    return next(iter(_last_event_read(plan_id=plan.pk)), None)


def _event_line(event: ActionLog) -> HistoryLine:
    is_plan = event.action_type in actions.PLAN_LIFECYCLE
    return HistoryLine(
        at=event.datetime,
        user=event.user,
        kind="event",
        subject=event.display,
        plan_id=event.object_id if is_plan else (event.data or {}).get("plan"),
        event=event,
        entry_id=event.pk,
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
# The tables a user's actions are read from, in the order the entries of one instant are listed
# (a copy writes hundreds of rows at one instant); the audit log comes last. The names are the
# link's: ?before=<instant>&entry=task.123 (the last entry shown).
_AUDITED = (WorkPlan, Section, Task, Project, ScheduleEntry, Membership, TaskTarget, EntryTarget)
_EVENTS = len(_AUDITED)
_TABLES = {**{model._meta.model_name: table for table, model in enumerate(_AUDITED)}, "event": _EVENTS}
_TABLE_NAMES = {table: name for name, table in _TABLES.items()}


@dataclass
class AuditPage:
    lines: list[HistoryLine]
    # The query of the link to the next page (older entries); None on the last page.
    older: dict[str, str] | None = None


def _entry_parse(entry: str | None) -> tuple[int, int] | None:
    """("task.123" →) the table and the row of an entry, None for anything else."""
    name, _dot, pk = (entry or "").partition(".")
    # A row id fits a bigint: anything longer is no entry (and SQLite would refuse it).
    if name not in _TABLES or not pk.isdigit() or len(pk) > 18:
        return None
    return _TABLES[name], int(pk)


def _after(table: int, before, entry: tuple[int, int] | None, *, at: str, pk: str) -> tuple[str, list]:
    """SQL and parameters for the entries of `table` listed after the cursor: those dated before
    `before`, and, of the instant `before` itself, those ordered after `entry` (by table, then
    newest row first). The `<=` gives each table's index scan its bound; the rest is filtered
    along it."""
    if before is None:
        return "", []
    if entry is None or table < entry[0]:
        return f" AND {at} < %s", [before]
    if table > entry[0]:
        return f" AND {at} <= %s", [before]
    return f" AND {at} <= %s AND ({at} < %s OR {pk} < %s)", [before, before, entry[1]]


def _newest_entries(user_id: int, before, entry) -> list[tuple[int, int]]:
    """(table, row) of the user's AUDIT_PAGE + 1 newest entries after the cursor, newest first,
    in one query: each table gives its own newest (from its index on user, date and row), the
    union keeps the newest of all.

    Written out rather than composed with the ORM: compiling the nine-part union cost more
    than the rest of the page's reads together."""
    quote = connection.ops.quote_name
    before = connection.ops.adapt_datetimefield_value(before) if before is not None else None
    sources = [
        (historical_model(model)._meta.db_table, "history_date", "history_id", "history_user_id") for model in _AUDITED
    ]
    sources.append((ActionLog._meta.db_table, "datetime", "id", "user_id"))
    parts, params = [], []
    for table, (db_table, at, pk, user) in enumerate(sources):
        at, pk, user = quote(at), quote(pk), quote(user)
        where, where_params = _after(table, before, entry, at=at, pk=pk)
        # SQLite takes no LIMIT in a member of a UNION: each member selects from its own.
        parts.append(
            f"SELECT * FROM (SELECT {table} AS t, {at} AS at, {pk} AS r FROM {quote(db_table)} "
            f"WHERE {user} = %s{where} ORDER BY {at} DESC, {pk} DESC LIMIT {AUDIT_PAGE + 1}) AS e{table}"
        )
        params += [user_id, *where_params]
    sql = f"{' UNION ALL '.join(parts)} ORDER BY at DESC, t, r DESC LIMIT {AUDIT_PAGE + 1}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(table, row) for table, _at, row in cursor.fetchall()]


# The audit page's reads, compiled once a process (a shape for each model).


def _history_rows(*, model, ids: list[int]) -> QuerySet:
    return historical_model(model).objects.filter(InArray(F("history_id"), ids))


def _rows_before(*, model, changes: list[int], ids: list[int]) -> QuerySet:
    """The record before each of the records `changes`, but those among `ids`."""
    Historical = historical_model(model)
    previous = (
        Historical.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    before = Historical.objects.filter(InArray(F("history_id"), changes)).annotate(previous=Subquery(previous))
    return Historical.objects.filter(history_id__in=before.values("previous")).exclude(InArray(F("history_id"), ids))


def _owner_rows(*, tasks: bool, ids: list[int]) -> QuerySet:
    model, shown = (Task, "number") if tasks else (ScheduleEntry, "period")
    return model.history.filter(InArray(F("id"), ids)).values_list("id", "plan_id", shown).distinct()


def _revisions_of(*, plan_ids: list[int]) -> QuerySet:
    return (
        WorkPlan.history.filter(InArray(F("id"), plan_ids), revision_of_id__isnull=False)
        .order_by()
        .values_list("id", "revision_of_id")
        .distinct()
    )


def _plans_events(*, plan_ids: list[int]) -> QuerySet[ActionLog]:
    return plan_action_logs(plan_ids=plan_ids).order_by("datetime", "id")


def _events(*, ids: list[int]) -> QuerySet[ActionLog]:
    return ActionLog.objects.filter(InArray(F("pk"), ids))


_history_rows_read = Prepared(_history_rows)
_rows_before_read = Prepared(_rows_before)
_owner_rows_read = Prepared(_owner_rows)
_revisions_of_read = Prepared(_revisions_of)
_plans_events_read = Prepared(_plans_events)
_events_read = Prepared(_events)


def _with_previous(model, history_ids: list[int]) -> list:
    """The records `history_ids` and, where some are changes, the record before each of those
    (whoever wrote it, to say what changed) in a second query; ordered by row, then date."""
    ids = sorted(history_ids)
    records = _history_rows_read(model=model, ids=ids)
    changes = sorted(r.history_id for r in records if r.history_type == "~")
    if changes:
        # A record before may be on the page already (the user changed the row twice).
        records += _rows_before_read(model=model, changes=changes, ids=ids)
    return sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))


def user_actions(*, user, before: datetime.datetime | None = None, entry: str | None = None) -> AuditPage:
    """What `user` did, newest first, a page at a time: the lines of their AUDIT_PAGE newest
    recorded writes and steps dated before `before` (and, at that instant, listed after
    `entry`, the last one of the page before: no line is shown twice or skipped, however many
    share an instant).

    The page's work is the page's: one query finds its entries, then only the tables holding
    them are read, by row. Lines that say nothing (bookkeeping, a save that changed nothing
    shown) are left out, so a page may hold fewer lines than entries."""
    found = _newest_entries(user.pk, before, _entry_parse(entry) if before is not None else None)
    entries, more = found[:AUDIT_PAGE], len(found) > AUDIT_PAGE
    rows: dict[int, list[int]] = {}
    for table, row in entries:
        rows.setdefault(table, []).append(row)
    lines, dates = [], {}
    targets = {TaskTarget: [], EntryTarget: []}
    for table, model in enumerate(_AUDITED):
        if table not in rows:
            continue
        if model in targets:
            targets[model] = _history_rows_read(model=model, ids=sorted(rows[table]))
            dates.update(((table, r.history_id), r.history_date) for r in targets[model])
            continue
        plan_of = {WorkPlan: lambda r: r.id, Membership: lambda r: None}.get(
            model, lambda r: getattr(r, "plan_id", None)
        )
        records = _with_previous(model, rows[table])
        dates.update(((table, r.history_id), r.history_date) for r in records)
        lines += _lines(model, records, {user.pk: user}, plan_of=plan_of, only=set(rows[table]))
    if targets[TaskTarget] or targets[EntryTarget]:
        county_ids = {r.county_id for records in targets.values() for r in records}
        names = dict(_county_names_read(county_ids=sorted(county_ids)))
        for model, records in targets.items():
            if records:
                owner = "task" if model is TaskTarget else "entry"
                labels, plans = _owners(owner, {getattr(r, f"{owner}_id") for r in records})
                lines += _target_lines(records, {user.pk: user}, names, owner, labels, plans)
    lines = _user_without_bookkeeping(lines)
    if _EVENTS in rows:
        for event in _events_read(ids=sorted(rows[_EVENTS])):
            event.user = user
            dates[_EVENTS, event.pk] = event.datetime
            lines.append(_event_line(event))
    order = {model: table for table, model in enumerate(_AUDITED)}
    lines.sort(key=lambda line: (line.at, -order.get(line.model, _EVENTS), line.entry_id), reverse=True)
    older = None
    if more:
        # The link names the page's last entry, whether or not it made a line.
        table, row = entries[-1]
        older = {"before": dates[table, row].isoformat(), "entry": f"{_TABLE_NAMES[table]}.{row}"}
    return AuditPage(lines=lines, older=older)


def _owners(owner: str, ids: set[int]) -> tuple[dict[int, str], dict[int, int]]:
    """The label and the plan of each task or calendar line (gone or not), from its history."""
    if owner == "task":
        rows = _owner_rows_read(tasks=True, ids=sorted(ids))
        label = _("task %(number)s")
        return {i: str(label % {"number": n}) for i, _p, n in rows}, {i: p for i, p, _n in rows}
    rows = _owner_rows_read(tasks=False, ids=sorted(ids))
    label = _("calendar line “%(period)s”")
    return {i: str(label % {"period": n}) for i, _p, n in rows}, {i: p for i, p, _n in rows}


def _user_without_bookkeeping(lines: list[HistoryLine]) -> list[HistoryLine]:
    """Leave out what copying a plan into a revision, publishing it onto its plan and removing
    the copy wrote in the user's name: the steps say it (as on a plan's history page)."""
    plan_ids = {line.plan_id for line in lines if line.plan_id is not None}
    if not plan_ids:
        return lines
    # Each draft revision's plan (the draft may be gone: its history says).
    original_of = dict(_revisions_of_read(plan_ids=sorted(plan_ids)))
    originals = {original_of.get(plan_id, plan_id) for plan_id in plan_ids}
    events: dict[int, list[ActionLog]] = {}
    for event in _plans_events_read(plan_ids=sorted(originals)):
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
    return next(iter(_users_read(user_ids=[user_id])), None)
