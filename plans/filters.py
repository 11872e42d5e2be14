"""Filters for the plan and county lists (django-filter)."""
import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from plans.models import County, CountyAlias, Office, ScheduleEntry, Task, WorkPlan

TaskCounty = Task.counties.through
ScheduleEntryCounty = ScheduleEntry.counties.through


def plans_naming_county(county) -> Q:
    """Plans with a task or a schedule entry naming `county` (a County or its pk).

    Exists subqueries, not joins: a plan naming the county ten times is still one row.
    """
    return Q(
        Exists(TaskCounty.objects.filter(task__plan=OuterRef("pk"), county=county))
    ) | Q(
        Exists(
            ScheduleEntryCounty.objects.filter(scheduleentry__plan=OuterRef("pk"), county=county)
        )
    )


def counties_named_by(plans: QuerySet[WorkPlan]) -> Q:
    """Counties that a task or schedule entry of one of `plans` names."""
    plan_ids = plans.order_by().values("pk")
    return Q(
        Exists(TaskCounty.objects.filter(county=OuterRef("pk"), task__plan__in=plan_ids))
    ) | Q(
        Exists(
            ScheduleEntryCounty.objects.filter(
                county=OuterRef("pk"), scheduleentry__plan__in=plan_ids
            )
        )
    )


class CountyChoiceField(forms.ModelChoiceField):
    # Names repeat across cities (鼓楼区 is in five of them), so say which city.
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.city.name}）"


class CountyChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CountyChoiceField


class WorkPlanFilter(django_filters.FilterSet):
    """Filters of the plan list; choices come from the plans the filter is given."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    office = django_filters.ModelChoiceFilter(
        label=_("Office"), queryset=Office.objects.none(), empty_label=_("All offices")
    )
    plan_year = django_filters.ChoiceFilter(
        label=_("Year"), choices=(), empty_label=_("All years")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=WorkPlan.Status.choices, empty_label=_("All statuses")
    )
    county = CountyChoiceFilter(
        label=_("County"),
        queryset=County.objects.none(),
        method="filter_county",
        empty_label=_("All counties"),
    )

    class Meta:
        model = WorkPlan
        fields = ["q", "office", "plan_year", "status", "county"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        plans = self.queryset
        self.filters["office"].queryset = Office.objects.filter(
            pk__in=plans.order_by().values("office")
        )
        self.filters["county"].queryset = County.objects.filter(
            counties_named_by(plans)
        ).select_related("city")
        # A callable, so the years are read when the form is, not on every construction.
        self.filters["plan_year"].extra["choices"] = lambda: [
            (str(year), year)
            for year in plans.order_by("-plan_year").values_list("plan_year", flat=True).distinct()
        ]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        task_matches = Task.objects.filter(plan=OuterRef("pk")).filter(
            Q(title__icontains=value) | Q(text__icontains=value)
        )
        return queryset.filter(
            Q(title__icontains=value)
            | Q(notice_title__icontains=value)
            | Q(doc_number__icontains=value)
            | Q(Exists(task_matches))
        )

    def filter_county(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(plans_naming_county(value))


class CountyFilter(django_filters.FilterSet):
    """Search box of the county list: the name, or an alias a notice uses."""

    q = django_filters.CharFilter(label=_("County name"), method="filter_name")

    class Meta:
        model = County
        fields = ["q"]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        aliases = CountyAlias.objects.filter(county=OuterRef("pk"), name__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(Exists(aliases)))
