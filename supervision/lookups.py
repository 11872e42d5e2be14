"""Lookups the ORM lacks."""

from collections.abc import Collection

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.lookups import Contains, IContains, In, PatternLookup

# A longer list of ids goes into the statement as an array literal, not as a parameter: a
# statement prepared on the connection may be run with a generic plan, which PostgreSQL makes
# supposing an array parameter holds ten elements. A year's ~290 plans in the county list's
# counts, so supposed, took 155 ms of the database's time instead of 12.
ARRAY_LITERAL_FROM = 11
_INTEGER_TYPES = ("smallint", "integer", "bigint")


def array_literal(values: list[int]) -> str:
    """The ids as the text of an array literal, `{1,2,3}`. int(): only digits (and a sign)
    reach the statement."""
    return "{" + ",".join(str(int(value)) for value in values) + "}"


def _array_sql(values: list, db_type: str, *, one=None) -> tuple[str, list]:
    if len(values) == 1:
        # One value as a plain `=`: a generic plan supposes an array parameter holds ten
        # values, so a statement read with one id (a page's own county, an assignment's
        # reports) was planned anew on every run, never with the plan made once.
        cast = f"::{db_type}" if db_type in _INTEGER_TYPES else ""  # a str as the ORM compares it
        return f"= %s{cast}", [values[0] if one is None else one]
    if len(values) >= ARRAY_LITERAL_FROM and db_type in _INTEGER_TYPES:
        return f"= ANY('{array_literal(values)}'::{db_type}[])", []
    return f"= ANY(%s::{db_type}[])", [values]


class InArray(In):
    """`In(F("plan_id"), ids)` for a long list of ids: on PostgreSQL one array
    (`plan_id = ANY(%s::bigint[])`, which the database reads as it reads an IN list; one id as
    `plan_id = %s::bigint`; an array literal from ARRAY_LITERAL_FROM ids), elsewhere an IN
    list. Each id of an IN list is a parameter of its own, quoted one by one into the statement
    by the driver: 300 ids five times in a query took 7 ms of CPU, the array 0.8 ms. Used as an
    expression:
    `queryset.filter(InArray(F("plan_id"), ids))`."""

    def as_postgresql(self, compiler, connection):
        values = [value for value in self.rhs if value is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        # The array is cast to the column's type: an int needs none of the sized wrappers
        # (psycopg's Int8) the ORM puts an integer column's value in; one value keeps its own.
        prepared = [field.get_db_prep_value(value, connection) for value in values]
        values = [int(value) if isinstance(value, int) else value for value in prepared]
        sql, params = _array_sql(values, field.db_type(connection), one=prepared[0])
        return f"{lhs} {sql}", (*lhs_params, *params)


def in_array_sql(values: Collection[int], *, db_type: str = "bigint") -> tuple[str, list]:
    """For raw SQL, what InArray writes after its column: `= ANY(%s::bigint[])` and the list as
    one parameter (one value as `= %s::bigint`, a long list as an array literal) on PostgreSQL,
    `IN (%s, …)` with a parameter a value elsewhere. `values` must not be empty."""
    if connection.vendor == "postgresql":
        return _array_sql(list(values), db_type)
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


class InSubqueryArray(In):
    """`In(F("task_id"), subquery)` whose subquery returns a few rows of a large table: on
    PostgreSQL `task_id = ANY(ARRAY(subquery))`, the subquery read once into an array that an
    index on the column then serves; elsewhere an IN subquery. As a join or an IN subquery,
    PostgreSQL's default costs read the whole table and hashed it against the subquery's rows
    (4,700 inspection task links for a plan's 32 tasks: 0.64 ms against 0.11)."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def like_pattern(value: str) -> str:
    """The LIKE pattern of `contains`: `value` anywhere, its % _ and \\ taken literally (as
    both backends' prep_for_like_query escape them)."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _PatternGiven:
    # The pattern is the parameter as given: the ORM's `contains` makes it from the value on
    # its way into the SQL, which a prepared read (supervision.prepared) cannot bind later.
    def process_rhs(self, qn, connection):
        return super(PatternLookup, self).process_rhs(qn, connection)


class HoldsPattern(_PatternGiven, Contains):
    """`contains` of a `like_pattern` made already: `HoldsPattern(F("name"), like_pattern(x))`
    writes the SQL of `name__contains=x` with the same parameter."""


class IHoldsPattern(_PatternGiven, IContains):
    """`icontains` of a `like_pattern` made already (as HoldsPattern)."""
