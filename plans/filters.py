"""Filters for the plan and county lists (django-filter).

Offices and counties number in the thousands: they are text fields (a plain name match without
JavaScript, suggestions with it), never a drop-down rendered into every page.
"""

import re
from collections.abc import Callable

import django_filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from organisation.models import County, CountyAlias, Office, OfficeAlias
from plans.models import PlanCounty, Task, WorkPlan
from plans.textsearch import PLAN_GRAM_WIDTH, plan_word_grams, word_grams
from supervision.lookups import HoldsPattern, IHoldsPattern, InArray, like_pattern
from supervision.prepared import Prepared

# 文号 brackets as users type them: 〔〕 [] ［］ 【】 () （） all mean the same.
_BRACKETS = str.maketrans(
    {"[": "〔", "［": "〔", "【": "〔", "(": "〔", "（": "〔", "]": "〕", "］": "〕", "】": "〕", ")": "〕", "）": "〕"}
)
SUGGEST_OFFICES = reverse_lazy("plans:suggest", args=["offices"])
SUGGEST_COUNTIES = reverse_lazy("plans:suggest", args=["counties"])
# "鼓楼区（福州市）": a suggestion names the city to tell namesakes apart.
_NAME_IN_CITY = re.compile(r"^(?P<name>[^（(]+)[（(](?P<city>[^）)]+)[）)]$")


class GramsContain(Func):
    """A task holds every one of these grams (plans.textsearch): the expression of the GIN
    index migration 0002 builds on PostgreSQL, so that the index serves it."""

    output_field = BooleanField()

    def __init__(self, grams: list[str]):
        super().__init__(F("search_grams"))
        self.grams = grams

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"string_to_array({column}, ' ') @> %s::text[]", (*params, self.grams)


# Longer words are found by the trigram indexes (migration 0008), which serve the LIKE itself.
GRAM_WORD_LENGTH = 2


def task_text_matches(term: str, *, lookup: str, vendor: str) -> Q:
    """Tasks whose title or text holds `term`. On PostgreSQL a word of one or two characters
    is looked up in the index over the tasks' grams, and LIKE confirms; a longer one is served
    by the trigram indexes. Elsewhere a LIKE over every task."""
    matches = Q(**{f"title__{lookup}": term}) | Q(**{f"text__{lookup}": term})
    if vendor == "postgresql" and len(term) <= GRAM_WORD_LENGTH:
        # LIKE first: where PostgreSQL reads a plan's tasks one by one (a frequent word, found
        # in the first task or two of nearly every plan) it is the cheaper test, and the grams
        # are read only for the task that matched.
        return matches & Q(GramsContain(word_grams(term)))
    return matches


def plan_tasks_match(term: str, *, lookup: str, vendor: str) -> Q:
    """Plans one of whose tasks holds `term` in its title or text (task_text_matches)."""
    tasks = Task.objects.filter(plan=OuterRef("pk")).filter(task_text_matches(term, lookup=lookup, vendor=vendor))
    return Q(Exists(tasks))


_HOLDING = "SELECT workplan_ids_holding(%s::text[], %s::integer[])"
_OF_OFFICES_NAMED = (
    'SELECT "plan"."id" FROM "plans_workplan" AS "plan" '
    'JOIN "organisation_office" AS "office" ON "office"."id" = "plan"."office_id" '
    'WHERE "office"."name" LIKE %s AND "plan"."plan_year" = ANY(%s::integer[])'
)
# As an array unnested: PostgreSQL then guesses a few rows (as it does for the grams' function)
# rather than every plan of the offices, and keeps to the plans' key; guessing more, it read
# every plan of the years to hash them (2.5 ms for 丽, a word of twenty offices' names).
_OF_OFFICES = (
    'SELECT unnest(ARRAY(SELECT "id" FROM "plans_workplan" WHERE "office_id" = ANY(%s::bigint[]) '
    'AND "plan_year" = ANY(%s::integer[])))'
)


def _plans_matching(term: str, bracketed: str, years: list[int], office_ids: list[int] | None) -> Q:
    """Plans of `years` that may hold `term`: those whose grams (migration 0009) hold its grams
    (or the bracketed form's, for the 文号) and those of the offices whose name holds it; as
    one subquery, so that PostgreSQL reads these few plans by their key rather than testing
    every plan of the years."""
    parts, params = [_HOLDING], [plan_word_grams(term), years]
    if bracketed != term:
        parts.append(_HOLDING)
        params += [plan_word_grams(bracketed), years]
    if office_ids is None:
        parts.append(_OF_OFFICES_NAMED)
        params += [like_pattern(term), years]
    elif office_ids:
        parts.append(_OF_OFFICES)
        params += [office_ids, years]
    return Q(pk__in=RawSQL(" UNION ".join(parts), params))


# A word in the names of more offices than this (督, 教育) is tested on the office names in the
# search's own query: their ids, read and sent back twice, cost more than the join.
OFFICES_NAMED_MAX = 50


def _offices_named(*, pattern: str, cased: bool) -> QuerySet:
    return (
        Office.objects.filter(names_holding(pattern, cased=cased))
        .order_by("pk")
        .values_list("pk", flat=True)[: OFFICES_NAMED_MAX + 1]
    )


# Compiled once a process: a search reads it for each word.
_offices_named_read = Prepared(_offices_named)


def office_name_ids(term: str) -> list[int] | None:
    """The ids of the offices whose own name holds `term` (a search word), in order; None when
    more than OFFICES_NAMED_MAX do."""
    ids = _offices_named_read(**name_test(term))
    return None if len(ids) > OFFICES_NAMED_MAX else list(ids)


def plan_text_matches(
    term: str, *, lookup: str, vendor: str, years: list[int], office_ids: list[int] | None = None
) -> Q:
    """Plans whose title, notice title, 文号 (brackets as typed or official), office name or one
    of whose tasks holds `term`. `office_ids`: the offices whose name holds it
    (`office_name_ids`), when a few: most words name no office, and the plans are then not
    joined to their office's name to test it (every office, once for each span of years read).

    On PostgreSQL a word without case is looked up in the plans' grams index (migrations 0009,
    0012: their header's grams and their tasks', by year) among the plans of `years`, and in the
    offices' names: a word of up to four characters has one gram, exact, so those plans are
    the answer and no plan or task is tested by LIKE; a longer word's plans are among those
    holding all of its runs of four, and LIKE confirms them. Elsewhere, and for words with case, LIKE
    on every plan."""
    bracketed = term.translate(_BRACKETS)
    like = (
        Q(**{f"title__{lookup}": term})
        | Q(**{f"notice_title__{lookup}": term})
        | Q(**{f"doc_number__{lookup}": bracketed})
        | plan_tasks_match(term, lookup=lookup, vendor=vendor)
    )
    if office_ids is None:
        like |= Q(**{f"office__name__{lookup}": term})
    elif office_ids:
        like |= Q(InArray(F("office_id"), office_ids))
    if vendor != "postgresql" or lookup != "contains":
        return like
    candidates = _plans_matching(term, bracketed, years, office_ids)
    exact = len(term) <= PLAN_GRAM_WIDTH and bracketed == term
    return candidates if exact else candidates & like


def search_terms(value: str) -> list[str]:
    return [term for term in re.split(r"[\s,，、;；]+", value.strip()) if term]


def name_test(value: str) -> dict:
    """How a typed name is looked for (`names_holding`): its LIKE pattern, and whether it has
    letters with a case. Without (Chinese), a plain LIKE, a third of the cost of a
    case-insensitive one; either way the SQL of `contains`/`icontains`, its pattern a
    parameter a prepared read can bind (supervision.prepared)."""
    return {"pattern": like_pattern(value), "cased": value.lower() != value.upper()}


def names_holding(pattern: str, *, cased: bool, field: str = "name") -> Q:
    return Q((IHoldsPattern if cased else HoldsPattern)(F(field), pattern))


def counties_named(*, name: str, city: str) -> QuerySet[County]:
    return County.objects.filter(name=name, city__name=city)


def counties_holding(*, pattern: str, cased: bool) -> QuerySet[County]:
    aliases = CountyAlias.objects.filter(names_holding(pattern, cased=cased)).values("county_id")
    return County.objects.filter(names_holding(pattern, cased=cased) | Q(pk__in=aliases))


def county_test(value: str) -> tuple[Callable[..., QuerySet[County]], dict]:
    """How `county_matches` looks a typed name up: the queryset's builder and its values."""
    value = value.strip()
    match = _NAME_IN_CITY.match(value)
    if match:
        return counties_named, {"name": match["name"].strip(), "city": match["city"].strip()}
    return counties_holding, name_test(value)


def county_matches(value: str) -> QuerySet[County]:
    """Counties a typed name means: the name or an alias, or "name（city）" exactly."""
    build, values = county_test(value)
    return build(**values)


def offices_holding(*, pattern: str, cased: bool) -> QuerySet[Office]:
    # The aliases matching are read once (PostgreSQL hashes them), not tested office by office.
    aliases = OfficeAlias.objects.filter(names_holding(pattern, cased=cased)).values("office_id")
    return Office.objects.filter(names_holding(pattern, cased=cased) | Q(pk__in=aliases))


def _ids(*, build, **values) -> QuerySet:
    return build(**values).values_list("pk", flat=True)


# Compiled once a process (a shape for each way of matching): the ids a typed name means.
_ids_read = Prepared(_ids)


def county_match_ids(value: str) -> list[int]:
    """The ids of `county_matches(value)`, in order."""
    build, values = county_test(value)
    return sorted(_ids_read(build=build, **values))


def office_match_ids(value: str) -> list[int]:
    """The ids of the offices whose name, or one of whose aliases, holds `value`, in order."""
    return sorted(_ids_read(build=offices_holding, **name_test(value.strip())))


class WorkPlanFilter(django_filters.FilterSet):
    """Filters of the plan list; the year choices come from the plans the filter is given."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, document number, office…")}),
    )
    office = django_filters.CharFilter(
        label=_("Office"),
        method="filter_office",
        widget=forms.TextInput(
            attrs={"data-suggest": SUGGEST_OFFICES, "autocomplete": "off", "placeholder": _("Office name")}
        ),
    )
    plan_year = django_filters.ChoiceFilter(label=_("Year"), choices=(), empty_label=_("All years"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=WorkPlan.Status.choices, empty_label=_("All statuses")
    )
    county = django_filters.CharFilter(
        label=_("County"),
        method="filter_county",
        widget=forms.TextInput(
            attrs={"data-suggest": SUGGEST_COUNTIES, "autocomplete": "off", "placeholder": _("County name")}
        ),
    )

    class Meta:
        model = WorkPlan
        fields = ["q", "office", "plan_year", "status", "county"]

    def __init__(self, data=None, queryset=None, *, years_read: Callable[[], list] | None = None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # The year counts' read, when the caller has one compiled (plans.selectors.plans).
        self._years_read = years_read
        self._search_years: list[int] | None = None  # set by qs_of_years
        self._county_ids: dict[str, list[int]] = {}
        self._office_ids: dict[str, list[int]] = {}
        self._office_name_ids: dict[str, list[int] | None] = {}  # a search word's (filter_search)
        # A callable, so the years are read when the form is, not on every construction.
        self.filters["plan_year"].extra["choices"] = lambda: [(str(year), year) for year in self.year_counts]

    @cached_property
    def year_counts(self) -> dict[int, int]:
        """How many of the plans given (before filtering) each year has, newest year first;
        one query that also counts the unfiltered list."""
        if self._years_read is not None:
            return dict(self._years_read())
        return dict(plan_year_counts(self.queryset))

    @property
    def listed_year_counts(self) -> dict[int, int]:
        """The year counts of the years the list can show: the one asked for, or all."""
        asked = self.form.cleaned_data.get("plan_year") if self.is_bound and self.is_valid() else None
        if asked:
            return {int(asked): self.year_counts.get(int(asked), 0)}
        return self.year_counts

    def qs_of_years(self, years: list[int]) -> QuerySet:
        """The filtered plans of these years: a search looks there only."""
        self._search_years = years
        try:
            return self.filter_queryset(self.queryset.all()).filter(plan_year__in=years)
        finally:
            self._search_years = None

    def filter_search(self, queryset, name, value):
        """Every word must match the title, notice title, 文号, office or a task."""
        vendor = connections[queryset.db].vendor
        years = list(self.listed_year_counts) if self._search_years is None else self._search_years
        for term in search_terms(value):
            # A word without letters that have a case (Chinese, digits, 〔〕) is matched with a
            # plain LIKE: the same rows as a case-insensitive match, at a third of the cost,
            # and PostgreSQL's indexes on the tasks' text (trigrams; grams for shorter words)
            # serve it.
            lookup = "contains" if term.lower() == term.upper() else "icontains"
            # Where the grams index answers (PostgreSQL, such a word), the few offices the word
            # names are read first; elsewhere every plan is tested by LIKE, its office's name too.
            office_ids = self.office_name_ids(term) if vendor == "postgresql" and lookup == "contains" else None
            condition = plan_text_matches(term, lookup=lookup, vendor=vendor, years=years, office_ids=office_ids)
            if term.isdigit() and len(term) == 4:
                condition |= Q(plan_year=int(term))
            queryset = queryset.filter(condition)
        return queryset

    # The offices and counties a typed name means are a handful, read first: with the name test
    # inside, PostgreSQL guessed most counties match and tested every plan (33 ms at 3,400
    # plans), and joined every office to every plan it read. Kept: the list may filter again, a
    # span of years at a time.
    def office_ids(self, value: str) -> list[int]:
        if value not in self._office_ids:
            self._office_ids[value] = office_match_ids(value)
        return self._office_ids[value]

    def office_name_ids(self, term: str) -> list[int] | None:
        if term not in self._office_name_ids:
            self._office_name_ids[term] = office_name_ids(term)
        return self._office_name_ids[term]

    def county_ids(self, value: str) -> list[int]:
        if value not in self._county_ids:
            self._county_ids[value] = county_match_ids(value)
        return self._county_ids[value]

    def filter_office(self, queryset, name, value):
        if not value.strip():
            return queryset
        return plans_of_offices(queryset, self.office_ids(value))

    def filter_county(self, queryset, name, value):
        if not value.strip():
            return queryset
        return plans_naming_counties(queryset, self.county_ids(value))


def plan_year_counts(plans: QuerySet) -> QuerySet:
    """(year, plans) of `plans`, newest year first: one query that also counts them all."""
    return plans.order_by().values_list("plan_year").annotate(n=Count("pk")).order_by("-plan_year")


def plans_of_offices(plans: QuerySet, office_ids: list[int]) -> QuerySet:
    return plans.filter(InArray(F("office_id"), office_ids))


def plans_naming_counties(plans: QuerySet, county_ids: list[int]) -> QuerySet:
    return plans.filter(Exists(PlanCounty.objects.filter(InArray(F("county_id"), county_ids), plan=OuterRef("pk"))))


class CountyFilter(django_filters.FilterSet):
    """Search box of the county list: the name, or an alias a notice uses."""

    q = django_filters.CharFilter(
        label=_("County name"),
        method="filter_name",
        widget=forms.TextInput(attrs={"type": "search", "data-suggest": SUGGEST_COUNTIES, "autocomplete": "off"}),
    )

    class Meta:
        model = County
        fields = ["q"]

    def filter_name(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(pk__in=county_matches(value).values("pk"))
