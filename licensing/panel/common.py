"""Small helpers shared by the panel views: turning service errors into messages or form errors,
paginating a list with its query string."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.utils.http import url_has_allowed_host_and_scheme

from limon_site.errors import LimonError

PAGE_SIZE = 50


def describe(exc: LimonError) -> str:
    """The error message, plus the ids or resources it names (unknown ids, conflicts)."""
    details = exc.details or {}
    if details.get("unknown_ids"):
        return exc.message
    conflicts = details.get("conflicts")
    if conflicts:
        reasons = ", ".join(f"{c['identifier']} ({c['reason']})" for c in conflicts)
        return f"{exc.message} — {reasons}"
    return exc.message


def attempt(request, action, success=None):
    """Run ``action()``; on a service error show it and return ``None``. ``success`` is a
    message or a function of the result."""
    try:
        result = action()
    except LimonError as exc:
        messages.error(request, describe(exc))
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result if result is not None else True


def form_attempt(request, form, action, success=None):
    """Like ``attempt`` but per-field errors (``details.fields``) land on the form's fields."""
    try:
        result = action()
    except LimonError as exc:
        fields = (exc.details or {}).get("fields") or {}
        placed = False
        for name, errors in fields.items():
            if name in form.fields:
                for error in errors if isinstance(errors, list) else [errors]:
                    form.add_error(name, str(error))
                placed = True
        if not placed:
            form.add_error(None, describe(exc))
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result if result is not None else True


def paginate(request, queryset, size: int = PAGE_SIZE) -> dict:
    """``page_obj`` and the ``query_string`` without ``page`` for the pagination component."""
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page_obj": page, "query_string": params.urlencode()}


def selected_ids(request, name: str = "ids") -> list[int]:
    ids = []
    for value in request.POST.getlist(name):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    return ids


def safe_next(request, default: str) -> str:
    """The ``next`` field when it points back into this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
