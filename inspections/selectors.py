"""Reads for the register's pages, each scoped by inspections.permissions and with the joins its
page needs (the list pages' query counts do not grow with their rows)."""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import Inspector, InspectorZone, School, ZoneAssignment, key_school_q
from inspections.permissions import register_counties_q
from organisation.models import County, Region


def register_counties(*, user, edit: bool = False) -> QuerySet[County]:
    """The counties whose register `user` reads (or keeps), by division code."""
    return County.objects.filter(register_counties_q(user, edit=edit)).select_related("city").order_by("code", "name")


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

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.filters["county"].queryset = counties
            self.form.fields["county"].queryset = counties
            self.form.fields["county"].empty_label = _("All counties")

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__contains=value.strip()) if value.strip() else queryset


def _open_assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=ZoneAssignment.objects.filter(ended_on=None).select_related("zone", "inspector"),
        to_attr="open_assignments",
    )


def school_list(*, user, filters=None) -> tuple[SchoolFilter, QuerySet[School]]:
    """The schools of the counties whose register `user` reads, filtered; each with its county
    and its present zone and 责任督学 (`open_assignments`)."""
    counties = register_counties(user=user)
    schools = School.objects.filter(register_counties_q(user, prefix="county__"))
    filterset = SchoolFilter(filters, queryset=schools, counties=counties)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, schools.none()
    return filterset, (
        filterset.qs.select_related("county")
        .prefetch_related(_open_assignments())
        .order_by("county__code", "name", "pk")
    )


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


def zone_get(*, pk: int, user) -> InspectorZone | None:
    return (
        InspectorZone.objects.filter(register_counties_q(user, prefix="county__"), pk=pk)
        .select_related("county__city", "inspector")
        .first()
    )


def zone_schools(*, zone: InspectorZone) -> list[School]:
    return list(School.objects.filter(assignments__zone=zone, assignments__ended_on=None).order_by("name", "pk"))


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


def coverage_by_city(*, user, county=None) -> list[CityCoverage]:
    """Per county whose register `user` reads (and per city over its counties): open schools,
    those with a 责任督学, and "中心小学以上学校全覆盖" (central primary schools and every school
    from junior secondary up) covered / total. Counties without schools are left out."""
    counties = register_counties(user=user)
    if county is not None:
        counties = counties.filter(pk=county.pk)
    schools = School.objects.filter(county__in=counties, status=School.Status.OPEN).annotate(covered=_has_inspector())
    counts = (
        schools.order_by()
        .values("county_id")
        .annotate(
            total=Count("pk"),
            with_inspector=Count("pk", filter=Q(covered=True)),
            key_total=Count("pk", filter=key_school_q()),
            key_with=Count("pk", filter=key_school_q() & Q(covered=True)),
        )
    )
    by_county = {row["county_id"]: row for row in counts}
    cities: dict[int, CityCoverage] = {}
    for item in counties.filter(pk__in=list(by_county)):
        row = by_county[item.pk]
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
    return (
        School.objects.filter(county=county, status=School.Status.OPEN)
        .annotate(covered=_has_inspector())
        .filter(covered=False)
        .order_by("name", "pk")
    )
