"""Long lists read a page at a time, for a Paginator, in two queries: the ids of the page with
the number of rows in all (a window count), then those rows with what the page shows of each
(counts of related rows, above all), for the page's rows only.

A list that annotates its counts in its own query pays for them on every row before the page
too (PostgreSQL evaluates them below the OFFSET: the last page of the county list took 650 ms
for 50 rows), and with a separate COUNT query its filters (a text search above all) are
evaluated twice."""
from collections.abc import Callable

from django.db.models import Count, QuerySet, Window

# Beyond it, a page number is past any end: read nothing, count apart, and never hand the
# database an OFFSET it cannot hold.
_LAST_OFFSET = 2**31


class Pages:
    """`queryset` (ordered) for a Paginator showing page `page` of `per_page`; `rows(ids)`
    gives the objects with those ids, in that order."""

    def __init__(self, queryset: QuerySet, *, per_page: int, page=None, rows: Callable[[list], list]):
        self.queryset = queryset
        self.per_page = per_page
        self.rows = rows
        try:
            number = max(1, int(page))
        except (TypeError, ValueError):
            number = 1
        self._start = min((number - 1) * per_page, _LAST_OFFSET)
        self._page: tuple[int, list] | None = None  # (offset, ids) read with the count
        self._total: int | None = None

    def _ids(self, start: int, stop: int | None) -> list:
        rows = list(
            self.queryset.annotate(total_found=Window(Count("pk"))).values_list("pk", "total_found")[start:stop]
        )
        if rows:
            self._total = rows[0][1]
        self._page = (start, [pk for pk, _total in rows])
        return self._page[1]

    def count(self) -> int:
        if self._total is None:
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
        if self._page is not None and self._page[0] == start and index.stop is not None and (
            index.stop - start <= self.per_page
        ):
            ids = self._page[1][: index.stop - start]
        else:
            ids = self._ids(start, index.stop)
        return self.rows(ids) if ids else []


def in_order(objects, ids: list) -> list:
    by_id = {obj.pk: obj for obj in objects}
    return [by_id[pk] for pk in ids if pk in by_id]
