"""The lists' filters (django-filter), each on a column an index of the model leads with."""

import django_filters as filters

from inspections.models import Inspection, Rectification
from organisation.models import County
from plans.models import ScheduleEntry, Task, WorkPlan
from tracking.models import Assignment, ProgressReport

# Filters on a foreign key compare its id: a ModelChoiceFilter would read the row to validate it
# (a query per request) and tell whether an id exists.


def _id(name: str) -> filters.NumberFilter:
    return filters.NumberFilter(field_name=f"{name}_id")


class PlanFilter(filters.FilterSet):
    office = _id("office")
    year = filters.NumberFilter(field_name="plan_year")

    class Meta:
        model = WorkPlan
        fields = ["status"]


class TaskFilter(filters.FilterSet):
    plan = _id("plan")

    class Meta:
        model = Task
        fields = []


class ScheduleEntryFilter(filters.FilterSet):
    plan = _id("plan")
    task = _id("task")

    class Meta:
        model = ScheduleEntry
        fields = ["start_month"]


class CountyFilter(filters.FilterSet):
    city = _id("city")

    class Meta:
        model = County
        fields = ["code", "kind"]


class ObligationFilter(filters.FilterSet):
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    office = _id("office")
    county = _id("county")
    plan = _id("plan")

    class Meta:
        model = Assignment
        fields = ["year", "kind", "state"]


class ReportFilter(filters.FilterSet):
    obligation = _id("assignment")

    class Meta:
        model = ProgressReport
        fields = ["review"]


class InspectionFilter(filters.FilterSet):
    office = _id("office")

    class Meta:
        model = Inspection
        fields = ["year", "kind", "status"]


class RectificationFilter(filters.FilterSet):
    office = _id("office")
    county = _id("county")

    class Meta:
        model = Rectification
        fields = ["year"]
