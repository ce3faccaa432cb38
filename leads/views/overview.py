"""``GET /leads/``: stats tiles, the pipeline by status, follow-ups due this week and the
searchable, paginated table of institutions."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from leads import queries
from leads.filters import InstitutionFilter
from leads.forms import ImportForm
from leads.models import PipelineStatus
from limon_site.panel.access import staff_required

PER_PAGE = 25


def filtered_institutions(request):
    """The overview's filter, also used by the export so it exports what the table shows."""
    filterset = InstitutionFilter(request.GET, queryset=queries.institutions())
    queryset = filterset.qs if filterset.is_valid() else queries.institutions().none()
    return filterset, queryset


@staff_required
def overview(request):
    filterset, queryset = filtered_institutions(request)
    page_obj = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    stats = queries.lead_stats()
    total = stats["total_institutions"] or 1
    pipeline = [
        {
            "status": status.value,
            "label": status.label,
            "count": stats["by_status"][status.value],
            "percent": round(stats["by_status"][status.value] * 100 / total),
        }
        for status in PipelineStatus
    ]
    return render(
        request,
        "leads/overview.html",
        {
            "stats": stats,
            "pipeline": pipeline,
            "follow_ups": queries.follow_ups_due()[:20],
            "filter": filterset,
            "page_obj": page_obj,
            "query_string": query.urlencode(),
            "import_form": ImportForm(),
            "today": timezone.localdate(),
        },
    )
