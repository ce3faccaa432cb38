from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework import pagination

#: Unfiltered tables up to this many rows are counted exactly.
ESTIMATE_ABOVE = 100_000


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (max 500); answers ``count``, ``next``, ``previous``,
    ``results``."""

    page_size_query_param = "page_size"
    max_page_size = 500


def planner_row_estimate(queryset) -> int | None:
    """The PostgreSQL planner's row count of the queryset's table when the queryset has no
    filter (joins along required foreign keys keep the count), else ``None``."""
    query = getattr(queryset, "query", None)
    if query is None or query.where or query.distinct or query.combinator:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """``COUNT(*)`` of millions of rows is a full scan (half a second for three million
    sessions), paid on every page. Above :data:`ESTIMATE_ABOVE` rows an unfiltered list
    reports the planner's estimate instead (kept current by autovacuum's ``ANALYZE``);
    filtered lists, and every list on other databases, are counted exactly."""

    @cached_property
    def count(self) -> int:
        estimate = planner_row_estimate(self.object_list)
        if estimate is not None and estimate > ESTIMATE_ABOVE:
            return estimate
        return super().count


class EstimatedCountPagination(PageNumberPagination):
    django_paginator_class = EstimatedCountPaginator
