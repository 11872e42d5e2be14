"""Reads for the plan pages: the list, a plan laid out as its notice (live or as one of its
revisions), and the difference between two revisions.

Every page's query count is independent of the size of a plan: related rows come in one query
per relation, and the outline and calendar are assembled here in Python.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce

from organisation.models import County, Office, OfficeAlias
from plans.filters import (
    WorkPlanFilter,
    county_test,
    name_test,
    names_holding,
    plan_year_counts,
    plans_naming_counties,
    plans_of_offices,
)
from plans.models import (
    EntryTarget,
    PlanCounty,
    PlanRevision,
    Project,
    ScheduleEntry,
    Section,
    Task,
    TaskTarget,
    WorkPlan,
    months_to_mask,
)
from plans.permissions import plan_note_viewer_county, plan_reader, readable_plans_q, visible_plans_q
from plans.selectors.paging import Pages
from plans.snapshots import header_apply
from schedule.calendars import ScheduleCalendar
from supervision.loading import built
from supervision.prepared import Prepared

# What the list shows of a plan; its long texts stay in the database.
LIST_FIELDS = (
    "id",
    "title",
    "doc_number",
    "plan_year",
    "issue_date",
    "status",
    "revision",
    "revision_of_id",
    "office_id",
    "office__name",
)


def work_plan_visible(*, user) -> QuerySet[WorkPlan]:
    """The plans `user` may read (plans.permissions)."""
    q = visible_plans_q(user)
    plans = WorkPlan.objects.all()
    return plans if q is None else plans.filter(q)


# --- Plan list ---------------------------------------------------------------------------------

PLANS_PER_PAGE = 25


def _count_of(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("plan_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def _plans_readable(*, everyone: bool, office_ids: list[int], county_ids: list[int]) -> QuerySet[WorkPlan]:
    q = readable_plans_q(everyone=everyone, office_ids=office_ids, county_ids=county_ids)
    return WorkPlan.objects.all() if q is None else WorkPlan.objects.filter(q)


def _plan_years(**reader) -> QuerySet:
    return plan_year_counts(_plans_readable(**reader))


# Compiled once a process: every plan list counts its years.
_plan_years_read = Prepared(_plan_years)


def work_plan_filterset(*, user, filters=None) -> WorkPlanFilter:
    """The plan list's filters over the plans `user` may see (its form is the page's form)."""
    reader = plan_reader(user)
    # Elsewhere than on PostgreSQL the filter counts the years from its own queryset (the read
    # would build the same query again).
    years_read = (lambda: _plan_years_read(**reader)) if _plan_years_read.compiles() else None
    return WorkPlanFilter(filters, queryset=_plans_readable(**reader), years_read=years_read)


def _listed(plans: QuerySet[WorkPlan]) -> QuerySet[WorkPlan]:
    return plans.select_related("office").only(*LIST_FIELDS).order_by("-plan_year", "office__name", "title", "pk")


def work_plan_list(*, filterset: WorkPlanFilter, years: list[int] | None = None) -> QuerySet[WorkPlan]:
    """The plans of the plan list, filtered and in its order (of these `years` only, if given);
    none at all when the filters are invalid. Paginate it with `work_plan_pages`, which adds the
    task and county counts."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return _listed(filterset.qs if years is None else filterset.qs_of_years(years))


def _with_counts(rows: QuerySet[WorkPlan]) -> QuerySet[WorkPlan]:
    return rows.annotate(
        task_count=_count_of(Task.objects.filter(plan=OuterRef("pk"))),
        county_count=_count_of(PlanCounty.objects.filter(plan=OuterRef("pk"))),
    )


def _first_page(
    *,
    everyone: bool,
    office_ids: list[int],
    county_ids: list[int],
    offices: list[int] | None,
    counties: list[int] | None,
    status: str | None,
    year: int | None,
    counted: bool,
) -> QuerySet[WorkPlan]:
    """The list's first page as `work_plan_pages` reads it, the filters (but a search) given as
    values: the offices and counties a typed name means (None: not filtered)."""
    plans = _plans_readable(everyone=everyone, office_ids=office_ids, county_ids=county_ids)
    if offices is not None:
        plans = plans_of_offices(plans, offices)
    if year is not None:
        plans = plans.filter(plan_year=year)
    if status is not None:
        plans = plans.filter(status=status)
    if counties is not None:
        plans = plans_naming_counties(plans, counties)
    rows = _with_counts(_listed(plans))
    if counted:
        rows = rows.annotate(total_found=Window(Count("pk")))
    return rows[:PLANS_PER_PAGE]


# Compiled once a process, a shape for each set of filters used: the plan list's first page.
_first_page_read = Prepared(_first_page)


def work_plan_first_page(*, filterset: WorkPlanFilter, user, counted: bool) -> Callable[[], list] | None:
    """The first page of the list `filterset` filters, read by a query compiled once (with
    `total_found` on each row when `counted`), for `work_plan_pages`; None for a search or
    filters that are not valid, which are read the ORM's way, as the list is where the read is
    not compiled once (SQLite)."""
    if not _first_page_read.compiles() or (filterset.is_bound and not filterset.is_valid()):
        return None
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    if (data.get("q") or "").strip():
        return None
    office, county = (data.get("office") or "").strip(), (data.get("county") or "").strip()
    values = {
        "offices": filterset.office_ids(office) if office else None,
        "counties": filterset.county_ids(county) if county else None,
        "status": data.get("status") or None,
        "year": int(data["plan_year"]) if data.get("plan_year") else None,
    }
    return lambda: list(_first_page_read(**plan_reader(user), **values, counted=counted))


# A text search lists and counts this many plans at most: a frequent word is in nearly every
# plan, and sorting them all made the search cost grow with the years of plans.
SEARCH_CAP = 1000


def work_plan_pages(
    plans: QuerySet[WorkPlan],
    *,
    per_page: int,
    page=None,
    count: int | None = None,
    searched: bool = False,
    walk: tuple[dict[int, int], Callable[[list[int]], QuerySet[WorkPlan]]] | None = None,
    first_page: Callable[[], list[WorkPlan]] | None = None,
) -> Pages:
    """`plans` for a Paginator showing page `page`, each page read with its plans' task and
    county counts (plans.selectors.paging); `count`: how many there are, when known. The
    plans of a text search (`searched`) are read and counted up to SEARCH_CAP (`capped` says
    when more matched), a span of years at a time when `walk` gives each year's number of
    plans and the list's plans of some years (plans.selectors.paging). `first_page`
    (work_plan_first_page) reads the first page when it is the one asked for."""

    return Pages(
        plans,
        per_page=per_page,
        page=page,
        annotated=_with_counts,
        count=count,
        cap=SEARCH_CAP if searched else None,
        walk=walk if searched else None,
        first_page=first_page,
    )


# --- One plan ----------------------------------------------------------------------------------


@dataclass
class OutlinePart:
    """A heading of the plan (None for tasks printed before the first heading) and its tasks."""

    section: Section | None
    tasks: list[Task] = field(default_factory=list)


@dataclass
class PlanDocument:
    """A plan as its notice prints it: the header (a WorkPlan, saved or not), the outline of
    sections and tasks, the projects and the work calendar. Tasks carry `schedule_lines` and
    `county_list`; calendar lines carry `county_list` and their `task`."""

    plan: WorkPlan
    outline: list[OutlinePart]
    projects: list[Project]
    calendar: ScheduleCalendar | None
    tasks: list[Task]


def _plan_read(
    *, pk: int, carried_out: bool, everyone: bool, office_ids: list[int], county_ids: list[int]
) -> QuerySet[WorkPlan]:
    q = readable_plans_q(everyone=everyone, office_ids=office_ids, county_ids=county_ids)
    plan = WorkPlan.objects.filter(pk=pk) if q is None else WorkPlan.objects.filter(q, pk=pk)
    plan = plan.select_related("office", "office__region", "revision_of")
    if carried_out:
        plan = plan.annotate(
            carried_out=Exists(
                Task.objects.filter(
                    Q(plan_id=OuterRef("pk")) | Q(plan_id=OuterRef("revision_of_id")), inspections__isnull=False
                )
            )
        )
    return plan


# Compiled once a process: every page of a plan reads it first.
plan_read = Prepared(_plan_read)


def work_plan_get(*, pk: int, user, carried_out: bool = False) -> WorkPlan | None:
    """The plan with its office, or None if `user` may not read it. With `carried_out`, the
    plan's `carried_out` says whether an inspection carries out one of its tasks (a draft
    revision's: one of the published plan's), so that its page asks which only then; the other
    pages of a plan (its dashboard, ...) leave that subquery out."""
    found = plan_read(pk=pk, carried_out=carried_out, **plan_reader(user))
    plan = found[0] if found else None
    plan_note_viewer_county(plan=plan, user=user)
    return plan


def _plan_sections(*, plan_id: int) -> QuerySet[Section]:
    return Section.objects.filter(plan_id=plan_id).order_by("position")


def _plan_tasks(*, plan_id: int) -> QuerySet[Task]:
    # The search index's characters and pairs: about 1 KB a task the page never shows.
    return Task.objects.filter(plan_id=plan_id).order_by("number").defer("search_grams")


def _plan_lines(*, plan_id: int) -> QuerySet[ScheduleEntry]:
    return ScheduleEntry.objects.filter(plan_id=plan_id).order_by("position")


def _plan_targets(*, plan_id: int, tasks: bool) -> QuerySet:
    """(task or line id, county id, code, name) of the plan's tasks' (or lines') counties."""
    if tasks:
        rows = TaskTarget.objects.filter(task__plan_id=plan_id).values_list("task_id", *TARGET_COUNTY)
    else:
        rows = EntryTarget.objects.filter(entry__plan_id=plan_id).values_list("entry_id", *TARGET_COUNTY)
    return rows.order_by("county__code", "county__name")


def _plan_projects(*, plan_id: int) -> QuerySet[Project]:
    return Project.objects.filter(plan_id=plan_id).order_by("number")


# Compiled once a process: the notice (when not kept), the print view and the Word document read
# them all.
_plan_sections_read = Prepared(_plan_sections)
_plan_tasks_read = Prepared(_plan_tasks)
_plan_lines_read = Prepared(_plan_lines)
_plan_targets_read = Prepared(_plan_targets)
_plan_projects_read = Prepared(_plan_projects)


def work_plan_document(*, plan: WorkPlan) -> PlanDocument:
    """Everything the notice page prints of a live plan, in six queries."""
    sections = _plan_sections_read(plan_id=plan.pk)
    tasks = _plan_tasks_read(plan_id=plan.pk)
    entries = _plan_lines_read(plan_id=plan.pk)
    counties: dict[int, County] = {}
    for of_tasks, owners in ((True, tasks), (False, entries)):
        # No lines, no query for their counties (as a prefetch of nothing skips it).
        rows = _plan_targets_read(plan_id=plan.pk, tasks=of_tasks) if owners else []
        county_lists = county_lists_of(rows, counties)
        for owner in owners:
            owner.county_list = county_lists.get(owner.pk, [])
    projects = _plan_projects_read(plan_id=plan.pk)
    return _document(plan, sections, tasks, projects, entries)


# A target's county, as the notice names it and in the division table's order.
TARGET_COUNTY = ("county_id", "county__code", "county__name")


def county_lists_of(rows, counties: dict[int, County]) -> dict[int, list[County]]:
    """The counties of each task or calendar line from (owner id, county id, code, name) rows in
    the counties' order: plain rows and one County a county (kept in `counties`), rather than a
    prefetch's County a target (a large plan's lines name hundreds)."""
    lists: dict[int, list[County]] = {}
    for owner_id, county_id, code, name in rows:
        county = counties.get(county_id)
        if county is None:
            county = counties[county_id] = built(County, pk=county_id, code=code, name=name)
        lists.setdefault(owner_id, []).append(county)
    return lists


def _document(plan, sections, tasks, projects, entries) -> PlanDocument:
    by_id = {task.pk: task for task in tasks}
    for task in tasks:
        task.schedule_lines = []
    for entry in entries:
        if entry.task_id is not None and entry.task_id in by_id:
            # Set from the tasks in hand so the template's entry.task costs no query.
            entry.task = by_id[entry.task_id]
            entry.task.schedule_lines.append(entry)
    parts = {section.pk: OutlinePart(section) for section in sections}
    leading = OutlinePart(None)
    for task in tasks:
        parts.get(task.section_id, leading).tasks.append(task)
    outline = ([leading] if leading.tasks else []) + list(parts.values())
    return PlanDocument(
        plan=plan,
        outline=outline,
        projects=projects,
        calendar=plan_document_calendar(plan=plan, entries=entries),
        tasks=tasks,
    )


def plan_document_calendar(*, plan: WorkPlan, entries: list[ScheduleEntry]) -> ScheduleCalendar | None:
    """The notice's work calendar: the plan's calendar (plans.selectors.calendars), or None
    when the plan has no calendar line."""
    # Imported here: the calendars read plans through work_plan_visible above.
    from plans.selectors.calendars import schedule_calendar

    return schedule_calendar(entries=entries, year=plan.plan_year) if entries else None


# --- Revisions -----------------------------------------------------------------------------------


def _revisions(*, plan_id: int) -> QuerySet[PlanRevision]:
    return (
        PlanRevision.objects.filter(plan_id=plan_id)
        .select_related("published_by")
        .defer("snapshot")
        .order_by("-number")
    )


def _revision(*, plan_id: int, number: int, content: bool) -> QuerySet[PlanRevision]:
    revisions = PlanRevision.objects.filter(plan_id=plan_id, number=number).select_related("published_by")
    return (revisions if content else revisions.defer("snapshot")).order_by("pk")[:1]


# Compiled once a process: the revisions' pages.
_revisions_read = Prepared(_revisions)
_revision_read = Prepared(_revision)


def revision_list(*, plan: WorkPlan) -> list[PlanRevision]:
    return _revisions_read(plan_id=plan.pk)


def revision_get(*, plan: WorkPlan, number: int, content: bool = True) -> PlanRevision | None:
    """A revision; without its content (read when first used) when `content` is False."""
    return next(iter(_revision_read(plan_id=plan.pk, number=number, content=content)), None)


_snapshot_read = Prepared(lambda *, pk: PlanRevision.objects.filter(pk=pk).values_list("snapshot", flat=True))


def revision_snapshot(*, revision: PlanRevision) -> dict:
    """A revision's content, read now if `revision_get` left it out."""
    if "snapshot" in revision.get_deferred_fields():
        revision.snapshot = _snapshot_read(pk=revision.pk)[0]
    return revision.snapshot


def _counties(pairs, counties: dict[int, County]) -> list[County]:
    """The targets' counties, one County a county (kept in `counties`), as county_lists_of."""
    found = []
    for county_id, name in pairs:
        county = counties.get(county_id)
        if county is None or county.name != name:
            county = counties[county_id] = built(County, pk=county_id, name=name)
        found.append(county)
    return found


def snapshot_document(*, plan: WorkPlan, snapshot: dict) -> PlanDocument:
    """A revision laid out like the live plan: unsaved rows built from its snapshot."""
    header = WorkPlan(pk=plan.pk, office=plan.office, status=plan.status, revision=plan.revision)
    header_apply(header, snapshot["plan"])
    sections, section_ids = [], {}
    counties: dict[int, County] = {}
    for index, item in enumerate(snapshot["sections"], start=1):
        section = built(
            Section,
            pk=-index,
            position=item["position"],
            level=item["level"],
            label=item["label"],
            heading=item["heading"],
            text=item["text"],
        )
        section_ids[item["key"]] = section.pk
        sections.append(section)
    tasks, task_ids = [], {}
    for index, item in enumerate(snapshot["tasks"], start=1):
        task = built(
            Task,
            pk=-index,
            number=item["number"],
            label=item["label"],
            title=item["title"],
            text=item["text"],
            lead_unit=item["lead_unit"],
            addresses_all_counties=item.get("addresses_all_counties", False),
            unconfirmed_places=item.get("unconfirmed_places", []),
            section_id=section_ids.get(item["section"]),
        )
        task.county_list = _counties(item["counties"], counties)
        task_ids[item["key"]] = task.pk
        tasks.append(task)
    projects = [
        built(
            Project,
            number=item["number"],
            label=item["label"],
            heading=item.get("heading", ""),
            name=item["name"],
            goal=item["goal"],
            annual_target=item["annual_target"],
            text=item["text"],
        )
        for item in snapshot["projects"]
    ]
    entries = []
    for index, item in enumerate(snapshot["entries"], start=1):
        months = sorted(item["months"])
        entry = built(
            ScheduleEntry,
            pk=-index,
            position=item["position"],
            period=item["period"],
            start_month=months[0],
            end_month=months[-1],
            months=months_to_mask(months),
            granularity=item["granularity"],
            deadline_day=item.get("deadline_day"),
            text=item["text"],
            lead_unit=item.get("lead_unit", ""),
            unconfirmed_places=item.get("unconfirmed_places", []),
            task_id=task_ids.get(item["task"]),
        )
        entry.county_list = _counties(item["counties"], counties)
        entries.append(entry)
    return _document(header, sections, tasks, projects, entries)


SUGGESTIONS = 10


def _office_names(*, pattern: str, cased: bool) -> QuerySet:
    # The names that hold the text and those of the offices whose aliases do, as a union: the
    # first part reads the names alone, where one WHERE with the aliases' subquery read every
    # office's row for its id (national data: 0.73-1.0 -> 0.55-0.75 ms, EXPLAIN ANALYZE).
    own = Office.objects.filter(names_holding(pattern, cased=cased)).order_by().values_list("name", flat=True)
    aliased = OfficeAlias.objects.filter(names_holding(pattern, cased=cased)).order_by()
    return own.union(aliased.values_list("office__name", flat=True)).order_by("name")[:SUGGESTIONS]


def _county_suggestions(*, build, **values) -> QuerySet[County]:
    return build(**values).select_related("city").order_by("code", "name")[:SUGGESTIONS]


# Compiled once a process: every key typed in a name field asks for them.
_office_names_read = Prepared(_office_names)
_county_suggestions_read = Prepared(_county_suggestions)


def office_suggestions(*, term: str) -> list[str]:
    return _office_names_read(**name_test(term.strip()))


def _open_revision(*, plan_id: int) -> QuerySet[WorkPlan]:
    return (
        WorkPlan.objects.filter(revision_of_id=plan_id)
        .only("id", "status", "revision", "revision_of_id", "office_id")
        .order_by("pk")[:1]
    )


# Compiled once a process: a published plan's page asks it of every reader allowed to revise.
_open_revision_read = Prepared(_open_revision)


def open_revision_of(plan: WorkPlan) -> WorkPlan | None:
    """The draft revision in progress of a published plan, if any."""
    if plan.revision_of_id is not None:
        return None
    return next(iter(_open_revision_read(plan_id=plan.pk)), None)


def county_suggestions(*, term: str) -> list[str]:
    """Names to offer as the user types: "name（city）", which the filters match exactly."""
    build, values = county_test(term)
    counties = _county_suggestions_read(build=build, **values)
    return [f"{county.name}（{county.city.name}）" for county in counties]
