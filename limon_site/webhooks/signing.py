"""Secrets at rest and the HMAC signature receivers check.

The endpoint secret is encrypted with Fernet under a key derived from ``SECRET_KEY`` (changing
``SECRET_KEY`` means rotating every webhook secret). A delivery carries::

    X-Limon-Webhook-Timestamp: 1750329000
    X-Limon-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, "{timestamp}.{raw body}")>
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

HEADER_SIGNATURE = "X-Limon-Webhook-Signature"
HEADER_TIMESTAMP = "X-Limon-Webhook-Timestamp"
HEADER_EVENT = "X-Limon-Webhook-Event"
HEADER_DELIVERY = "X-Limon-Webhook-Delivery"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a label, not a secret)


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"limon-webhook-secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("webhook secret cannot be decrypted (was SECRET_KEY changed?)") from exc


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, presented: str) -> bool:
    """What a receiver does (also used by the tests): constant-time comparison."""
    return hmac.compare_digest(signature(secret, timestamp, body), presented or "")
