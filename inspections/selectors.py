"""Reads for the register's and the inspections' pages, each scoped by inspections.permissions
and with the joins its page needs (the list pages' query counts do not grow with their rows)."""

from collections import Counter
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionMember,
    Inspector,
    InspectorZone,
    School,
    ZoneAssignment,
    key_school_q,
)
from inspections.permissions import (
    inspection_ids_listed,
    inspection_reader,
    readable_inspection_ids,
    readable_inspections_q,
    register_counties_q,
    register_reader,
    register_reader_q,
)
from organisation.models import County, Office, Region
from plans.models import Task, WorkPlan
from plans.selectors.paging import Pages
from supervision.choices import choices_in_hand
from supervision.lookups import InArray, InSubqueryArray
from supervision.prepared import Prepared, PreparedPrefetch, prefetched
from tracking.models import Assignment


def register_counties(*, user, edit: bool = False) -> QuerySet[County]:
    """The counties whose register `user` reads (or keeps), by division code."""
    return County.objects.filter(register_counties_q(user, edit=edit)).select_related("city").order_by("code", "name")


def _register_counties(**reader) -> QuerySet[County]:
    return County.objects.filter(register_reader_q(**reader)).select_related("city").order_by("code", "name")


# Compiled once a process: the register's pages list these counties in their filters.
_register_counties_read = Prepared(_register_counties)


def register_county_list(*, user) -> list[County]:
    """`register_counties(user=user)` as a list, read by a query compiled once."""
    return _register_counties_read(**register_reader(user))


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), method="filter_name", widget=forms.TextInput(attrs={"type": "search"})
    )
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=County.objects.none())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=School.Kind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=School.Status.choices, empty_label=_("All"))

    class Meta:
        model = School
        fields = ["q", "county", "kind", "status"]

    def __init__(self, *args, counties=None, county_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.filters["county"].queryset = counties
            self.form.fields["county"].queryset = counties
            self.form.fields["county"].empty_label = _("All counties")
            if county_list is not None:
                choices_in_hand(self.form.fields["county"], county_list)

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__contains=value.strip()) if value.strip() else queryset


def _open_assignment_rows() -> QuerySet[ZoneAssignment]:
    return ZoneAssignment.objects.filter(ended_on=None).select_related("zone", "inspector")


def _open_assignments() -> Prefetch:
    return Prefetch("assignments", queryset=_open_assignment_rows(), to_attr="open_assignments")


# A school's present zone and 责任督学, read for each page of the register.
_OPEN_ASSIGNMENTS = PreparedPrefetch("assignments", _open_assignment_rows(), to_attr="open_assignments")


def school_list(*, user, filters=None) -> tuple[SchoolFilter, QuerySet[School]]:
    """The schools of the counties whose register `user` reads, filtered, with their county
    (a page of them is given its zones by `schools_shown`)."""
    counties = register_counties(user=user)
    schools = School.objects.filter(register_counties_q(user, prefix="county__"))
    filterset = SchoolFilter(filters, queryset=schools, counties=counties, county_list=register_county_list(user=user))
    if filterset.is_bound and not filterset.is_valid():
        return filterset, schools.none()
    return filterset, filterset.qs.select_related("county").order_by("county__code", "name", "pk")


SCHOOLS_PER_PAGE = 50


def _chosen(queryset: QuerySet, **values) -> QuerySet:
    """`queryset` filtered by each of `values` a list's filters set (None: left unset), in order."""
    for name, value in values.items():
        if value is not None:
            queryset = queryset.filter(**{name: value})
    return queryset


def _school_filters(*, county_id: int | None, kind: str | None, status: str | None, **reader) -> QuerySet[School]:
    schools = School.objects.filter(register_reader_q(prefix="county__", **reader))
    return _chosen(schools, county_id=county_id, kind=kind, status=status)


def _school_counts(**values) -> QuerySet:
    return _school_filters(**values).order_by().values("county_id").annotate(n=Count("pk")).values_list("n", flat=True)


def _school_first_page(**values) -> QuerySet[School]:
    schools = _school_filters(**values).select_related("county").order_by("county__code", "name", "pk")
    return schools[:SCHOOLS_PER_PAGE]


# Compiled once a process: the register's first page, unless a name is searched.
_school_counts_read = Prepared(_school_counts)
_school_first_page_read = Prepared(_school_first_page)


def school_pages(*, filterset: SchoolFilter, schools: QuerySet[School], user, page=None):
    """`school_list`'s schools for a Paginator of SCHOOLS_PER_PAGE showing page `page`: its
    first page, unless a name is searched, counted and read by queries compiled once (by
    county, then summed: an index-only count of each county's schools)."""
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    if not _school_first_page_read.compiles() or (filterset.is_bound and not filterset.is_valid()) or data.get("q"):
        return schools
    county = data.get("county")
    values = register_reader(user) | {
        "county_id": county.pk if county is not None else None,
        "kind": data.get("kind") or None,
        "status": data.get("status") or None,
    }
    return Pages(
        schools,
        per_page=SCHOOLS_PER_PAGE,
        page=page,
        count=sum(_school_counts_read(**values)),
        first_page=lambda: _school_first_page_read(**values),
    )


def schools_shown(schools) -> list[School]:
    """A page of `school_list`'s schools, each with its present zone and 责任督学
    (`open_assignments`)."""
    return prefetched(list(schools), _OPEN_ASSIGNMENTS)


def school_get(*, pk: int, user) -> School | None:
    return (
        School.objects.filter(register_counties_q(user, prefix="county__"), pk=pk)
        .select_related("county__city", "merged_into")
        .first()
    )


def school_assignments(*, school: School) -> list[ZoneAssignment]:
    return list(school.assignments.select_related("zone", "inspector").order_by("-started_on", "-pk"))


def inspector_list(*, user, county=None) -> QuerySet[Inspector]:
    inspectors = Inspector.objects.filter(register_counties_q(user, prefix="county__"))
    if county is not None:
        inspectors = inspectors.filter(county=county)
    return (
        inspectors.select_related("county", "user")
        .annotate(zone_count=Count("zones", distinct=True))
        .order_by("county__code", "-is_active", "name", "pk")
    )


def inspector_get(*, pk: int, user) -> Inspector | None:
    return (
        Inspector.objects.filter(register_counties_q(user, prefix="county__"), pk=pk)
        .select_related("county__city")
        .first()
    )


def zone_list(*, user, county=None) -> QuerySet[InspectorZone]:
    zones = InspectorZone.objects.filter(register_counties_q(user, prefix="county__"))
    if county is not None:
        zones = zones.filter(county=county)
    return (
        zones.select_related("county", "inspector")
        .annotate(school_count=Count("assignments", filter=Q(assignments__ended_on=None)))
        .order_by("county__code", "name", "pk")
    )


def _zone(*, pk: int, **reader) -> QuerySet[InspectorZone]:
    return (
        InspectorZone.objects.filter(register_reader_q(**reader, prefix="county__"), pk=pk)
        .select_related("county__city", "inspector")
        .order_by()
    )


# Compiled once a process: every page of a zone reads it.
_zone_read = Prepared(_zone)


def zone_get(*, pk: int, user) -> InspectorZone | None:
    """The zone if `user` reads its county's register."""
    found = _zone_read(pk=pk, **register_reader(user))
    return found[0] if found else None


def county_active_inspectors(*, county_id: int) -> QuerySet[Inspector]:
    """A county's active 督学, by name: whom a zone may have as its 责任督学."""
    return Inspector.objects.filter(county_id=county_id, is_active=True).order_by("name")


# Compiled once a process: a zone's page offers them.
_active_inspectors_read = Prepared(county_active_inspectors)


def active_inspectors(*, county_id: int) -> list[Inspector]:
    """`county_active_inspectors` as a list, read by a query compiled once."""
    return _active_inspectors_read(county_id=county_id)


def _zone_schools(*, zone_id: int) -> QuerySet[School]:
    return School.objects.filter(assignments__zone_id=zone_id, assignments__ended_on=None).order_by("name", "pk")


# Compiled once a process: a zone's page reads it.
_zone_schools_read = Prepared(_zone_schools)


def zone_schools(*, zone: InspectorZone) -> list[School]:
    return _zone_schools_read(zone_id=zone.pk)


def zone_candidate_schools(*, zone: InspectorZone) -> QuerySet[School]:
    """The county's open schools, each with its present zone (to move it here)."""
    return (
        School.objects.filter(county_id=zone.county_id, status=School.Status.OPEN)
        .prefetch_related(_open_assignments())
        .order_by("name", "pk")
    )


# --- Coverage ------------------------------------------------------------------------------------


@dataclass
class CountyCoverage:
    county: County
    schools: int = 0
    covered: int = 0
    key_schools: int = 0
    key_covered: int = 0

    @property
    def uncovered(self) -> int:
        return self.schools - self.covered

    @property
    def key_complete(self) -> bool:
        """中心小学以上学校全覆盖."""
        return self.key_covered == self.key_schools


@dataclass
class CityCoverage:
    city: Region
    counties: list[CountyCoverage] = field(default_factory=list)

    def _sum(self, name: str) -> int:
        return sum(getattr(county, name) for county in self.counties)

    @property
    def schools(self) -> int:
        return self._sum("schools")

    @property
    def covered(self) -> int:
        return self._sum("covered")

    @property
    def uncovered(self) -> int:
        return self._sum("uncovered")

    @property
    def key_schools(self) -> int:
        return self._sum("key_schools")

    @property
    def key_covered(self) -> int:
        return self._sum("key_covered")

    @property
    def key_complete(self) -> bool:
        return self.key_covered == self.key_schools


def _has_inspector():
    return Exists(ZoneAssignment.objects.filter(school=OuterRef("pk"), ended_on=None, inspector__isnull=False))


def _coverage_counts(**reader) -> QuerySet:
    schools = School.objects.filter(register_reader_q(prefix="county__", **reader), status=School.Status.OPEN)
    return (
        schools.annotate(covered=_has_inspector())
        .order_by()
        .values("county_id")
        .annotate(
            total=Count("pk"),
            with_inspector=Count("pk", filter=Q(covered=True)),
            key_total=Count("pk", filter=key_school_q()),
            key_with=Count("pk", filter=key_school_q() & Q(covered=True)),
        )
    )


# Compiled once a process: the coverage page's figures.
_coverage_counts_read = Prepared(_coverage_counts)


def coverage_by_city(*, user, county=None, counties: list[County] | None = None) -> list[CityCoverage]:
    """Per county whose register `user` reads (and per city over its counties): open schools,
    those with a 责任督学, and "中心小学以上学校全覆盖" (central primary schools and every school
    from junior secondary up) covered / total. Counties without schools are left out.
    `counties`: the user's register_county_list, when read already."""
    reader = register_reader(user)
    if counties is None:
        counties = _register_counties_read(**reader)
    if county is not None:
        counties = [item for item in counties if item.pk == county.pk]
    by_county = {row["county_id"]: row for row in _coverage_counts_read(**reader)}
    cities: dict[int, CityCoverage] = {}
    for item in counties:
        row = by_county.get(item.pk)
        if row is None:
            continue
        city = cities.setdefault(item.city_id, CityCoverage(city=item.city))
        city.counties.append(
            CountyCoverage(
                county=item,
                schools=row["total"],
                covered=row["with_inspector"],
                key_schools=row["key_total"],
                key_covered=row["key_with"],
            )
        )
    return sorted(cities.values(), key=lambda c: c.city.code)


def schools_uncovered(*, county: County) -> QuerySet[School]:
    """A county's open schools with no 责任督学, those counted in 全覆盖 first."""
    return _uncovered(county_id=county.pk)


def _uncovered(*, county_id: int) -> QuerySet[School]:
    return (
        School.objects.filter(county_id=county_id, status=School.Status.OPEN)
        .annotate(covered=_has_inspector())
        .filter(covered=False)
        .order_by("name", "pk")
    )


UNCOVERED_SHOWN = 500
# Compiled once a process: the coverage page lists them for the county chosen.
_uncovered_shown_read = Prepared(lambda *, county_id: _uncovered(county_id=county_id)[:UNCOVERED_SHOWN])


def schools_uncovered_shown(*, county: County) -> list[School]:
    """The first UNCOVERED_SHOWN of `schools_uncovered`."""
    return _uncovered_shown_read(county_id=county.pk)


# --- Inspections ---------------------------------------------------------------------------------


def offices_counties(offices) -> QuerySet[County]:
    """The counties `offices` inspect: a county office its own county, a city office the
    counties of its city, a provincial office those of its province."""
    offices = list(offices)
    own = sorted({office.county_id for office in offices if office.county_id is not None})
    regions = sorted({office.region_id for office in offices if office.county_id is None and office.region_id})
    return County.objects.filter(Q(pk__in=own) | Q(city_id__in=regions) | Q(city__parent_id__in=regions))


def office_counties(office: Office) -> QuerySet[County]:
    return offices_counties([office])


def offices_plan_tasks(offices, *, year: int | None = None) -> QuerySet[Task]:
    """The tasks of the published plans of `offices` (of `year`): what their inspections carry
    out."""
    tasks = Task.objects.filter(
        plan__office__in=list(offices), plan__status=WorkPlan.Status.PUBLISHED, plan__revision_of=None
    )
    return tasks if year is None else tasks.filter(plan__plan_year=year)


def office_plan_tasks(office: Office, *, year: int | None = None) -> QuerySet[Task]:
    return offices_plan_tasks([office], year=year)


def _self_assessments(*, inspection_id: int, subject_type_id: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        kind=Assignment.Kind.SELF_ASSESSMENT, subject_type_id=subject_type_id, subject_id=inspection_id
    )


def self_assessments(inspection: Inspection) -> QuerySet[Assignment]:
    """The counties' self-assessment obligations for `inspection`."""
    return _self_assessments(
        inspection_id=inspection.pk, subject_type_id=ContentType.objects.get_for_model(Inspection).pk
    )


def self_assessment_of(inspection: Inspection, county_id: int) -> Assignment | None:
    """The county's self-assessment obligation for `inspection`, if it was asked for one."""
    return self_assessments(inspection).filter(county_id=county_id).first()


def _inspections_listed(user) -> QuerySet[Inspection]:
    # Through the ids: the scope may join the team, and a list must not repeat an inspection.
    ids = inspection_ids_listed(user)
    return Inspection.objects.all() if ids is None else Inspection.objects.filter(pk__in=ids)


class InspectionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), widget=forms.NumberInput(attrs={"min": 1949, "max": 2100}))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Inspection.Kind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(label=_("Stage"), choices=Inspection.Status.choices, empty_label=_("All"))
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=County.objects.none(), method="filter_county")

    class Meta:
        model = Inspection
        fields = ["year", "kind", "status", "county"]

    def __init__(self, *args, counties=None, county_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.filters["county"].queryset = counties
            self.form.fields["county"].queryset = counties
            self.form.fields["county"].empty_label = _("All counties")
            if county_list is not None:
                choices_in_hand(self.form.fields["county"], county_list)

    def filter_county(self, queryset, name, value):
        visiting = Inspection.counties.through.objects.filter(county=value).values("inspection_id")
        return queryset.filter(pk__in=visiting)


def inspection_list(*, user, filters=None) -> tuple[InspectionFilter, QuerySet[Inspection]]:
    """The inspections `user` reads, filtered, latest first, with their office (a page of them
    is given its counties by `inspections_shown`)."""
    counties = register_counties(user=user)
    inspections = _inspections_listed(user)
    filterset = InspectionFilter(
        filters, queryset=inspections, counties=counties, county_list=register_county_list(user=user)
    )
    if filterset.is_bound and not filterset.is_valid():
        return filterset, inspections.none()
    return filterset, filterset.qs.select_related("office").defer("description").order_by("-starts_on", "-pk")


INSPECTIONS_PER_PAGE = 25


def _inspections_filtered(*, year: int | None, kind: str | None, status: str | None, county_id: int | None, **reader):
    ids = readable_inspection_ids(**reader)
    inspections = Inspection.objects.all() if ids is None else Inspection.objects.filter(pk__in=ids)
    inspections = _chosen(inspections, year=year, kind=kind, status=status)
    if county_id is not None:
        visiting = Inspection.counties.through.objects.filter(county_id=county_id).values("inspection_id")
        inspections = inspections.filter(pk__in=visiting)
    return inspections


def _inspection_counts(**values) -> QuerySet:
    return _inspections_filtered(**values).order_by().values("year").annotate(n=Count("pk")).values_list("n", flat=True)


def _inspection_first_page(**values) -> QuerySet[Inspection]:
    inspections = _inspections_filtered(**values).select_related("office").defer("description")
    return inspections.order_by("-starts_on", "-pk")[:INSPECTIONS_PER_PAGE]


# Compiled once a process: the list's first page.
_inspection_counts_read = Prepared(_inspection_counts)
_inspection_first_page_read = Prepared(_inspection_first_page)


def inspection_pages(*, filterset: InspectionFilter, inspections: QuerySet[Inspection], user, page=None):
    """`inspection_list`'s inspections for a Paginator of INSPECTIONS_PER_PAGE showing page
    `page`: its first page counted and read by queries compiled once (counted by year, then
    summed)."""
    if not _inspection_first_page_read.compiles() or (filterset.is_bound and not filterset.is_valid()):
        return inspections
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    year, county = data.get("year"), data.get("county")
    if year is not None and year != int(year):
        return inspections
    values = inspection_reader(user) | {
        "year": int(year) if year is not None else None,
        "kind": data.get("kind") or None,
        "status": data.get("status") or None,
        "county_id": county.pk if county is not None else None,
    }
    return Pages(
        inspections,
        per_page=INSPECTIONS_PER_PAGE,
        page=page,
        count=sum(_inspection_counts_read(**values)),
        first_page=lambda: _inspection_first_page_read(**values),
    )


_COUNTIES_VISITED = PreparedPrefetch("counties", County.objects.order_by("code", "name"))


def inspections_shown(inspections) -> list[Inspection]:
    """A page of `inspection_list`'s inspections, each with the counties it visits."""
    return prefetched(list(inspections), _COUNTIES_VISITED)


def _inspection(*, pk: int, **reader) -> QuerySet[Inspection]:
    inspections = Inspection.objects.filter(pk=pk)
    where = readable_inspections_q(**reader)
    if where is not None:
        inspections = inspections.filter(where)
    return inspections.select_related("office__region", "created_by").order_by()


# Compiled once a process: every page of an inspection reads it.
_inspection_read = Prepared(_inspection)


def inspection_get(*, pk: int, user) -> Inspection | None:
    """The inspection if `user` reads it."""
    found = _inspection_read(pk=pk, **inspection_reader(user))
    return found[0] if found else None


@dataclass
class CountySelfAssessment:
    county: County
    obligation: object = None
    answered: int = 0


@dataclass
class InspectionPage:
    """What the inspection's page shows, limited to the counties the reader sees."""

    inspection: Inspection
    tasks: list
    counties: list[County]
    schools: list[School]
    team: list[InspectionMember]
    checklist: list[ChecklistItem]
    self_assessments: list[CountySelfAssessment]

    @property
    def answer_counties(self) -> list[County]:
        """The counties whose answers the checklist table shows, a column each."""
        return [row.county for row in self.self_assessments if row.obligation is not None]


def _shown(queryset: QuerySet, column: str, shown: list[int] | None) -> QuerySet:
    return queryset if shown is None else queryset.filter(InArray(F(column), shown))


def _page_counties(*, inspection_id: int, shown: list[int] | None) -> QuerySet[County]:
    return _shown(County.objects.filter(inspections=inspection_id), "pk", shown).order_by("code", "name")


def _page_checklist(*, inspection_id: int) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.filter(inspection_id=inspection_id).order_by("position", "pk")


def _page_answers(*, inspection_id: int, shown: list[int] | None) -> QuerySet[ChecklistAnswer]:
    answers = ChecklistAnswer.objects.filter(item__inspection_id=inspection_id)
    return _shown(answers, "county_id", shown).only("item", "county", "rating", "text").order_by("item_id", "county_id")


def _page_obligations(*, inspection_id: int, subject_type_id: int, county_ids: list[int]) -> QuerySet[Assignment]:
    return _self_assessments(inspection_id=inspection_id, subject_type_id=subject_type_id).filter(
        InArray(F("county_id"), county_ids)
    )


def _page_tasks(*, inspection_id: int) -> QuerySet[Task]:
    return (
        Task.objects.filter(inspections=inspection_id)
        .select_related("plan")
        .only("number", "title", "plan", "plan__title")
        .order_by("plan__plan_year", "plan_id", "number")
    )


def _page_schools(*, inspection_id: int, shown: list[int] | None) -> QuerySet[School]:
    schools = School.objects.filter(inspections=inspection_id).select_related("county")
    return _shown(schools, "county_id", shown).only("name", "county", "county__name").order_by("county__code", "name")


def _page_team(*, inspection_id: int) -> QuerySet[InspectionMember]:
    return InspectionMember.objects.filter(inspection_id=inspection_id).order_by("role", "pk")


# Compiled once a process: the inspection's page reads them all.
_page_counties_read = Prepared(_page_counties)
_page_checklist_read = Prepared(_page_checklist)
_page_answers_read = Prepared(_page_answers)
_page_obligations_read = Prepared(_page_obligations)
_page_tasks_read = Prepared(_page_tasks)
_page_schools_read = Prepared(_page_schools)
_page_team_read = Prepared(_page_team)


def inspection_page(*, inspection: Inspection, counties_shown: set[int] | None) -> InspectionPage:
    """The inspection's tasks with their plans, counties, schools, team, checklist with the
    answers of the counties shown (None: all), and each county's self-assessment, in a fixed
    number of queries."""
    pk = inspection.pk
    shown = None if counties_shown is None else sorted(counties_shown)
    counties = _page_counties_read(inspection_id=pk, shown=shown)
    checklist = _page_checklist_read(inspection_id=pk)
    by_item: dict[int, list[ChecklistAnswer]] = {}
    for answer in _page_answers_read(inspection_id=pk, shown=shown):
        by_item.setdefault(answer.item_id, []).append(answer)
    obligations = {
        row.county_id: row
        for row in _page_obligations_read(
            inspection_id=pk,
            subject_type_id=ContentType.objects.get_for_model(Inspection).pk,
            county_ids=[c.pk for c in counties],
        )
    }
    answered = Counter()
    for item in checklist:
        item.county_answers = by_item.get(item.pk, [])
        by_county = {answer.county_id: answer for answer in item.county_answers}
        answered.update(answer.county_id for answer in item.county_answers)
        item.answers_in_order = [by_county.get(county.pk) for county in counties if county.pk in obligations]
    return InspectionPage(
        inspection=inspection,
        tasks=_page_tasks_read(inspection_id=pk),
        counties=counties,
        schools=_page_schools_read(inspection_id=pk, shown=shown),
        team=_page_team_read(inspection_id=pk),
        checklist=checklist,
        self_assessments=[
            CountySelfAssessment(county=county, obligation=obligations.get(county.pk), answered=answered[county.pk])
            for county in counties
        ],
    )


def self_assessment_page(*, inspection: Inspection, county: County) -> tuple[list[ChecklistItem], dict]:
    """The checklist and the county's answers to it (item id → answer; each item's also as
    its `county_answer`)."""
    items = list(inspection.checklist.all())
    answers = {
        answer.item_id: answer for answer in ChecklistAnswer.objects.filter(item__inspection=inspection, county=county)
    }
    for item in items:
        item.county_answer = answers.get(item.pk)
    return items, answers


def checklist_templates(*, offices) -> dict[tuple[int, str], ChecklistTemplate]:
    """The checklist templates of `offices` by (office id, kind), each with its number of
    items, in one query."""
    templates = ChecklistTemplate.objects.filter(office__in=list(offices)).annotate(item_count=Count("items"))
    return {(template.office_id, template.kind): template for template in templates}


def _plan_inspections(*, plan_id: int, source_id: int, revised: bool, **reader) -> QuerySet:
    through = Inspection.tasks.through
    tasks = Task.objects.filter(plan_id=source_id).order_by().values("pk")
    rows = through.objects.filter(InSubqueryArray(F("task_id"), tasks))
    if revised:
        rows = rows.filter(task__key__in=Task.objects.filter(plan_id=plan_id).values("key"))
    readable = readable_inspection_ids(**reader)
    if readable is not None:
        rows = rows.filter(inspection_id__in=readable)
    numbered = Task.objects.filter(plan_id=plan_id, key=OuterRef("task__key"))
    return rows.annotate(
        number=Subquery(numbered.values("number")[:1]), title=Subquery(numbered.values("title")[:1])
    ).select_related("inspection")


# Compiled once a process: a plan's page asks it whenever an inspection carries out a task.
_plan_inspections_read = Prepared(_plan_inspections)


def plan_inspections(*, plan, user) -> list:
    """The inspections carrying out `plan`'s tasks that `user` reads, as (task number, task
    title, inspection) rows by task. A draft revision's task is matched by its key to the
    published plan's task it revises."""
    rows = _plan_inspections_read(
        plan_id=plan.pk,
        source_id=plan.revision_of_id or plan.pk,
        revised=bool(plan.revision_of_id),
        **inspection_reader(user),
    )
    return sorted(
        ((row.number, row.title, row.inspection) for row in rows),
        key=lambda row: (row[0] or 0, row[2].starts_on, row[2].pk),
    )


@dataclass
class InspectionChoices:
    """What the inspection form offers for the offices a user runs inspections for."""

    tasks: QuerySet
    counties: QuerySet
    schools: QuerySet
    inspectors: QuerySet


def inspection_choices(*, offices: list) -> InspectionChoices:
    """The published plans' tasks, the counties and their open schools and active inspectors
    of `offices` (the service checks a choice against the inspection's own office)."""
    counties = offices_counties(offices).order_by("code", "name")
    return InspectionChoices(
        tasks=offices_plan_tasks(offices)
        .select_related("plan")
        .defer("text", "search_grams", "plan__notice_text", "plan__preamble", "plan__notes", "plan__search_grams")
        .order_by("-plan__plan_year", "plan__title", "plan_id", "number"),
        counties=counties,
        schools=School.objects.filter(county__in=counties, status=School.Status.OPEN)
        .select_related("county")
        .order_by("county__code", "name"),
        inspectors=Inspector.objects.filter(county__in=counties, is_active=True).order_by("name", "pk"),
    )
