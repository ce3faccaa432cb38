"""Feature mappings: cryptic feature codes → display names (and applications).

Which mapping applies to a feature, best first: an exact name beats a regular expression;
within the same kind a mapping limited to the feature's server beats a global one (it is
an override for that server); then the lowest ``priority`` wins. Regular expressions must
match the whole feature name."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q

from limon_site.errors import Conflict
from monitoring.models import FeatureMapping, LicenseServer, MatchType
from monitoring.services._common import (
    apply_changes,
    field_error,
    record,
    save_or_conflict,
    snapshot,
    validated,
)

MAPPING_FIELDS = [
    "pattern",
    "match_type",
    "display_name",
    "application",
    "server",
    "cost_per_seat",
    "priority",
]


def validate_pattern(pattern: str, match_type: str) -> None:
    """A regular-expression pattern must compile (400 naming ``pattern`` otherwise)."""
    if match_type == MatchType.REGEX:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise field_error("pattern", f"Not a valid regular expression: {exc}.") from None


def _check(mapping: FeatureMapping) -> None:
    mapping.pattern = (mapping.pattern or "").strip()
    mapping.display_name = (mapping.display_name or "").strip()
    validated(mapping)
    validate_pattern(mapping.pattern, mapping.match_type)
    clash = FeatureMapping.objects.filter(
        pattern=mapping.pattern, match_type=mapping.match_type, server=mapping.server_id
    ).exclude(pk=mapping.pk)
    if clash.exists():
        where = f"server {mapping.server}" if mapping.server_id else "all servers"
        raise Conflict(
            f"A {mapping.match_type} mapping for {mapping.pattern!r} on {where} already exists",
            details={"fields": {"pattern": ["Already mapped."]}},
        )


def _conflict_message(mapping: FeatureMapping) -> str:
    return f"A mapping for {mapping.pattern!r} already exists"


@transaction.atomic
def create_mapping(*, actor, **fields) -> FeatureMapping:
    mapping = FeatureMapping()
    apply_changes(mapping, fields, MAPPING_FIELDS, "feature mapping")
    _check(mapping)
    save_or_conflict(mapping, _conflict_message(mapping))
    record(
        actor=actor,
        action="feature_mapping.created",
        target_id=mapping.pk,
        before={},
        after=snapshot(mapping, MAPPING_FIELDS),
    )
    return mapping


@transaction.atomic
def update_mapping(m: FeatureMapping, *, actor, **changes) -> FeatureMapping:
    mapping = FeatureMapping.objects.select_for_update().get(pk=m.pk)
    before = snapshot(mapping, MAPPING_FIELDS)
    apply_changes(mapping, changes, MAPPING_FIELDS, "feature mapping")
    _check(mapping)
    save_or_conflict(mapping, _conflict_message(mapping))
    record(
        actor=actor,
        action="feature_mapping.updated",
        target_id=mapping.pk,
        before=before,
        after=snapshot(mapping, MAPPING_FIELDS),
    )
    return mapping


@transaction.atomic
def delete_mapping(m: FeatureMapping, *, actor) -> None:
    mapping = FeatureMapping.objects.select_for_update().get(pk=m.pk)
    before = snapshot(mapping, MAPPING_FIELDS)
    mapping_id = mapping.pk
    mapping.delete()
    record(
        actor=actor, action="feature_mapping.deleted", target_id=mapping_id, before=before, after={}
    )


def _rank(mapping: FeatureMapping) -> tuple:
    return (
        mapping.match_type != MatchType.EXACT,
        mapping.server_id is None,
        mapping.priority,
        mapping.pk,
    )


def matches(mapping: FeatureMapping, feature_name: str) -> bool:
    if mapping.match_type == MatchType.EXACT:
        return mapping.pattern == feature_name
    try:
        return re.fullmatch(mapping.pattern, feature_name) is not None
    except re.error:
        return False


def mapping_for(
    feature_name: str, server: LicenseServer | int | None = None
) -> FeatureMapping | None:
    """The mapping that applies to ``feature_name`` on ``server`` (see the module docstring),
    or ``None``."""
    server_id = getattr(server, "pk", server)
    scope = Q(server__isnull=True) | Q(server_id=server_id) if server_id else Q(server__isnull=True)
    candidates = FeatureMapping.objects.filter(scope).filter(
        Q(match_type=MatchType.REGEX) | Q(pattern=feature_name)
    )
    applicable = [m for m in candidates if matches(m, feature_name)]
    return min(applicable, key=_rank, default=None)


def display_name_for(feature_name: str, server: LicenseServer | int | None = None) -> str:
    """The display name of a feature code, falling back to the code itself."""
    mapping = mapping_for(feature_name, server)
    return mapping.display_name if mapping else feature_name
