"""Chargeback: each department's share of license-hours of an application (its keystone
features) or of all features, turned into money with the deployment costs."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Sum,
)

from monitoring.models import (
    Application,
    Department,
    Deployment,
    Feature,
)

#: The group of users without a department, in department aggregates and URLs.
from monitoring.usage_period import NO_DEPARTMENT, Period, hours

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def application_cost(application: Application, deployments, days: int) -> Decimal | None:
    """The cost of ``days`` days of the application: each deployment's ``annual_cost``, or
    else ``application.cost_per_seat * seats``, prorated by ``days / 365``. ``None`` when
    no deployment has a cost."""
    annual, known = Decimal(0), False
    for deployment in deployments:
        if deployment.annual_cost is not None:
            annual += deployment.annual_cost
            known = True
        elif application.cost_per_seat is not None and deployment.seats:
            annual += application.cost_per_seat * deployment.seats
            known = True
    return annual * days / 365 if known else None


def _charged_features(applications, deployments_of) -> dict[int, set[int]]:
    """Feature ids charged to each application: its keystone features (same name as the
    keystone, on every server it is deployed on, as ``queries.keystone_features``), or every
    feature of those servers when it has no keystone. One query for all applications."""
    servers = {d.server_id for deps in deployments_of.values() for d in deps}
    features = list(
        Feature.objects.filter(server_id__in=servers).values_list("id", "name", "server_id")
    )
    charged = {}
    for application in applications:
        on = {d.server_id for d in deployments_of[application.pk]}
        keystone = application.keystone_feature.name if application.keystone_feature else None
        charged[application.pk] = {
            pk for pk, name, server in features if server in on and keystone in (None, name)
        }
    return charged


def _seconds_by_department(period: Period, feature_ids=None) -> dict:
    """``{(department_id, feature_id): seconds}`` over ``period``."""
    rows = period.rows()
    if feature_ids is not None:
        rows = rows.filter(feature_id__in=feature_ids)
    grouped = rows.values("user__department_id", "feature_id").annotate(
        seconds=Sum("license_seconds")
    )
    return {(r["user__department_id"], r["feature_id"]): r["seconds"] for r in grouped}


def chargeback(period: Period, application: Application | None = None) -> dict:
    """Each department's share of license-hours and what it costs.

    With ``application``: hours of its charged features (keystone features, or every feature
    of its servers without a keystone), and the application's cost over the period split by
    those shares. Without: hours of every feature; each department's ``amount`` is the sum
    over every application with a cost of its cost split by the department's share of that
    application's hours. ``amounts`` holds the amount per currency; ``amount`` and
    ``currency`` are set when there is exactly one currency.
    """
    applications = list(
        Application.objects.select_related("keystone_feature").filter(
            **({"pk": application.pk} if application else {})
        )
    )
    deployments_of = defaultdict(list)
    for deployment in Deployment.objects.filter(application__in=applications):
        deployments_of[deployment.application_id].append(deployment)
    charged = _charged_features(applications, deployments_of)
    scope = charged.get(application.pk, set()) if application else None
    seconds = _seconds_by_department(period, scope)
    names = dict(Department.objects.values_list("pk", "name"))
    hours_of: dict = defaultdict(float)
    for (department, _), value in seconds.items():
        hours_of[department] += value
    amounts: dict = defaultdict(lambda: defaultdict(Decimal))
    for app in applications:
        cost = application_cost(app, deployments_of[app.pk], period.days)
        if cost is None:
            continue
        per_department = defaultdict(float)
        for (department, feature), value in seconds.items():
            if feature in charged[app.pk]:
                per_department[department] += value
        total = sum(per_department.values())
        for department, value in per_department.items():
            amounts[department][app.currency] += cost * Decimal(value / total)
    total_seconds = sum(hours_of.values())
    currencies = sorted({c for per in amounts.values() for c in per})
    single = currencies[0] if len(currencies) == 1 else None
    rows = []
    for department in set(hours_of) | set(amounts):
        money = {c: _money(v) for c, v in sorted(amounts[department].items())}
        rows.append(
            {
                "department_id": department,
                "department": names.get(department, NO_DEPARTMENT),
                "license_hours": hours(hours_of[department]),
                "share": round(100 * hours_of[department] / total_seconds, 2)
                if total_seconds
                else 0.0,
                "amount": money.get(single, Decimal("0.00")) if single else None,
                "amounts": money,
                "currency": single,
            }
        )
    rows.sort(key=lambda r: (-r["license_hours"], r["department"]))
    return {
        "from": period.first,
        "to": period.last,
        "application": {"id": application.pk, "name": application.name} if application else None,
        "currency": single,
        "license_hours": hours(total_seconds),
        "results": rows,
    }


# Departments --------------------------------------------------------------------------------
