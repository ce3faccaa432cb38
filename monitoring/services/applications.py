"""Applications, their deployments on license servers, and the keystone feature.

The keystone must be a feature of a server the application is deployed on: checked when
it is set and kept true when deployments change (a deployment whose server carries the
keystone cannot leave without clearing it)."""

from __future__ import annotations

import re

from django.db import transaction

from limon_site.errors import Conflict
from monitoring.models import Application, Deployment, Feature
from monitoring.services._common import (
    apply_changes,
    ensure_unique,
    field_error,
    record,
    save_or_conflict,
    snapshot,
    validated,
)

APPLICATION_FIELDS = [
    "name",
    "vendor",
    "category",
    "description",
    "is_critical",
    "cost_per_seat",
    "currency",
    "template",
]
_APPLICATION_AUDITED = [*APPLICATION_FIELDS, "keystone_feature"]
DEPLOYMENT_FIELDS = [
    "application",
    "server",
    "seats",
    "annual_cost",
    "contract_start",
    "contract_end",
    "scope",
    "environment",
    "notes",
]
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _check_application(app: Application) -> None:
    app.name = (app.name or "").strip()
    app.currency = (app.currency or "").strip().upper()
    if not _CURRENCY.match(app.currency):
        raise field_error("currency", "Use a three-letter ISO 4217 code such as EUR or USD.")
    validated(app, exclude=["keystone_feature"])
    ensure_unique(app, "name", "application")


def _keystone(app: Application, feature_id: int | None) -> Feature | None:
    if feature_id is None:
        return None
    feature = Feature.objects.filter(pk=feature_id).select_related("server").first()
    if feature is None:
        raise field_error("keystone_feature", f"Feature {feature_id} does not exist.")
    if not app.pk or not app.deployments.filter(server_id=feature.server_id).exists():
        raise field_error(
            "keystone_feature",
            f"{feature.name} is on server {feature.server.name}, where {app.name} is not "
            "deployed; deploy the application there first.",
        )
    return feature


def _record_app(actor, action: str, app: Application, before: dict) -> None:
    after = snapshot(app, _APPLICATION_AUDITED)
    record(actor=actor, action=action, target_id=app.pk, before=before, after=after)


@transaction.atomic
def create_application(*, actor, **fields) -> Application:
    """A new application has no deployments yet, so it cannot have a keystone: set it with
    :func:`set_keystone` once deployed."""
    if fields.get("keystone_feature") is not None:
        raise field_error("keystone_feature", "Deploy the application before choosing a keystone.")
    fields.pop("keystone_feature", None)
    app = Application()
    apply_changes(app, fields, APPLICATION_FIELDS, "application")
    _check_application(app)
    save_or_conflict(app, f"An application named {app.name!r} already exists")
    _record_app(actor, "application.created", app, {})
    return app


@transaction.atomic
def update_application(app: Application, *, actor, **changes) -> Application:
    """``keystone_feature`` (a Feature or its id, or None) is accepted and checked as by
    :func:`set_keystone`."""
    app = Application.objects.select_for_update().get(pk=app.pk)
    before = snapshot(app, _APPLICATION_AUDITED)
    if "keystone_feature" in changes:
        value = changes.pop("keystone_feature")
        app.keystone_feature = _keystone(app, getattr(value, "pk", value))
    apply_changes(app, changes, APPLICATION_FIELDS, "application")
    _check_application(app)
    save_or_conflict(app, f"An application named {app.name!r} already exists")
    _record_app(actor, "application.updated", app, before)
    return app


@transaction.atomic
def set_keystone(application: Application, *, feature_id: int | None, actor) -> Application:
    """Point the application at its keystone feature (``None`` clears it). 400 when the
    feature is not on a server the application is deployed on."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    before = snapshot(app, _APPLICATION_AUDITED)
    app.keystone_feature = _keystone(app, feature_id)
    app.save(update_fields=["keystone_feature", "updated_at"])
    _record_app(actor, "application.keystone_changed", app, before)
    return app


@transaction.atomic
def delete_application(app: Application, *, actor) -> None:
    """Its deployments and feature mappings go with it."""
    app = Application.objects.select_for_update().get(pk=app.pk)
    before = snapshot(app, _APPLICATION_AUDITED)
    before["deployments"] = sorted(app.deployments.values_list("server_id", flat=True))
    app_id = app.pk
    app.delete()
    record(actor=actor, action="application.deleted", target_id=app_id, before=before, after={})


def _check_deployment(dep: Deployment) -> None:
    validated(dep)
    if dep.contract_start and dep.contract_end and dep.contract_end < dep.contract_start:
        raise field_error("contract_end", "The contract cannot end before it starts.")


def _deployment_conflict(dep: Deployment) -> str:
    return f"{dep.application} is already deployed on {dep.server}"


def _unique_deployment(dep: Deployment) -> None:
    clash = Deployment.objects.filter(application=dep.application_id, server=dep.server_id)
    if clash.exclude(pk=dep.pk).exists():
        raise Conflict(
            _deployment_conflict(dep), details={"fields": {"server": ["Already deployed here."]}}
        )


def _clear_keystone_on(*, application_id: int, server_id: int, actor) -> None:
    """Clear (and audit) the application's keystone when it lives on ``server_id``: called
    before a deployment on that server goes away or moves. (A database trigger clears it too,
    for writes that bypass the services; see migration 0002.)"""
    app = Application.objects.select_for_update().get(pk=application_id)
    if (
        app.keystone_feature_id is not None
        and Feature.objects.filter(pk=app.keystone_feature_id, server_id=server_id).exists()
    ):
        set_keystone(app, feature_id=None, actor=actor)


@transaction.atomic
def create_deployment(*, actor, **fields) -> Deployment:
    dep = Deployment()
    apply_changes(dep, fields, DEPLOYMENT_FIELDS, "deployment")
    _check_deployment(dep)
    _unique_deployment(dep)
    save_or_conflict(dep, _deployment_conflict(dep))
    record(
        actor=actor,
        action="deployment.created",
        target_id=dep.pk,
        before={},
        after=snapshot(dep, DEPLOYMENT_FIELDS),
    )
    return dep


@transaction.atomic
def update_deployment(dep: Deployment, *, actor, **changes) -> Deployment:
    """Moving a deployment to another server (or application) clears a keystone it strands."""
    dep = Deployment.objects.select_for_update().get(pk=dep.pk)
    before = snapshot(dep, DEPLOYMENT_FIELDS)
    old_application_id, old_server_id = dep.application_id, dep.server_id
    apply_changes(dep, changes, DEPLOYMENT_FIELDS, "deployment")
    _check_deployment(dep)
    _unique_deployment(dep)
    if (dep.application_id, dep.server_id) != (old_application_id, old_server_id):
        _clear_keystone_on(application_id=old_application_id, server_id=old_server_id, actor=actor)
    save_or_conflict(dep, _deployment_conflict(dep))
    record(
        actor=actor,
        action="deployment.updated",
        target_id=dep.pk,
        before=before,
        after=snapshot(dep, DEPLOYMENT_FIELDS),
    )
    return dep


@transaction.atomic
def delete_deployment(dep: Deployment, *, actor) -> None:
    """Clears the application's keystone when it lived on this deployment's server."""
    dep = Deployment.objects.select_for_update().get(pk=dep.pk)
    before = snapshot(dep, DEPLOYMENT_FIELDS)
    dep_id = dep.pk
    _clear_keystone_on(application_id=dep.application_id, server_id=dep.server_id, actor=actor)
    dep.delete()
    record(actor=actor, action="deployment.deleted", target_id=dep_id, before=before, after={})
