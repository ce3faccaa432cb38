from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (max 500); answers ``count``, ``next``, ``previous``,
    ``results``."""

    page_size_query_param = "page_size"
    max_page_size = 500
