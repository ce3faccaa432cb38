"""API key services: creation (clear key returned once), lookup in constant time, revocation.

A successful lookup is remembered in the shared Django cache (Redis or the database cache, both
seen by every worker) for ``LIMON_API_KEY_CACHE_SECONDS``, so a busy client costs one cache read
instead of an ORM query. The entry is named after a digest of the key's ``secret_hash``, never
the secret, and holds only id, name, scope, prefix and expiry; expiry is checked on every request.
Revoking, editing or deleting a key overwrites its entry with a tombstone (see ``forget``)."""

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from limon_site import audit
from limon_site.errors import NotFound, ValidationFailed
from limon_site.models import ApiKey, ApiKeyScope

KEY_ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 32
PREFIX_SECRET_CHARS = 8
LAST_USED_RESOLUTION = timedelta(minutes=1)
CACHE_PREFIX = "api-key:"
# Stored in place of an entry when its key changes: lookups go to the database, and a request
# that read the key just before the change cannot re-cache it (entries are written with add()).
TOMBSTONE = "changed"
TOMBSTONE_MARGIN_SECONDS = 5

# When this worker last recorded each key's use (by prefix, which is never reused): spares the
# UPDATE, and a cached key carries no last_used_at to decide with.
_last_touched: dict[str, datetime] = {}


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


def _cache_name(secret_hash: str) -> str:
    return CACHE_PREFIX + hashlib.sha256(f"limon-api-key:{secret_hash}".encode()).hexdigest()


def _cache_seconds() -> int:
    return settings.LIMON_API_KEY_CACHE_SECONDS


def _judge(key: ApiKey) -> KeyCheck:
    if key.revoked_at:
        return KeyCheck(key, "revoked")
    if key.expires_at and key.expires_at <= timezone.now():
        return KeyCheck(key, "expired")
    return KeyCheck(key, "ok")


def _from_entry(entry: dict) -> ApiKey:
    key = ApiKey(
        pk=entry["id"],
        name=entry["name"],
        scope=entry["scope"],
        prefix=entry["prefix"],
        expires_at=entry["expires_at"],
    )
    key._state.adding = False
    key._state.db = "default"
    return key


def check_key(clear_key: str) -> KeyCheck:
    """Look a presented key up by prefix and compare digests in constant time.

    A cached entry is found by a digest of the presented key's digest, so finding one is the
    same proof as a matching ``secret_hash``; only usable keys are cached."""
    presented = hash_secret(clear_key)
    name = _cache_name(presented) if _cache_seconds() > 0 else None
    entry = cache.get(name) if name else None
    if isinstance(entry, dict):
        return _judge(_from_entry(entry))
    candidate = ApiKey.objects.filter(prefix=prefix_of(clear_key)).first()
    if candidate is None or not hmac.compare_digest(candidate.secret_hash, presented):
        return KeyCheck(None, "unknown")
    result = _judge(candidate)
    if name and entry is None and result.reason == "ok":
        remembered = {
            "id": candidate.pk,
            "name": candidate.name,
            "scope": candidate.scope,
            "prefix": candidate.prefix,
            "expires_at": candidate.expires_at,
        }
        cache.add(name, remembered, timeout=_cache_seconds())
    return result


def forget(secret_hash: str) -> None:
    """Replace a key's cache entry by a tombstone: every worker reads it from the database again."""
    if _cache_seconds() > 0:
        cache.set(
            _cache_name(secret_hash),
            TOMBSTONE,
            timeout=_cache_seconds() + TOMBSTONE_MARGIN_SECONDS,
        )


def touch_last_used(key: ApiKey) -> None:
    """At most one write per key and minute, with a conditional UPDATE (no read-modify-write)."""
    now = timezone.now()
    seen = max(filter(None, [key.last_used_at, _last_touched.get(key.prefix)]), default=None)
    if seen and now - seen < LAST_USED_RESOLUTION:
        return
    _last_touched[key.prefix] = now
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
        # Now (inside this transaction) and again once committed: see TOMBSTONE.
        forget(key.secret_hash)
        transaction.on_commit(lambda: forget(key.secret_hash))
        audit.record(
            actor=actor, action="api_key.revoked", target_type="api_key", target_id=key.prefix
        )
    return key


@receiver(post_save, sender=ApiKey, dispatch_uid="api_key_changed")
def _key_saved(sender, instance: ApiKey, created: bool, **kwargs) -> None:
    """Edits outside the services (the Django admin) take effect at once too."""
    if not created:
        forget(instance.secret_hash)


@receiver(post_delete, sender=ApiKey, dispatch_uid="api_key_deleted")
def _key_deleted(sender, instance: ApiKey, **kwargs) -> None:
    forget(instance.secret_hash)
    _last_touched.pop(instance.prefix, None)
