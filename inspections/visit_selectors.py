"""Reads for the 挂牌督导 pages: a 督学's own schools, a zone's and a county's month, a visit, a
school's visits. Each reads a fixed handful of queries whatever the number of schools."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import rules
from django.db.models import F, Q, QuerySet, Sum

from inspections.models import Inspector, InspectorZone, School, Visit, VisitRhythm, VisitTally, ZoneAssignment
from inspections.permissions import register_counties_q, visits_listed_q
from inspections.visits import school_type_id, visit_obligations_q
from organisation.models import County
from supervision.lookups import InArray
from supervision.prepared import Prepared
from tracking.models import Assignment

VISITED, DUE, OVERDUE, NOT_VISITED = "visited", "due", "overdue", "not_visited"
RECENT_VISITS = 20


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None, *, default: datetime.date) -> "Month":
        """2026-03 (as <input type="month"> sends it), else the month of `default`."""
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return cls(default.year, default.month)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def after(self) -> datetime.date:
        return datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def next(self) -> "Month":
        return Month(self.after.year, self.after.month)

    @property
    def value(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass
class SchoolMonth:
    """One school in a month: its visits, the visit it owed (due in the month) and its state."""

    school: School
    zone: InspectorZone | None = None
    inspector: Inspector | None = None
    visits: list[Visit] = field(default_factory=list)
    obligation: Assignment | None = None
    status: str = NOT_VISITED


def _status(visits: list, obligation: Assignment | None, today: datetime.date) -> str:
    if visits:
        return VISITED
    if obligation is not None and obligation.is_open:
        return OVERDUE if obligation.due_date < today else DUE
    return NOT_VISITED


def _month_obligations(*, type_id: int, school_ids: list[int], first: datetime.date, after: datetime.date):
    # A row shows the visit's state and due date: the obligation's moments stay unread.
    return (
        Assignment.objects.filter(
            visit_obligations_q(schools=school_ids, type_id=type_id), due_date__gte=first, due_date__lt=after
        )
        .exclude(state=Assignment.State.WITHDRAWN)
        .defer("created_at", "acknowledged_at", "closed_at")
    )


def _month_visits(*, school_ids: list[int], first: datetime.date, after: datetime.date):
    return (
        Visit.objects.filter(InArray(F("school_id"), school_ids), visited_on__gte=first, visited_on__lt=after)
        .select_related("inspector")
        .defer("record", "opinion")
        .order_by("visited_on", "pk")
    )


# Compiled once a process: the month views of a zone, a county and a 督学's schools read both.
_month_obligations_read = Prepared(_month_obligations)
_month_visits_read = Prepared(_month_visits)


def _month_rows(
    assignments: list[ZoneAssignment], month: Month, today: datetime.date, *, named: bool = True
) -> list[SchoolMonth]:
    """The rows of `assignments`' schools (`named`: with the school and inspector each has
    loaded; else counted by id only): two queries (their obligations due in the month, and
    their visits in it) whatever the number."""
    school_ids = sorted(a.school_id for a in assignments)
    obligations = {}
    found = _month_obligations_read(
        type_id=school_type_id(), school_ids=school_ids, first=month.first, after=month.after
    )
    for obligation in found:
        # The open one first, if a changed rhythm left two in the month.
        kept = obligations.get(obligation.subject_id)
        if kept is None or (obligation.is_open and not kept.is_open):
            obligations[obligation.subject_id] = obligation
    visits = defaultdict(list)
    for visit in _month_visits_read(school_ids=school_ids, first=month.first, after=month.after):
        visits[visit.school_id].append(visit)
    rows = []
    for assignment in assignments:
        row = SchoolMonth(
            school=assignment.school if named else None,
            zone=assignment.zone,
            inspector=assignment.inspector if named else None,
            visits=visits.get(assignment.school_id, []),
            obligation=obligations.get(assignment.school_id),
        )
        row.status = _status(row.visits, row.obligation, today)
        rows.append(row)
    return rows


def _counts(rows) -> dict[str, int]:
    counts = {VISITED: 0, DUE: 0, OVERDUE: 0, NOT_VISITED: 0}
    for row in rows:
        counts[row.status] += 1
    counts["schools"] = len(rows)
    # "Not yet visited" counts every school without a visit in the month, overdue ones apart.
    counts["pending"] = counts[DUE] + counts[NOT_VISITED]
    return counts


# --- A 督学's own page ---------------------------------------------------------------------------


@dataclass
class InspectorPage:
    inspector: Inspector
    month: Month
    schools: list[SchoolMonth]
    counts: dict[str, int]
    recent: list[Visit]


def _inspector_schools(*, inspector_id: int) -> QuerySet[ZoneAssignment]:
    return (
        ZoneAssignment.objects.filter(inspector_id=inspector_id, ended_on=None, school__status=School.Status.OPEN)
        .select_related("school", "zone")
        .order_by("zone__name", "school__name", "school_id")
    )


def _inspector_visits(*, inspector_id: int) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(inspector_id=inspector_id)
        .select_related("school")
        .defer("record", "opinion")
        .order_by("-visited_on", "-pk")[:RECENT_VISITS]
    )


def _zone_schools(*, zone_id: int) -> QuerySet[ZoneAssignment]:
    return (
        ZoneAssignment.objects.filter(zone_id=zone_id, ended_on=None)
        .select_related("school", "inspector")
        .order_by("school__name", "school_id")
    )


def _county_zones(*, county_id: int) -> QuerySet[InspectorZone]:
    return InspectorZone.objects.filter(county_id=county_id).select_related("inspector").order_by("name", "pk")


def _county_schools(*, county_id: int) -> QuerySet[ZoneAssignment]:
    return ZoneAssignment.objects.filter(zone__county_id=county_id, ended_on=None).only("pk", "school_id", "zone_id")


def _county_rhythm(*, county_id: int, year: int) -> QuerySet[VisitRhythm]:
    return VisitRhythm.objects.filter(county_id=county_id, year=year)[:1]


# Compiled once a process: a 督学's, a zone's and a county's month views read them.
_inspector_schools_read = Prepared(_inspector_schools)
_inspector_visits_read = Prepared(_inspector_visits)
_zone_schools_read = Prepared(_zone_schools)
_county_zones_read = Prepared(_county_zones)
_county_schools_read = Prepared(_county_schools)
_county_rhythm_read = Prepared(_county_rhythm)


def inspector_page_get(*, inspector: Inspector, today: datetime.date) -> InspectorPage:
    """我的学校: the schools `inspector` is the responsible inspector of now, each with this
    month's visit (due, done, overdue), and their latest visits. Four queries."""
    month = Month(today.year, today.month)
    assignments = _inspector_schools_read(inspector_id=inspector.pk)
    for assignment in assignments:
        assignment.inspector = inspector
    rows = _month_rows(assignments, month, today)
    recent = _inspector_visits_read(inspector_id=inspector.pk)
    return InspectorPage(inspector=inspector, month=month, schools=rows, counts=_counts(rows), recent=recent)


# --- A zone's and a county's month -----------------------------------------------------------------


@dataclass
class ZoneMonth:
    zone: InspectorZone
    month: Month
    schools: list[SchoolMonth]
    counts: dict[str, int]


def zone_month_get(*, zone: InspectorZone, month: Month, today: datetime.date) -> ZoneMonth:
    """Each school of the zone now, in `month`: visited (when, by whom), not yet visited, or
    overdue (its visit due in the month is past due). Three queries."""
    assignments = _zone_schools_read(zone_id=zone.pk)
    for assignment in assignments:
        assignment.zone = zone
    rows = _month_rows(assignments, month, today)
    return ZoneMonth(zone=zone, month=month, schools=rows, counts=_counts(rows))


@dataclass
class ZoneCounts:
    zone: InspectorZone
    counts: dict[str, int]


@dataclass
class CountyMonth:
    county: County
    month: Month
    zones: list[ZoneCounts]
    counts: dict[str, int]
    rhythm: VisitRhythm | None


def county_month_get(*, county: County, month: Month, today: datetime.date) -> CountyMonth:
    """Each zone of the county, in `month`: its schools visited, not yet visited and overdue,
    counted; and the county's total. Five queries whatever the number of zones and schools."""
    zones = _county_zones_read(county_id=county.pk)
    by_zone = {zone.pk: zone for zone in zones}
    assignments = _county_schools_read(county_id=county.pk)
    for assignment in assignments:
        assignment.zone = by_zone[assignment.zone_id]
    # The counts need no school names: each school stands in by its id.
    rows = _month_rows(assignments, month, today, named=False)
    grouped = defaultdict(list)
    for row, assignment in zip(rows, assignments, strict=True):
        grouped[assignment.zone_id].append(row)
    found = _county_rhythm_read(county_id=county.pk, year=month.year)
    rhythm = found[0] if found else None
    return CountyMonth(
        county=county,
        month=month,
        zones=[ZoneCounts(zone=zone, counts=_counts(grouped.get(zone.pk, []))) for zone in zones],
        counts=_counts(rows),
        rhythm=rhythm,
    )


# --- Visits -------------------------------------------------------------------------------------------


def visit_get(*, pk: int, user) -> Visit | None:
    """A visit with its school, inspector and zone, if `user` reads it."""
    return (
        Visit.objects.filter(visits_listed_q(user), pk=pk)
        .select_related("school__county__city", "inspector", "zone", "obligation", "created_by")
        .first()
    )


def school_visits(*, school: School, user) -> QuerySet[Visit]:
    """A school's visits `user` reads, latest first."""
    return (
        Visit.objects.filter(visits_listed_q(user), school=school)
        .select_related("inspector")
        .defer("record", "opinion")
        .order_by("-visited_on", "-pk")
    )


def rhythm_list(*, user) -> QuerySet[VisitRhythm]:
    """The rhythms of the counties whose register `user` reads, latest year first."""
    return (
        VisitRhythm.objects.filter(register_counties_q(user, prefix="county__"))
        .select_related("county", "set_by")
        .order_by("-year", "county__code", "county__name")
    )


def rhythm_get(*, county, year: int) -> VisitRhythm | None:
    return VisitRhythm.objects.filter(county=county, year=year).first()


def visit_school_get(*, pk, user) -> School | None:
    """A school `user` may record a visit to: open, and theirs as its responsible inspector."""
    if not (isinstance(pk, int) or (isinstance(pk, str) and pk.isascii() and pk.isdigit() and len(pk) <= 18)):
        return None
    school = School.objects.filter(pk=int(pk)).select_related("county").first()
    if school is None or not rules.test_rule("inspections.records_visit", user, school):
        return None
    return school


def visits_owed(*, counties: Q, year: int, as_of: datetime.date, by: str = "county_id") -> dict[int, tuple[int, int]]:
    """The 挂牌督导 visits of `year` owed by `as_of` in `counties` (a Q on `county__…`) and how
    many were made (their obligation accepted), per `by` (county_id, county__city_id…): read off
    the visit tally, a row per county and due date, in one query."""
    return {
        key: (owed or 0, made or 0)
        for key, owed, made in VisitTally.objects.filter(counties, year=year, due_date__lte=as_of)
        .values_list(by)
        .annotate(owed=Sum("owed"), made=Sum("made"))
        .values_list(by, "owed", "made")
        .order_by()
    }
