"""Read-side questions shared by the client API, the panel, metrics and the staff API."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from licensing import versions
from licensing.models import (
    Activation,
    ClientEvent,
    ClientEventRollup,
    ClientEventTotal,
    License,
    LicenseSession,
    Product,
    Release,
)


def published_releases(product: Product, *, today: date | None = None) -> list[Release]:
    """Releases dated today or earlier, highest semantic version first."""
    today = today or timezone.localdate()
    releases = list(product.releases.filter(release_date__lte=today))
    return sorted(releases, key=lambda release: versions.parse(release.version), reverse=True)


def releases_newest_first(product: Product) -> list[Release]:
    """Every release (also future-dated ones), highest semantic version first."""
    return sorted(
        product.releases.all(), key=lambda release: versions.parse(release.version), reverse=True
    )


def latest_release(product: Product, *, today: date | None = None) -> Release | None:
    """The release offered as latest: the product's ``current_version`` when set, else the
    highest published release."""
    if product.current_version:
        release = product.releases.filter(version=product.current_version).first()
        if release:
            return release
    releases = published_releases(product, today=today)
    return releases[0] if releases else None


@dataclass(frozen=True)
class UpdateInfo:
    current_version: str
    update_available: bool
    latest_version: str | None
    release_date: date | None
    download_url: str
    release_notes: str
    is_mandatory: bool
    minimum_version: str
    below_minimum: bool


def is_below_minimum(product: Product, client_version: str) -> bool:
    if not product.minimum_version or not client_version:
        return False
    try:
        return versions.parse_lenient(client_version) < versions.parse(product.minimum_version)
    except versions.InvalidVersion:
        return False


def update_info(product: Product, client_version: str) -> UpdateInfo:
    """What a client at ``client_version`` should know. ``is_mandatory`` is true when any release
    newer than the client (up to the latest) is mandatory, or the client is below the product's
    minimum version. Raises ``InvalidVersion`` for a malformed ``client_version``."""
    current = versions.parse_lenient(client_version) if client_version else None
    latest = latest_release(product)
    below_minimum = is_below_minimum(product, client_version)
    if latest is None:
        return UpdateInfo(
            client_version,
            False,
            None,
            None,
            "",
            "",
            below_minimum,
            product.minimum_version,
            below_minimum,
        )
    latest_version = versions.parse(latest.version)
    update_available = current is None or current < latest_version
    mandatory = below_minimum
    if update_available and not mandatory:
        mandatory = any(
            release.is_mandatory
            and (current is None or versions.parse(release.version) > current)
            and versions.parse(release.version) <= latest_version
            for release in product.releases.filter(is_mandatory=True)
        )
    return UpdateInfo(
        current_version=client_version,
        update_available=update_available,
        latest_version=latest.version,
        release_date=latest.release_date,
        download_url=latest.download_url,
        release_notes=latest.release_notes,
        is_mandatory=mandatory,
        minimum_version=product.minimum_version,
        below_minimum=below_minimum,
    )


def latest_version_string(product: Product) -> str | None:
    """Cheap form for verify(): no query when the product names its current version."""
    if product.current_version:
        return product.current_version
    release = latest_release(product)
    return release.version if release else None


def active_activation_count(license: License) -> int:
    return license.activations.filter(is_active=True).count()


def _live_condition(now: datetime) -> Q:
    condition = Q(pk__in=[])
    for product_id, timeout in Product.objects.values_list("pk", "session_timeout"):
        condition |= Q(
            license__product_id=product_id, last_heartbeat__gte=now - timedelta(seconds=timeout)
        )
    return condition


def live_sessions(*, now: datetime | None = None):
    """Open sessions whose last heartbeat is within their product's timeout."""
    now = now or timezone.now()
    return LicenseSession.objects.filter(ended_at__isnull=True).filter(_live_condition(now))


def live_session_counts_by_product(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = dict.fromkeys(Product.objects.values_list("name", flat=True), 0)
    rows = live_sessions(now=now).values("license__product__name").annotate(n=Count("id"))
    for row in rows:
        counts[row["license__product__name"]] = row["n"]
    return counts


def heartbeats_last_minute(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return ClientEvent.objects.filter(
        kind="heartbeat", result="ok", at__gte=now - timedelta(minutes=1)
    ).count()


def _through_id() -> int:
    through = ClientEventRollup.objects.filter(pk=1).values_list("through_id", flat=True).first()
    return through or 0


def client_event_totals() -> dict[tuple[str, str], int]:
    """All-time counts of client calls by (kind, result): rolled-up totals plus the rows after
    the rollup's high-water mark. Read from the database, so every worker agrees."""
    for _ in range(3):  # a rollup committing between the two reads would double count
        through = _through_id()
        totals = {(row.kind, row.result): row.count for row in ClientEventTotal.objects.all()}
        if _through_id() == through:
            break
    recent = (
        ClientEvent.objects.filter(id__gt=through).values("kind", "result").annotate(n=Count("id"))
    )
    for row in recent:
        key = (row["kind"], row["result"])
        totals[key] = totals.get(key, 0) + row["n"]
    return totals


def license_counts_by_status(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return {
        status: License.objects.with_status(status).count()
        for status in ("active", "inactive", "expired", "pending")
    }


def activation_totals() -> dict[str, int]:
    row = Activation.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)), total=Count("id")
    )
    return {"active": row["active"], "total": row["total"]}


def total_max_users(licenses) -> int:
    return licenses.aggregate(n=Sum("max_users"))["n"] or 0
