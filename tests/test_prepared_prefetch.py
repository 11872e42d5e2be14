"""Prefetches compiled once a process (supervision.prepared.PreparedPrefetch): the objects end
up cached where Django's own prefetch caches them, read in one query a relation."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from organisation.models import County
from plans.models import ScheduleEntry, Task
from supervision.prepared import PreparedPrefetch, prefetched
from tests.factories import CountyFactory, RegionFactory, ScheduleEntryFactory, TaskFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db

LINES = PreparedPrefetch("schedule_entries", ScheduleEntry.objects.order_by("-position"))
LINES_LISTED = PreparedPrefetch("schedule_entries", ScheduleEntry.objects.order_by("position"), to_attr="lines")
COUNTIES = PreparedPrefetch("counties", County.objects.select_related("city").order_by("name"))
TASKS_OF_COUNTY = PreparedPrefetch("tasks", Task.objects.order_by("number"))
CITY = PreparedPrefetch("city")
PLAN_TASKS = PreparedPrefetch("plan__tasks", Task.objects.order_by("number"), then=[LINES])


@pytest.fixture
def tasks():
    plan = WorkPlanFactory()
    city, other = RegionFactory(name="甲市"), RegionFactory(name="乙市")
    east, west, north = (
        CountyFactory(city=city, name="东区"),
        CountyFactory(city=city, name="西区"),
        CountyFactory(city=other, name="北区"),
    )
    first = TaskFactory(plan=plan, number=1, counties=[west, east])
    second = TaskFactory(plan=plan, number=2, counties=[north])
    third = TaskFactory(plan=plan, number=3)
    for position, task in enumerate([first, first, second, first], start=1):
        ScheduleEntryFactory(plan=plan, task=task, position=position)
    return [first, second, third]


def _fresh(tasks):
    return list(Task.objects.filter(pk__in=[task.pk for task in tasks]).select_related("plan").order_by("number"))


def _seen(tasks, name):
    return [[obj.pk for obj in getattr(task, name).all()] for task in tasks]


@pytest.mark.parametrize(
    ("prepared", "django", "name"),
    [
        (LINES, Prefetch("schedule_entries", ScheduleEntry.objects.order_by("-position")), "schedule_entries"),
        (COUNTIES, Prefetch("counties", County.objects.select_related("city").order_by("name")), "counties"),
    ],
    ids=["reverse foreign key", "many-to-many"],
)
def test_each_parent_gets_what_djangos_prefetch_gives_it_in_one_query(tasks, prepared, django, name):
    theirs = _fresh(tasks)
    prefetch_related_objects(theirs, django)
    ours = _fresh(tasks)

    with CaptureQueriesContext(connection) as queries:
        prefetched(ours, prepared)
        seen = _seen(ours, name)

    assert len(queries) == 1
    assert seen == _seen(theirs, name)
    assert seen[2] == []  # the third task has neither lines nor counties


def test_the_rows_know_their_parent_and_their_select_related(tasks, django_assert_num_queries):
    ours = prefetched(_fresh(tasks), LINES, COUNTIES)

    with django_assert_num_queries(0):
        assert {line.task for task in ours for line in task.schedule_entries.all()} == set(ours[:2])
        assert [county.city.name for county in ours[0].counties.all()] == ["甲市", "甲市"]


def test_the_reverse_side_of_a_many_to_many(tasks):
    counties = list(County.objects.filter(tasks__in=tasks).distinct().order_by("name"))

    prefetched(counties, TASKS_OF_COUNTY)

    assert {county.name: [task.number for task in county.tasks.all()] for county in counties} == {
        "东区": [1],
        "西区": [1],
        "北区": [2],
    }


def test_to_attr_gives_a_list(tasks):
    ours = prefetched(_fresh(tasks), LINES_LISTED)

    assert [[line.position for line in task.lines] for task in ours] == [[1, 2, 4], [3], []]
    assert not hasattr(ours[0], "_prefetched_objects_cache") or "schedule_entries" not in (
        ours[0]._prefetched_objects_cache
    )


def test_a_prefetched_relation_filtered_further_still_filters_by_its_parent(tasks):
    """As Django keeps it: a queryset of the parent's rows, not of every row of the table."""
    ours = prefetched(_fresh(tasks), LINES)

    assert [line.position for line in ours[1].schedule_entries.filter(position__gte=1)] == [3]


def test_a_forward_foreign_key(django_assert_num_queries):
    city = RegionFactory(name="丙市")
    counties = [CountyFactory(city=city), CountyFactory(city=city), CountyFactory(city=RegionFactory())]
    ours = list(County.objects.filter(pk__in=[c.pk for c in counties]).order_by("pk"))

    with django_assert_num_queries(1):
        prefetched(ours, CITY)
    with django_assert_num_queries(0):
        assert [county.city.name for county in ours][:2] == ["丙市", "丙市"]
        assert ours[0].city is ours[1].city


def test_through_a_foreign_key_and_then_the_rows_own_prefetch(tasks, django_assert_num_queries):
    """`plan__tasks` on the tasks: their plan's tasks, each with its lines (`then`)."""
    ours = _fresh(tasks)[:1]

    with django_assert_num_queries(2):
        prefetched(ours, PLAN_TASKS)
    with django_assert_num_queries(0):
        plan_tasks = list(ours[0].plan.tasks.all())
        assert [task.number for task in plan_tasks] == [1, 2, 3]
        assert [[line.position for line in task.schedule_entries.all()] for task in plan_tasks] == [[4, 2, 1], [3], []]


def test_a_plain_lookup_beside_goes_to_djangos_prefetch(tasks, django_assert_num_queries):
    ours, north = _fresh(tasks), County.objects.get(name="北区")
    with django_assert_num_queries(2):
        prefetched(ours, LINES, "counties")
    with django_assert_num_queries(0):
        assert _seen(ours, "counties")[1] == [north.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_after_the_first_read_nothing_is_compiled(tasks, settings):
    settings.PREPARED_QUERIES_VERIFY = False
    lines = PreparedPrefetch("schedule_entries", ScheduleEntry.objects.order_by("position"))
    prefetched(_fresh(tasks), lines)

    from django.db.models.sql import compiler

    compiled = []
    original = compiler.SQLCompiler.as_sql
    compiler.SQLCompiler.as_sql = lambda self, *args, **kwargs: compiled.append(self) or original(self, *args, **kwargs)
    try:
        ours = prefetched(_fresh(tasks), lines)
    finally:
        compiler.SQLCompiler.as_sql = original

    assert len(compiled) == 1  # the tasks' own read, not the lines'
    assert [[line.position for line in task.schedule_entries.all()] for task in ours] == [[1, 2, 4], [3], []]


def test_what_it_cannot_read_is_refused_when_declared_or_first_used(tasks):
    with pytest.raises(ImproperlyConfigured, match="then="):
        PreparedPrefetch("schedule_entries", ScheduleEntry.objects.prefetch_related("counties"))
    with pytest.raises(ImproperlyConfigured, match="not a relation"):
        prefetched(_fresh(tasks), PreparedPrefetch("title"))
