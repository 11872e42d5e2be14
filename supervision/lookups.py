"""Lookups the ORM lacks."""

from collections.abc import Collection

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.lookups import In


class InArray(In):
    """`In(F("plan_id"), ids)` for a long list of ids: on PostgreSQL one array parameter
    (`plan_id = ANY(%s::bigint[])`, which the database reads as it reads an IN list), elsewhere
    an IN list. Each id of an IN list is a parameter of its own, quoted one by one into the
    statement by the driver: 300 ids five times in a query took 7 ms of CPU, the array 0.8 ms.
    Used as an expression: `queryset.filter(InArray(F("plan_id"), ids))`."""

    def as_postgresql(self, compiler, connection):
        values = [value for value in self.rhs if value is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection) for value in values]
        return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", (*lhs_params, values)


def in_array_sql(values: Collection[int], *, db_type: str = "bigint") -> tuple[str, list]:
    """For raw SQL, what InArray writes after its column: `= ANY(%s::bigint[])` and the list as
    one parameter on PostgreSQL, `IN (%s, …)` with a parameter a value elsewhere. `values` must
    not be empty."""
    if connection.vendor == "postgresql":
        return f"= ANY(%s::{db_type}[])", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)
