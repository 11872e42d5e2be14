"""Long lists read a page at a time, for a Paginator. A page's rows come with what the page
shows of each (counts of related rows, above all) computed for those rows only, and with the
number of rows in all (a window count), so that the list's filters — a text search above all —
are evaluated once, not once for a COUNT and again for the page.

The first page is one query. A later page is two: the page's ids (with the number in all),
then those rows with their counts. Counted in the query that skips the rows before the page,
the counts are computed for every row skipped too (PostgreSQL evaluates them below the
OFFSET: the last page of the county list took 650 ms for 50 rows).

When the number in all is known before the page is read (the caller counted), a page past the
middle is read from the other end: in the reverse order, skipping the rows after it, and turned
back. The last page then sorts no more rows than the first (a LIMIT of 25 rows, not of all of
them: the plan list's last page sorted every plan).

With a cap (a text search, which can match nearly every row), the ids of the first cap + 1
rows in the list's order are read at once, and each page's rows among them: the filters are
evaluated once whatever the page, and the rows are sorted only as far as the cap. A window count
sorted every match, and at twenty years of plans PostgreSQL walked the year index with a nested
loop to each plan's office for it (50,100 buffers against 23,700 for this query, which takes the
hash join at ten and twenty years alike). Past the cap, `capped` is set, the count says the cap
and the pages end there (the list says to narrow the search).

A capped list in an order that starts with a year (newest first) is read a span of years at a
time when the number of rows of each year is known (`walk`: {year: rows} before the filters, and
the list's rows of some years): first the newest years that hold the cap, then as many older
years as the rows found so far say hold the rest. A frequent word fills the cap from the last
years alone, however many years of plans lie behind them."""

from collections.abc import Callable

from django.db.models import Count, QuerySet, Window
from django.db.models.sql.where import WhereNode

# Beyond it, a page number is past any end: read nothing, count apart, and never hand the
# database an OFFSET it cannot hold.
_LAST_OFFSET = 2**31


class Pages:
    """`queryset` (ordered) for a Paginator showing page `page` of `per_page`; `annotated`
    adds what each row shows to a queryset of the rows."""

    def __init__(
        self,
        queryset: QuerySet,
        *,
        per_page: int,
        page=None,
        annotated: Callable[[QuerySet], QuerySet] = lambda rows: rows,
        count: int | None = None,
        cap: int | None = None,
        walk: tuple[dict[int, int], Callable[[list[int]], QuerySet]] | None = None,
        first_page: Callable[[], list] | None = None,
    ):
        self.queryset = queryset
        self.per_page = per_page
        self.annotated = annotated
        try:
            number = max(1, int(page))
        except (TypeError, ValueError):
            number = 1
        self._start = min((number - 1) * per_page, _LAST_OFFSET)
        self._read: tuple[int, list] | None = None  # (offset, rows or ids) read with the count
        # Known (the caller counted already): the window count is not asked for.
        self._total: int | None = count
        self._known = count is not None
        # Read up to the cap, not counted with a window, when the number in all is not known.
        self._cap = None if self._known else cap
        self.capped = False
        self._capped_ids: list | None = None  # the ids of the rows up to the cap, in order
        self._walk = walk
        # The first page's rows, annotated (and with `total_found` unless `count` is given),
        # read the caller's way (a prepared read, supervision.prepared): what _first_page
        # would read.
        self._read_first = first_page
        # Read backwards, the order must put every row in one place: it ends with the key.
        self._reversible = bool(queryset.query.order_by) and queryset.query.order_by[-1] in ("pk", "-pk", "id", "-id")

    def _unfiltered(self) -> QuerySet:
        """The queryset's rows as it reads them (joins, fields), without its filters."""
        rows = self.queryset.all()
        rows.query.where = WhereNode()
        return rows

    def _first_page(self) -> list:
        if self._read_first is not None and self._cap is None:
            rows = self._read_first()
            if not self._known:
                self._total = rows[0].total_found if rows else 0
            self._read = (0, rows)
            return rows
        rows = self.annotated(self.queryset)
        if not self._known:
            rows = rows.annotate(total_found=Window(Count("pk")))
        rows = list(rows[: self.per_page])
        if not self._known:
            self._total = rows[0].total_found if rows else 0
        self._read = (0, rows)
        return rows

    def _ids(self, start: int, stop: int | None) -> list:
        if self._known and stop is not None and self._reversible and max(0, self._total - stop) < start:
            # Past the middle: the rows after the page are fewer than those before it.
            after = max(0, self._total - stop)
            tail = self.queryset.reverse().values_list("pk", flat=True)[after : max(after, self._total - start)]
            ids = list(tail)[::-1]
            self._read = (start, ids)
            return ids
        if self._known:
            found = [(pk, self._total) for pk in self.queryset.values_list("pk", flat=True)[start:stop]]
        else:
            found = list(
                self.queryset.annotate(total_found=Window(Count("pk"))).values_list("pk", "total_found")[start:stop]
            )
        if found:
            self._total = found[0][1]
        ids = [pk for pk, _total in found]
        self._read = (start, ids)
        return ids

    def _read_to_cap(self) -> None:
        if self._walk is None:
            ids = list(self.queryset.values_list("pk", flat=True)[: self._cap + 1])
        else:
            ids = self._walked(self._cap + 1)
        self.capped = len(ids) > self._cap
        self._capped_ids = ids[: self._cap]
        self._total, self._known = len(self._capped_ids), True

    def _walked(self, wanted: int) -> list:
        """The ids of the first `wanted` rows, read a span of years at a time."""
        counts, rows_of = self._walk
        years = sorted(counts, reverse=True)
        ids: list = []
        looked = 0  # rows of the years read so far
        at = 0
        while at < len(years) and len(ids) < wanted:
            still = wanted - len(ids)
            # Rows to look through: the rest at the rate found so far (with room), or the cap.
            if not looked:
                span = still
            elif ids:
                span = still * looked * 5 // (4 * len(ids))
            else:
                span = None
            span_years: list[int] = []
            rows = 0
            while at < len(years) and (span is None or rows < span):
                span_years.append(years[at])
                rows += counts[years[at]]
                at += 1
            ids += rows_of(span_years).values_list("pk", flat=True)[:still]
            looked += rows
        return ids

    def count(self) -> int:
        if self._total is None and self._cap is not None:
            self._read_to_cap()
        if self._total is None:
            if self._start == 0:
                self._first_page()
            else:
                self._ids(self._start, self._start + self.per_page)
        if self._total is None:
            # The page asked for lies past the end: the window counted nothing.
            self._total = self.queryset.count()
        return self._total

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice):
            raise TypeError("the list is read a page at a time")
        start = min(index.start or 0, _LAST_OFFSET)
        within = index.stop is not None and index.stop - start <= self.per_page
        if self._cap is not None:
            if self._capped_ids is None:
                self._read_to_cap()
            ids = self._capped_ids[start : index.stop]
        elif start == 0 and within:
            rows = self._read[1] if self._read is not None and self._read[0] == 0 else self._first_page()
            return rows[: index.stop]
        elif self._read is not None and self._read[0] == start and within:
            ids = self._read[1][: index.stop - start]
        else:
            ids = self._ids(start, index.stop)
        if not ids:
            return []
        # The capped ids were found by the filters: a search is not evaluated again.
        rows = self._unfiltered() if self._cap is not None else self.queryset
        by_id = {row.pk: row for row in self.annotated(rows.filter(pk__in=ids).order_by())}
        return [by_id[pk] for pk in ids if pk in by_id]
