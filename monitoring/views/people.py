"""People pages: users (list, detail with activity charts), departments (list with shares
and chargeback, detail with activity charts and users) and the usage summary by group.

Filters are the API's (``UserFilter``, ``DepartmentFilter`` and the period / usage query
serializers of ``monitoring.api.filters_people``), figures come from
``monitoring.queries_people``; every page offers ``?format=csv`` of what it shows."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from limon_site.charts import Series, bar_chart, hbar_chart, line_chart
from limon_site.csv_export import csv_response, wants_csv
from limon_site.panel.access import staff_required
from monitoring.api.filters_people import (
    DepartmentFilter,
    UsageQuerySerializer,
    UserFilter,
    period_from,
    window_days,
)
from monitoring.models import Department, LicenseUser
from monitoring.queries_people import (
    department_activity,
    department_users,
    departments_overview,
    user_activity,
    users_overview,
)
from monitoring.queries_usage import USAGE_GROUPS, usage
from monitoring.usage_period import NO_DEPARTMENT
from monitoring.views.common import paginate

USER_SORTABLE = ("username", "last_seen_at", "sessions", "license_hours")
USER_CSV = ["username", "display_name", "department", "title", "office", "manager", "source",
            "first_seen_at", "last_seen_at", "last_synced_at", "sessions", "license_hours",
            "active_sessions"]  # fmt: skip
CHART_TOP = 15


def _query(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


def _sort_links(request, fields) -> dict[str, dict]:
    current = request.GET.get("ordering", "")
    links = {}
    for field in fields:
        order = field if current == f"-{field}" else f"-{field}"
        arrow = "▼" if current == f"-{field}" else "▲" if current == field else ""
        links[field] = {"query": _query(request, ordering=order), "arrow": arrow}
    return links


def _user_csv_rows(users):
    for u in users:
        directory = u.directory or {}
        yield [u.username, u.display_name, u.department.name if u.department else "",
               directory.get("title"), directory.get("office"), directory.get("manager"),
               u.source, u.first_seen_at, u.last_seen_at, u.last_synced_at, u.period_sessions,
               round(u.license_seconds / 3600, 2), u.active_sessions]  # fmt: skip


def _user_table(request, queryset, template: str, context: dict, csv_name: str):
    filterset = UserFilter(request.GET, queryset=queryset)
    valid = filterset.is_valid()
    rows = filterset.qs if valid else LicenseUser.objects.none()
    if wants_csv(request) and valid:
        return csv_response(csv_name, USER_CSV, _user_csv_rows(rows))
    return render(
        request,
        template,
        {
            "filter": filterset,
            "window_days": window_days(request.GET),
            "sort": _sort_links(request, USER_SORTABLE),
            "csv_query": _query(request, format="csv"),
            "departments": Department.objects.order_by("name"),
            **context,
            **paginate(request, rows),
        },
        status=200 if valid else 400,
    )


@staff_required
def user_list(request):
    queryset = users_overview(window_days(request.GET))
    return _user_table(request, queryset, "monitoring/users.html", {}, "users")


def _daily_chart(daily, title: str, users: bool = False):
    labels = [point["day"] for point in daily]
    series = [Series("License-hours", [point["license_hours"] for point in daily])]
    if users:
        series.append(Series("Users", [point["users"] for point in daily]))
        return line_chart(labels, series, title=title)
    return bar_chart(labels, series, title=title)


def _features_chart(features, title: str):
    return hbar_chart([(f["display_name"], f["license_hours"]) for f in features], title=title)


@staff_required
def user_detail(request, username: str):
    days = window_days(request.GET)
    user = users_overview(days).filter(username=username).first()
    if user is None:
        raise Http404
    values, errors = period_from(request.GET)
    activity = user_activity(user, values["period"])
    if wants_csv(request):
        return csv_response(
            f"user-{user.username}",
            ["day", "sessions", "license_hours"],
            ([p["day"], p["sessions"], p["license_hours"]] for p in activity["daily"]),
        )
    return render(
        request,
        "monitoring/user_detail.html",
        {
            "profile": user,
            "activity": activity,
            "errors": errors,
            "chart": _daily_chart(activity["daily"], "License-hours per day"),
            "features_chart": _features_chart(activity["top_features"], "Top features"),
            "csv_query": _query(request, format="csv"),
            "filters": {k: request.GET.get(k, "") for k in ("from", "to", "days")},
        },
        status=400 if errors else 200,
    )


DEPARTMENT_CSV = ["department", "cost_center", "users", "active_users", "sessions",
                  "license_hours", "share_percent", "amount", "currency"]  # fmt: skip


@staff_required
def department_list(request):
    filterset = DepartmentFilter(request.GET, queryset=Department.objects.all())
    values, errors = period_from(request.GET)
    filter_valid = filterset.is_valid()
    valid = filter_valid and not errors
    q = (filterset.form.cleaned_data.get("q") or "") if filter_valid else ""
    departments = filterset.qs if filter_valid else Department.objects.none()
    rows = departments_overview(
        values["period"], departments, include_none=q.lower() in NO_DEPARTMENT
    )
    if wants_csv(request) and valid:
        return csv_response(
            "departments",
            DEPARTMENT_CSV,
            ([r["name"], r["cost_center"], r["users"], r["active_users"], r["sessions"],
              r["license_hours"], r["share"], r["amount"], r["currency"]] for r in rows),
        )  # fmt: skip
    chart = hbar_chart(
        [(r["name"], r["license_hours"]) for r in sorted(rows, key=lambda r: -r["license_hours"])
         if r["license_hours"]][:CHART_TOP],
        title="License-hours by department",
    )  # fmt: skip
    return render(
        request,
        "monitoring/departments.html",
        {
            "filter": filterset,
            "period": values["period"],
            "errors": {**filterset.errors, **errors},
            "chart": chart,
            "csv_query": _query(request, format="csv"),
            "filters": {k: request.GET.get(k, "") for k in ("from", "to", "days")},
            **paginate(request, rows),
        },
        status=200 if valid else 400,
    )


@staff_required
def department_detail(request, name: str):
    if name != NO_DEPARTMENT and not Department.objects.filter(name=name).exists():
        raise Http404
    values, errors = period_from(request.GET)
    activity = department_activity(name, values["period"])
    if wants_csv(request) and request.GET.get("table") == "users":
        queryset = users_overview(window_days(request.GET)).filter(department_users(name))
        return _user_table(request, queryset, "", {}, f"department-{name}-users")
    if wants_csv(request):
        return csv_response(
            f"department-{name}",
            ["day", "sessions", "license_hours", "users"],
            ([p["day"], p["sessions"], p["license_hours"], p["users"]] for p in activity["daily"]),
        )
    context = {
        "department": Department.objects.filter(name=name).first(),
        "name": name,
        "activity": activity,
        "errors": errors,
        "chart": _daily_chart(activity["daily"], "License-hours and users per day", users=True),
        "features_chart": _features_chart(activity["top_features"], "Top features"),
        "users_chart": hbar_chart(
            [(u["username"], u["license_hours"]) for u in activity["top_users"]],
            title="Top users",
        ),
        "users_csv_query": _query(request, format="csv", table="users"),
        "filters": {k: request.GET.get(k, "") for k in ("from", "to", "days")},
    }
    queryset = users_overview(window_days(request.GET)).filter(department_users(name))
    return _user_table(
        request, queryset, "monitoring/department_detail.html", context, f"department-{name}"
    )


USAGE_CSV = ["key", "sessions", "license_hours", "users", "peak"]


@staff_required
def usage_summary(request):
    values, errors = period_from(request.GET, UsageQuerySerializer)
    group_by = values["group_by"]
    rows = usage(group_by, values["period"]) if not errors else []
    if wants_csv(request) and not errors:
        extra = {"feature": ["display_name", "server"], "user": ["department"]}.get(group_by, [])
        header = [*USAGE_CSV, *extra]
        return csv_response(
            f"usage-by-{group_by}", header, ([row.get(k) for k in header] for row in rows)
        )
    if group_by == "day":
        chart = _daily_chart([{"day": r["key"], **r} for r in rows], "License-hours per day")
    else:
        chart = hbar_chart(
            [(r.get("display_name") or r["key"], r["license_hours"]) for r in rows[:CHART_TOP]],
            title=f"License-hours by {group_by}",
        )
    return render(
        request,
        "monitoring/usage.html",
        {
            "group_by": group_by,
            "groups": USAGE_GROUPS,
            "period": values["period"],
            "errors": errors,
            "chart": chart,
            "csv_query": _query(request, format="csv"),
            "filters": {k: request.GET.get(k, "") for k in ("from", "to", "days")},
            **paginate(request, rows),
        },
        status=400 if errors else 200,
    )
