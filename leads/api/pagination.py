"""The leads API pages with ``page`` and ``per_page`` (default 20, at most 100) and answers
``{<items>: [...], "total", "page", "per_page"}`` as the seed documents."""

from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.response import Response

from limon_site.errors import ValidationFailed

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def _positive_int(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationFailed(
            f"Validation failed: {name}: must be a positive whole number",
            details={"fields": {name: ["Must be a positive whole number"]}},
        )
    return value


class PerPagePagination(pagination.BasePagination):
    """A page past the last one is an empty list (with the real ``total``), not an error;
    ``per_page`` above 100 is served as 100."""

    items_key = "results"

    def paginate_queryset(self, queryset, request, view=None):
        self.page_number = _positive_int(request, "page", 1)
        self.per_page = min(_positive_int(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
        paginator = Paginator(queryset, self.per_page)
        self.total = paginator.count
        if self.page_number > paginator.num_pages:
            return []
        return list(paginator.page(self.page_number).object_list)

    def get_paginated_response(self, data):
        return Response(
            {
                self.items_key: data,
                "total": self.total,
                "page": self.page_number,
                "per_page": self.per_page,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": [self.items_key, "total", "page", "per_page"],
            "properties": {
                self.items_key: schema,
                "total": {"type": "integer", "example": 100},
                "page": {"type": "integer", "example": 1},
                "per_page": {"type": "integer", "example": DEFAULT_PER_PAGE},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "default": 1},
                "description": "Page number (from 1).",
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "default": DEFAULT_PER_PAGE, "maximum": MAX_PER_PAGE},
                "description": f"Items per page (at most {MAX_PER_PAGE}).",
            },
        ]


def keyed(key: str) -> type[PerPagePagination]:
    """``keyed("institutions")``: a pagination class answering ``{"institutions": [...]}``."""
    return type(f"{key.title()}Pagination", (PerPagePagination,), {"items_key": key})
