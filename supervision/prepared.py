"""Hot reads compiled to SQL once a process.

The ORM builds and compiles a queryset on every evaluation: on the county portal and an
assignment's page about a quarter of the request's CPU went to it, for SQL that has the same
shape on every request. `Prepared(build)` declares such a read: `build(**values)` returns the
queryset, of model instances or of rows (`values()`, `values_list()`, as a dashboard counts
with `annotate()`: the building and compiling cost the same there). On PostgreSQL the first call of each shape builds it twice, from two sets of markers
standing for the values, compiles both, and keeps the SQL, which parameter carries which value
and how the ORM turns the rows into objects; later calls bind their values to that SQL (which
psycopg then prepares on the connection) without building or compiling anything. Elsewhere
(SQLite, where a list of ids is an IN list whose length is part of the SQL) the queryset is
built and read as usual.

What `build` may take (keyword arguments):
- an int, a str, a date or a datetime: a parameter of the SQL;
- a list of ints or strs: one parameter (it must reach the SQL as one array, through
  `supervision.lookups.InArray` or `in_array_sql`); an empty list is part of the shape (the ORM
  leaves out what it filters, or reads nothing); a long list of ints, which they write into the
  SQL as an array literal (planned knowing its length), is a shape of its own whose SQL keeps
  the literal's place and gets the list's literal written there at each call (a long list of
  strs is read the ORM's way);
- anything else (a bool, None, a tuple): part of the query's shape, one compiled SQL for each
  value. Whatever else decides the SQL's shape (the registered kinds, the user's role) must come
  in as such a value, never from a global read inside `build`.

A value that the ORM transforms on its way into the SQL (a `LIKE` pattern, an int turned into a
string) cannot be bound later: the first call raises `ImproperlyConfigured`. With
`PREPARED_QUERIES_VERIFY` on (the tests), every call is also built and compiled the ORM's way
and must give the same SQL and parameters.
"""

import copy
import datetime
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
    prefetch_related_objects,
)

from supervision.lookups import ARRAY_LITERAL_FROM, InArray, array_literal

_SLOT_KINDS = (int, str, datetime.date, datetime.datetime)


def _marker(value, number: int, round_: int):
    """A stand-in for `value` that no constant of a query equals, different in each round.
    Small enough for a smallint column (the ORM refuses an int out of a column's range)."""
    if isinstance(value, bool):  # never: bools are shape
        raise TypeError(value)
    if isinstance(value, int):
        return 20011 + 2 * number + round_
    if isinstance(value, str):
        return f"\x1fprepared {number} {round_}\x1f"
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901 + number, 1, 1 + round_, tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.date(1901 + number, 1, 1 + round_)
    if _is_long(value):
        # As many ids as make InArray write a literal, each its own: '{20011,21011,…}'.
        return [_marker(value[0], number, round_) + 1000 * k for k in range(ARRAY_LITERAL_FROM)]
    if isinstance(value, list) and len(value) == 1:
        return [_marker(value[0], number, round_)]  # InArray writes one value as `= %s`
    if isinstance(value, list):
        first = _marker(value[0], number, round_)
        return [first, first + 1000 if isinstance(first, int) else first + "+"]
    raise TypeError(value)


def _is_long(value) -> bool:
    """A list InArray writes into the SQL as an array literal."""
    return (
        isinstance(value, list)
        and len(value) >= ARRAY_LITERAL_FROM
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
    )


def _marker_key(value) -> str:
    """A marker as it reaches the SQL: an int may come wrapped in a type of its column's size
    (psycopg's Int2 for a smallint, with parameters bound by the server); a list of one as
    its value."""
    if isinstance(value, list) and len(value) == 1:
        return _marker_key(value[0])
    if isinstance(value, int) and not isinstance(value, bool):
        return repr(int(value))
    return repr(value)


def _is_slot(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, list):
        return bool(value) and isinstance(value[0], _SLOT_KINDS) and not isinstance(value[0], bool)
    return isinstance(value, _SLOT_KINDS)


def _shape_of(value):
    # An empty list, or one of what no marker stands for (tuples, bools), by its items.
    return tuple(value) if isinstance(value, list) else value


def _kind_of(value) -> type:
    """The kind of a slot's value: part of the key, so that a date and a datetime, or ints and
    strs in a list, do not share markers."""
    if _is_long(value):
        return tuple[int, ...]  # a literal in the SQL, not a parameter
    if isinstance(value, list) and len(value) == 1:
        return (type(value[0]),)  # its one value the parameter
    if isinstance(value, list):
        return list[type(value[0])]
    if isinstance(value, datetime.datetime):
        return datetime.datetime
    return datetime.date if isinstance(value, datetime.date) else type(value)


# What a read may give besides model instances: rows as values(), values_list() and
# values_list(flat=True) give them.
_ROWS = (ValuesIterable, ValuesListIterable, FlatValuesListIterable)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Where long lists' array literals go: the SQL's pieces around them, and the lists' names.
    pieces: tuple[str, ...]
    literals: tuple[str, ...]
    # Per parameter: the name of the value it carries, or None for a constant of the query.
    slots: tuple[str | None, ...]
    constants: tuple
    compiler: object
    converters: dict
    # Model instances: how ModelIterable builds them. Rows: their kind and the values' names.
    rows_as: type = ModelIterable
    names: tuple[str, ...] = ()
    columns: int = 0
    init_list: tuple[str, ...] = ()
    fields: tuple[int, int] = (0, 0)
    annotations: tuple[tuple[str, int], ...] = ()
    populators: tuple = ()

    # Per parameter: the type the ORM wraps its value in (psycopg's Int2 for a smallint
    # column), or None.
    wrappers: tuple = ()

    def sql_of(self, values: dict) -> str:
        if not self.literals:
            return self.sql
        out = [self.pieces[0]]
        for name, piece in zip(self.literals, self.pieces[1:], strict=True):
            out += (array_literal(values[name]), piece)
        return "".join(out)

    def params(self, values: dict) -> tuple:
        return tuple(
            constant if name is None else _bound(values[name], wrapper)
            for name, constant, wrapper in zip(self.slots, self.constants, self.wrappers, strict=True)
        )


def _bound(value, wrapper):
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # written as `= %s` (InArray)
    return value if wrapper is None else wrapper(value)


_NOTHING = object()


class Prepared:
    """A read whose SQL is compiled once a process (see the module's docstring)."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default"):
        self.build = build
        self.using = using
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def compiles(self) -> bool:
        """Whether the read is compiled once here (PostgreSQL); elsewhere it is built each time,
        and a caller with the ORM's queryset in hand already had better read that."""
        return connections[self.using].vendor == "postgresql"

    def __call__(self, **values) -> list:
        connection = connections[self.using]
        if connection.vendor != "postgresql" or any(
            isinstance(value, list) and len(value) >= ARRAY_LITERAL_FROM and not _is_long(value)
            for value in values.values()
        ):
            return list(self.build(**values))
        key = tuple(
            (name, _kind_of(value) if _is_slot(value) else _shape_of(value)) for name, value in sorted(values.items())
        )
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(key, values)
        if compiled is _NOTHING:
            if settings.PREPARED_QUERIES_VERIFY:
                assert list(self.build(**values)) == [], f"{self.build.__qualname__}: the ORM reads rows"
            return []
        sql, params = compiled.sql_of(values), compiled.params(values)
        if settings.PREPARED_QUERIES_VERIFY:
            self._verify(sql, values, params)
        return self._fetch(compiled, sql, params, connection)

    def _compile(self, key: tuple, values: dict) -> _Compiled:
        names = [name for name, value in sorted(values.items()) if _is_slot(value)]
        rounds = []
        for round_ in (0, 1):
            markers = {name: _marker(values[name], number, round_) for number, name in enumerate(names)}
            queryset = self.build(**(values | markers))
            self._check(queryset)
            compiler = queryset.query.get_compiler(using=self.using)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                # An empty list the query cannot do without: no row for this shape.
                self._compiled[key] = _NOTHING
                return _NOTHING
            rounds.append((markers, queryset, compiler, sql, tuple(params)))
        (markers_a, queryset, compiler, sql, params_a), (markers_b, _, _, sql_b, params_b) = rounds
        literal_names = [name for name in names if _is_long(values[name])]
        pieces, literals = _cut(sql, {name: markers_a[name] for name in literal_names})
        pieces_b, literals_b = _cut(sql_b, {name: markers_b[name] for name in literal_names})
        if pieces != pieces_b or literals != literals_b or len(params_a) != len(params_b):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: the SQL's shape depends on a value; pass that value as a bool or a tuple"
            )
        by_marker = {_marker_key(marker): name for name, marker in markers_a.items()}
        slots, constants, wrappers = [], [], []
        for a, b in zip(params_a, params_b, strict=True):
            if a == b:
                slots.append(None)
                constants.append(a)
                wrappers.append(None)
                continue
            name = by_marker.get(_marker_key(a))
            if name is None or _marker_key(markers_b[name]) != _marker_key(b):
                raise ImproperlyConfigured(
                    f"{self.build.__qualname__}: a value reaches the SQL transformed ({a!r}); read it the ORM's way"
                )
            slots.append(name)
            constants.append(None)
            marker = markers_a[name]
            if isinstance(marker, list) and len(marker) == 1 and not isinstance(a, list):
                marker = marker[0]
            wrappers.append(type(a) if type(a) is not type(marker) else None)
        select = compiler.select
        common = {
            "sql": sql,
            "pieces": pieces,
            "literals": literals,
            "slots": tuple(slots),
            "constants": tuple(constants),
            "wrappers": tuple(wrappers),
            "compiler": compiler,
            "converters": compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
        }
        rows_as = queryset._iterable_class
        if rows_as in _ROWS:
            query = queryset.query
            names = query.selected or [*query.extra_select, *query.values_select, *query.annotation_select]
            compiled = _Compiled(**common, rows_as=rows_as, names=tuple(names), columns=compiler.col_count)
        else:
            # How ModelIterable turns rows into objects, worked out once.
            klass_info = compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            compiled = _Compiled(
                **common,
                init_list=tuple(column[0].target.attname for column in select[start:end]),
                fields=(start, end),
                annotations=tuple(compiler.annotation_col_map.items()),
                populators=tuple(get_related_populators(klass_info, select, self.using)),
            )
        self._compiled[key] = compiled
        return compiled

    def _check(self, queryset: QuerySet) -> None:
        if queryset._iterable_class is not ModelIterable and queryset._iterable_class not in _ROWS:
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: only querysets of model instances, values() and values_list() are prepared"
            )
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: prefetch after the read (prefetch_related_objects), not in the queryset"
            )

    def _verify(self, prepared_sql: str, values: dict, params: tuple) -> None:
        sql, orm_params = self.build(**values).query.get_compiler(using=self.using).as_sql()
        if sql != prepared_sql or tuple(orm_params) != params:
            raise AssertionError(
                f"{self.build.__qualname__}: the prepared SQL differs from the ORM's:\n"
                f"{prepared_sql}\n{params!r}\nthe ORM:\n{sql}\n{tuple(orm_params)!r}"
            )

    def _fetch(self, compiled: _Compiled, sql: str, params: tuple, connection) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiled.columns and rows and len(rows[0]) > compiled.columns:
            rows = [row[: compiled.columns] for row in rows]  # what the ORM selects only to order by
        if compiled.converters:
            # The converters take the connection of the thread that reads (the compiler holds
            # the one of the thread that compiled).
            compiler = copy.copy(compiled.compiler)
            compiler.connection = connection
            rows = compiler.apply_converters(rows, compiled.converters)
        if compiled.rows_as is ValuesListIterable:
            return [tuple(row) for row in rows]
        if compiled.rows_as is FlatValuesListIterable:
            return [row[0] for row in rows]
        if compiled.rows_as is ValuesIterable:
            return [dict(zip(compiled.names, row, strict=True)) for row in rows]
        model = compiled.compiler.klass_info["model"]
        start, end = compiled.fields
        objects = []
        for row in rows:
            obj = model.from_db(self.using, compiled.init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def _cut(sql: str, markers: dict[str, list[int]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`sql` cut around the array literals of long lists' `markers`: the pieces between them
    and, for each literal, the name of its list (in the SQL's order)."""
    if not markers:
        return (sql,), ()
    by_literal = {array_literal(marker): name for name, marker in markers.items()}
    cut = re.split("(" + "|".join(re.escape(literal) for literal in by_literal) + ")", sql)
    return tuple(cut[0::2]), tuple(by_literal[literal] for literal in cut[1::2])


# The attribute a many-to-many prefetch's rows carry their parent's id in.
_PARENT = "_prepared_prefetch_parent"


@dataclass(frozen=True)
class _Relation:
    """How a relation of the parents' model is read by their ids and cached on them."""

    child: type  # the related model
    query_name: str  # what the child's rows are filtered by (and, for a many-to-many, annotated with)
    kind: str  # "forward" (a foreign key or one-to-one of the parent), "reverse" (a reverse foreign key), "m2m"
    field: object  # the foreign key (forward: the parent's; reverse: the child's) or the many-to-many field
    cache_name: str  # where Django keeps the prefetched queryset (reverse, m2m)


class PreparedPrefetch:
    """A prefetch whose read is compiled once a process: what `Prefetch(path, queryset,
    to_attr)` does, the related rows read by the parents' ids through a `Prepared` read and
    cached on the objects where Django's prefetch caches them, so that `parent.files.all()` (or
    `to_attr`) gives them without a query. Each page read compiled four prefetches' SQL anew
    every request: a quarter of a 整改 item's CPU.

    The relation (the last name of `path`) may be a foreign key or one-to-one of the parents, a
    reverse foreign key or a many-to-many (either side); the names before it are forward
    foreign keys already read with the objects (select_related). `queryset` may filter, order,
    select_related and only(); what its rows need prefetched in turn is given as `then`
    (PreparedPrefetches of the related model), read after them. Declared once, at module level:
    it keeps its compiled SQL."""

    def __init__(self, path: str, queryset: QuerySet | None = None, *, to_attr: str | None = None, then=()):
        *self.through, self.name = path.split("__")
        if queryset is not None and (queryset._prefetch_related_lookups or queryset.query.is_sliced):
            raise ImproperlyConfigured(f"{path}: give what the rows prefetch as then=, and no slice")
        self.path = path
        self.queryset = queryset
        self.to_attr = to_attr
        self.then = tuple(then)
        self._relations: dict[type, _Relation] = {}
        self._read = Prepared(self._related)

    def __repr__(self) -> str:
        return f"PreparedPrefetch({self.path!r})"

    def _relation(self, model: type) -> _Relation:
        relation = self._relations.get(model)
        if relation is None:
            relation = self._relations[model] = _relation_of(model, self.name)
        return relation

    def _related(self, *, model: type, ids: list) -> QuerySet:
        relation = self._relation(model)
        if self.queryset is not None:
            queryset = self.queryset
        else:  # the managers Django's prefetch reads through
            manager = relation.child._base_manager if relation.kind == "forward" else relation.child._default_manager
            queryset = manager.all()
        if relation.kind == "forward":
            return queryset.filter(InArray(F("pk"), ids))
        queryset = queryset.filter(InArray(F(relation.query_name), ids))
        return queryset.annotate(**{_PARENT: F(relation.query_name)}) if relation.kind == "m2m" else queryset

    def run(self, objects: list) -> None:
        parents = _followed(objects, self.through)
        if not parents:
            return
        model = type(parents[0])
        relation = self._relation(model)
        if relation.kind == "forward":
            attname = relation.field.attname
            ids = sorted({value for parent in parents if (value := getattr(parent, attname)) is not None})
            related = self._read(model=model, ids=ids) if ids else []
            by_pk = {obj.pk: obj for obj in related}
            for parent in parents:
                found = by_pk.get(getattr(parent, attname))
                if self.to_attr:
                    setattr(parent, self.to_attr, found)
                else:
                    relation.field.set_cached_value(parent, found)
        else:
            related = self._read(model=model, ids=sorted({parent.pk for parent in parents}))
            grouped: dict[object, list] = {}
            if relation.kind == "reverse":
                attname = relation.field.attname
                for obj in related:
                    grouped.setdefault(getattr(obj, attname), []).append(obj)
                by_pk = {parent.pk: parent for parent in parents}
                for obj in related:  # as Django's prefetch: each row knows its parent
                    if not relation.field.is_cached(obj):
                        relation.field.set_cached_value(obj, by_pk[getattr(obj, attname)])
            else:
                for obj in related:
                    grouped.setdefault(getattr(obj, _PARENT), []).append(obj)
            for parent in parents:
                found = grouped.get(parent.pk, [])
                if self.to_attr:
                    setattr(parent, self.to_attr, found)
                    continue
                manager = getattr(parent, self.name)
                # As Django's prefetch keeps them: a queryset that filters on if asked to.
                cached = (
                    manager._apply_rel_filters(self.queryset) if self.queryset is not None else manager.get_queryset()
                )
                cached._result_cache = found
                cached._prefetch_done = True
                parent.__dict__.setdefault("_prefetched_objects_cache", {})[relation.cache_name] = cached
        for lookup in self.then:
            lookup.run(related)


def _followed(objects: list, names: list[str]) -> list:
    """The distinct objects reached from `objects` through forward foreign keys `names`."""
    for name in names:
        seen: dict[int, object] = {}
        for obj in objects:
            target = getattr(obj, name)
            if target is not None:
                seen.setdefault(id(target), target)
        objects = list(seen.values())
    return objects


def _relation_of(model: type, name: str) -> _Relation:
    field = model._meta.get_field(name)
    if field.many_to_many:
        if field.auto_created:  # the reverse side of a many-to-many of the child
            child, query_name, cache_name = field.related_model, field.field.name, field.field.related_query_name()
            field = field.field
        else:
            child, query_name, cache_name = field.related_model, field.related_query_name(), field.name
        return _Relation(child, query_name, "m2m", field, cache_name)
    if field.one_to_many:
        if field.field.to_fields and field.field.to_fields[0] not in (None, model._meta.pk.name):
            raise ImproperlyConfigured(f"{model.__name__}.{name}: a foreign key to another field than the key")
        return _Relation(field.related_model, field.field.attname, "reverse", field.field, field.cache_name)
    if field.concrete and (field.many_to_one or field.one_to_one):
        return _Relation(field.related_model, "pk", "forward", field, field.name)
    raise ImproperlyConfigured(f"{model.__name__}.{name}: not a relation PreparedPrefetch reads")


def prefetched(objects: list, *lookups) -> list:
    """`objects` with `lookups` prefetched (for a prepared read's results): a PreparedPrefetch
    by its compiled read, anything else by Django's prefetch_related_objects."""
    if objects and lookups:
        plain = [lookup for lookup in lookups if not isinstance(lookup, PreparedPrefetch)]
        for lookup in lookups:
            if isinstance(lookup, PreparedPrefetch):
                lookup.run(objects)
        if plain:
            prefetch_related_objects(objects, *plain)
    return objects
