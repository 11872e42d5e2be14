"""Paging shared by the lists."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A Paginator told how many objects it pages when the page has counted them already:
    Django's would ask the database again (a COUNT query) for the same number."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # Paginator.count is a cached_property: this is its value
