"""Reads for supervised work: a county's portal, an assignment with its reports, and the
staff's dashboards (a plan's, an office's year, or a province's year)."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

import django_filters
from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, When, Window
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from organisation.access import access_for
from organisation.models import County, Office, Region
from organisation.services.calendar import official_calendar_get
from plans.models import ScheduleEntry, Task, WorkPlan
from plans.selectors.calendars import row_label
from schedule import urgency as rules_of_urgency
from schedule.calendars import is_by_quarter, row_key
from schedule.urgency import ACKNOWLEDGE_WITHIN_WORKING_DAYS, DUE_SOON_WORKING_DAYS, is_overdue
from supervision.choices import choices_in_hand
from supervision.loading import built
from supervision.localtime import site_today
from supervision.lookups import InArray
from supervision.prepared import Prepared, PreparedPrefetch, prefetched
from tracking.kinds import (
    ObligationKind,
    kind_of,
    kinds_version,
    obligations_joined_after,
    obligations_loaded,
    obligations_prefetched,
)
from tracking.models import Assignment, EvidenceFile, ProgressReport, Reminder
from tracking.permissions import (
    assignments_owed_q,
    county_ids_owing,
    plans_to_publish_q,
    reports_reviewable_q,
)
from tracking.province_columns import province_columns_figures

State = Assignment.State
__all__ = ["ACKNOWLEDGE_WITHIN_WORKING_DAYS", "DUE_SOON_WORKING_DAYS"]


def urgency(assignment: Assignment, today: datetime.date, soon: datetime.date) -> str:
    """done, withdrawn, overdue (red), soon (yellow), or open (schedule.urgency)."""
    return rules_of_urgency.urgency(state=assignment.state, due=assignment.due_date, today=today, soon=soon)


def _late_to_acknowledge(sent: datetime.date, today: datetime.date) -> bool:
    return rules_of_urgency.is_late_to_acknowledge(sent=sent, today=today, calendar=official_calendar_get())


# --- The county portal -----------------------------------------------------------------------


@dataclass
class PortalGroup:
    key: object
    label: str
    assignments: list[Assignment] = field(default_factory=list)
    # Grouped by source: its kind, the source as a form posts it, its page, its year.
    kind: ObligationKind | None = None
    source: str = ""
    url: str | None = None
    year: int = 0


def _source_group(assignment: Assignment, groups: dict[tuple, PortalGroup]) -> PortalGroup:
    """The group of `assignment`'s source in `groups`, added when new."""
    kind = kind_of(assignment)
    key = (kind.key, kind.source(assignment))
    if key in groups:
        return groups[key]
    label = kind.source_label(assignment)
    if kind.badge:
        label = f"{kind.label}：{label}"
    groups[key] = PortalGroup(
        key,
        label,
        kind=kind,
        source=kind.source_value(assignment),
        url=kind.source_url(assignment),
        year=assignment.year,
    )
    return groups[key]


# The county's open work, most urgent first: each assignment in the first bucket that applies.
# Returned work waits on the county whatever its date; then the urgency rule's overdue and due
# soon (DUE_SOON_WORKING_DAYS); then the rest of this month; then later.
PORTAL_BUCKETS = {
    "returned": _("Returned"),
    "overdue": _("Overdue"),
    "soon": _("Due within 7 working days"),
    "this_month": _("Due later this month"),
    "later": _("Due later"),
}
# What the portal's tiles filter by (?show=…).
PORTAL_SHOWS = (*PORTAL_BUCKETS, "done")


def portal_bucket(assignment: Assignment, today: datetime.date) -> str:
    if assignment.state == State.RETURNED:
        return "returned"
    if assignment.urgency in ("overdue", "soon"):
        return assignment.urgency
    if (assignment.due_date.year, assignment.due_date.month) == (today.year, today.month):
        return "this_month"
    return "later"


@dataclass
class Portal:
    counties: list[County]
    today: datetime.date
    soon: datetime.date
    counts: dict[str, int]
    urgent: list[PortalGroup]
    # By source: for plan work, by plan (the page's "by plan" view).
    by_plan: list[PortalGroup]
    by_month: list[PortalGroup]
    done: list[Assignment]
    unacknowledged: int
    # The tile the list is filtered by, or "" for all open work.
    show: str = ""

    @property
    def tiles(self) -> list[tuple[str, str, int]]:
        """(filter, label, count) of the count tiles, most urgent first, done last."""
        return [(key, str(label), self.counts[key]) for key, label in PORTAL_BUCKETS.items()] + [
            ("done", str(_("Done")), self.counts["done"])
        ]

    @property
    def show_label(self) -> str:
        return str(PORTAL_BUCKETS.get(self.show, _("Done"))) if self.show else ""


PORTAL_DONE_SHOWN = 20
# The portal names plan work's source by its plan's title and links it by id: the plan's other
# columns (long texts, lists decoded from JSON, five timestamps parsed a row) stay unread.
_PLAN_UNREAD = tuple(
    f"plan__{field.name}" for field in WorkPlan._meta.concrete_fields if field.name not in ("id", "title")
)
# Nor the obligations' moments, which it does not show: Django reads a timestamp in Python (a
# regular expression a value), three a row.
_MOMENTS_UNREAD = ("created_at", "acknowledged_at", "closed_at")


def _portal_counties(*, ids: list[int]) -> QuerySet[County]:
    return County.objects.filter(InArray(F("pk"), ids)).select_related("city")


def _portal_work(*, county_ids: list[int], kinds: object, done: bool) -> QuerySet[Assignment]:
    """The open work the counties owe, most urgent first, or (`done`) the latest done with how
    many are done in all (counted before the LIMIT); `kinds`: the registered kinds' version,
    which decides what is joined and listed. Their counties are the portal's own (read apart):
    joined, PostgreSQL hashed every county of the table (0.5 ms a query)."""
    owed = Assignment.objects.filter(assignments_owed_q(county_ids=county_ids))
    if done:
        # Nothing joined: to count all the done work before the LIMIT, PostgreSQL hashed every
        # plan of the table (2.3 ms; 0.2 without). The kinds' joins are read after, for 20 rows.
        return (
            owed.filter(state=State.ACCEPTED)
            .defer(*_MOMENTS_UNREAD)
            .annotate(done_in_all=Window(Count("pk")))
            .order_by("-closed_at", "-pk")[:PORTAL_DONE_SHOWN]
        )
    return (
        obligations_loaded(owed, prefetch=False)
        .defer(*_PLAN_UNREAD, *_MOMENTS_UNREAD)
        .filter(state__in=Assignment.OPEN)
        .order_by("due_date", "kind", "plan_id", "pk")
    )


_COUNTY = Assignment._meta.get_field("county")
# Compiled once a process: a county user's every visit reads the same three statements.
portal_counties = Prepared(_portal_counties)
portal_work = Prepared(_portal_work)


def portal_get(*, user, today: datetime.date, show: str = "") -> Portal:
    """A county office's work of every kind: open obligations most urgent first (returned,
    overdue, due soon, this month, later), by source (plan) and by month, and the latest done;
    `show` keeps one bucket (or the done work). Three queries whatever the number (and one per
    type of subject listed by a kind that reads its subjects)."""
    show = show if show in PORTAL_SHOWS else ""
    county_ids = county_ids_owing(user)
    counties = portal_counties(ids=county_ids)
    soon = rules_of_urgency.due_soon_until(today, official_calendar_get())
    open_ = portal_work(county_ids=county_ids, kinds=kinds_version(), done=False)
    done = portal_work(county_ids=county_ids, kinds=kinds_version(), done=True)
    done_count = done[0].done_in_all if done else 0
    obligations_joined_after(done, only={"plan": ("id", "title")})
    # The subjects of both lists at once: one query per type of subject.
    obligations_prefetched(open_ + done)
    by_pk = {county.pk: county for county in counties}
    for assignment in open_ + done:
        _COUNTY.set_cached_value(assignment, by_pk[assignment.county_id])
    counts = {key: 0 for key in PORTAL_BUCKETS} | {"open": len(open_), "done": done_count}
    buckets: dict[str, PortalGroup] = {key: PortalGroup(key, str(label)) for key, label in PORTAL_BUCKETS.items()}
    by_source: dict[tuple, PortalGroup] = {}
    by_month: dict[tuple, PortalGroup] = {}
    unacknowledged = 0
    for assignment in open_:
        assignment.urgency = urgency(assignment, today, soon)
        bucket = portal_bucket(assignment, today)
        counts[bucket] += 1
        unacknowledged += assignment.state == State.ASSIGNED
        if show and show != bucket:
            continue
        buckets[bucket].assignments.append(assignment)
        _source_group(assignment, by_source).assignments.append(assignment)
        month = (assignment.due_date.year, assignment.due_date.month)
        group = by_month.get(month)
        if group is None:  # its label (a translation) made once a month, not once an obligation
            group = by_month[month] = PortalGroup(month, f"{month[0]}年{MONTHS[month[1]]}")
        group.assignments.append(assignment)
    for assignment in done:
        assignment.urgency = "done"
    return Portal(
        counties=counties,
        today=today,
        soon=soon,
        counts=counts,
        urgent=[group for group in buckets.values() if group.assignments],
        by_plan=sorted(by_source.values(), key=lambda g: (-g.year, g.label)),
        by_month=[by_month[key] for key in sorted(by_month)],
        done=done if show in ("", "done") else [],
        unacknowledged=unacknowledged,
        show=show,
    )


# --- One assignment --------------------------------------------------------------------------


def _assignment_page(*, pk: int, kinds: object) -> QuerySet[Assignment]:
    return obligations_loaded(
        Assignment.objects.filter(pk=pk),
        related=("office", "county__city", "task", "entry", "acknowledged_by"),
        prefetch=False,
    )


assignment_page = Prepared(_assignment_page)
# An obligation's reports as its pages show them, newest first, with their evidence.
REPORTS_SHOWN = PreparedPrefetch(
    "reports",
    ProgressReport.objects.select_related("author", "reviewed_by").order_by("-created_at", "-pk"),
    then=[PreparedPrefetch("evidence", EvidenceFile.objects.order_by("pk"))],
)


def assignment_get(*, pk: int, user, page: bool = True) -> Assignment | None:
    """An assignment with what its kind shows of it (for plan work: its plan, task and calendar
    lines), its reports and their evidence, or None if `user` may not read it. `page=False`:
    the assignment's own row alone, for a form posted to it that answers with a redirect (its
    reports, which grow with every one sent, are not read for nothing, nor its plan, task and
    county: the permission rules read its office and county ids, and the services lock the row
    and read it again)."""
    if page:
        found = assignment_page(pk=pk, kinds=kinds_version())
        assignment = found[0] if found else None
    else:
        assignment = Assignment.objects.filter(pk=pk).first()
    if assignment is None or not user.has_perm("tracking.view_assignment", assignment):
        return None
    if page:
        obligations_prefetched([assignment])
        prefetched([assignment], REPORTS_SHOWN)
        kind = kind_of(assignment)
        if kind.detail_load is not None:
            kind.detail_load(assignment)
    return assignment


def evidence_get(*, pk: int, user) -> EvidenceFile | None:
    evidence = EvidenceFile.objects.select_related("report__assignment").filter(pk=pk).first()
    if evidence is None or not user.has_perm("tracking.view_assignment", evidence.report.assignment):
        return None
    return evidence


# --- Dashboards ------------------------------------------------------------------------------


class AssignmentFilter(django_filters.FilterSet):
    """Filters of a dashboard: a county, a task, a state, a month of the due date."""

    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=County.objects.none(), empty_label=_("All counties")
    )
    task = django_filters.NumberFilter(label=_("Task number"), field_name="task__number")
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("unacknowledged", _("Not yet acknowledged")),
            ("reported", _("Awaiting review")),
            ("done", _("Done")),
        ],
        method="filter_state",
        empty_label=_("All statuses"),
    )
    month = django_filters.NumberFilter(label=_("Month due"), field_name="due_date__month", min_value=1, max_value=12)
    quarter = django_filters.NumberFilter(label=_("Quarter due"), method="filter_quarter", min_value=1, max_value=4)

    class Meta:
        model = Assignment
        fields = ["county", "task", "state", "month", "quarter"]

    def filter_quarter(self, queryset, name, value):
        first = (int(value) - 1) * 3 + 1
        return queryset.filter(due_date__month__gte=first, due_date__month__lte=first + 2)

    def __init__(self, *args, counties=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or site_today()
        self.counties = list(counties)
        # Checks a county sent: one of these.
        self.filters["county"].queryset = County.objects.filter(pk__in=[c.pk for c in self.counties])

    @property
    def form(self):
        if not hasattr(self, "_form"):
            # The counties the dashboard read with its rows, in the queryset's order.
            choices_in_hand(super().form.fields["county"], self.counties)
        return self._form

    def filter_state(self, queryset, name, value):
        return {
            "open": queryset.filter(state__in=Assignment.OPEN),
            "overdue": queryset.overdue(self.today),
            "unacknowledged": queryset.filter(state=State.ASSIGNED),
            "reported": queryset.filter(state=State.REPORTED),
            "done": queryset.filter(state=State.ACCEPTED),
        }.get(value, queryset)


@dataclass
class Cell:
    total: int = 0
    done: int = 0
    overdue: int = 0
    reported: int = 0

    @property
    def status(self) -> str:
        if not self.total:
            return "empty"
        if self.done == self.total:
            return "done"
        if self.overdue:
            return "overdue"
        if self.reported:
            return "reported"
        return "open"


@dataclass
class MatrixRow:
    county: County
    cells: list[Cell]
    total: Cell
    # When the county was last reminded (催办), for the pages that offer to remind it.
    last_reminded: datetime.date | None = None

    @property
    def completion(self) -> int:
        return round(100 * self.total.done / self.total.total) if self.total.total else 0


@dataclass
class Dashboard:
    title: str
    plans: list[WorkPlan]
    today: datetime.date
    columns: list[tuple[int, str]]
    by_quarter: bool
    rows: list[MatrixRow]
    total: Cell
    overdue: list[Assignment]
    unacknowledged: list[Assignment]
    awaiting_review: list[Assignment]
    # How many each list holds in all (the lists show the first LISTED).
    overdue_count: int
    unacknowledged_count: int
    awaiting_review_count: int
    chart: list[tuple[datetime.date, int]]
    counties: list[County]

    @property
    def completion(self) -> int:
        return round(100 * self.total.done / self.total.total) if self.total.total else 0


LISTED = 10


def office_year_q(*, office: Office, year: int) -> Q:
    """What counties owe `office` for `year`, of every kind: an office's dashboard."""
    return office_year_q_of(office.pk, year)


def office_year_q_of(office_id: int, year: int) -> Q:
    return Q(office_id=office_id, year=year)


def dashboard_get(
    *, plans: list[WorkPlan], title: str, today: datetime.date, office_year: tuple[int, int] | None = None
) -> Dashboard:
    """County × month (quarter, when every calendar line of `plans` is by quarter) of the
    obligations of an office's year (`office_year`: the office's id and the year, as
    office_year_q), or of `plans` (a plan's page), with completion, what is overdue,
    unacknowledged or awaiting review, and completion over time. A fixed number of queries
    whatever the size."""
    plan_ids = [plan.pk for plan in plans]
    # The days are the site's (a tuple: part of the prepared read's shape).
    tz = (timezone.get_default_timezone_name(),)
    if office_year is None:
        rows_read = _plan_dashboard_rows_read(plan_ids=plan_ids, tz=tz)
    else:
        rows_read = _office_dashboard_rows_read(office_id=office_year[0], year=office_year[1], tz=tz)
    granularities = set(_granularities_read(plan_ids=plan_ids))
    by_quarter = is_by_quarter(granularities)
    columns = [(key, row_label(key, by_quarter=by_quarter)) for key in range(1, 5 if by_quarter else 13)]
    rows: dict[int, MatrixRow] = {}
    total = Cell()
    overdue, unacknowledged, awaiting = [], [], []
    done_dates, created = [], []
    late: dict[datetime.date, bool] = {}
    for values in rows_read:
        pk, county_id, code, name, due_date, state, sent_on, done_on, _label = values
        created.append(sent_on)
        row = rows.get(county_id)
        if row is None:
            county = built(County, pk=county_id, code=code, name=name)
            row = rows[county_id] = MatrixRow(county, [Cell() for _c in columns], Cell())
        cell = row.cells[row_key(due_date.month, by_quarter=by_quarter) - 1]
        is_done = state == State.ACCEPTED
        is_reported = state == State.REPORTED
        overdue_now = is_overdue(state=state, due=due_date, today=today)
        for target in (cell, row.total, total):
            target.total += 1
            target.done += is_done
            target.overdue += overdue_now
            target.reported += is_reported
        if overdue_now:
            overdue.append(values)
        if is_reported:
            awaiting.append(values)
        if state == State.ASSIGNED:
            # Once per day sent (a plan's assignments share one): counting the working days
            # since a year-old publication day by day, for every assignment, took 0.2 s a page.
            if sent_on not in late:
                late[sent_on] = _late_to_acknowledge(sent_on, today)
            if late[sent_on]:
                unacknowledged.append(values)
        if is_done and done_on:
            done_dates.append(done_on)

    county_of = Assignment.county.field

    def listed(values_list) -> list[Assignment]:
        # Made without Model.__init__ (supervision.loading.built): a page lists up to 3 × LISTED.
        found = []
        for pk, county_id, _code, _name, due_date, state, _created, _closed, label in values_list[:LISTED]:
            obligation = built(Assignment, pk=pk, county_id=county_id, due_date=due_date, state=state, label=label)
            county_of.set_cached_value(obligation, rows[county_id].county)
            found.append(obligation)
        return found

    return Dashboard(
        title=title,
        plans=plans,
        today=today,
        columns=columns,
        by_quarter=by_quarter,
        rows=list(rows.values()),
        total=total,
        overdue=listed(sorted(overdue, key=lambda values: values[4])),
        unacknowledged=listed(unacknowledged),
        awaiting_review=listed(awaiting),
        overdue_count=len(overdue),
        unacknowledged_count=len(unacknowledged),
        awaiting_review_count=len(awaiting),
        chart=_completion_over_time(
            done_dates,
            _first_published([p.published_at for p in plans]) if plans else min(created, default=None),
            today,
        ),
        counties=[row.county for row in rows.values()],
    )


# What a dashboard reads of an obligation (dashboard_get unpacks them in this order): the days
# it was sent and done on, not the moments (read as dates, not parsed as datetimes in Python
# and turned into the site's days: a plan's 600 obligations, a fifth of the page's CPU).
_DASHBOARD_FIELDS = (
    "pk",
    "county_id",
    "county__code",
    "county__name",
    "due_date",
    "state",
    "sent_on",
    "done_on",
    "label",
)


def _dashboard_rows(obligations: QuerySet[Assignment], tz: tuple[str]) -> QuerySet:
    # Plain rows, and one County a county: a plan's hundreds of obligations (an office's year:
    # thousands) as model instances with their county each were most of the page's time.
    site = zoneinfo.ZoneInfo(tz[0])
    return (
        obligations.exclude(state=State.WITHDRAWN)
        .annotate(sent_on=TruncDate("created_at", tzinfo=site), done_on=TruncDate("closed_at", tzinfo=site))
        .order_by("county__code", "county__name", "due_date", "pk")
        .values_list(*_DASHBOARD_FIELDS)
    )


def _plan_dashboard_rows(*, plan_ids: list[int], tz: tuple[str]) -> QuerySet:
    return _dashboard_rows(Assignment.objects.filter(InArray(F("plan_id"), plan_ids)), tz)


def _office_dashboard_rows(*, office_id: int, year: int, tz: tuple[str]) -> QuerySet:
    return _dashboard_rows(Assignment.objects.filter(office_year_q_of(office_id, year)), tz)


def _granularities(*, plan_ids: list[int]) -> QuerySet:
    # Without the model's ordering, which DISTINCT would count in: a row a line, not a kind.
    return (
        ScheduleEntry.objects.filter(InArray(F("plan_id"), plan_ids))
        .order_by()
        .values_list("granularity", flat=True)
        .distinct()
    )


# Compiled once a process: every dashboard reads them.
_plan_dashboard_rows_read = Prepared(_plan_dashboard_rows)
_office_dashboard_rows_read = Prepared(_office_dashboard_rows)
_granularities_read = Prepared(_granularities)


def _first_published(published: list[datetime.datetime | None]) -> datetime.date | None:
    return min((timezone.localdate(at) for at in published if at), default=None)


def _completion_over_time(
    done_dates: list[datetime.date], start: datetime.date | None, today: datetime.date
) -> list[tuple[datetime.date, int]]:
    """How many were done by each week since `start` (the first plan's publication)."""
    if start is None:
        return []
    done_dates.sort()
    points, week, index = [], start, 0
    while True:
        while index < len(done_dates) and done_dates[index] <= week:
            index += 1
        points.append((week, index))
        if week >= today:
            break
        week = min(week + datetime.timedelta(days=7), today)
    return points


def _last_reminded(*, county_ids: list[int]) -> QuerySet:
    return (
        Reminder.objects.filter(InArray(F("county_id"), county_ids))
        .order_by()
        .values("county_id")
        .annotate(last=Max("sent_on"))
        .values_list("county_id", "last")
    )


def _office_year_plans(*, office_id: int, year: int) -> QuerySet[WorkPlan]:
    return (
        WorkPlan.objects.filter(office_id=office_id, plan_year=year, status__in=WorkPlan.ISSUED, revision_of=None)
        .only("id", "title", "plan_year", "published_at", "status", "office_id", "revision", "revision_of_id")
        .order_by("title")
    )


# Compiled once a process: every dashboard reads them.
_last_reminded_read = Prepared(_last_reminded)
_office_year_plans_read = Prepared(_office_year_plans)


def last_reminded(*, county_ids: list[int]) -> dict[int, datetime.date]:
    """The day each county was last reminded, automatically or by staff (one query)."""
    return dict(_last_reminded_read(county_ids=sorted(county_ids)))


def office_year_plans(*, office, year: int) -> list[WorkPlan]:
    return _office_year_plans_read(office_id=office.pk, year=year)


def dashboard_assignments(
    *, plans: list[WorkPlan], filterset: AssignmentFilter, scope: Q | None = None
) -> QuerySet[Assignment]:
    """The obligations behind a dashboard's cell or filter, for its list (`scope` and `plans`
    as dashboard_get takes them)."""
    if filterset.is_bound and not filterset.is_valid():
        return Assignment.objects.none()
    return (
        filterset.qs.filter(Q(plan_id__in=[p.pk for p in plans]) if scope is None else scope)
        .exclude(state=State.WITHDRAWN)
        .select_related("county")
        .order_by("due_date", "county__code", "pk")
    )


# --- A province's year: how its city offices are doing ----------------------------------------


@dataclass
class OfficeProgress:
    """One office's issued plans of a year, in figures."""

    office: Office | None  # None for a province's total
    plans: int = 0
    counties: int = 0
    total: int = 0
    acknowledged: int = 0
    reported: int = 0
    done: int = 0
    overdue: int = 0
    unacknowledged: int = 0
    # The values of the columns other areas add (tracking.province_columns), in their order.
    extra: list = field(default_factory=list)

    @property
    def completion(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def acknowledgement(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0

    @property
    def status(self) -> str:
        if not self.plans and not self.total:
            return "none"
        if not self.total:
            return "empty"
        if self.done == self.total:
            return "done"
        if self.overdue:
            return "overdue"
        return "open"


@dataclass
class ProvinceDashboard:
    region: Region
    year: int
    today: datetime.date
    rows: list[OfficeProgress]
    total: OfficeProgress
    chart: list[tuple[datetime.date, int]]
    years: list[int]
    # The headers of the columns other areas add (tracking.province_columns).
    extra_headers: list[str] = field(default_factory=list)

    @property
    def without_plans(self) -> list[OfficeProgress]:
        return [row for row in self.rows if not row.plans]

    @property
    def issuing(self) -> int:
        """How many of the offices issued at least one plan for the year."""
        return sum(1 for row in self.rows if row.plans)


PROVINCE_SORTS = {
    "completion": lambda row: (row.status == "none", row.completion, -row.overdue),
    "overdue": lambda row: (-row.overdue, row.completion),
}


def _issued_years(*, office_ids: list[int]) -> QuerySet:
    return (
        WorkPlan.objects.filter(InArray(F("office_id"), office_ids), status__in=WorkPlan.ISSUED, revision_of=None)
        .order_by("-plan_year")
        .values_list("plan_year", flat=True)
        .distinct()
    )


_issued_years_read = Prepared(_issued_years)


def office_issued_years(*, office_ids: list[int]) -> list[int]:
    """The years the offices issued plans for, latest first."""
    return _issued_years_read(office_ids=sorted(office_ids))


def _tasks_other_than(*, plan_id: int, task_ids: list[int]) -> QuerySet[Task]:
    return Task.objects.filter(plan_id=plan_id).exclude(InArray(F("pk"), task_ids)).order_by("number")


_tasks_other_than_read = Prepared(_tasks_other_than)


def own_work(*, plan: WorkPlan, planned) -> list[Task]:
    """The plan's tasks that send nothing to a county (the office's own work), by number."""
    return _tasks_other_than_read(plan_id=plan.pk, task_ids=sorted({p.task.pk for p in planned if p.task}))


_province_read = Prepared(lambda *, pk: Region.objects.filter(pk=pk, level=Region.Level.PROVINCE).order_by()[:1])


def province_get(*, pk: int) -> Region | None:
    return next(iter(_province_read(pk=pk)), None)


def _provinces(*, everything: bool, ids: list[int]) -> QuerySet[Region]:
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    if not everything:
        provinces = provinces.filter(InArray(F("pk"), ids))
    return provinces.order_by("code").only("pk", "name")


_provinces_read = Prepared(_provinces)


def provinces_trackable(*, user) -> list[Region]:
    """The provinces whose dashboards `user` may read, by code: the dashboard's switch."""
    access = access_for(user)
    return _provinces_read(everything=access.superuser, ids=sorted(access.provinces))


def _province_offices(*, region_id: int) -> QuerySet[Office]:
    # Among the offices of the province's own regions first: the OR across the join alone
    # read every office (1.2 → 0.35 ms).
    regions = Region.objects.filter(Q(pk=region_id) | Q(parent_id=region_id)).values("pk")
    return (
        Office.objects.filter(
            Q(level=Office.Level.PROVINCE, region_id=region_id)
            | Q(level=Office.Level.CITY, region__parent_id=region_id),
            region_id__in=regions,
        )
        .select_related("region")
        .order_by("region__code", "name")
    )


_province_offices_read = Prepared(_province_offices)


def province_offices(*, region: Region) -> list[Office]:
    """The provincial office(s) of `region` and the offices of its prefecture-level cities."""
    return _province_offices_read(region_id=region.pk)


# A province's figures, compiled once a process (supervision.prepared): the page reads about
# ten such counts, and building and compiling them was half its CPU.


def _plans_by_year(*, office_ids: list[int]) -> QuerySet:
    return (
        WorkPlan.objects.filter(InArray(F("office_id"), office_ids), status__in=WorkPlan.ISSUED, revision_of=None)
        .values_list("plan_year", "office_id")
        .annotate(n=Count("pk"), first=Min("published_at"))
        .order_by()
    )


def _obligations_by_office(*, office_ids: list[int], year: int, today: datetime.date) -> QuerySet:
    return (
        Assignment.objects.filter(InArray(F("office_id"), office_ids), year=year)
        .exclude(state=State.WITHDRAWN)
        .values_list("office_id")
        .annotate(
            n=Count("pk"),
            counties=Count("county_id", distinct=True),
            acknowledged=Count("pk", filter=~Q(state=State.ASSIGNED)),
            reported=Count("pk", filter=Q(state=State.REPORTED)),
            done=Count("pk", filter=Q(state=State.ACCEPTED)),
            overdue=Count("pk", filter=Assignment.overdue_q(today)),
        )
        .order_by()
    )


def _sent_and_done_days(*, office_ids: list[int], year: int) -> QuerySet:
    """Sent on a day and still not acknowledged, by office; done on a day (the office left out)."""
    assigned = Q(state=State.ASSIGNED)
    return (
        Assignment.objects.filter(InArray(F("office_id"), office_ids), year=year)
        .exclude(state=State.WITHDRAWN)
        .filter(assigned | Q(state=State.ACCEPTED, closed_at__isnull=False))
        .values_list(
            Case(When(assigned, then="office_id")),
            Case(When(assigned, then=TruncDate("created_at")), default=TruncDate("closed_at")),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


_plans_by_year_read = Prepared(_plans_by_year)
_obligations_by_office_read = Prepared(_obligations_by_office)
_sent_and_done_days_read = Prepared(_sent_and_done_days)


def province_dashboard_get(*, region: Region, year: int, today: datetime.date, sort: str = "") -> ProvinceDashboard:
    """Per office of the province, the year's issued plans and what they sent to counties:
    acknowledged, awaiting review, done, overdue, not acknowledged in time; with the province's
    completion over time. Counted by the database, in a fixed number of queries."""
    offices = province_offices(region=region)
    rows = {office.pk: OfficeProgress(office) for office in offices}
    # The offices' issued plans counted by year: the year's plans and first publication, and
    # the years to choose from, in one query.
    years, published = set(), []
    office_ids = list(rows)
    for plan_year, office_id, n, first in _plans_by_year_read(office_ids=office_ids):
        years.add(plan_year)
        if plan_year == year:
            rows[office_id].plans += n
            published.append(first)
    # What counties owe each office for the year, of every kind.
    for office_id, n, counties, acknowledged, reported, done, overdue in _obligations_by_office_read(
        office_ids=office_ids, year=year, today=today
    ):
        row = rows[office_id]
        row.total, row.counties, row.acknowledged = n, counties, acknowledged
        row.reported, row.done, row.overdue = reported, done, overdue
    # In one query: sent on a day and still not acknowledged, by office (late once the working
    # days since pass the limit); done on a day, for the chart (the office left out).
    late: dict[datetime.date, bool] = {}
    done_dates = []
    for office_id, day, n in _sent_and_done_days_read(office_ids=office_ids, year=year):
        if office_id is None:
            done_dates.extend([day] * n)
            continue
        if day not in late:
            late[day] = _late_to_acknowledge(day, today)
        if late[day]:
            rows[office_id].unacknowledged += n
    total = OfficeProgress(None)
    for row in rows.values():
        for name in ("plans", "counties", "total", "acknowledged", "reported", "done", "overdue", "unacknowledged"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    extra_headers, extra, total.extra = province_columns_figures(offices=offices, year=year, today=today)
    for office_id, values in extra.items():
        rows[office_id].extra = values
    ordered = list(rows.values())
    if sort in PROVINCE_SORTS:
        ordered.sort(key=PROVINCE_SORTS[sort])
    return ProvinceDashboard(
        region=region,
        year=year,
        today=today,
        rows=ordered,
        total=total,
        chart=_completion_over_time(done_dates, _first_published(published), today),
        years=sorted(years, reverse=True),
        extra_headers=extra_headers,
    )


# --- The to-do inbox of staff ------------------------------------------------------------------


@dataclass
class InboxGroup:
    """The reports of one assignment (one county's work) that await review, oldest first."""

    assignment: Assignment
    reports: list[ProgressReport]

    @property
    def waiting_since(self) -> datetime.datetime:
        return self.reports[0].created_at


@dataclass
class Inbox:
    plans: list[WorkPlan]
    groups: list[InboxGroup]

    @property
    def reports(self) -> int:
        return sum(len(group.reports) for group in self.groups)


def _reports_to_review(user) -> QuerySet[ProgressReport]:
    """Reports awaiting review in the offices where `user` reviews them, not their own
    (tracking.permissions.reports_reviewable_q), the longest waiting first."""
    return ProgressReport.objects.filter(reports_reviewable_q(user)).order_by("created_at", "pk")


def inbox_get(*, user) -> Inbox:
    """What waits for `user` across the offices they belong to: plans in review where they
    publish, and reports awaiting review where they review, grouped by assignment (several
    reports of one county on one task are one item), the longest waiting first. Two queries
    whatever the number."""
    plans = list(
        WorkPlan.objects.filter(plans_to_publish_q(user)).select_related("office").order_by("submitted_at", "pk")
    )
    groups: dict[int, InboxGroup] = {}
    reports = obligations_loaded(
        _reports_to_review(user), related=("assignment__county", "author"), through="assignment"
    )
    for report in reports:
        group = groups.get(report.assignment_id)
        if group is None:
            group = groups[report.assignment_id] = InboxGroup(report.assignment, [])
        group.reports.append(report)
    return Inbox(plans=plans, groups=list(groups.values()))


def inbox_next(*, user, after: Assignment | None = None) -> Assignment | None:
    """The assignment whose report has waited longest for `user`'s review, other than `after`."""
    reports = _reports_to_review(user)
    if after is not None:
        reports = reports.exclude(assignment_id=after.pk)
    report = reports.select_related("assignment").first()
    return report.assignment if report is not None else None
