"""An office's year of inspection work in figures: inspections by kind and month, findings by
kind of inspection and severity, 整改 per county (open, closed, overdue, closed on time, average
days to close) and 挂牌督导 coverage per zone and per inspector; and the same figures per office
for the province's dashboard (registered in tracking.province_columns).

Every figure is counted by the database (GROUP BY), in a fixed number of queries whatever the
number of counties, zones or rows: at national scale a dashboard reads aggregates, never rows."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Value
from django.db.models.functions import ExtractMonth, TruncDate
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    Finding,
    Inspection,
    InspectorZone,
    Rectification,
    Severity,
    Visit,
    VisitTally,
    ZoneAssignment,
)
from organisation.models import Office
from supervision.lookups import InArray
from supervision.prepared import Prepared
from tracking.models import Assignment
from tracking.province_columns import ProvinceColumns, province_columns_register

State = Assignment.State
MONTHS = list(range(1, 13))
# Most serious first, as the tables read.
SEVERITIES = [Severity.URGENT, Severity.SERIOUS, Severity.GENERAL, Severity.MINOR]


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class KindMonths:
    kind: str
    label: str
    months: list[int]

    @property
    def total(self) -> int:
        return sum(self.months)


@dataclass
class KindSeverities:
    kind: str
    label: str
    severities: list[int]

    @property
    def total(self) -> int:
        return sum(self.severities)


@dataclass
class CountyRectification:
    county_id: int | None
    name: str
    issued: int = 0
    closed: int = 0
    overdue: int = 0
    on_time: int = 0
    # Mean days from issue to 销号 of the closed items (None: none closed).
    average_days: float | None = None
    code: str = ""

    @property
    def open(self) -> int:
        return self.issued - self.closed


@dataclass
class Coverage:
    """挂牌督导 of a zone, an inspector or a total: the visits due so far this year and those
    made, and the schools held that were not visited at all this year."""

    name: str
    county: str = ""
    inspector: str = ""
    due: int = 0
    fulfilled: int = 0
    schools: int = 0
    never_visited: int = 0
    zones: int = 0
    inspector_id: int | None = None

    @property
    def coverage(self) -> int:
        return _pct(self.fulfilled, self.due)

    def add(self, other: "Coverage") -> None:
        self.due += other.due
        self.fulfilled += other.fulfilled
        self.schools += other.schools
        self.never_visited += other.never_visited
        self.zones += other.zones


@dataclass
class OfficeDashboard:
    office: Office
    year: int
    today: datetime.date
    inspections: list[KindMonths]
    inspection_months: list[int]
    findings: list[KindSeverities]
    finding_severities: list[int]
    rectification: list[CountyRectification]
    rectification_total: CountyRectification
    zones: list[Coverage]
    inspectors: list[Coverage]
    coverage_total: Coverage
    severity_labels: list[str] = field(default_factory=list)

    @property
    def inspections_total(self) -> int:
        return sum(self.inspection_months)

    @property
    def findings_total(self) -> int:
        return sum(self.finding_severities)


def office_area(office: Office) -> dict:
    """What of `office` decides the counties it oversees, as `area_q` takes it (and a prepared
    read, supervision.prepared: ids, or None, and a bool)."""
    if office.county_id is not None:
        return {"county_id": office.county_id, "region_id": None, "province": False}
    return {"county_id": None, "region_id": office.region_id, "province": office.level == Office.Level.PROVINCE}


def area_q(*, county_id: int | None, region_id: int | None, province: bool, prefix: str = "county__") -> Q:
    """The counties an office oversees (`office_area`), as a filter through `prefix`: a county
    office its county, a city office its city's counties, a provincial office its province's."""
    if county_id is not None:
        return Q(**{f"{prefix}id": county_id})
    if province:
        return Q(**{f"{prefix}city__parent_id": region_id})
    return Q(**{f"{prefix}city_id": region_id})


def _rectification_type_id() -> int:
    # A value of the prepared reads, not read inside them: a content type's id is the
    # database's (a test database makes its types anew), never part of a compiled statement.
    return ContentType.objects.get_for_model(Rectification).pk


def _rectification_obligations(*, items, type_id: int) -> "Assignment.objects":
    """The counties' obligations of the 整改 items `items` (a queryset of their ids, or a list:
    sent as one array, not a parameter an id); `type_id`: _rectification_type_id()."""
    subject = InArray(F("subject_id"), items) if isinstance(items, list) else Q(subject_id__in=items)
    return Assignment.objects.filter(subject, kind=Assignment.Kind.RECTIFICATION, subject_type_id=type_id).exclude(
        state=State.WITHDRAWN
    )


def _rectification_figures(obligations, today: datetime.date, *, by: str):
    """Issued, closed, overdue, closed on time and mean days to close, grouped by `by`."""
    return (
        obligations.alias(closed_on=TruncDate("closed_at"))
        .values(by)
        .annotate(
            issued=Count("pk"),
            closed=Count("pk", filter=Q(state=State.ACCEPTED)),
            overdue=Count("pk", filter=Assignment.overdue_q(today)),
            on_time=Count("pk", filter=Q(state=State.ACCEPTED, closed_on__lte=F("due_date"))),
            time_to_close=Avg(
                ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField()),
                filter=Q(state=State.ACCEPTED),
            ),
        )
        .order_by()
    )


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def _visit_obligations(*, year: int, today: datetime.date, counties: Q):
    """The 挂牌督导 visits owed in `year` up to `today` by the schools of `counties`."""
    return Assignment.objects.filter(counties, kind=Assignment.Kind.VISIT, year=year, due_date__lte=today).exclude(
        state=State.WITHDRAWN
    )


# A visit made: its obligation accepted, as recording the visit does (inspections.visits); the
# visit tally counts the same.
FULFILLED = Q(state=State.ACCEPTED)


def _visit_findings_between_q(first: datetime.date, last: datetime.date) -> Q:
    return Q(inspection=None, visit__visited_on__gte=first, visit__visited_on__lte=last)


# An office's dashboard's reads, compiled once a process (supervision.prepared).


def _inspections_by_kind_and_month(*, office_id: int, year: int):
    return (
        Inspection.objects.filter(office_id=office_id, year=year)
        .values_list("kind", ExtractMonth("starts_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def _findings_by_kind(*, office_id: int, year: int, first: datetime.date, last: datetime.date, **area):
    # The office's inspections' findings, and those written on 挂牌督导 visits in its counties
    # (counted as routine visits). Two parts in one query (UNION ALL), each led by its own
    # index: an OR of the two would read every finding of the country.
    of_inspections = (
        Finding.objects.filter(inspection__office_id=office_id, inspection__year=year)
        .values_list("inspection__kind", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    of_visits = (
        Finding.objects.filter(_visit_findings_between_q(first, last) & area_q(**area))
        .annotate(kind=Value(Inspection.Kind.ROUTINE.value))
        .values_list("kind", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return of_inspections.union(of_visits, all=True)


def _rectification_by_county(*, office_id: int, year: int, today: datetime.date, type_id: int):
    items = Rectification.objects.filter(office_id=office_id, year=year).values("pk")
    obligations = _rectification_obligations(items=items, type_id=type_id)
    return _rectification_figures(obligations, today, by="county_id").values(
        "county_id", "county__name", "county__code", "issued", "closed", "overdue", "on_time", "time_to_close"
    )


def _visits_owed_by_school(*, year: int, today: datetime.date, **area):
    return (
        _visit_obligations(year=year, today=today, counties=area_q(**area))
        .values("subject_id")
        .annotate(due=Count("pk"), fulfilled=Count("pk", filter=FULFILLED))
        .values_list("subject_id", "due", "fulfilled")
        .order_by()
    )


def _zones_of_schools(**area):
    # The schools held by the area's zones (one open row a school: zoneassignment_one_open).
    return ZoneAssignment.objects.filter(area_q(**area, prefix="zone__county__"), ended_on=None).values_list(
        "school_id", "zone_id"
    )


def _zone_rows(*, first: datetime.date, last: datetime.date, **area):
    visited_this_year = Visit.objects.filter(
        school_id=OuterRef("assignments__school_id"), visited_on__gte=first, visited_on__lte=last
    )
    held = Q(assignments__ended_on=None)
    # As rows, not zones with their county and inspector: a large city has hundreds.
    return (
        InspectorZone.objects.filter(area_q(**area))
        .annotate(
            schools=Count("assignments", filter=held),
            never=Count("assignments", filter=held & ~Exists(visited_this_year)),
        )
        .order_by("county__code", "county__name", "name", "pk")
        .values_list("pk", "name", "county__name", "inspector_id", "inspector__name", "schools", "never")
    )


_inspections_by_kind_and_month_read = Prepared(_inspections_by_kind_and_month)
_findings_by_kind_read = Prepared(_findings_by_kind)
_rectification_by_county_read = Prepared(_rectification_by_county)
_visits_owed_by_school_read = Prepared(_visits_owed_by_school)
_zones_of_schools_read = Prepared(_zones_of_schools)
_zone_rows_read = Prepared(_zone_rows)


def office_dashboard_get(*, office: Office, year: int, today: datetime.date) -> OfficeDashboard:
    """The office's year of inspection work, in six queries whatever its size."""
    kinds = dict(Inspection.Kind.choices)
    by_kind = {kind: KindMonths(kind, str(label), [0] * 12) for kind, label in kinds.items()}
    for kind, month, n in _inspections_by_kind_and_month_read(office_id=office.pk, year=year):
        by_kind[kind].months[month - 1] += n
    months = [sum(row.months[m] for row in by_kind.values()) for m in range(12)]

    findings = {kind: KindSeverities(kind, str(label), [0] * len(SEVERITIES)) for kind, label in kinds.items()}
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    area = office_area(office)
    for kind, severity, n in _findings_by_kind_read(office_id=office.pk, year=year, first=first, last=last, **area):
        findings[kind].severities[SEVERITIES.index(severity)] += n
    severities = [sum(row.severities[i] for row in findings.values()) for i in range(len(SEVERITIES))]

    rectification, total = [], CountyRectification(None, str(_("Total")))
    weighted_days = 0.0
    type_id = _rectification_type_id()
    for row in _rectification_by_county_read(office_id=office.pk, year=year, today=today, type_id=type_id):
        county = CountyRectification(
            row["county_id"],
            row["county__name"],
            issued=row["issued"],
            closed=row["closed"],
            overdue=row["overdue"],
            on_time=row["on_time"],
            average_days=_days(row["time_to_close"]),
            code=row["county__code"],
        )
        rectification.append(county)
        for name in ("issued", "closed", "overdue", "on_time"):
            setattr(total, name, getattr(total, name) + getattr(county, name))
        if county.average_days is not None:
            weighted_days += row["time_to_close"].total_seconds() / 86400 * county.closed
    rectification.sort(key=lambda row: (row.code, row.name))
    total.average_days = round(weighted_days / total.closed, 1) if total.closed else None

    zones, inspectors, coverage_total = _coverage(office=office, year=year, today=today)
    return OfficeDashboard(
        office=office,
        year=year,
        today=today,
        inspections=[row for row in by_kind.values()],
        inspection_months=months,
        findings=[row for row in findings.values()],
        finding_severities=severities,
        rectification=rectification,
        rectification_total=total,
        zones=zones,
        inspectors=inspectors,
        coverage_total=coverage_total,
        severity_labels=[str(Severity(s).label) for s in SEVERITIES],
    )


def _coverage(*, office: Office, year: int, today: datetime.date) -> tuple[list[Coverage], list[Coverage], Coverage]:
    """Per zone of the office's counties (and the schools in none): visits due so far and made,
    schools held and never visited this year; the same per inspector; the total. Three queries."""
    # Counted per school, then each school's zone looked up once: a zone subquery per visit owed
    # ran 3,000 times for a city (5.5 ms of PostgreSQL's CPU at national scale, 2.5 ms now).
    area = office_area(office)
    by_school = _visits_owed_by_school_read(year=year, today=today, **area)
    # A school held by another area's zone counts with the schools in none, as below.
    zone_of = dict(_zones_of_schools_read(**area))
    owed: dict[int | None, tuple[int, int]] = {}
    for school, due, fulfilled in by_school:
        zone_id = zone_of.get(school)
        was_due, was_fulfilled = owed.get(zone_id, (0, 0))
        owed[zone_id] = (was_due + due, was_fulfilled + fulfilled)
    zones = []
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    for zone_id, name, county, inspector_id, inspector, schools, never in _zone_rows_read(
        first=first, last=last, **area
    ):
        due, fulfilled = owed.pop(zone_id, (0, 0))
        row = Coverage(
            name,
            county=county,
            inspector=inspector or "",
            due=due,
            fulfilled=fulfilled,
            schools=schools,
            never_visited=never,
            zones=1,
            inspector_id=inspector_id,
        )
        zones.append(row)
    # Visits owed by schools that are in no zone now (or whose zone is of another area).
    due, fulfilled = map(sum, zip(*owed.values())) if owed else (0, 0)
    if due:
        zones.append(Coverage(str(_("Schools in no zone")), due=due, fulfilled=fulfilled))
    by_inspector: dict[int, Coverage] = {}
    for row in zones:
        if row.inspector_id is None:
            continue
        inspector = by_inspector.setdefault(row.inspector_id, Coverage(row.inspector, county=row.county))
        inspector.add(row)
    total = Coverage(str(_("Total")))
    for row in zones:
        total.add(row)
    return zones, sorted(by_inspector.values(), key=lambda r: (r.county, r.name)), total


# --- The province's dashboard: the same figures per office --------------------------------------


# The province's reads, compiled once a process (supervision.prepared).


def _cities_q(region_ids: list[int]) -> Q:
    """In the counties of the cities `region_ids` and of the cities under the provinces among them."""
    return Q(InArray(F("county__city_id"), region_ids)) | Q(InArray(F("county__city__parent_id"), region_ids))


def _inspections_by_office(*, office_ids: list[int], year: int):
    return (
        Inspection.objects.filter(InArray(F("office_id"), office_ids), year=year)
        .values_list("office_id")
        .annotate(n=Count("pk", distinct=True), found=Count("findings"))
        .order_by()
    )


def _visit_findings_by_city(*, region_ids: list[int], first: datetime.date, last: datetime.date):
    return (
        Finding.objects.filter(_visit_findings_between_q(first, last), _cities_q(region_ids))
        .values_list("county__city_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _rectifications_of(*, office_ids: list[int], year: int):
    return (
        Rectification.objects.filter(InArray(F("office_id"), office_ids), year=year)
        .order_by()
        .values_list("pk", flat=True)
    )


def _visits_owed_by_city(*, region_ids: list[int], year: int, as_of: datetime.date):
    return (
        VisitTally.objects.filter(_cities_q(region_ids), year=year, due_date__lte=as_of)
        .values_list("county__city_id")
        .annotate(owed=Sum("owed"), made=Sum("made"))
        .order_by()
    )


def _rectification_figures_by_office(*, items: list[int], today: datetime.date, type_id: int):
    return _rectification_figures(_rectification_obligations(items=items, type_id=type_id), today, by="office_id")


_inspections_by_office_read = Prepared(_inspections_by_office)
_rectification_figures_by_office_read = Prepared(_rectification_figures_by_office)
_visit_findings_by_city_read = Prepared(_visit_findings_by_city)
_rectifications_of_read = Prepared(_rectifications_of)
_visits_owed_by_city_read = Prepared(_visits_owed_by_city)


def _province_figures(*, offices: list[Office], year: int, today: datetime.date):
    """Per office of a province: inspections, findings, 整改 issued, open, closed, overdue, and
    visit coverage of the counties it oversees. Five queries whatever the number of offices."""
    ids = [office.pk for office in offices]
    region_ids = [office.region_id for office in offices if office.region_id]
    values: dict[int, dict[str, object]] = {pk: {} for pk in ids}
    inspection_findings = 0
    for office_id, n, found in _inspections_by_office_read(office_ids=ids, year=year):
        values[office_id]["inspections"] = n
        values[office_id]["findings"] = found
        inspection_findings += found
    # Findings of 挂牌督导 visits: a city office's row those of its city's counties, the
    # provincial office's those of the whole province.
    visit_findings = dict(
        _visit_findings_by_city_read(
            region_ids=region_ids, first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 31)
        )
    )
    for office in offices:
        found = (
            sum(visit_findings.values())
            if office.level == Office.Level.PROVINCE
            else visit_findings.get(office.region_id, 0)
        )
        values[office.pk]["findings"] = values[office.pk].get("findings", 0) + found
    # The items' ids listed, not a subquery: of a subquery, PostgreSQL merged them with every
    # 整改 obligation of every year (16 ms for a province at 20 years, 3 ms at 10). By the
    # obligation's office, which is its item's (inspections.rectification issues it in the
    # item's name), not the item's looked up a row (3.2 → 1.1 ms).
    items = _rectifications_of_read(office_ids=ids, year=year)
    for row in _rectification_figures_by_office_read(items=items, today=today, type_id=_rectification_type_id()):
        values[row["office_id"]] |= {
            "rect_open": row["issued"] - row["closed"],
            "rect_closed": row["closed"],
            "rect_overdue": row["overdue"],
        }
    # Visit coverage by city: a city office's row its city's counties, the provincial office's
    # the whole province.
    by_city = {
        city: (owed, made)
        for city, owed, made in _visits_owed_by_city_read(region_ids=region_ids, year=year, as_of=today)
    }
    province = [sum(due for due, _made in by_city.values()), sum(made for _due, made in by_city.values())]
    for office in offices:
        due, fulfilled = province if office.level == Office.Level.PROVINCE else by_city.get(office.region_id, (0, 0))
        values[office.pk]["visits"] = _coverage_text(due, fulfilled)
    total = {
        key: sum(v.get(key, 0) for v in values.values())
        for key in ("inspections", "findings", "rect_open", "rect_closed", "rect_overdue")
    }
    # Each finding once: the offices' inspections' and every visit's in the province (the
    # provincial office's row holds those already, the city rows their share).
    total["findings"] = inspection_findings + sum(visit_findings.values())
    total["visits"] = _coverage_text(*province)
    return values, total


def _coverage_text(due: int, fulfilled: int) -> str:
    return f"{fulfilled}/{due} ({_pct(fulfilled, due)}%)" if due else "—"


province_columns_register(
    ProvinceColumns(
        key="inspections",
        label=_("Inspections"),
        columns=[
            ("inspections", _("Inspections")),
            ("findings", _("Findings")),
            ("rect_open", _("Rectification open")),
            ("rect_closed", _("Rectification closed")),
            ("rect_overdue", _("Rectification overdue")),
            ("visits", _("School visits made / due")),
        ],
        figures=_province_figures,
    )
)
