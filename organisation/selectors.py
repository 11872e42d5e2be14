"""Reads of the organisation's rows that many pages share, compiled once a process
(supervision.prepared)."""

from django.db.models import F, Q, QuerySet

from organisation.models import County, Office
from supervision.lookups import InArray
from supervision.prepared import Prepared


def _counties(*, ids: list[int], with_city: bool) -> QuerySet[County]:
    counties = County.objects.filter(InArray(F("pk"), ids))
    if with_city:
        counties = counties.select_related("city")
    return counties.order_by("code", "name")


def _region_county_ids(*, region_id: int) -> QuerySet:
    return County.objects.filter(Q(city_id=region_id) | Q(city__parent_id=region_id)).values_list("pk", flat=True)


_counties_read = Prepared(_counties)
_region_county_ids_read = Prepared(_region_county_ids)
_office_read = Prepared(lambda *, pk: Office.objects.select_related("region__parent").filter(pk=pk).order_by()[:1])


def office_get(*, pk: int) -> Office | None:
    """An office with its region and the region's parent (a city's province)."""
    return next(iter(_office_read(pk=pk)), None)


def counties_of(ids, *, with_city: bool = False) -> list[County]:
    """The counties of these ids, by division code (with their city, `with_city`)."""
    return _counties_read(ids=sorted(ids), with_city=with_city)


def region_county_ids(*, region_id: int) -> list[int]:
    """The counties of a city, or of a province's cities."""
    return _region_county_ids_read(region_id=region_id)
