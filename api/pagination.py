from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages by the primary key: every list walks an index, however deep the page, and counts
    nothing (a count of a national table is what makes offset pages slow)."""

    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = 500
