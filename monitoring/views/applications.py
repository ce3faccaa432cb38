"""Application pages: list (with live and seat metrics), detail (usage chart by site over a
chosen range, top users, recommended vs owned seats, unused cost, deployments, keystone
selector, feature mappings), create (optionally from a built-in template), edit, delete;
deployments added, edited and removed from the application's page. Every table has a CSV
export (``?format=csv``; on the detail page ``&table=usage|top_users|metrics|sessions``).
Figures come from :mod:`monitoring.queries_applications`."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from limon_site.charts import Series, line_chart
from limon_site.csv_export import csv_response, wants_csv
from limon_site.panel.access import staff_required
from monitoring import app_templates, queries
from monitoring import queries_applications as qa
from monitoring import queries_history as qh
from monitoring.api.filters_applications import ApplicationMetricsFilter
from monitoring.forms import (
    ApplicationForm,
    DeploymentForm,
    KeystoneForm,
    NewApplicationForm,
)
from monitoring.models import Application, Deployment
from monitoring.services import catalog, templates
from monitoring.views.common import paginate, run

RANGES = (7, 30, 90, 365)
TOP_USERS = 10
LIST_HEADER = ["Name", "Vendor", "Category", "Critical", "Deployments", "Keystone feature",
               "In use now", "Issued now", "Active users now", "Seats owned", "Recommended seats",
               "Surplus seats", "Unused cost", "Currency"]  # fmt: skip
CSV_TABLES = ("usage", "top_users", "metrics", "sessions")


@staff_required
def application_list(request):
    filterset = ApplicationMetricsFilter(request.GET, queryset=qa.applications_metrics())
    applications = filterset.qs if filterset.is_valid() else qa.applications_metrics().none()
    if wants_csv(request):
        rows = list(applications)
        metrics = qa.metrics_for(rows)
        return csv_response(
            "applications", LIST_HEADER, (_list_row(app, metrics[app.pk]) for app in rows)
        )
    context = paginate(request, applications)
    metrics = qa.metrics_for(context["page_obj"].object_list)
    for app in context["page_obj"].object_list:
        app.metrics = metrics[app.pk]
    return render(
        request,
        "monitoring/applications.html",
        {"filter": filterset, "csv_query": _with_csv(request), **context},
    )


def _list_row(app, m) -> list:
    keystone = app.keystone_feature.name if app.keystone_feature else ""
    return [app.name, app.vendor, app.category, app.is_critical, app.deployments_count, keystone,
            app.in_use_now, app.issued_now, app.active_users_now, app.seats_owned,
            m.recommended_seats, m.surplus_seats, m.unused_cost, m.currency]  # fmt: skip


def _with_csv(request, **extra) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "csv"
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


@staff_required
def application_detail(request, pk: int):
    return _detail(request, pk)


def _usage_range(request) -> tuple[int, str]:
    """``days`` among :data:`RANGES` (default 30) and ``interval`` (default day; hour only up
    to :data:`~monitoring.queries_applications.MAX_RANGE_DAYS`)."""
    days = request.GET.get("days", "30")
    days = int(days) if days.isdigit() and int(days) in RANGES else 30
    interval = request.GET.get("interval", "day")
    if interval not in qh.INTERVALS or days > qh.MAX_RANGE_DAYS[interval]:
        interval = "day"
    return days, interval


def _detail(request, pk: int, *, keystone_form=None, deployment_form=None, status=200):
    application = get_object_or_404(qa.applications_metrics(), pk=pk)
    days, interval = _usage_range(request)
    end = timezone.now()
    history = qh.usage_history(application, end - timedelta(days=days), end, interval)
    metrics = qa.application_metrics(application, now=end)
    top_by = request.GET.get("top_by") if request.GET.get("top_by") in qa.TOP_BY else "hours"
    top = qa.top_users(application, by=top_by, days=days, limit=TOP_USERS, now=end)
    if wants_csv(request):
        return _detail_csv(request, application, history, metrics, top)
    candidates = list(queries.keystone_candidates(application))
    context = {
        "application": application,
        "deployments": application.deployments.select_related("server", "server__site"),
        "mappings": queries.application_mappings(application),
        "keystone_form": keystone_form
        or KeystoneForm(
            initial={"keystone_feature": application.keystone_feature_id}, candidates=candidates
        ),
        "deployment_form": deployment_form or DeploymentForm(),
        "metrics": metrics,
        "chart": _usage_chart(application, history, metrics),
        "top_users": top,
        "top_by": top_by,
        "sessions": qa.active_sessions(application)[:50],
        "ranges": RANGES,
        "intervals": qh.INTERVALS,
        "days": days,
        "interval": interval,
        "csv": {table: _with_csv(request, table=table) for table in CSV_TABLES},
    }
    return render(request, "monitoring/application_detail.html", context, status=status)


def _usage_chart(application, history: dict, metrics):
    labels = [timezone.localtime(b["start"]) for b in history["series"]]
    series = [Series("All sites (peak)", [b["peak"] for b in history["series"]])]
    series += [Series(f"{site['site']} (peak)", [b["peak"] for b in site["series"]])
               for site in history["by_site"]]  # fmt: skip
    series.append(Series("All sites (average)", [b["average"] for b in history["series"]]))
    return line_chart(
        labels,
        series,
        title=f"{application.name}: concurrent users by site",
        capacity=metrics.seats_owned,
    )


def _detail_csv(request, application, history, metrics, top):
    table = request.GET.get("table", "usage")
    name = f"application-{application.pk}-{table}"
    if table == "top_users":
        keys = ["username", "display_name", "department", "sessions", "license_hours",
                "days_active"]  # fmt: skip
        return csv_response(name, keys, ([row[k] for k in keys] for row in top))
    if table == "metrics":
        fields = list(vars(metrics))
        return csv_response(name, ["figure", "value"], ([f, getattr(metrics, f)] for f in fields))
    if table == "sessions":
        header = ["user", "feature", "server", "site", "host", "licenses", "started_at"]
        rows = ([s.user.username, s.feature.name, s.server.name,
                 s.server.site.name if s.server.site else "", s.host, s.licenses, s.started_at]
                for s in qa.active_sessions(application))  # fmt: skip
        return csv_response(name, header, rows)
    sites = history["by_site"]
    header = ["start", "end", "peak", "average", "license_hours"]
    header += [f"{site['site']} {figure}" for site in sites for figure in ("peak", "average")]
    rows = []
    for index, bucket in enumerate(history["series"]):
        row = [bucket["start"], bucket["end"], bucket["peak"], bucket["average"],
               bucket["license_hours"]]  # fmt: skip
        for site in sites:
            row += [site["series"][index]["peak"], site["series"][index]["average"]]
        rows.append(row)
    return csv_response(name, header, rows)


@staff_required
def application_new(request):
    form = NewApplicationForm(request.POST or None, templates=app_templates.choices())
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        template = values.pop("template", "")
        application = run(request, lambda: _create(request.user, values, template), form=form)
        if application:
            messages.success(request, f"Application {application.name} created.")
            return redirect("monitoring:application", application.pk)
    return render(request, "monitoring/application_form.html", {"form": form})


@transaction.atomic
def _create(actor, values: dict, template: str) -> Application:
    """The application and its template's mappings together, or neither. Vendor and category
    left empty are taken from the template."""
    chosen = app_templates.get(template) if template else None
    if chosen:
        values["vendor"] = values["vendor"] or chosen.vendor
        values["category"] = values["category"] or chosen.category
    application = catalog.create_application(actor=actor, **values)
    if template:
        templates.apply_template(application, template, actor=actor)
    return application


@staff_required
def application_edit(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    form = ApplicationForm.for_application(application, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.update_application(
                application, actor=request.user, **form.cleaned_data
            ),
            form=form,
            success="Application saved.",
        )
    ):
        return redirect("monitoring:application", pk)
    return render(
        request, "monitoring/application_form.html", {"form": form, "application": application}
    )


@staff_required
@require_POST
def application_delete(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(request, "monitoring/application_delete.html", {"application": application})
    if run(
        request,
        lambda: catalog.delete_application(application, actor=request.user),
        success=f"Application {application.name} deleted.",
    ):
        return redirect("monitoring:applications")
    return redirect("monitoring:application", pk)


@staff_required
@require_POST
def application_keystone(request, pk: int):
    """The posted feature goes to ``set_keystone`` as is; it refuses one not deployed."""
    application = get_object_or_404(Application, pk=pk)
    form = KeystoneForm(request.POST, candidates=queries.keystone_candidates(application))
    if form.is_valid() and run(
        request,
        lambda: catalog.set_keystone(
            application, feature_id=form.cleaned_data["keystone_feature"], actor=request.user
        ),
        form=form,
        success="Keystone feature saved.",
    ):
        return redirect("monitoring:application", pk)
    return _detail(request, pk, keystone_form=form, status=400)


@staff_required
@require_POST
def deployment_new(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    form = DeploymentForm(request.POST)
    if form.is_valid() and run(
        request,
        lambda: catalog.create_deployment(
            actor=request.user, application=application, **form.cleaned_data
        ),
        form=form,
        success=f"Deployed on {form.cleaned_data['server']}.",
    ):
        return redirect("monitoring:application", pk)
    return _detail(request, pk, deployment_form=form, status=400)


@staff_required
def deployment_edit(request, pk: int):
    deployment = get_object_or_404(Deployment.objects.select_related("application"), pk=pk)
    form = DeploymentForm.for_deployment(deployment, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.update_deployment(deployment, actor=request.user, **form.cleaned_data),
            form=form,
            success="Deployment saved.",
        )
    ):
        return redirect("monitoring:application", deployment.application_id)
    return render(
        request, "monitoring/deployment_form.html", {"form": form, "deployment": deployment}
    )


@staff_required
@require_POST
def deployment_delete(request, pk: int):
    deployment = get_object_or_404(Deployment.objects.select_related("server"), pk=pk)
    run(
        request,
        lambda: catalog.delete_deployment(deployment, actor=request.user),
        success=f"Deployment on {deployment.server} removed.",
    )
    return redirect("monitoring:application", deployment.application_id)
