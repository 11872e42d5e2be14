"""Reads for the plan and county pages: who may see what, with what each page needs prefetched.

Every page's query count is independent of the size of a plan: the related rows come in one
query per relation (prefetch), and the calendar and outline are assembled here in Python.
"""
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from plans.filters import (
    CountyFilter,
    ScheduleEntryCounty,
    TaskCounty,
    WorkPlanFilter,
    plans_naming_county,
)
from plans.models import County, Membership, Project, ScheduleEntry, Section, Task, WorkPlan
from plans.permissions import is_bureau_staff, is_county_user

QUARTER_LABELS = {
    1: _("First quarter"),
    2: _("Second quarter"),
    3: _("Third quarter"),
    4: _("Fourth quarter"),
}


# --- Who sees what -------------------------------------------------------------------------


def membership_for(user) -> Membership | None:
    """The user's membership with its office, read in one query and kept on the user.

    It is stored in the cache of `user.membership`, so plans.permissions reads it for free.
    """
    if not user.is_authenticated:
        return None
    cache = get_user_model().membership.related
    if not cache.is_cached(user):
        membership = Membership.objects.select_related("office").filter(user_id=user.pk).first()
        cache.set_cached_value(user, membership)
    return cache.get_cached_value(user)


def user_county_id(user) -> int | None:
    """The county a county-office user works for; None for everyone else."""
    membership = membership_for(user)
    if membership is None or not is_county_user(user):
        return None
    return membership.office.county_id


def user_sees_all_plans(user) -> bool:
    """Bureau staff and admins see drafts, archived plans and import warnings."""
    membership_for(user)
    return is_bureau_staff(user)


def work_plan_visible(*, user) -> QuerySet[WorkPlan]:
    """The plans `user` may read.

    A county office reads only the published plans that give its county something to do;
    a signed-in user without a bureau role reads published plans only.
    """
    plans = WorkPlan.objects.all()
    membership_for(user)
    if is_county_user(user):
        county_id = user_county_id(user)
        if county_id is None:
            return plans.none()
        return plans.filter(status=WorkPlan.Status.PUBLISHED).filter(
            plans_naming_county(county_id)
        )
    if user_sees_all_plans(user):
        return plans
    return plans.filter(status=WorkPlan.Status.PUBLISHED)


# --- Plan list -----------------------------------------------------------------------------


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) subquery; unlike Count() over joins it cannot multiply rows."""
    counted = queryset.order_by().annotate(
        _n=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("_n")[:1]), Value(0))


def _with_counts(plans: QuerySet[WorkPlan]) -> QuerySet[WorkPlan]:
    named_counties = County.objects.filter(
        Q(
            Exists(
                TaskCounty.objects.filter(
                    county=OuterRef("pk"), task__plan=OuterRef(OuterRef("pk"))
                )
            )
        )
        | Q(
            Exists(
                ScheduleEntryCounty.objects.filter(
                    county=OuterRef("pk"), scheduleentry__plan=OuterRef(OuterRef("pk"))
                )
            )
        )
    )
    return plans.annotate(
        task_count=_count(Task.objects.filter(plan=OuterRef("pk"))),
        county_count=_count(named_counties),
    )


def work_plan_filterset(*, user, filters=None) -> WorkPlanFilter:
    """The plan list's filters over the plans `user` may see (its form is the page's form)."""
    plans = _with_counts(work_plan_visible(user=user).select_related("office"))
    return WorkPlanFilter(filters, queryset=plans)


def work_plan_list(*, user, filters=None, filterset: WorkPlanFilter | None = None) -> QuerySet[WorkPlan]:
    """The plans of the plan list, filtered; no plans at all when the filters are invalid."""
    if filterset is None:
        filterset = work_plan_filterset(user=user, filters=filters)
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs.order_by("-plan_year", "office__name", "title", "pk")


# --- Plan detail ---------------------------------------------------------------------------


@dataclass
class OutlinePart:
    """A heading of the plan (None for tasks printed before the first heading) and its tasks."""

    section: Section | None
    tasks: list[Task] = field(default_factory=list)


@dataclass
class CalendarRow:
    key: int
    label: str
    entries: list[ScheduleEntry] = field(default_factory=list)


@dataclass
class WorkCalendar:
    by_quarter: bool
    rows: list[CalendarRow]


def work_plan_get(*, pk: int, user) -> WorkPlan | None:
    """One plan with everything its notice page prints, or None if `user` may not read it.

    The plan's schedule entries are attached to its tasks as `task.schedule_lines`.
    """
    plan = (
        work_plan_visible(user=user)
        .select_related("office")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("position")),
            Prefetch(
                "tasks",
                queryset=Task.objects.order_by("number").prefetch_related(
                    Prefetch("counties", queryset=County.objects.order_by("code", "name"))
                ),
            ),
            Prefetch("projects", queryset=Project.objects.order_by("number")),
            Prefetch(
                "schedule_entries",
                queryset=ScheduleEntry.objects.order_by("position").prefetch_related(
                    Prefetch("counties", queryset=County.objects.order_by("code", "name"))
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        return None
    tasks = {task.pk: task for task in plan.tasks.all()}
    for task in tasks.values():
        task.schedule_lines = []
    for entry in plan.schedule_entries.all():
        if entry.task_id is not None:
            # Set from the prefetched tasks so the template's entry.task costs no query.
            entry.task = tasks[entry.task_id]
            entry.task.schedule_lines.append(entry)
    return plan


def work_plan_outline(*, plan: WorkPlan) -> list[OutlinePart]:
    """The headings of a plan in document order, each with its tasks in number order."""
    parts = {section.pk: OutlinePart(section) for section in plan.sections.all()}
    leading = OutlinePart(None)
    for task in plan.tasks.all():
        parts.get(task.section_id, leading).tasks.append(task)
    return ([leading] if leading.tasks else []) + list(parts.values())


def work_plan_calendar(*, plan: WorkPlan) -> WorkCalendar | None:
    """The work calendar as a table: by quarter when every line is written by quarter
    (一季度…四季度), otherwise by month; a line appears in every month it falls in."""
    entries = list(plan.schedule_entries.all())
    if not entries:
        return None
    if all(entry.granularity == ScheduleEntry.Granularity.QUARTER for entry in entries):
        rows = [CalendarRow(quarter, QUARTER_LABELS[quarter]) for quarter in range(1, 5)]
        for entry in entries:
            for quarter in sorted({(month - 1) // 3 + 1 for month in entry.month_list}):
                rows[quarter - 1].entries.append(entry)
        return WorkCalendar(by_quarter=True, rows=rows)
    rows = [CalendarRow(month, MONTHS[month]) for month in range(1, 13)]
    for entry in entries:
        for month in entry.month_list:
            rows[month - 1].entries.append(entry)
    return WorkCalendar(by_quarter=False, rows=rows)


# --- Counties ------------------------------------------------------------------------------


def county_list(*, user, filters=None) -> QuerySet[County]:
    """Counties named by at least one plan `user` may read, by city, with what names them.

    A county office sees its own county only.
    """
    plan_ids = work_plan_visible(user=user).order_by().values("pk")
    counties = County.objects.select_related("city").annotate(
        task_count=_count(Task.objects.filter(counties=OuterRef("pk"), plan__in=plan_ids)),
        entry_count=_count(
            ScheduleEntry.objects.filter(counties=OuterRef("pk"), plan__in=plan_ids)
        ),
    )
    counties = counties.filter(Q(task_count__gt=0) | Q(entry_count__gt=0))
    if is_county_user(user):
        counties = counties.filter(pk=user_county_id(user))
    filterset = CountyFilter(filters, queryset=counties)
    if filterset.is_bound and not filterset.is_valid():
        return counties.none()
    return filterset.qs.order_by("city__code", "code", "name")


def county_get(*, pk: int, user) -> County | None:
    """A county, or None if `user` is a county office looking at another county."""
    membership_for(user)
    if is_county_user(user) and user_county_id(user) != pk:
        return None
    return County.objects.select_related("city").filter(pk=pk).first()


@dataclass
class CountyPlanMentions:
    """What one plan gives a county to do: the tasks and calendar lines that name it."""

    plan: WorkPlan
    tasks: list[Task] = field(default_factory=list)
    schedule_entries: list[ScheduleEntry] = field(default_factory=list)


def county_mentions(*, county: County, user) -> list[CountyPlanMentions]:
    """Every task and schedule entry naming `county` across the plans `user` may read,
    grouped by plan (newest year first)."""
    plan_ids = work_plan_visible(user=user).order_by().values("pk")
    tasks = (
        Task.objects.filter(counties=county, plan__in=plan_ids)
        .select_related("plan__office")
        .order_by("plan_id", "number")
    )
    entries = (
        ScheduleEntry.objects.filter(counties=county, plan__in=plan_ids)
        .select_related("plan__office", "task")
        .order_by("plan_id", "position")
    )
    groups: dict[int, CountyPlanMentions] = {}
    for task in tasks:
        groups.setdefault(task.plan_id, CountyPlanMentions(task.plan)).tasks.append(task)
    for entry in entries:
        groups.setdefault(entry.plan_id, CountyPlanMentions(entry.plan)).schedule_entries.append(
            entry
        )
    return sorted(
        groups.values(),
        key=lambda group: (-group.plan.plan_year, group.plan.office.name, group.plan.title),
    )
