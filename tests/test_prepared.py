"""Hot reads compiled once a process (supervision.prepared): the same objects as the ORM's,
no building or compiling after the first call of a shape, and a loud refusal of what cannot be
bound later."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, F, Max, Min, Value, Window
from django.db.models.functions import Concat, TruncDate

from organisation.models import County
from plans.models import WorkPlan
from supervision.lookups import InArray
from supervision.prepared import Prepared
from tests.factories import CountyFactory, RegionFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")


class Counted:
    """A build function that counts its calls."""

    def __init__(self, build):
        self.build = build
        self.calls = 0
        self.__qualname__ = build.__qualname__

    def __call__(self, **values):
        self.calls += 1
        return self.build(**values)


def _counties(*, ids, city_name, first):
    queryset = (
        County.objects.filter(InArray(F("pk"), ids), city__name=city_name)
        .select_related("city")
        .defer("code")
        .annotate(label=Concat("name", Value("·")), in_all=Window(Count("pk")))
        .order_by("name", "pk")
    )
    return queryset[:1] if first else queryset


@pytest.fixture
def counties():
    city = RegionFactory(name="甲市")
    other = RegionFactory(name="乙市")
    return [CountyFactory(city=city, name=f"区{n}") for n in range(3)] + [CountyFactory(city=other, name="区9")]


def _as_seen(objects):
    return [(obj.pk, obj.name, obj.city.name, obj.label, obj.in_all, obj.get_deferred_fields()) for obj in objects]


def test_a_prepared_read_gives_the_objects_the_orm_gives(counties):
    read = Prepared(_counties)
    ids = [county.pk for county in counties]

    for values in (dict(ids=ids, city_name="甲市", first=False), dict(ids=ids[1:], city_name="乙市", first=False)):
        assert _as_seen(read(**values)) == _as_seen(_counties(**values))
    assert _as_seen(read(ids=ids, city_name="甲市", first=True)) == _as_seen(
        _counties(ids=ids, city_name="甲市", first=True)
    )


def test_datetimes_and_lists_come_back_converted():
    plan = WorkPlanFactory()
    read = Prepared(lambda *, ids: WorkPlan.objects.filter(InArray(F("pk"), ids)))

    [got] = read(ids=[plan.pk])

    expected = WorkPlan.objects.get(pk=plan.pk)
    assert got.created_at == expected.created_at and got.created_at.tzinfo is not None
    assert [(f.attname, getattr(got, f.attname)) for f in WorkPlan._meta.concrete_fields] == [
        (f.attname, getattr(expected, f.attname)) for f in WorkPlan._meta.concrete_fields
    ]


@on_postgres
def test_after_the_first_call_of_a_shape_nothing_is_built(counties, settings):
    settings.PREPARED_QUERIES_VERIFY = False
    build = Counted(_counties)
    read = Prepared(build)
    ids = [county.pk for county in counties]

    read(ids=ids, city_name="甲市", first=False)
    assert build.calls == 2  # the two rounds of markers
    read(ids=ids[:2], city_name="乙市", first=False)
    assert build.calls == 2
    read(ids=ids, city_name="甲市", first=True)  # another shape
    assert build.calls == 4


@on_postgres
def test_a_list_of_one_is_a_shape_of_its_own_read_with_a_plain_equal(counties, settings, django_assert_num_queries):
    """InArray writes one value as `= %s`: an array parameter is supposed ten values long by a
    generic plan, and a statement read with one id was planned anew on every run."""
    settings.PREPARED_QUERIES_VERIFY = True
    build = Counted(_counties)
    read = Prepared(build)
    ids = [county.pk for county in counties]

    for county in counties[:3]:
        with django_assert_num_queries(1) as queries:
            assert [c.name for c in read(ids=[county.pk], city_name="甲市", first=False)] == [county.name]
        assert f'"organisation_county"."id" = {county.pk}::bigint' in queries[0]["sql"]
    assert read(ids=[counties[3].pk], city_name="甲市", first=False) == []
    assert [c.name for c in read(ids=ids[1:], city_name="甲市", first=False)] == ["区1", "区2"]
    settings.PREPARED_QUERIES_VERIFY = False
    before = build.calls
    read(ids=[counties[1].pk], city_name="甲市", first=False)
    read(ids=ids[:2], city_name="甲市", first=False)
    assert build.calls == before


@on_postgres
def test_a_prepared_read_is_one_query(counties, django_assert_num_queries):
    read = Prepared(_counties)
    read(ids=[counties[0].pk], city_name="甲市", first=False)

    with django_assert_num_queries(1):
        assert [county.name for county in read(ids=[c.pk for c in counties], city_name="甲市", first=False)] == [
            "区0",
            "区1",
            "区2",
        ]


@on_postgres
def test_a_long_list_of_ids_is_written_into_the_kept_sql(counties, settings, django_assert_num_queries):
    """InArray writes a long list into the SQL as an array literal (planned knowing its length):
    the kept SQL has its place, filled at each call, whatever the list's length."""
    settings.PREPARED_QUERIES_VERIFY = False
    build = Counted(_counties)
    read = Prepared(build)
    ids = [county.pk for county in counties]
    padding = list(range(10**9, 10**9 + 20))

    assert [c.name for c in read(ids=ids + padding, city_name="甲市", first=False)] == ["区0", "区1", "区2"]
    assert build.calls == 2
    with django_assert_num_queries(1) as queries:
        assert [c.name for c in read(ids=ids[1:] + padding[:15], city_name="甲市", first=False)] == ["区1", "区2"]
    assert build.calls == 2
    literal = ",".join(map(str, ids[1:] + padding[:15]))
    assert f"'{{{literal}}}'::bigint[]" in queries[0]["sql"]
    # A short list is a shape of its own: one array parameter.
    assert [c.name for c in read(ids=ids[:1], city_name="甲市", first=False)] == ["区0"]
    assert build.calls == 4


def test_a_long_list_reads_what_the_orm_reads_verified(counties, settings):
    settings.PREPARED_QUERIES_VERIFY = True
    read = Prepared(_counties)
    ids = [county.pk for county in counties] + list(range(10**9, 10**9 + 20))

    for first in (False, True):
        assert _as_seen(read(ids=ids, city_name="甲市", first=first)) == _as_seen(
            _counties(ids=ids, city_name="甲市", first=first)
        )


def test_a_long_list_of_strs_is_read_the_orms_way(counties, settings):
    """Only ids are written into the SQL: a long list of names stays one parameter, read as
    the ORM reads it."""
    settings.PREPARED_QUERIES_VERIFY = False
    build = Counted(lambda *, names: County.objects.filter(InArray(F("name"), names)).order_by("name"))
    names = ["区0", "区2"] + [f"无{n}" for n in range(20)]

    assert [c.name for c in Prepared(build)(names=names)] == ["区0", "区2"]
    assert build.calls == 1


def test_an_empty_list_reads_nothing(counties):
    assert Prepared(_counties)(ids=[], city_name="甲市", first=False) == []


def _counties_of(*, ids, city_ids):
    """Counties by id, or of the cities (either list may be empty)."""
    return County.objects.filter(InArray(F("pk"), ids) | InArray(F("city_id"), city_ids)).order_by("pk")


def test_an_empty_list_is_a_shape_of_its_own(counties):
    read = Prepared(_counties_of)
    first, last = counties[0], counties[-1]

    assert read(ids=[first.pk], city_ids=[]) == [first]
    assert read(ids=[], city_ids=[last.city_id]) == [last]
    assert read(ids=[first.pk], city_ids=[last.city_id]) == [first, last]
    assert read(ids=[], city_ids=[]) == []


def _counted_by_city(*, ids, since):
    """Counties counted by city, with the first and last name: rows, as a dashboard counts."""
    return (
        County.objects.filter(InArray(F("pk"), ids), pk__gte=since)
        .values_list("city__name")
        .annotate(n=Count("pk"), first=Min("name"), last=Max("name"))
        .order_by("city__name")
    )


def test_rows_come_back_as_the_orms_values_and_values_list(counties, settings):
    settings.PREPARED_QUERIES_VERIFY = False
    ids = [county.pk for county in counties]
    counted = Prepared(_counted_by_city)
    as_dicts = Prepared(lambda *, ids, since: _counted_by_city(ids=ids, since=since).values("city__name", "n"))
    names = Prepared(
        lambda *, ids: County.objects.filter(InArray(F("pk"), ids)).order_by("-pk").values_list("name", flat=True)
    )

    for _twice in range(2):
        assert counted(ids=ids, since=0) == [("乙市", 1, "区9", "区9"), ("甲市", 3, "区0", "区2")]
        assert counted(ids=ids, since=0) == list(_counted_by_city(ids=ids, since=0))
        assert counted(ids=ids[1:], since=ids[2]) == [("乙市", 1, "区9", "区9"), ("甲市", 1, "区2", "区2")]
        assert as_dicts(ids=ids, since=0) == [{"city__name": "乙市", "n": 1}, {"city__name": "甲市", "n": 3}]
        assert names(ids=ids[:2]) == ["区1", "区0"]


def test_dates_in_rows_are_converted():
    plan = WorkPlanFactory()
    read = Prepared(
        lambda *, ids: (
            WorkPlan.objects.filter(InArray(F("pk"), ids))
            .values_list("pk")
            .annotate(day=TruncDate("created_at"), first=Min("created_at"))
            .order_by()
        )
    )
    expected = list(
        WorkPlan.objects.filter(pk=plan.pk)
        .values_list("pk")
        .annotate(day=TruncDate("created_at"), first=Min("created_at"))
        .order_by()
    )

    for _twice in range(2):
        [row] = read(ids=[plan.pk])
        assert row == expected[0] and isinstance(row[1], datetime.date) and row[2].tzinfo is not None


@on_postgres
def test_a_value_the_orm_transforms_is_refused(counties):
    read = Prepared(lambda *, text: County.objects.filter(name__contains=text))

    with pytest.raises(ImproperlyConfigured, match="transformed"):
        read(text="区")


@on_postgres
def test_a_value_that_shapes_the_sql_is_refused(counties):
    read = Prepared(lambda *, n: County.objects.order_by("pk")[:n])

    with pytest.raises(ImproperlyConfigured, match="shape"):
        read(n=2)


@on_postgres
def test_prefetching_inside_the_queryset_is_refused(counties):
    read = Prepared(lambda *, ids: County.objects.filter(InArray(F("pk"), ids)).prefetch_related("offices"))

    with pytest.raises(ImproperlyConfigured, match="prefetch"):
        read(ids=[counties[0].pk])


@on_postgres
def test_verification_catches_a_build_that_reads_what_it_is_not_given(counties):
    """A value read from elsewhere is frozen into the first call's SQL: the tests' verification
    finds the difference on the next call."""
    wanted = {"city": "甲市"}
    read = Prepared(lambda *, ids: County.objects.filter(InArray(F("pk"), ids), city__name=wanted["city"]))
    ids = [county.pk for county in counties]
    read(ids=ids)

    wanted["city"] = "乙市"
    with pytest.raises(AssertionError, match="differs"):
        read(ids=ids)
