"""Reads for the county pages: which counties the plans a user reads give work to, and what."""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, QuerySet, Value, When, Window
from django.db.models.expressions import RawSQL
from django.utils.translation import ngettext

from organisation.access import cities_of_user
from organisation.models import County
from plans.filters import CountyFilter, county_match_ids
from plans.models import PlanCounty, ScheduleEntry, Task, WorkPlan
from plans.permissions import plan_reader, readable_plans_q
from plans.selectors.paging import Pages
from supervision.lookups import InArray, in_array_sql
from supervision.prepared import Prepared, PreparedPrefetch, prefetched
from tracking.models import Assignment
from tracking.permissions import counties_listed

COUNTIES_PER_PAGE = 50


def _readable_ids(*, everyone: bool, office_ids: list[int], county_ids: list[int]) -> QuerySet[WorkPlan]:
    """The plans a `plan_reader` may read, drafts of revisions left out (a draft revision is
    its office's working copy of a plan the county pages already count)."""
    q = readable_plans_q(everyone=everyone, office_ids=office_ids, county_ids=county_ids)
    plans = WorkPlan.objects.all() if q is None else WorkPlan.objects.filter(q)
    return plans.filter(revision_of=None).order_by()


# The county list's reads, compiled once a process (supervision.prepared): building and
# compiling them took half of the page's CPU.


def _years(*, listed: list[int] | None, **reader) -> QuerySet:
    plans = _readable_ids(**reader)
    if listed is not None:
        plans = plans.filter(Exists(PlanCounty.objects.filter(InArray(F("county_id"), listed), plan=OuterRef("pk"))))
    return plans.values_list("plan_year").annotate(n=Count("*")).order_by("-plan_year")


def _year_plans(*, year: int, **reader) -> QuerySet:
    named = PlanCounty.objects.filter(plan=OuterRef("pk"))
    return _readable_ids(**reader).filter(Exists(named), plan_year=year).values_list("pk", flat=True)


_years_read = Prepared(_years)
_year_plans_read = Prepared(_year_plans)


def county_list_years(*, user) -> dict[int, int]:
    """The years of the plans `user` may read, newest first, each with how many there are: one
    query, like the plan list's years. A county office counts only the plans naming its county
    (what its list shows). Other users' plans are not checked for naming a county here (that
    probe of every plan doubled the query with the years kept): `county_list_year_plans` checks
    the year it defaults to."""
    return dict(_years_read(listed=counties_listed(user), **plan_reader(user)))


def county_list_year_plans(*, user, years: dict[int, int], asked: str | None, this_year: int) -> tuple[int, list[int]]:
    """The year the county list shows, with its plans (county_year_plans): the one asked for
    (`?year=`) if among `years` (county_list_years); otherwise this year if a plan of it that
    `user` reads names a county, or else the latest such year (as county_year_shown). One query
    a year tried: usually one."""
    shown = county_year_shown(years=years, asked=asked, this_year=this_year)
    if not years or shown != county_year_shown(years=years, asked=None, this_year=this_year):
        # None at all, or another year asked for.
        return shown, county_year_plans(user=user, year=shown) if years else []
    tried = ([this_year] if this_year in years else []) + [year for year in years if year != this_year]
    for year in tried:
        plan_ids = county_year_plans(user=user, year=year)
        if plan_ids:
            return year, plan_ids
    return shown, []


def county_year_plans(*, user, year: int) -> list[int]:
    """The plans of `year` that `user` may read (drafts of revisions left out) and that name a
    county, by id: what the county list counts by. Read once and handed to PostgreSQL as one
    array, which it hashes; as a subquery it looked each county's rows of every year up in the
    plans (index scans, merge joins over the plan table), so the page grew with the years kept."""
    return _year_plans_read(year=year, **plan_reader(user))


def _counties(*, plan_ids: list[int], listed: list[int] | None) -> QuerySet[County]:
    counties = County.objects.filter(
        pk__in=PlanCounty.objects.filter(InArray(F("plan_id"), plan_ids)).values("county_id")
    )
    return counties if listed is None else counties.filter(InArray(F("pk"), listed))


def _in_order(counties: QuerySet[County], *, own_cities: list[int]) -> QuerySet[County]:
    return (
        counties.select_related("city")
        # The user's own city (cities) first, then the rest by division code. By the city's code
        # before the county's: a functional zone has no code of its own, and the page groups
        # consecutive rows by city (a city split in two would be listed twice).
        .annotate(own=Case(When(InArray(F("city_id"), own_cities), then=Value(0)), default=Value(1)))
        .order_by("own", "city__code", "city_id", "code", "name")
    )


class CountyList(NamedTuple):
    filterset: CountyFilter
    counties: QuerySet[County]
    # The first page, with its counts and the number in all, by a prepared read (no search
    # asked for); county_pages uses it.
    first_page: Callable[[], list[County]] | None = None


def county_list(*, user, plan_ids: Collection[int], filters=None) -> CountyList:
    """Counties that at least one of `plan_ids` (county_year_plans) gives work to, by city; a
    county office sees its own county only. Paginate the queryset with `county_pages`, which
    adds the counts for the page's counties."""
    plan_ids, listed = list(plan_ids), counties_listed(user)
    counties = _counties(plan_ids=plan_ids, listed=listed)
    filterset = CountyFilter(filters, queryset=counties)
    if filterset.is_bound and not filterset.is_valid():
        return CountyList(filterset, counties.none())
    own_cities = cities_of_user(user)
    ordered = _in_order(filterset.qs, own_cities=own_cities)
    if not plan_ids:
        return CountyList(filterset, ordered)
    searched = (filterset.form.cleaned_data.get("q") or "").strip() if filterset.is_bound else ""

    def first_page():
        # The counties a name means are a handful, read first (as the plan list's): the page is
        # then a read compiled once, not a query compiled with the name test inside (1.5 ms).
        matched = county_match_ids(searched) if searched else None
        return _first_page_read(plan_ids=plan_ids, listed=listed, own_cities=own_cities, matched=matched)

    return CountyList(filterset, ordered, first_page)


# What the county list counts for each county of a page, among a year's plans ({plans}: the
# plan ids, in_array_sql). Written as SQL: the ORM took 6 ms of CPU to build these five
# subqueries on every request; the statement is the one it built.
_COUNTED = {
    "plan_count": "SELECT COUNT(*) FROM plans_plancounty x WHERE x.county_id = organisation_county.id"
    " AND x.plan_id {plans}",
    "task_count": "SELECT COUNT(*) FROM plans_tasktarget x INNER JOIN plans_task t ON t.id = x.task_id"
    " WHERE x.county_id = organisation_county.id AND t.plan_id {plans}",
    "entry_count": "SELECT COUNT(*) FROM plans_entrytarget x INNER JOIN plans_scheduleentry e ON e.id = x.entry_id"
    " WHERE x.county_id = organisation_county.id AND e.plan_id {plans}",
    # By plan_id: what lets PostgreSQL count in assignment_county_plan_idx alone.
    "assignment_count": "SELECT COUNT(*) FROM tracking_assignment x WHERE x.county_id = organisation_county.id"
    " AND x.plan_id {plans} AND x.state <> %s",
    "open_count": "SELECT COUNT(*) FROM tracking_assignment x WHERE x.county_id = organisation_county.id"
    " AND x.plan_id {plans} AND x.state IN ({open})",
}


def _counted(plan_ids: Collection[int]) -> dict[str, RawSQL]:
    plans, plan_params = in_array_sql(plan_ids)
    extra = {
        "assignment_count": [Assignment.State.WITHDRAWN],
        "open_count": list(Assignment.OPEN),
    }
    return {
        name: RawSQL(
            sql.format(plans=plans, open=", ".join(["%s"] * len(Assignment.OPEN))),
            [*plan_params, *extra.get(name, [])],
            output_field=IntegerField(),
        )
        for name, sql in _COUNTED.items()
    }


def _first_page(
    *, plan_ids: list[int], listed: list[int] | None, own_cities: list[int], matched: list[int] | None
) -> QuerySet[County]:
    """The first page of the county list, as `county_pages` reads it: of the counties a name
    searched for means (`matched`), if one is."""
    counties = _counties(plan_ids=plan_ids, listed=listed)
    if matched is not None:
        counties = counties.filter(InArray(F("pk"), matched))
    counties = _in_order(counties, own_cities=own_cities)
    return counties.annotate(**_counted(plan_ids), total_found=Window(Count("pk")))[:COUNTIES_PER_PAGE]


_first_page_read = Prepared(_first_page)


def county_pages(
    counties: QuerySet[County],
    *,
    plan_ids: Collection[int],
    per_page: int,
    page=None,
    first_page: Callable[[], list[County]] | None = None,
) -> Pages:
    """`counties` for a Paginator showing page `page`: each page read with, among `plan_ids`
    (the plans of a year a user reads: county_year_plans), the plans, tasks and calendar lines
    naming each county and its assignments (all, and open), counted for the page's counties
    only (plans.selectors.paging). A plan's assignments are of its year
    (tracking.services.assignments). `first_page` (county_list's) reads the first page when it
    is the one asked for."""
    if not plan_ids:
        return Pages(counties.none(), per_page=per_page, page=page, count=0)
    counted = _counted(plan_ids)
    return Pages(
        counties,
        per_page=per_page,
        page=page,
        annotated=lambda rows: rows.annotate(**counted),
        first_page=first_page if per_page == COUNTIES_PER_PAGE else None,
    )


# Compiled once a process: every county page reads its county first.
_county_read = Prepared(lambda *, pk: County.objects.select_related("city").filter(pk=pk).order_by()[:1])


def county_get(*, pk: int, user) -> County | None:
    """A county, or None if `user` may not read its page."""
    county = next(iter(_county_read(pk=pk)), None)
    if county is None or not user.has_perm("plans.view_county", county):
        return None
    return county


@dataclass
class CountyPlanMentions:
    """What one plan gives a county to do: the tasks and calendar lines that name it."""

    plan: WorkPlan
    tasks: list[Task] = field(default_factory=list)
    schedule_entries: list[ScheduleEntry] = field(default_factory=list)


def _county_years(*, county_id: int, **reader) -> QuerySet:
    return (
        _readable_ids(**reader)
        .filter(county_index__county_id=county_id)
        .values_list("plan_year")
        .annotate(n=Count("*"))
        .order_by("-plan_year")
    )


_county_years_read = Prepared(_county_years)


def county_years(*, county: County, user) -> dict[int, int]:
    """The years in which plans `user` may read give `county` work, newest first, each with
    how many plans do: one query, through the plan → county index."""
    return dict(_county_years_read(county_id=county.pk, **plan_reader(user)))


def county_year_shown(*, years: Collection[int], asked: str | None, this_year: int) -> int:
    """The year the county page shows: the one asked for (`?year=`) when the county has work
    then; otherwise this year if it has, or else the latest year it has (this year when it
    has none at all). A year asked for that is no number, or has no work, is not an error:
    the page shows its default."""
    if asked and asked.isascii() and asked.isdigit() and int(asked) in years:
        return int(asked)
    if this_year in years or not years:
        return this_year
    return max(years)


@dataclass(frozen=True)
class CountyYearLink:
    year: int
    label: str  # the year and its number of plans
    current: bool


def county_year_links(*, years: dict[int, int], year: int) -> list[CountyYearLink]:
    """The county page's year navigation: each year with work, with its number of plans."""
    return [
        CountyYearLink(
            other,
            ngettext("%(year)s (%(counter)s plan)", "%(year)s (%(counter)s plans)", plans)
            % {"year": other, "counter": plans},
            other == year,
        )
        for other, plans in years.items()
    ]


# What the page shows of a plan and of a calendar line. Each task and line is read with its
# plan: the plan's other columns (its lists of recipients, decoded from JSON on every row) cost
# more than the page's own.
_PLAN_SHOWN = ("plan__title", "plan__doc_number", "plan__plan_year", "plan__office__name")
_LINE_SHOWN = ("position", "period", "text", "deadline_day", "end_month")


def _plans_naming(*, county_id: int, year: int, **reader) -> QuerySet:
    return _readable_ids(**reader).filter(county_index__county_id=county_id, plan_year=year).values("pk")


def _county_tasks(*, county_id: int, year: int, **reader) -> QuerySet[Task]:
    return (
        Task.objects.filter(counties=county_id, plan_id__in=_plans_naming(county_id=county_id, year=year, **reader))
        .select_related("plan__office")
        .only("plan", "number", "label", "title", "text", *_PLAN_SHOWN)
        .order_by("plan_id", "number")
    )


def _county_lines(*, county_id: int, year: int, **reader) -> QuerySet[ScheduleEntry]:
    return (
        ScheduleEntry.objects.filter(
            counties=county_id, plan_id__in=_plans_naming(county_id=county_id, year=year, **reader)
        )
        .select_related("plan__office", "task")
        # The line links its task by number: none of the task's text.
        .only("plan", "task__plan", "task__number", "months", *_LINE_SHOWN, *_PLAN_SHOWN)
        .order_by("plan_id", "position")
    )


# Compiled once a process: a county's page reads both.
_county_tasks_read = Prepared(_county_tasks)
_county_lines_read = Prepared(_county_lines)
# What is due when: each task's own calendar lines, beside its title.
_TASK_LINES = PreparedPrefetch(
    "schedule_entries", ScheduleEntry.objects.only("task", *_LINE_SHOWN).order_by("position"), to_attr="lines"
)


def county_mentions(*, county: County, user, year: int) -> list[CountyPlanMentions]:
    """Every task and schedule entry naming `county` in the plans of `year` that `user` may
    read, grouped by plan (by office, then title)."""
    reader = plan_reader(user)
    tasks = prefetched(_county_tasks_read(county_id=county.pk, year=year, **reader), _TASK_LINES)
    entries = _county_lines_read(county_id=county.pk, year=year, **reader)
    groups: dict[int, CountyPlanMentions] = {}
    for task in tasks:
        groups.setdefault(task.plan_id, CountyPlanMentions(task.plan)).tasks.append(task)
    for entry in entries:
        groups.setdefault(entry.plan_id, CountyPlanMentions(entry.plan)).schedule_entries.append(entry)
    return sorted(
        groups.values(),
        key=lambda group: (group.plan.office.name, group.plan.title, group.plan.pk),
    )
