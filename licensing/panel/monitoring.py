"""Live monitor, live sessions and anomalies pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from licensing import queries, staff_queries
from licensing.api.staff.filters import AnomalyFilter
from licensing.models import Anomaly, EndReason, LicenseSession
from licensing.panel.common import attempt, paginate, safe_next
from licensing.services import anomalies, sessions
from limon_site import charts
from limon_site.panel.access import staff_required


@staff_required
def monitor(request):
    stats = staff_queries.live_stats()
    pools = staff_queries.pool_availability()
    return render(
        request,
        "licensing/staff/monitor.html",
        {
            "stats": stats,
            "dashboard": staff_queries.dashboard()["metrics"],
            "anomaly_stats": staff_queries.anomaly_stats(),
            "pools": [
                {
                    "name": name,
                    **info,
                    "gauge": charts.gauge(
                        info["total"] - info["available"],
                        info["total"],
                        title=f"{name}: in use",
                        size=90,
                    ),
                }
                for name, info in pools.items()
            ],
        },
    )


@staff_required
def session_list(request):
    live = (
        queries.live_sessions()
        .select_related("license__customer", "license__product", "activation")
        .order_by("-last_heartbeat")
    )
    return render(request, "licensing/staff/sessions.html", paginate(request, live))


@staff_required
@require_POST
def session_end(request, pk: int):
    session = get_object_or_404(LicenseSession, pk=pk)
    attempt(
        request,
        lambda: sessions.end_session(
            token=str(session.token), reason=EndReason.ADMIN, actor=request.user
        ),
        success=lambda result: "Session ended." if result.ended_now else "Session had ended.",
    )
    return redirect(safe_next(request, reverse("licensing:sessions")))


@staff_required
def anomaly_list(request):
    data = request.GET.copy()
    data.setdefault("resolved", "false")
    queryset = Anomaly.objects.select_related("license").order_by("resolved", "-last_seen", "-id")
    filterset = AnomalyFilter(data, queryset)
    return render(
        request,
        "licensing/staff/anomalies.html",
        {
            "filter": filterset,
            "stats": staff_queries.anomaly_stats(),
            **paginate(request, filterset.qs),
        },
    )


@staff_required
@require_POST
def anomaly_resolve(request, pk: int):
    anomaly = get_object_or_404(Anomaly, pk=pk)
    attempt(
        request,
        lambda: anomalies.resolve_anomaly(
            anomaly=anomaly, note=request.POST.get("note", "")[:2000], actor=request.user
        ),
        success="Anomaly resolved.",
    )
    return redirect(safe_next(request, reverse("licensing:anomalies")))


@staff_required
@require_POST
def anomaly_scan(request):
    result = anomalies.scan()
    messages.success(request, f"Scan done: {result['new']} new anomal(ies).")
    return redirect("licensing:anomalies")
