"""API key services: creation (clear key returned once), lookup in constant time, revocation."""

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from limon_site import audit
from limon_site.errors import NotFound, ValidationFailed
from limon_site.models import ApiKey, ApiKeyScope

KEY_ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 32
PREFIX_SECRET_CHARS = 8
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(clear_key: str) -> str:
    # Keys carry 190 bits of randomness, so a fast digest is safe and allows indexed lookup.
    return hashlib.sha256(clear_key.encode()).hexdigest()


def _new_clear_key() -> str:
    year = timezone.now().year
    return f"AF-{year}-" + "".join(secrets.choice(KEY_ALPHABET) for _ in range(SECRET_LENGTH))


def prefix_of(clear_key: str) -> str:
    """The displayable start of a key: ``AF-2026-`` plus its first 8 secret characters."""
    head, _, rest = clear_key.rpartition("-")
    return f"{head}-{rest[:PREFIX_SECRET_CHARS]}" if head else clear_key[:16]


@transaction.atomic
def create_api_key(
    *, name: str, scope: str, expires_days: int | None = None, created_by=None, actor=None
) -> tuple[ApiKey, str]:
    if scope not in ApiKeyScope.values:
        raise ValidationFailed(
            f"Unknown scope {scope!r}",
            details={"fields": {"scope": [f"Choose one of {', '.join(ApiKeyScope.values)}"]}},
        )
    if not name.strip():
        raise ValidationFailed("A key needs a name", details={"fields": {"name": ["Required"]}})
    if expires_days is not None and expires_days <= 0:
        raise ValidationFailed(
            "expires_days must be positive", details={"fields": {"expires_days": ["> 0"]}}
        )
    clear_key = _new_clear_key()
    key = ApiKey.objects.create(
        name=name.strip(),
        scope=scope,
        prefix=prefix_of(clear_key),
        secret_hash=hash_secret(clear_key),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
    )
    audit.record(
        actor=actor or created_by,
        action="api_key.created",
        target_type="api_key",
        target_id=key.prefix,
        changes={"name": key.name, "scope": key.scope},
    )
    return key, clear_key


@dataclass(frozen=True)
class KeyCheck:
    key: ApiKey | None
    reason: str  # "ok", "unknown", "revoked", "expired"


def check_key(clear_key: str) -> KeyCheck:
    """Look a presented key up by prefix and compare digests in constant time."""
    candidate = ApiKey.objects.filter(prefix=prefix_of(clear_key)).first()
    presented = hash_secret(clear_key)
    if candidate is None or not hmac.compare_digest(candidate.secret_hash, presented):
        return KeyCheck(None, "unknown")
    if candidate.revoked_at:
        return KeyCheck(candidate, "revoked")
    if candidate.expires_at and candidate.expires_at <= timezone.now():
        return KeyCheck(candidate, "expired")
    return KeyCheck(candidate, "ok")


def touch_last_used(key: ApiKey) -> None:
    """At most one write per key and minute, with a conditional UPDATE (no read-modify-write)."""
    now = timezone.now()
    if key.last_used_at and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=key.pk).exclude(last_used_at__gt=now - LAST_USED_RESOLUTION).update(
        last_used_at=now
    )


@transaction.atomic
def revoke_api_key(*, prefix: str, actor=None) -> ApiKey:
    key = ApiKey.objects.select_for_update().filter(prefix=prefix).first()
    if key is None:
        raise NotFound(f"No API key with prefix {prefix!r}", code="API_KEY_NOT_FOUND")
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor, action="api_key.revoked", target_type="api_key", target_id=key.prefix
        )
    return key
