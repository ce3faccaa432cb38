"""Helpers shared by the monitoring panel pages: running a service call and showing its
error, paginating a list with its query string."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator

from limon_site.errors import LimonError
from monitoring.forms import apply_errors

PAGE_SIZE = 50


def run(request, action, *, success: str | None = None, form=None):
    """Call ``action()``. A service error goes onto ``form`` (field by field) or, without a
    form, into the page's messages; the result is ``None`` then. ``success`` is flashed."""
    try:
        result = action()
    except LimonError as error:
        if form is not None:
            apply_errors(form, error)
        else:
            messages.error(request, error.message)
        return None
    if success:
        messages.success(request, success)
    return True if result is None else result


def paginate(request, queryset, size: int = PAGE_SIZE) -> dict:
    """``page_obj`` and the ``query_string`` without ``page`` for the pagination component."""
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page_obj": page, "query_string": params.urlencode()}
