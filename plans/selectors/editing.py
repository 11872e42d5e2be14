"""Reads for the edit page: a draft's content as the page lays it out, and the counties of
the issuing office's region by every name staff type for them."""

import re
from dataclasses import dataclass, field

from django.db.models import F, Q, Window
from django.db.models.functions import DenseRank

from organisation.models import County, CountyAlias, Office
from plans.filters import search_terms
from plans.models import WorkPlan
from plans.parsing.places import short_forms
from plans.permissions import copyable_office_ids, copyable_plans_q
from supervision.lookups import InArray
from supervision.prepared import Prepared

# "管城回族区（郑州市）": the form suggestions take; the city in brackets tells namesakes apart.
_IN_CITY = re.compile(r"^(?P<name>[^（(]+)[（(](?P<city>[^）)]+)[）)]$")


def office_counties(office: Office, *, also=()) -> list[County]:
    """The counties an office's plans name: its region's (a provincial office's cities'
    too), or, for a county's office, the counties of its city; and `also` (ids: those a plan
    names already, wherever they are, so that saving it never stumbles on them)."""
    where = Q(pk__in=list(also))
    if office.region_id is not None:
        where |= Q(city_id=office.region_id) | Q(city__parent_id=office.region_id)
    elif office.county_id is not None:
        where |= Q(city__counties=office.county_id)
    return list(County.objects.filter(where).select_related("city").order_by("code", "name").distinct())


@dataclass
class CountyResolver:
    """Names of a region's counties as staff type them: the name, an alias the table records,
    the name without its ethnic part (管城区), an older or newer suffix (孟津县 for 孟津区), or
    the short form (管城, 孟津) when only one county of the region has it."""

    counties: list[County]
    aliases: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self):
        by_id = {county.pk: county for county in self.counties}
        exact: dict[str, set[int]] = {}
        derived: dict[str, set[int]] = {}
        for county in self.counties:
            exact.setdefault(county.name, set()).add(county.pk)
            full, short = short_forms(county.name)
            for name in (*full, *short):
                derived.setdefault(name, set()).add(county.pk)
        for county_id, name in self.aliases:
            if county_id in by_id:
                exact.setdefault(name, set()).add(county_id)
        names = dict(exact)
        for name, ids in derived.items():
            names.setdefault(name, ids)
        self._by_id = by_id
        self._names = {name: [by_id[i] for i in sorted(ids)] for name, ids in names.items()}

    def lookup(self, name: str) -> list[County]:
        name = name.strip()
        match = _IN_CITY.match(name)
        if match:
            return [
                county
                for county in self._names.get(match["name"].strip(), [])
                if county.city.name == match["city"].strip()
            ]
        return self._names.get(name, [])

    def resolve(self, text: str) -> tuple[list[County], list[str], list[str]]:
        """(counties, names not known, names that mean more than one county) of `text`,
        names separated by 、，, spaces or new lines."""
        found: dict[int, County] = {}
        unknown, ambiguous = [], []
        for term in search_terms(text or ""):
            counties = self.lookup(term)
            if len(counties) == 1:
                found.setdefault(counties[0].pk, counties[0])
            elif counties:
                ambiguous.append(term)
            else:
                unknown.append(term)
        ordered = sorted(found.values(), key=lambda county: (county.code, county.name))
        return ordered, unknown, ambiguous

    def suggest(self, term: str, limit: int = 10) -> list[str]:
        """Names of the counties any of whose names contain `term`, those starting with it
        first."""
        term = term.strip()
        if not term:
            return []
        ranked: dict[int, int] = {}
        for name, counties in self._names.items():
            if term in name:
                rank = 0 if name.startswith(term) else 1
                for county in counties:
                    ranked[county.pk] = min(rank, ranked.get(county.pk, rank))
        chosen = sorted(ranked, key=lambda pk: (ranked[pk], self._by_id[pk].code, self._by_id[pk].name))
        return [self._by_id[pk].name for pk in chosen[:limit]]


def county_resolver(*, office: Office, also=()) -> CountyResolver:
    """The resolver for `office`'s region (and the counties `also` names), in two queries."""
    counties = office_counties(office, also=also)
    aliases = list(CountyAlias.objects.filter(county__in=[c.pk for c in counties]).values_list("county_id", "name"))
    return CountyResolver(counties, aliases)


# What an office copies into a new year is nearly always last year's plan, now and then one a
# year or two older (a year with a special plan in between); five years is a planning period
# (a 五年规划), whose plans share their outline. An older plan is copied from its own page.
COPY_YEARS = 5


def _copyable(user):
    """The plans `user` may copy into a new year (not draft revisions), without their long
    texts: those of the offices where they edit, every plan for an administrator."""
    plans = WorkPlan.objects.filter(revision_of=None)
    q = copyable_plans_q(user)
    if q is not None:
        plans = plans.filter(q)
    return plans.select_related("office").only(*_COPYABLE_FIELDS)


_COPYABLE_FIELDS = (
    "id",
    "title",
    "doc_number",
    "plan_year",
    "status",
    "revision",
    "revision_of_id",
    "office_id",
    "office__name",
)


def work_plan_copy_sources(*, user, years: int = COPY_YEARS) -> list[WorkPlan]:
    """The plans the copy form lists: of each office whose plans `user` may copy, the plans of
    its last `years` plan years (years it has plans for, whatever the gaps), by office, newest
    first; as many a page (COPY_LIMIT at most) whatever the years of plans kept."""
    return list(_copy_sources_read(offices=copyable_office_ids(user), years=years))


COPY_LIMIT = 200


def _copy_sources(*, offices: list[int] | None, years: int):
    recent = Window(DenseRank(), partition_by=F("office_id"), order_by=F("plan_year").desc())
    plans = WorkPlan.objects.filter(revision_of=None)
    if offices is not None:  # copyable_office_ids: the offices where they edit, or every plan
        plans = plans.filter(InArray(F("office_id"), offices))
    return (
        plans.select_related("office")
        .only(*_COPYABLE_FIELDS)
        .annotate(recency=recent)
        .filter(recency__lte=years)
        .order_by("office__name", "-plan_year", "-pk")[:COPY_LIMIT]
    )


# Compiled once a process: the window and its filter were most of the start page's query work.
_copy_sources_read = Prepared(_copy_sources)


def work_plan_copy_source_get(*, user, pk: int) -> WorkPlan | None:
    """One plan `user` may copy, of any year (an older one, copied from its own page), as the
    copy form lists them; None when there is none they may copy."""
    return _copyable(user).filter(pk=pk).first()
