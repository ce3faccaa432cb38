"""``verify``: is this license valid on this device, at this version? The hot path of the
license server: a handful of indexed queries, no lock. An invalid license is an answer
(``valid: false`` with a machine-readable ``reason``), not an error."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.db import connection
from django.utils import timezone

from licensing import calllog, queries, versions
from licensing.models import Activation, License, Product

# verify() refreshes an activation's last_heartbeat at most this often: a busy client must not
# turn every verification into a write (and the hot path reads no configuration).
VERIFY_TOUCH = timedelta(seconds=60)

MESSAGES = {
    None: "License is valid",
    "not_found": "License key not found",
    "inactive": "This license has been deactivated",
    "expired": "This license has expired",
    "not_activated_on_this_device": "This license is not activated on this device",
    "version_unsupported": "This version is no longer supported; please update",
}


@dataclass
class VerifyResult:
    valid: bool
    reason: str | None
    license: License | None
    activation: Activation | None
    update_available: bool
    latest_version: str | None
    is_mandatory: bool
    minimum_version: str

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]


def verify_license(
    *, key: str, hardware_hash: str, app_version: str = "", now: datetime | None = None
) -> VerifyResult:
    """Raises ``versions.InvalidVersion`` for a malformed ``app_version`` (a 400 for the API)."""
    now = now or timezone.now()
    if app_version:
        versions.parse_lenient(app_version)
    # The common case, a valid license on an activated device, is one query.
    activation = _active_activation(key, hardware_hash)
    license = activation.license if activation else None
    if license is None:
        license = License.objects.select_related("product").filter(key=key).first()
    if license is None:
        calllog.record("verify", "not_found")
        return VerifyResult(False, "not_found", None, None, False, None, False, "")

    product = license.product
    reason = None
    status = license.status_on(timezone.localdate(now))
    if status == "pending":
        reason = "expired"
    elif status != "active":
        reason = status
    elif activation is None:
        reason = "not_activated_on_this_device"
    if reason is not None:
        activation = None
    if reason is None and queries.is_below_minimum(product, app_version):
        reason = "version_unsupported"

    latest = queries.latest_version_string(product)
    update_available = bool(
        latest and app_version and versions.parse_lenient(app_version) < versions.parse(latest)
    )
    mandatory = reason == "version_unsupported"
    if update_available and not mandatory:
        mandatory = queries.update_info(product, app_version).is_mandatory

    if activation is not None:
        _touch(activation, app_version, now)
    calllog.record(
        "verify",
        "ok" if reason is None else reason,
        license_id=license.pk,
        activation_id=activation.pk if activation else None,
    )
    return VerifyResult(
        valid=reason is None,
        reason=reason,
        license=license,
        activation=activation,
        update_available=update_available,
        latest_version=latest,
        is_mandatory=mandatory,
        minimum_version=product.minimum_version,
    )


@cache
def _lookup_plan() -> tuple[str, list]:
    """The statement behind ``Activation.objects.select_related("license__product").filter(
    license__key=…, hardware_hash=…, is_active=True).first()``, written once per process: the
    ORM spends most of such a query's CPU building its SQL. Returns (sql, [(model, fields,
    converters)]) with the same column converters the ORM would apply."""
    quote = connection.ops.quote_name
    parts = [(Activation, "a"), (License, "l"), (Product, "p")]
    columns, plan = [], []
    for model, alias in parts:
        fields = model._meta.concrete_fields
        columns += [f"{alias}.{quote(field.column)}" for field in fields]
        converters = [
            connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection)
            for field in fields
        ]
        plan.append((model, fields, converters))
    ordering = ", ".join(
        f"a.{quote(Activation._meta.get_field(name.lstrip('-')).column)}"
        + (" DESC" if name.startswith("-") else " ASC")
        for name in Activation._meta.ordering
    )

    def column(alias: str, model, name: str) -> str:
        return f"{alias}.{quote(model._meta.get_field(name).column)}"

    # Every name comes from model metadata, quoted; the values are bound parameters.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(Activation._meta.db_table)} a"  # noqa: S608
        f" INNER JOIN {quote(License._meta.db_table)} l"
        f" ON {column('a', Activation, 'license')} = {column('l', License, 'id')}"
        f" INNER JOIN {quote(Product._meta.db_table)} p"
        f" ON {column('l', License, 'product')} = {column('p', Product, 'id')}"
        f" WHERE {column('l', License, 'key')} = %s"
        f" AND {column('a', Activation, 'hardware_hash')} = %s"
        f" AND {column('a', Activation, 'is_active')} ORDER BY {ordering} LIMIT 1"
    )
    return sql, plan


def _active_activation(key: str, hardware_hash: str) -> Activation | None:
    """The active activation of ``key`` on this device, its license and product loaded."""
    sql, plan = _lookup_plan()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, hardware_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for model, fields, converters in plan:
        values = []
        for offset, (field, field_converters) in enumerate(zip(fields, converters, strict=True)):
            value = row[start + offset]
            for convert in field_converters:
                value = convert(value, field.cached_col, connection)
            values.append(value)
        instances.append(model.from_db(connection.alias, [f.attname for f in fields], values))
        start += len(fields)
    activation, license, product = instances
    license.product = product
    activation.license = license
    return activation


def _touch(activation: Activation, app_version: str, now: datetime) -> None:
    """Refresh ``last_heartbeat`` (and the reported version), at most every ``VERIFY_TOUCH``."""
    version_changed = bool(app_version) and app_version != activation.app_version
    if not version_changed and now - activation.last_heartbeat < VERIFY_TOUCH:
        return
    calllog.touch_activation(activation.pk, now, app_version if version_changed else "")
    activation.last_heartbeat = now
