"""License servers: address validation, create/update/delete, the lifecycle (decommission
keeps history and stops polling; reactivate resumes it) and batch import from CSV."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from limon_site.errors import Conflict
from monitoring.models import LicenseServer
from monitoring.services._common import (
    apply_changes,
    check_timezone,
    ensure_unique,
    field_error,
    record,
    save_or_conflict,
    snapshot,
    validated,
)

SERVER_FIELDS = [
    "name",
    "kind",
    "address",
    "site",
    "timezone",
    "description",
    "feature_include",
    "feature_exclude",
]
_AUDITED = [*SERVER_FIELDS, "is_active", "decommissioned_at"]
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})$")
#: A redundant FlexNet triad has exactly three members.
TRIAD_SIZE = 3


def _node(text: str) -> str:
    port, at, host = text.strip().partition("@")
    if not at or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise field_error(
            "address", f"{text.strip()!r} is not port@host (port 1-65535, e.g. 27000@lic1)."
        )
    if not _HOST.match(host.strip()):
        raise field_error("address", f"{host.strip()!r} is not a valid host name or address.")
    return f"{int(port)}@{host.strip().lower()}"


def validate_address(text: str) -> str:
    """The normalised address: ``port@host`` or a triad ``port@h1,port@h2,port@h3`` (host
    names lower-cased, blanks removed). 400 ``VALIDATION_ERROR`` naming ``address`` otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise field_error("address", "Enter port@host or a triad port@h1,port@h2,port@h3.")
    nodes = [_node(part) for part in text.split(",")]
    if len(nodes) not in (1, TRIAD_SIZE):
        raise field_error(
            "address", f"A redundant server is a triad of {TRIAD_SIZE} nodes, not {len(nodes)}."
        )
    if len(set(nodes)) != len(nodes):
        raise field_error("address", "The nodes of a triad must differ.")
    return ",".join(nodes)


def _check_patterns(server: LicenseServer) -> None:
    for field in ("feature_include", "feature_exclude"):
        value = getattr(server, field)
        if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
            raise field_error(field, "Must be a list of glob patterns.")


def _check(server: LicenseServer) -> None:
    server.name = (server.name or "").strip()
    server.address = validate_address(server.address)
    _check_patterns(server)
    validated(server)
    check_timezone("timezone", server.timezone, allow_blank=True)
    ensure_unique(server, "name", "server")
    ensure_unique(server, "address", "server")


def _snap(server: LicenseServer) -> dict:
    return snapshot(server, _AUDITED)


@transaction.atomic
def create_server(*, actor, **fields) -> LicenseServer:
    server = LicenseServer()
    apply_changes(server, fields, SERVER_FIELDS, "server")
    _check(server)
    save_or_conflict(server, f"A server {server.name!r} or {server.address!r} already exists")
    record(
        actor=actor, action="server.created", target_id=server.pk, before={}, after=_snap(server)
    )
    return server


@transaction.atomic
def update_server(server: LicenseServer, *, actor, **changes) -> LicenseServer:
    """Editable configuration only; ``is_active`` changes through decommission/reactivate and
    the poll-owned fields (status, last poll, nodes) through polling."""
    server = LicenseServer.objects.select_for_update().get(pk=server.pk)
    before = _snap(server)
    apply_changes(server, changes, SERVER_FIELDS, "server")
    _check(server)
    save_or_conflict(server, f"A server {server.name!r} or {server.address!r} already exists")
    record(
        actor=actor,
        action="server.updated",
        target_id=server.pk,
        before=before,
        after=_snap(server),
    )
    return server


@transaction.atomic
def decommission_server(server: LicenseServer, *, actor) -> LicenseServer:
    """No longer polled; its features, sessions and history stay. Idempotent."""
    server = LicenseServer.objects.select_for_update().get(pk=server.pk)
    if not server.is_active:
        return server
    before = _snap(server)
    server.is_active = False
    server.decommissioned_at = timezone.now()
    server.poll_claimed_until = None
    server.save(
        update_fields=["is_active", "decommissioned_at", "poll_claimed_until", "updated_at"]
    )
    record(
        actor=actor,
        action="server.decommissioned",
        target_id=server.pk,
        before=before,
        after=_snap(server),
    )
    return server


@transaction.atomic
def reactivate_server(server: LicenseServer, *, actor) -> LicenseServer:
    """Polled again from the next cycle. Idempotent."""
    server = LicenseServer.objects.select_for_update().get(pk=server.pk)
    if server.is_active:
        return server
    before = _snap(server)
    server.is_active = True
    server.decommissioned_at = None
    server.save(update_fields=["is_active", "decommissioned_at", "updated_at"])
    record(
        actor=actor,
        action="server.reactivated",
        target_id=server.pk,
        before=before,
        after=_snap(server),
    )
    return server


@transaction.atomic
def delete_server(server: LicenseServer, *, actor) -> None:
    """Deletes the server with its features and usage history (decommission keeps them).
    Refused with 409 ``CONFLICT`` while applications are deployed on it."""
    server = LicenseServer.objects.select_for_update().get(pk=server.pk)
    deployments = list(
        server.deployments.select_related("application").order_by("application__name")
    )
    if deployments:
        raise Conflict(
            f"{len(deployments)} deployment(s) use server {server.name!r}; delete them first "
            "or decommission the server",
            details={
                "deployments": [
                    {
                        "id": d.pk,
                        "application_id": d.application_id,
                        "application": str(d.application),
                    }
                    for d in deployments
                ]
            },
        )
    before = _snap(server)
    server_id = server.pk
    server.delete()
    record(actor=actor, action="server.deleted", target_id=server_id, before=before, after={})
