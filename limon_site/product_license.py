"""LiMon's own product license: a 30-day evaluation from installation, then an Ed25519-signed
key issued by the vendor for this installation.

Key format: ``base64url(payload JSON) "." base64url(signature)``; payload fields:
``installation_id``, ``tier`` (``standard|professional``), ``features`` (list), ``issued_at`` and
``expires_at`` (ISO 8601, UTC). The public key is ``settings.LIMON_LICENSE_PUBLIC_KEY``; the
private key stays with the vendor.

Feature gates: ``log_import`` needs any valid license or a running evaluation;
``intelligence`` needs that feature in the key; ``webhooks`` needs the professional tier.
An evaluation unlocks everything so the whole product can be tried.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from limon_site import audit
from limon_site.errors import Forbidden, ValidationFailed
from limon_site.models import Installation

TIERS = ("standard", "professional")
KNOWN_FEATURES = ("log_import", "intelligence", "webhooks")
ALWAYS_LICENSED = frozenset({"log_import"})


class InvalidLicense(ValidationFailed):
    code = "INVALID_LICENSE"


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_public_key(text: str) -> Ed25519PublicKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text))


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def issue(
    *,
    private_key: Ed25519PrivateKey,
    installation_id: str,
    tier: str,
    features: list[str],
    days: int,
) -> str:
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}")
    unknown = set(features) - set(KNOWN_FEATURES)
    if unknown:
        raise ValueError(f"unknown features: {sorted(unknown)}")
    now = datetime.now(UTC).replace(microsecond=0)
    payload = {
        "installation_id": str(installation_id),
        "tier": tier,
        "features": sorted(set(features)),
        "issued_at": now.isoformat(),
        "expires_at": (now + timedelta(days=days)).isoformat(),
    }
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return f"{_b64e(body)}.{_b64e(private_key.sign(body))}"


def verify(key: str) -> dict:
    """The payload of a genuine key, or InvalidLicense. Does not check the installation."""
    try:
        body_part, signature_part = key.strip().split(".")
        body, signature = _b64d(body_part), _b64d(signature_part)
        load_public_key(settings.LIMON_LICENSE_PUBLIC_KEY).verify(signature, body)
        payload = json.loads(body)
        payload["expires_at_dt"] = datetime.fromisoformat(payload["expires_at"])
    except (ValueError, binascii.Error, InvalidSignature, KeyError, json.JSONDecodeError) as exc:
        raise InvalidLicense("The license key's signature is not valid") from exc
    return payload


@dataclass(frozen=True)
class LicenseStatus:
    installation_id: str
    status: str  # evaluation | licensed | expired
    tier: str | None
    features: list[str]
    expires_at: datetime | None
    days_left: int

    def as_dict(self) -> dict:
        return {
            "installation_id": self.installation_id,
            "status": self.status,
            "tier": self.tier,
            "features": self.features,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "days_left": self.days_left,
        }


def _days_left(expires_at: datetime) -> int:
    return max(0, (expires_at - timezone.now()).days)


def current_status() -> LicenseStatus:
    installation = Installation.current()
    installation_id = str(installation.installation_id)
    if installation.license_key:
        payload = verify(installation.license_key)
        expires_at = payload["expires_at_dt"]
        if expires_at > timezone.now():
            features = set(payload["features"]) | ALWAYS_LICENSED
            if payload["tier"] == "professional":
                features.add("webhooks")
            return LicenseStatus(
                installation_id,
                "licensed",
                payload["tier"],
                sorted(features),
                expires_at,
                _days_left(expires_at),
            )
    evaluation_end = installation.installed_at + timedelta(days=settings.LIMON_EVALUATION_DAYS)
    if evaluation_end > timezone.now() and not installation.license_key:
        return LicenseStatus(
            installation_id,
            "evaluation",
            "professional",
            sorted(KNOWN_FEATURES),
            evaluation_end,
            _days_left(evaluation_end),
        )
    return LicenseStatus(installation_id, "expired", None, [], None, 0)


def has_feature(feature: str) -> bool:
    return feature in current_status().features


def require_feature(feature: str) -> None:
    state = current_status()
    if feature not in state.features:
        raise Forbidden(
            f"This needs a LiMon license with the '{feature}' feature "
            f"(current status: {state.status})",
            code="LICENSE_REQUIRED",
            details={"feature": feature, "license_status": state.status},
        )


@transaction.atomic
def install(*, key: str, actor=None) -> LicenseStatus:
    payload = verify(key)
    installation = Installation.objects.select_for_update().get(pk=Installation.current().pk)
    if payload.get("installation_id") != str(installation.installation_id):
        raise InvalidLicense(
            "This license key was issued for another installation",
            details={"installation_id": str(installation.installation_id)},
        )
    if payload["expires_at_dt"] <= timezone.now():
        raise InvalidLicense("This license key has expired")
    installation.license_key = key.strip()
    installation.license_installed_at = timezone.now()
    installation.save(update_fields=["license_key", "license_installed_at"])
    audit.record(
        actor=actor,
        action="product_license.installed",
        target_type="installation",
        target_id=installation.installation_id,
        changes={
            "tier": payload["tier"],
            "features": payload["features"],
            "expires_at": payload["expires_at"],
        },
    )
    return current_status()
