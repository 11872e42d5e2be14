"""Who a write is recorded against in the history tables (django-simple-history).

Within a request the history middleware names the signed-in user; services name their
`acting_user` explicitly, so that a command, a test or the admin is attributed the same way.
Models declare their history with this module's `HistoricalRecords`.
"""

import functools
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history import models as simple_history
from simple_history.manager import HistoryManager


class KeptHistoryManager(HistoryManager):
    """simple_history's manager, its class built once: its descriptor builds a manager class
    (`from_queryset`, which inspects every method of the queryset) each time a model's history
    is read, and every history row written reads it: 0.5-1 ms of CPU a read."""

    from_queryset = classmethod(functools.cache(HistoryManager.from_queryset.__func__))


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple_history's HistoricalRecords with KeptHistoryManager."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("history_manager", KeptHistoryManager)
        super().__init__(*args, **kwargs)


@contextmanager
def acting_as(user):
    """Record history written inside the block against `user` (None: the system)."""
    context = HistoricalRecords.context
    saved = getattr(context, "request", None)
    if user is not None:
        context.request = SimpleNamespace(user=user)
    elif hasattr(context, "request"):
        del context.request
    try:
        yield
    finally:
        if saved is not None:
            context.request = saved
        elif hasattr(context, "request"):
            del context.request


def bulk_create_with_history(objs: list, model, *, acting_user=None, batch_size: int = 500) -> list:
    """Create `objs` in bulk and their history rows ("+"): on PostgreSQL one statement a batch
    writes both, elsewhere an INSERT … SELECT a batch follows the rows' insert.

    What simple_history's bulk_create_with_history writes, without building a historical
    instance per row in Python and sending its values back: the history rows are copied from
    the rows just inserted, in the database. Falls back to simple_history's own where a copy
    would not be the same (ids not returned, a change reason or user set on a row, history
    fields of the model's own).
    """
    from django.conf import settings
    from django.db import connections, router, transaction
    from django.utils import timezone
    from simple_history import utils

    if not objs:
        return []
    Historical = historical_model(model)
    tracked = list(Historical.tracked_fields)
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    copyable = (
        getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        and {f.name for f in Historical._meta.concrete_fields} == own | {f.name for f in tracked}
        and not any(hasattr(obj, "_history_user") or hasattr(obj, "_change_reason") for obj in objs)
    )
    using = router.db_for_write(model)
    connection = connections[using]
    if not copyable or not connection.features.can_return_rows_from_bulk_insert:
        return utils.bulk_create_with_history(objs, model, batch_size=batch_size, default_user=acting_user)
    user = acting_user or Historical.get_default_history_user(objs[0])
    if connection.vendor == "postgresql":
        inserted = _insert_with_history(objs, model, Historical, tracked, connection, user, batch_size)
        if inserted is not None:
            return inserted
    meta, history_meta, quote = model._meta, Historical._meta, connection.ops.quote_name
    columns = [meta.get_field(f.name).column for f in tracked]
    history_columns = [history_meta.get_field(f.name).column for f in tracked]
    extra = [history_meta.get_field(name).column for name in ("history_date", "history_type", "history_user")]
    extra.append(history_meta.get_field("history_change_reason").column)
    with transaction.atomic(using=using, savepoint=False):
        created = model._default_manager.using(using).bulk_create(objs, batch_size=batch_size)
        now = timezone.now()
        pks = [obj.pk for obj in created]
        with connection.cursor() as cursor:
            for at in range(0, len(pks), batch_size):
                batch = pks[at : at + batch_size]
                cursor.execute(
                    f"INSERT INTO {quote(history_meta.db_table)} ({', '.join(map(quote, history_columns + extra))}) "
                    f"SELECT {', '.join(map(quote, columns))}, %s, '+', %s, NULL FROM {quote(meta.db_table)} "
                    f"WHERE {quote(meta.pk.column)} IN ({', '.join(['%s'] * len(batch))}) ORDER BY {quote(meta.pk.column)}",
                    [connection.ops.adapt_datetimefield_value(now), user.pk if user is not None else None, *batch],
                )
    return created


def bulk_update_with_history(objs: list, model, fields: list[str], *, acting_user=None, batch_size: int = 500) -> int:
    """Write `fields` of `objs` to their rows in bulk, with a history row ("~") of each: on
    PostgreSQL one statement a batch writes both, the values sent as one array a field
    (`UPDATE … FROM UNNEST(…)`) and the history copied from the rows the update returns.

    What simple_history's bulk_update_with_history writes, without Django's bulk_update, which
    writes a CASE with a branch per row for each field (building and compiling them took 3 s of
    CPU for an Excel sheet of 10,000 edited lines, and the database tests the branches row by
    row), nor a historical instance built per row. Falls back to simple_history's own where a
    copy would not be the same (a change reason, user or date set on a row, history fields of
    the model's own, a value that is an expression) and on other databases.
    """
    from django.conf import settings
    from django.db import connections, router, transaction
    from django.utils import timezone
    from simple_history import utils

    if not objs:
        return 0
    Historical = historical_model(model)
    tracked = list(Historical.tracked_fields)
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(model)]
    columns = (
        [_updated_column(field, objs, connection) for field in targets]
        if connection.vendor == "postgresql"
        and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        and {f.name for f in Historical._meta.concrete_fields} == own | {f.name for f in tracked}
        and not any(field.primary_key or not field.concrete or field.many_to_many for field in targets)
        and not any(hasattr(obj, name) for obj in objs for name in ("_history_user", "_change_reason", "_history_date"))
        else [None]
    )
    if not fields or any(column is None for column in columns):
        return utils.bulk_update_with_history(objs, model, fields, batch_size=batch_size, default_user=acting_user)
    user = acting_user or Historical.get_default_history_user(objs[0])
    history_meta, quote = Historical._meta, connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    arrays = ", ".join(f"(%s)::{field.db_type(connection).split('(')[0]}[]" for field in [meta.pk, *targets])
    names = ", ".join(quote(f"v{index}") for index in range(len(targets) + 1))
    history_columns = [quote(history_meta.get_field(f.name).column) for f in tracked] + [
        quote(history_meta.get_field(name).column)
        for name in ("history_date", "history_type", "history_user", "history_change_reason")
    ]
    copied = ", ".join(quote(meta.get_field(f.name).column) for f in tracked)
    sql = (
        f"WITH updated AS (UPDATE {table} SET "
        + ", ".join(f"{quote(field.column)} = {quote(f'v{index}')}" for index, field in enumerate(targets, start=1))
        + f" FROM UNNEST({arrays}) AS {quote('given')}({names}) WHERE {table}.{pk} = {quote('given')}.{quote('v0')}"
        + f" RETURNING {table}.*), "
        f"copied AS (INSERT INTO {quote(history_meta.db_table)} ({', '.join(history_columns)}) "
        f"SELECT {copied}, %s, '~', %s, NULL FROM updated ORDER BY {pk}) "
        "SELECT count(*) FROM updated"
    )
    keys = [meta.pk.get_db_prep_value(obj.pk, connection) for obj in objs]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    updated = 0
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        for at in range(0, len(objs), batch_size):
            cursor.execute(
                sql,
                [
                    keys[at : at + batch_size],
                    *(column[at : at + batch_size] for column in columns),
                    now,
                    user.pk if user is not None else None,
                ],
            )
            updated += cursor.fetchone()[0]
    return updated


# simple_history builds a manager class (inspecting the queryset's methods) each time a model's
# history manager is read: ~1 ms a call, six calls a published notice. The model is kept.
_historical_models: dict = {}


def historical_model(model):
    """The historical model of `model` (simple_history's get_history_model_for_model), kept."""
    from simple_history import utils

    found = _historical_models.get(model)
    if found is None:
        found = _historical_models[model] = utils.get_history_model_for_model(model)
    return found


def _insert_with_history(objs, model, Historical, tracked, connection, user, batch_size):
    """PostgreSQL: each batch of rows and its history in one statement, the rows' values sent as
    one array a column (as Django's bulk_create sends them), the history copied from what the
    insert returns. None when a row or a field needs Django's own bulk_create."""
    from django.db import transaction
    from django.utils import timezone

    meta, history_meta, quote = model._meta, Historical._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.generated and not f.primary_key]
    if (
        not meta.pk.db_returning
        or any(obj.pk is not None for obj in objs)
        or any(hasattr(f, "get_placeholder") for f in fields)
        or any(
            (f.target_field if f.is_relation else f).get_internal_type() not in connection.data_types for f in fields
        )
    ):
        return None
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    columns = [_column(f, objs, connection) for f in fields]
    if any(hasattr(value, "as_sql") for column in columns for value in column):
        return None
    arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
    copied = [quote(meta.get_field(f.name).column) for f in tracked]
    history_columns = [quote(history_meta.get_field(f.name).column) for f in tracked] + [
        quote(history_meta.get_field(name).column)
        for name in ("history_date", "history_type", "history_user", "history_change_reason")
    ]
    pk = quote(meta.pk.column)
    sql = (
        f"WITH new AS (INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT * FROM UNNEST({arrays}) RETURNING *), "
        f"copied AS (INSERT INTO {quote(history_meta.db_table)} ({', '.join(history_columns)}) "
        f"SELECT {', '.join(copied)}, %s, '+', %s, NULL FROM new ORDER BY {pk}) "
        # Ids come from the sequence in the order the rows were inserted, which is the arrays'.
        f"SELECT {pk} FROM new ORDER BY {pk}"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        for at in range(0, len(objs), batch_size):
            cursor.execute(
                sql, [*(column[at : at + batch_size] for column in columns), now, user.pk if user is not None else None]
            )
            for obj, (pk_value,) in zip(objs[at : at + batch_size], cursor.fetchall(), strict=True):
                obj.pk = pk_value
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _plain_type(field):
    """The one Python type a field's value is sent to PostgreSQL as, unprepared (an int, a
    str, a bool or a date, which psycopg adapts as they are): Django's own field classes only,
    whose preparation gives such a value back unchanged. None for any other field (a
    timestamp, JSON, a UUID, a field of its own, a date set on save)."""
    import datetime

    from django.db import models

    if field.is_relation:
        field = field.target_field
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    plain = {
        models.AutoField: int,
        models.BigAutoField: int,
        models.SmallAutoField: int,
        models.IntegerField: int,
        models.BigIntegerField: int,
        models.SmallIntegerField: int,
        models.PositiveIntegerField: int,
        models.PositiveBigIntegerField: int,
        models.PositiveSmallIntegerField: int,
        models.CharField: str,
        models.TextField: str,
        models.BooleanField: bool,
        models.DateField: datetime.date,
    }
    return plain.get(type(field))


def _column(field, objs, connection, *, adding: bool = True) -> list:
    """One field's values of `objs`, as Django's bulk_create (`adding`: the field's pre_save
    first) or bulk_update (the attribute as it is) would send them. A value already of its
    field's plain type (_plain_type) is what get_db_prep_save would give back, and is taken as
    it is: a hundred rows of twenty columns a publication, ~2,000 calls saved."""
    plain = _plain_type(field)
    attname = field.attname
    values = []
    for obj in objs:
        value = getattr(obj, attname)
        if plain is None or (value is not None and type(value) is not plain):
            value = field.get_db_prep_save(field.pre_save(obj, True) if adding else value, connection)
            if plain in (int, str) and value is not None:
                # Django sends psycopg's Int2/Int4/Int8, and a choice as its enum: one array
                # takes values of one type.
                value = plain(value)
        values.append(value)
    return values


def _updated_column(field, objs, connection) -> list | None:
    """_column for an update; None when a value is an expression or the field's values would
    not go into one array of its column's type."""
    if _plain_type(field) is None and (field.is_relation or field.get_internal_type() not in connection.data_types):
        return None
    if "[" in field.db_type(connection):  # UNNEST would flatten an array column
        return None
    if any(hasattr(getattr(obj, field.attname), "resolve_expression") for obj in objs):
        return None
    return _column(field, objs, connection, adding=False)
