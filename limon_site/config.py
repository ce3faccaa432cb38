"""Configuration in layers: shipped defaults → ``config.yml`` (path in ``LIMON_CONFIG_FILE``) and
``LIMON_<SECTION>_<KEY>`` environment variables → the database (panel and API).

Apps declare their sections with ``register_section`` at import time. Readers call ``get`` on
every use, so a change takes effect at the next poll without a restart.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from limon_site import audit
from limon_site.errors import ValidationFailed
from limon_site.models import ConfigSection

Validator = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Section:
    name: str
    defaults: dict[str, Any]
    validate: Validator | None = None
    description: str = ""
    secret_keys: frozenset[str] = field(default_factory=frozenset)


_sections: dict[str, Section] = {}


def register_section(
    name: str,
    defaults: dict[str, Any],
    *,
    validate: Validator | None = None,
    description: str = "",
    secret_keys: tuple[str, ...] = (),
) -> Section:
    section = Section(name, dict(defaults), validate, description, frozenset(secret_keys))
    _sections[name] = section
    return section


def sections() -> dict[str, Section]:
    return dict(_sections)


def _file_layer() -> dict[str, Any]:
    path = settings.LIMON_CONFIG_FILE
    if not path or not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _coerce(raw: str, like: Any) -> Any:
    if isinstance(like, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, float):
        return float(raw)
    if isinstance(like, list):
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def _env_layer(section: Section) -> dict[str, Any]:
    values = {}
    for key, default in section.defaults.items():
        raw = os.environ.get(f"LIMON_{section.name.upper()}_{key.upper()}".replace("-", "_"))
        if raw is not None:
            values[key] = _coerce(raw, default)
    return values


def _section(name: str) -> Section:
    try:
        return _sections[name]
    except KeyError:
        raise ValidationFailed(f"Unknown configuration section {name!r}") from None


def get(name: str) -> dict[str, Any]:
    section = _section(name)
    values = dict(section.defaults)
    values.update(_file_layer().get(name) or {})
    values.update(_env_layer(section))
    stored = ConfigSection.objects.filter(name=name).values_list("values", flat=True).first()
    values.update(stored or {})
    return values


def redacted(name: str) -> dict[str, Any]:
    section = _section(name)
    return {k: ("********" if k in section.secret_keys and v else v) for k, v in get(name).items()}


@transaction.atomic
def update(name: str, changes: dict[str, Any], *, actor=None) -> dict[str, Any]:
    """Validate and store ``changes`` in the database layer; audited (old → new)."""
    section = _section(name)
    unknown = sorted(set(changes) - set(section.defaults))
    if unknown:
        raise ValidationFailed(
            f"Unknown settings for {name}: {', '.join(unknown)}",
            details={"fields": {key: ["Unknown setting"] for key in unknown}},
        )
    before = get(name)
    merged = {**before, **changes}
    if section.validate:
        merged = section.validate(merged)
    row, _ = ConfigSection.objects.select_for_update().get_or_create(name=name)
    row.values = {**row.values, **{k: merged[k] for k in changes}}
    row.updated_by = audit.actor_of(actor)
    row.save()
    after = get(name)
    hidden = section.secret_keys
    audit.record(
        actor=actor,
        action="config.updated",
        target_type="config",
        target_id=name,
        changes={
            k: ({"old": "***", "new": "***"} if k in hidden else v)
            for k, v in audit.diff(before, after).items()
        },
    )
    return after


def export_yaml() -> str:
    return yaml.safe_dump({name: get(name) for name in sorted(_sections)}, sort_keys=True)


@transaction.atomic
def import_yaml(text: str, *, actor=None) -> dict[str, dict[str, Any]]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"Not valid YAML: {exc}", code="INVALID_YAML") from exc
    if not isinstance(data, dict):
        raise ValidationFailed("The YAML document must be a mapping of sections")
    unknown = sorted(set(data) - set(_sections))
    if unknown:
        raise ValidationFailed(f"Unknown sections: {', '.join(unknown)}")
    return {name: update(name, values or {}, actor=actor) for name, values in data.items()}


register_section(
    "system",
    {"company_name": "", "support_email": ""},
    description="Company information shown in reports and e-mails",
)
