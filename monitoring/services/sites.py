"""Sites: the geographic locations that group license servers."""

from __future__ import annotations

from django.db import transaction

from limon_site.errors import Conflict
from monitoring.models import Site
from monitoring.services._common import (
    apply_changes,
    check_timezone,
    ensure_unique,
    record,
    save_or_conflict,
    snapshot,
    validated,
)

SITE_FIELDS = ["name", "code", "location", "timezone", "description"]


def _check(site: Site) -> None:
    site.name = (site.name or "").strip()
    validated(site)
    check_timezone("timezone", site.timezone)
    ensure_unique(site, "name", "site")


@transaction.atomic
def create_site(*, actor, **fields) -> Site:
    site = Site()
    apply_changes(site, fields, SITE_FIELDS, "site")
    _check(site)
    save_or_conflict(site, f"A site named {site.name!r} already exists")
    record(
        actor=actor,
        action="site.created",
        target_id=site.pk,
        before={},
        after=snapshot(site, SITE_FIELDS),
    )
    return site


@transaction.atomic
def update_site(site: Site, *, actor, **changes) -> Site:
    site = Site.objects.select_for_update().get(pk=site.pk)
    before = snapshot(site, SITE_FIELDS)
    apply_changes(site, changes, SITE_FIELDS, "site")
    _check(site)
    save_or_conflict(site, f"A site named {site.name!r} already exists")
    record(
        actor=actor,
        action="site.updated",
        target_id=site.pk,
        before=before,
        after=snapshot(site, SITE_FIELDS),
    )
    return site


@transaction.atomic
def delete_site(site: Site, *, actor) -> None:
    """Refused with 409 ``CONFLICT`` while servers (active or decommissioned) belong to the
    site; ``details.servers`` lists them so the caller can move or delete them first."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    blocking = list(site.servers.order_by("name").values("id", "name", "address", "is_active"))
    if blocking:
        raise Conflict(
            f"Site {site.name!r} still has {len(blocking)} server(s); move or delete them first",
            details={"server_count": len(blocking), "servers": blocking},
        )
    before = snapshot(site, SITE_FIELDS)
    site_id = site.pk
    site.delete()
    record(actor=actor, action="site.deleted", target_id=site_id, before=before, after={})
