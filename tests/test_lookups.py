"""InArray and in_array_sql: an IN list written as one array on PostgreSQL; InSubqueryArray: an
IN subquery read once into an array there."""

import pytest
from django.db import connection
from django.db.models import F

from organisation.models import County
from plans.models import PlanCounty, Task
from supervision.lookups import HoldsPattern, IHoldsPattern, InArray, InSubqueryArray, in_array_sql, like_pattern
from tests.factories import CountyFactory, TaskFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks():
    county = CountyFactory()
    return [TaskFactory(plan=WorkPlanFactory(), counties=[county]) for _ in range(3)]


def test_in_array_finds_what_in_finds(tasks):
    plan_ids = [tasks[0].plan_id, tasks[2].plan_id, tasks[2].plan_id]

    found = PlanCounty.objects.filter(InArray(F("plan_id"), plan_ids))

    assert set(found.values_list("plan_id", flat=True)) == {tasks[0].plan_id, tasks[2].plan_id}


def test_in_array_follows_a_relation(tasks):
    found = Task.objects.filter(InArray(F("plan__pk"), [tasks[1].plan_id]))

    assert list(found) == [tasks[1]]


def test_in_array_of_nothing_finds_nothing_without_a_query(tasks, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(PlanCounty.objects.filter(InArray(F("plan_id"), []))) == []


def test_in_array_sends_one_parameter_on_postgresql(tasks):
    sql, params = PlanCounty.objects.filter(InArray(F("plan_id"), [t.plan_id for t in tasks])).query.sql_with_params()

    if connection.vendor == "postgresql":
        assert "= ANY(%s::bigint[])" in sql
        assert params == ([t.plan_id for t in tasks],)
    else:
        assert len(params) == 3


def test_one_value_is_a_plain_equal_on_postgresql(tasks):
    """A generic plan supposes an array parameter ten values long: a statement read with one
    id would be planned anew on every run. One value is `= %s`, planned once."""
    queryset = PlanCounty.objects.filter(InArray(F("plan_id"), [tasks[1].plan_id]))
    sql, params = queryset.query.sql_with_params()

    assert list(queryset.values_list("plan_id", flat=True)) == [tasks[1].plan_id]
    if connection.vendor == "postgresql":
        assert '"plan_id" = %s::bigint' in sql
        assert params == (tasks[1].plan_id,)
    plans, params = in_array_sql([tasks[1].plan_id])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT plan_id FROM plans_plancounty WHERE plan_id {plans}", params)
        assert cursor.fetchall() == [(tasks[1].plan_id,)]


def test_one_str_is_compared_as_the_orm_compares_it(tasks):
    from plans.models import WorkPlan

    plan = tasks[0].plan
    queryset = WorkPlan.objects.filter(InArray(F("title"), [plan.title]))
    sql, params = queryset.query.sql_with_params()

    assert list(queryset) == [plan]
    assert list(WorkPlan.objects.filter(InArray(F("title"), [plan.title + "x"]))) == []
    if connection.vendor == "postgresql":
        assert '"title" = %s' in sql and "::" not in sql
        assert params == (plan.title,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements prepared on PostgreSQL only")
def test_a_statement_read_with_one_id_is_planned_once(tasks):
    """Run past the connection's prepare threshold, the statement keeps one generic plan."""
    for _ in range(30):
        list(PlanCounty.objects.filter(InArray(F("plan_id"), [tasks[0].plan_id])))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ['%"plans_plancounty"%', '%"plan_id" = $1::bigint%'],
        )
        [(generic, custom)] = cursor.fetchall()
    assert generic > custom


def test_in_array_sql_reads_as_the_lookup(tasks):
    plans, params = in_array_sql([tasks[0].plan_id, tasks[1].plan_id])

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM plans_plancounty WHERE plan_id {plans}", params)
        assert cursor.fetchone()[0] == 2


def test_a_long_list_goes_into_the_statement_as_an_array_literal(tasks):
    """A prepared statement's generic plan supposes an array parameter of ten elements; a
    literal is planned knowing its length."""
    far = list(range(10**9, 10**9 + 20))
    plan_ids = [t.plan_id for t in tasks] + far
    queryset = PlanCounty.objects.filter(InArray(F("plan_id"), plan_ids))
    sql, params = queryset.query.sql_with_params()

    assert set(queryset.values_list("plan_id", flat=True)) == {t.plan_id for t in tasks}
    if connection.vendor == "postgresql":
        assert f"= ANY('{{{','.join(map(str, plan_ids))}}}'::bigint[])" in sql
        assert params == ()
    plans, params = in_array_sql(plan_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM plans_plancounty WHERE plan_id {plans}", params)
        assert cursor.fetchone()[0] == 3


def test_in_subquery_array_finds_what_an_in_subquery_finds(tasks):
    plans = Task.objects.filter(pk__in=[tasks[0].pk, tasks[2].pk]).order_by().values("plan_id")
    queryset = PlanCounty.objects.filter(InSubqueryArray(F("plan_id"), plans))
    sql, _params = queryset.query.sql_with_params()

    assert set(queryset.values_list("plan_id", flat=True)) == {tasks[0].plan_id, tasks[2].plan_id}
    assert list(PlanCounty.objects.filter(InSubqueryArray(F("plan_id"), plans.none()))) == []
    if connection.vendor == "postgresql":
        assert '"plan_id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"plan_id" IN (SELECT' in sql


# --- A LIKE pattern given ------------------------------------------------------------------------


@pytest.mark.parametrize("cased", [False, True], ids=["contains", "icontains"])
@pytest.mark.parametrize("value", ["鼓楼", "Gulou", "50%", "a_b", "back\\slash"])
def test_a_pattern_given_writes_the_sql_of_contains_with_the_same_parameter(value, cased):
    lookup, given = ("icontains", IHoldsPattern) if cased else ("contains", HoldsPattern)

    ours = County.objects.filter(given(F("name"), like_pattern(value))).query.sql_with_params()
    djangos = County.objects.filter(**{f"name__{lookup}": value}).query.sql_with_params()

    assert ours == djangos


def test_a_pattern_given_takes_percent_underscore_and_backslash_literally():
    names = ("测试楼区", "50%达标区", "a_b区", "axb区", "back\\slash区")
    for name in names:
        CountyFactory(name=name)

    def found(value, cased=False):
        given = IHoldsPattern if cased else HoldsPattern
        counties = County.objects.filter(given(F("name"), like_pattern(value)), name__in=names)
        return sorted(counties.values_list("name", flat=True))

    assert found("50%") == ["50%达标区"]
    assert found("a_b") == ["a_b区"]
    assert found("back\\") == ["back\\slash区"]
    assert found("试楼") == ["测试楼区"]
    assert found("A_B", cased=True) == ["a_b区"]
