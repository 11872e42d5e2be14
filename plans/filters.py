"""Filters for the plan and county lists (django-filter).

Offices and counties number in the thousands: they are text fields (a plain name match without
JavaScript, suggestions with it), never a drop-down rendered into every page.
"""

import re

import django_filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from organisation.models import County, CountyAlias, Office
from plans.models import PlanCounty, Task, WorkPlan
from plans.textsearch import word_grams

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
    """Plans one of whose tasks holds `term` in its title or text. On PostgreSQL a word of one
    or two characters without case has one gram, exact: the plans whose grams (the union of
    their tasks') hold it are the answer, found through their index among a few thousand plans
    with no task read (a frequent word is in tens of thousands of tasks). Other words are
    looked up among the tasks (task_text_matches): every plan holds every pair of a frequent
    longer word somewhere, so the plans' grams would not narrow them."""
    if vendor == "postgresql" and len(term) <= GRAM_WORD_LENGTH and lookup == "contains":
        # Read once through the plans' index (migration 0005), the ids kept in a hash. Cased
        # words keep the tasks' LIKE: textsearch.fold need not agree with ILIKE.
        return Q(pk__in=RawSQL("SELECT workplan_ids_holding(%s::text[])", (word_grams(term),)))
    tasks = Task.objects.filter(plan=OuterRef("pk")).filter(task_text_matches(term, lookup=lookup, vendor=vendor))
    return Q(Exists(tasks))


def search_terms(value: str) -> list[str]:
    return [term for term in re.split(r"[\s,，、;；]+", value.strip()) if term]


def county_matches(value: str):
    """Counties a typed name means: the name or an alias, or "name（city）" exactly."""
    value = value.strip()
    match = _NAME_IN_CITY.match(value)
    if match:
        return County.objects.filter(name=match["name"].strip(), city__name=match["city"].strip())
    aliases = CountyAlias.objects.filter(county=OuterRef("pk"), name__icontains=value)
    return County.objects.filter(Q(name__icontains=value) | Q(Exists(aliases)))


def office_matches(value: str):
    value = value.strip()
    return Office.objects.filter(Q(name__icontains=value) | Q(aliases__name__icontains=value))


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

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # A callable, so the years are read when the form is, not on every construction.
        self.filters["plan_year"].extra["choices"] = lambda: [(str(year), year) for year in self.year_counts]

    @cached_property
    def year_counts(self) -> dict[int, int]:
        """How many of the plans given (before filtering) each year has, newest year first;
        one query that also counts the unfiltered list."""
        rows = self.queryset.order_by().values_list("plan_year").annotate(n=Count("pk")).order_by("-plan_year")
        return dict(rows)

    def filter_search(self, queryset, name, value):
        """Every word must match the title, notice title, 文号, office or a task."""
        vendor = connections[queryset.db].vendor
        for term in search_terms(value):
            # A word without letters that have a case (Chinese, digits, 〔〕) is matched with a
            # plain LIKE: the same rows as a case-insensitive match, at a third of the cost,
            # and PostgreSQL's indexes on the tasks' text (trigrams; grams for shorter words)
            # serve it.
            lookup = "contains" if term.lower() == term.upper() else "icontains"
            bracketed = term.translate(_BRACKETS)
            condition = (
                Q(**{f"title__{lookup}": term})
                | Q(**{f"notice_title__{lookup}": term})
                | Q(**{f"doc_number__{lookup}": bracketed})
                | Q(**{f"office__name__{lookup}": term})
                | plan_tasks_match(term, lookup=lookup, vendor=vendor)
            )
            if term.isdigit() and len(term) == 4:
                condition |= Q(plan_year=int(term))
            queryset = queryset.filter(condition)
        return queryset

    def filter_office(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(office__in=office_matches(value).values("pk"))

    def filter_county(self, queryset, name, value):
        if not value.strip():
            return queryset
        # The counties a name means are a handful, read first: given the name test inside,
        # PostgreSQL guessed most counties match and tested every plan (33 ms at 3,400 plans).
        counties = list(county_matches(value).values_list("pk", flat=True))
        named = PlanCounty.objects.filter(plan=OuterRef("pk"), county_id__in=counties)
        return queryset.filter(Exists(named))


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
