"""Writing a plan's content: sections, tasks, projects, calendar lines and their targets.

Every way content reaches a plan goes through `plan_content_write`: an import (matched to the
existing rows by number), a published revision (matched by key), a draft copied from a
published plan or last year's. Rows are updated in place, so their ids stay, and every write
lands in the history tables.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import County, Office
from organisation.selectors import region_county_ids
from plans.models import (
    EntryTarget,
    PlanCounty,
    Project,
    ScheduleEntry,
    Section,
    Task,
    TaskTarget,
    WorkPlan,
    months_to_mask,
)
from plans.snapshots import snapshot_build
from plans.textsearch import plan_search_grams
from supervision.history import bulk_create_with_history, bulk_update_with_history
from supervision.prepared import Prepared

# Rows whose number or position changes move out of the way first: the unique constraints on
# (plan, number) and (plan, position) hold at every statement, and the checks (>= 1) too.
_OFFSET = 1_000_000
_UPDATE_BATCH = 500
# The tables a content write fills, history included: analyzed after a bulk write
# (plans.services.bulk.tables_analyze).
CONTENT_MODELS = [
    model
    for base in (Section, Task, Project, ScheduleEntry, TaskTarget, EntryTarget)
    for model in (base, base.history.model)
] + [PlanCounty]

error_messages = {
    "stale_by_you": _(
        "Nothing was saved: you saved this plan yourself in another window or tab at %(when)s, "
        "after this page was opened (your version %(yours)s, now %(current)s). Open the plan "
        "again to go on from what you saved there."
    ),
    "stale_by_other": _(
        "Nothing was saved: %(who)s saved this plan at %(when)s, after you opened it (your "
        "version %(yours)s, now %(current)s). Open the plan again to see their changes."
    ),
    "stale_by_nobody": _(
        "Nothing was saved: this plan was changed at %(when)s, after you opened it (your "
        "version %(yours)s, now %(current)s). Open the plan again to see the changes."
    ),
}


def stale_error(plan: WorkPlan, *, yours: int | None, acting_user) -> ValidationError:
    """The refusal of a write based on version `yours` of a plan now at `plan.version`.

    It names who wrote the version the plan is at, and when: most often it was the same person
    in another tab, and blaming "someone else" then sends them looking for a colleague.
    """
    first = (
        WorkPlan.history.filter(id=plan.pk, version=plan.version)
        .order_by("history_date", "history_id")
        .select_related("history_user")
        .first()
    )
    user = first.history_user if first is not None else None
    when = formats.date_format(
        timezone.localtime(first.history_date if first is not None else plan.updated_at),
        "DATETIME_FORMAT",
    )
    if user is None:
        code, who = "stale_by_nobody", ""
    elif acting_user is not None and user.pk == acting_user.pk:
        code, who = "stale_by_you", ""
    else:
        code, who = "stale_by_other", user.get_full_name() or user.get_username()
    return ValidationError(
        error_messages[code],
        code="stale",
        params={
            "yours": yours,
            "current": plan.version,
            "who": who,
            "when": when,
            "by_you": code == "stale_by_you",
        },
    )


@dataclass
class PlanRows:
    """A plan's parts in document order, and the counties (id, name) its tasks and calendar
    lines name by row id: what a snapshot is built from, read once for all who need it."""

    sections: list[Section]
    tasks: list[Task]
    projects: list[Project]
    entries: list[ScheduleEntry]
    task_counties: dict[int, list[tuple[int, str]]]
    entry_counties: dict[int, list[tuple[int, str]]]
    # The counties of the issuing office's region (office_county_ids), when the writer read them.
    region: list[int] | None = None


def plan_snapshot(plan: WorkPlan, *, rows: PlanRows | None = None) -> dict:
    """The plan's content as plain data (plans.snapshots), from `rows` (plan_rows) when the
    caller has read them."""
    rows = rows or plan_rows(plan)
    return snapshot_build(
        plan=plan,
        sections=rows.sections,
        tasks=rows.tasks,
        projects=rows.projects,
        entries=rows.entries,
        task_counties=rows.task_counties,
        entry_counties=rows.entry_counties,
    )


# A plan's rows, compiled once a process (supervision.prepared): the edit page, a plan's notice
# and each revision's read them, and the ORM built and compiled the six queries anew each time.
_task_targets = Prepared(
    lambda *, plan_id: (
        TaskTarget.objects.filter(task__plan_id=plan_id)
        .order_by("county__code", "county__name")
        .values_list("task_id", "county_id", "county__name")
    )
)
_entry_targets = Prepared(
    lambda *, plan_id: (
        EntryTarget.objects.filter(entry__plan_id=plan_id)
        .order_by("county__code", "county__name")
        .values_list("entry_id", "county_id", "county__name")
    )
)
_sections = Prepared(lambda *, plan_id: Section.objects.filter(plan_id=plan_id).order_by("position"))
_tasks = Prepared(lambda *, plan_id: Task.objects.filter(plan_id=plan_id).order_by("number"))
_projects = Prepared(lambda *, plan_id: Project.objects.filter(plan_id=plan_id).order_by("number"))
_entries = Prepared(lambda *, plan_id: ScheduleEntry.objects.filter(plan_id=plan_id).order_by("position"))


def plan_rows(plan: WorkPlan) -> PlanRows:
    """The plan's parts and targets, read in six queries."""
    task_counties: dict[int, list[tuple[int, str]]] = defaultdict(list)
    entry_counties: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for task_id, county_id, name in _task_targets(plan_id=plan.pk):
        task_counties[task_id].append((county_id, name))
    for entry_id, county_id, name in _entry_targets(plan_id=plan.pk):
        entry_counties[entry_id].append((county_id, name))
    return PlanRows(
        sections=_sections(plan_id=plan.pk),
        tasks=_tasks(plan_id=plan.pk),
        projects=_projects(plan_id=plan.pk),
        entries=_entries(plan_id=plan.pk),
        task_counties=task_counties,
        entry_counties=entry_counties,
    )


def _sync(
    *,
    plan: WorkPlan,
    model: type[models.Model],
    natural: str,
    items: list[dict],
    match_by: str,
    fields: tuple[str, ...],
    assign: Callable[[models.Model, dict], None],
    acting_user,
    rows: dict[str, models.Model],
    defer_parents: Callable[[dict], bool] = lambda item: False,
    fresh: bool = False,
) -> list[int]:
    """Make the plan's rows of `model` what `items` say (in their order: item i gets number or
    position i + 1), filling `rows` (item key → row) as it goes, so that `assign` finds an
    item's parent among the rows before it. Returns the ids of rows no item wants, for the
    caller to delete once nothing points at them any more."""
    existing = [] if fresh else list(model.objects.filter(plan=plan))
    if match_by == "key":
        available = {str(row.key): row for row in existing}
    else:
        available = {getattr(row, natural): row for row in existing}
    new_now, new_later, moved = [], [], []
    changed: dict[tuple[str, ...], list] = {}  # the fields that changed → the rows they changed in
    for index, item in enumerate(items, start=1):
        row = available.pop(item["key"] if match_by == "key" else item[natural], None)
        if row is None:
            row = model(plan=plan, key=item["key"])
            setattr(row, natural, index)
            rows[item["key"]] = row
            (new_later if defer_parents(item) else new_now).append((row, item))
            continue
        rows[item["key"]] = row
        before = tuple(getattr(row, name) for name in fields)
        if getattr(row, natural) != index:
            moved.append(row.pk)
            setattr(row, natural, index)
        assign(row, item)
        after = tuple(getattr(row, name) for name in fields)
        if before != after:
            names = tuple(name for name, old, new in zip(fields, before, after) if old != new)
            changed.setdefault(names, []).append(row)
    stale = [row.pk for row in available.values()]
    if moved or stale:
        model.objects.filter(pk__in=moved + stale).update(**{natural: models.F(natural) + _OFFSET})
    for batch in (new_now, new_later):
        # Rows whose parent row is new are created once their parent has an id.
        for row, item in batch:
            assign(row, item)
        if batch:
            bulk_create_with_history([row for row, _ in batch], model, acting_user=acting_user)
    # Rows are updated in the fields that changed only, a few hundred at a time: elsewhere than on
    # PostgreSQL bulk_update writes a CASE of every row for each field, which the database tests
    # row by row (a sheet of 10,000 edited texts took 13 s with all eleven fields in one statement).
    for names, group in changed.items():
        bulk_update_with_history(group, model, list(names), batch_size=_UPDATE_BATCH, acting_user=acting_user)
    return stale


def _sync_targets(*, through, owner_field: str, rows: dict, items: list[dict], acting_user, fresh: bool) -> None:
    owners = {row.pk: row for row in rows.values()}
    wanted = {(rows[item["key"]].pk, county_id) for item in items for county_id, *_name in item.get("counties", [])}
    present = {
        (owner, county): pk
        for pk, owner, county in (
            []
            if fresh
            else through.objects.filter(**{f"{owner_field}__in": list(owners)}).values_list(
                "pk", f"{owner_field}_id", "county_id"
            )
        )
    }
    gone = [pk for pair, pk in present.items() if pair not in wanted]
    if gone:
        through.objects.filter(pk__in=gone).delete()
    new = sorted(pair for pair in wanted if pair not in present)
    if new:
        bulk_create_with_history(
            [through(**{f"{owner_field}_id": owner, "county_id": county}) for owner, county in new],
            through,
            acting_user=acting_user,
        )


def plan_content_write(
    *, plan: WorkPlan, content: dict, match_by: str, acting_user, fresh: bool = False
) -> PlanRows | None:
    """Write `content` (the shape of plans.snapshots, without its "plan" part) onto `plan`.

    match_by="number": an existing row is the one with the item's number or position (a
    re-imported notice); match_by="key": the one with the item's key (a revision). The
    caller holds the plan row locked and saves the plan itself. `fresh`: the plan was created
    in this transaction and has no parts yet, so none are read to be matched; the rows written
    are then returned as plan_rows would read them back (publishing an imported notice uses
    them), else None.
    """
    sections_by_key: dict[str, Section] = {}
    tasks_by_key: dict[str, Task] = {}
    projects_by_key: dict[str, Project] = {}
    entries_by_key: dict[str, ScheduleEntry] = {}

    def assign_section(row, item):
        row.level, row.label = item["level"], item.get("label", "")
        row.heading, row.text = item["heading"], item.get("text", "")
        row.parent = sections_by_key.get(item.get("parent")) if item.get("parent") else None

    section_items = content.get("sections", [])
    # Children after parents: a (一) row whose 一、 row is new waits for its id.
    stale_sections = _sync(
        plan=plan,
        model=Section,
        natural="position",
        items=section_items,
        match_by=match_by,
        fields=("position", "level", "label", "heading", "text", "parent_id"),
        assign=assign_section,
        acting_user=acting_user,
        rows=sections_by_key,
        fresh=fresh,
        defer_parents=lambda item: item.get("parent") in sections_by_key and sections_by_key[item["parent"]].pk is None,
    )

    def assign_task(row, item):
        row.label, row.title, row.text = item.get("label", ""), item["title"], item["text"]
        row.lead_unit = item.get("lead_unit", "")
        row.lead_office_id = item.get("lead_office")
        row.addresses_all_counties = bool(item.get("addresses_all_counties"))
        row.unconfirmed_places = list(item.get("unconfirmed_places", []))
        row.section = sections_by_key.get(item.get("section")) if item.get("section") else None
        row.search_grams_refresh()

    stale_tasks = _sync(
        plan=plan,
        model=Task,
        natural="number",
        items=content.get("tasks", []),
        match_by=match_by,
        fields=(
            "number",
            "label",
            "title",
            "text",
            "lead_unit",
            "lead_office_id",
            "addresses_all_counties",
            "unconfirmed_places",
            "section_id",
            "search_grams",
        ),
        assign=assign_task,
        acting_user=acting_user,
        rows=tasks_by_key,
        fresh=fresh,
    )

    def assign_project(row, item):
        for name in ("label", "heading", "name", "goal", "annual_target", "text"):
            setattr(row, name, item.get(name, ""))

    stale_projects = _sync(
        plan=plan,
        model=Project,
        natural="number",
        items=content.get("projects", []),
        match_by=match_by,
        fields=("number", "label", "heading", "name", "goal", "annual_target", "text"),
        assign=assign_project,
        acting_user=acting_user,
        rows=projects_by_key,
        fresh=fresh,
    )

    def assign_entry(row, item):
        months = sorted(item["months"])
        row.period, row.text = item["period"], item["text"]
        row.start_month, row.end_month, row.months = months[0], months[-1], months_to_mask(months)
        row.granularity, row.deadline_day = item["granularity"], item.get("deadline_day")
        row.lead_unit = item.get("lead_unit", "")
        row.unconfirmed_places = list(item.get("unconfirmed_places", []))
        row.task = tasks_by_key.get(item.get("task")) if item.get("task") else None

    entry_items = content.get("entries", [])
    stale_entries = _sync(
        plan=plan,
        model=ScheduleEntry,
        natural="position",
        items=entry_items,
        match_by=match_by,
        fields=(
            "position",
            "period",
            "start_month",
            "end_month",
            "months",
            "granularity",
            "deadline_day",
            "lead_unit",
            "unconfirmed_places",
            "text",
            "task_id",
        ),
        assign=assign_entry,
        acting_user=acting_user,
        rows=entries_by_key,
        fresh=fresh,
    )

    _sync_targets(
        through=TaskTarget,
        owner_field="task",
        rows=tasks_by_key,
        items=content.get("tasks", []),
        acting_user=acting_user,
        fresh=fresh,
    )
    _sync_targets(
        through=EntryTarget,
        owner_field="entry",
        rows=entries_by_key,
        items=entry_items,
        acting_user=acting_user,
        fresh=fresh,
    )
    # Last: nothing kept points at these rows any more.
    for model, stale in (
        (ScheduleEntry, stale_entries),
        (Task, stale_tasks),
        (Project, stale_projects),
        (Section, stale_sections),
    ):
        if stale:
            model.objects.filter(pk__in=stale).delete()
    # The plan's grams are its tasks' (the plan list's search reads them): from the rows just
    # written, which are all its tasks now.
    plan.search_grams = plan_search_grams((row.title, row.text) for row in tasks_by_key.values())
    WorkPlan.objects.filter(pk=plan.pk).update(search_grams=plan.search_grams)
    # The index from the targets just written, which are the content's.
    task_items = content.get("tasks", [])
    named = {county_id for item in task_items + entry_items for county_id, *_name in item.get("counties", [])}
    region: list[list[int]] = []

    def region_read() -> list[int]:
        region.append(office_county_ids(plan.office))
        return region[0]

    _plan_county_index_write(
        plan=plan,
        wanted=plan_county_ids(
            named=named,
            addresses_all_counties=any(item.get("addresses_all_counties") for item in task_items),
            region=region_read,
        ),
        fresh=fresh,
    )
    if not fresh:
        return None
    return _rows_written(
        region=region[0] if region else None,
        sections=sections_by_key,
        tasks=tasks_by_key,
        projects=projects_by_key,
        entries=entries_by_key,
        task_items=task_items,
        entry_items=entry_items,
    )


def _rows_written(
    *, region: list[int] | None, sections: dict, tasks: dict, projects: dict, entries: dict, task_items, entry_items
) -> PlanRows:
    """A fresh plan's rows as plan_rows reads them: _sync numbered the rows in the items' order,
    which is document order, and the targets are those the items name, ordered as plan_rows
    orders them (by the county's code and name, read here in one query)."""
    named = {county_id for item in task_items + entry_items for county_id, *_name in item.get("counties", [])}
    counties = {
        pk: (code, name) for pk, code, name in County.objects.filter(pk__in=named).values_list("pk", "code", "name")
    }

    def targets(rows: dict, items) -> dict[int, list[tuple[int, str]]]:
        found = {}
        for item in items:
            ids = sorted({county_id for county_id, *_name in item.get("counties", [])}, key=counties.__getitem__)
            if ids:
                found[rows[item["key"]].pk] = [(county_id, counties[county_id][1]) for county_id in ids]
        return found

    return PlanRows(
        sections=list(sections.values()),
        tasks=list(tasks.values()),
        projects=list(projects.values()),
        entries=list(entries.values()),
        task_counties=targets(tasks, task_items),
        entry_counties=targets(entries, entry_items),
        region=region,
    )


def office_county_ids(office: Office) -> list[int]:
    """The counties an office's notices address when they write 各县（市、区）."""
    if office.county_id:
        return [office.county_id]
    if office.region_id is None:
        return []
    return region_county_ids(region_id=office.region_id)


def plan_county_ids(
    *, named: Iterable[int], addresses_all_counties: bool, region: Callable[[], Iterable[int]]
) -> set[int]:
    """The counties a plan concerns (its index): those its tasks and calendar lines name, and,
    when a task is addressed to all counties, those of the issuing office's region (`region`,
    asked only then)."""
    wanted = set(named)
    if addresses_all_counties:
        wanted |= set(region())
    return wanted


def plan_county_index_refresh(*, plan: WorkPlan) -> None:
    """Rewrite the plan → county index from the plan's targets."""
    wanted = plan_county_ids(
        named=set(TaskTarget.objects.filter(task__plan=plan).values_list("county_id", flat=True))
        | set(EntryTarget.objects.filter(entry__plan=plan).values_list("county_id", flat=True)),
        addresses_all_counties=Task.objects.filter(plan=plan, addresses_all_counties=True).exists(),
        region=lambda: office_county_ids(plan.office),
    )
    _plan_county_index_write(plan=plan, wanted=wanted)


def _plan_county_index_write(*, plan: WorkPlan, wanted: set[int], fresh: bool = False) -> None:
    present = set() if fresh else set(PlanCounty.objects.filter(plan=plan).values_list("county_id", flat=True))
    if present - wanted:
        PlanCounty.objects.filter(plan=plan, county_id__in=present - wanted).delete()
    if wanted - present:
        PlanCounty.objects.bulk_create(
            [PlanCounty(plan=plan, county_id=county) for county in sorted(wanted - present)],
            batch_size=500,
        )
