"""Authentication without Django's model permissions.

Who may do what is plans.permissions' business (rules); the admin lets in superusers only,
who pass every check. Django's per-user and per-group permissions would only add two queries
to every negative check, and a second, unused, way to grant rights.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router


class AuthenticationBackend(ModelBackend):
    def get_user(self, user_id):
        """The request's signed-in user (every request asks): one statement and the row made a
        model instance as the ORM makes it, without compiling a query or resolving a raw
        query's columns, which cost more than reading the row (README, Performance:
        Throughput). An inactive user is not signed in, as Django has it."""
        model = get_user_model()
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(model)
        sql, names, converters = _user_read(model, alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, column, converter in converters:
            values[index] = converter(values[index], column, connection)
        user = model.from_db(alias, names, values)
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False


@functools.cache
def _user_read(model, alias: str):
    """The statement reading a user's row by primary key (every concrete field, in the
    model's order), the fields' attnames, and the converters the ORM applies to those columns
    on this database (SQLite hands booleans and datetimes over as numbers and text)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(model._meta.db_table)}"
        f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
            converters.append((index, column, converter))
    return sql, [field.attname for field in fields], converters
