"""Ed25519 signatures that let a desktop app tell a genuine LiMon answer from a fake one.

Response signature (header ``X-Limon-Signature``, base64) over the UTF-8 message::

    LIMON-SIG-1\\n{timestamp}\\n{nonce}\\n{METHOD}\\n{path_with_query}\\n{sha256_hex(body)}

``timestamp`` is the ``X-Limon-Timestamp`` header (Unix seconds), ``nonce`` the client's
``X-Request-Nonce`` (empty when none was sent). Offline license files are
``base64url(payload JSON) "." base64url(signature)`` where the signature covers
``b"LIMON-LICENSE-1\\n" + payload``; the different prefixes keep one kind of signature from being
replayed as the other.

The private key comes from ``LIMON_SIGNING_KEY`` (PEM) or the file ``LIMON_SIGNING_KEY_FILE``
(default ``var/licensing_signing_key.pem``, written by ``manage.py create_signing_key``).
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from limon_site.errors import LimonError

SIGNATURE_PREFIX = "LIMON-SIG-1"
LICENSE_FILE_PREFIX = b"LIMON-LICENSE-1\n"
HEADER_SIGNATURE = "X-Limon-Signature"
HEADER_TIMESTAMP = "X-Limon-Timestamp"
HEADER_KEY_ID = "X-Limon-Key-Id"
HEADER_NONCE = "X-Request-Nonce"
MAX_NONCE_LENGTH = 128


class SigningKeyMissing(LimonError):
    status = 503
    code = "SIGNING_KEY_MISSING"


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    public_raw: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.public_raw).hexdigest()[:16]

    @property
    def public_pem(self) -> str:
        return (
            self.private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    @property
    def public_base64(self) -> str:
        return base64.b64encode(self.public_raw).decode()

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def _from_pem(pem: bytes) -> SigningKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyMissing("The licensing signing key is not an Ed25519 private key")
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return SigningKey(key, raw)


@lru_cache(maxsize=4)
def _load(pem_from_env: str, file_path: str, file_mtime: float) -> SigningKey:
    if pem_from_env:
        return _from_pem(pem_from_env.encode())
    return _from_pem(Path(file_path).read_bytes())


def signing_key() -> SigningKey:
    """The configured key, or 503 ``SIGNING_KEY_MISSING`` with the remedy."""
    pem = settings.LIMON_SIGNING_KEY
    path = str(settings.LIMON_SIGNING_KEY_FILE)
    mtime = 0.0
    if not pem:
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            raise SigningKeyMissing(
                "No licensing signing key: set LIMON_SIGNING_KEY / LIMON_SIGNING_KEY_FILE or run "
                "`manage.py create_signing_key`",
                details={"key_file": path},
            ) from None
    return _load(pem, path, mtime)


def new_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def write_key_file(path: Path, *, force: bool = False) -> SigningKey:
    """Create ``path`` with mode 600 (refuses to overwrite unless ``force``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = new_private_key_pem()
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.chmod(path, 0o600)
    return _from_pem(pem)


def response_message(*, timestamp: str, nonce: str, method: str, path: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{SIGNATURE_PREFIX}\n{timestamp}\n{nonce}\n{method.upper()}\n{path}\n{digest}".encode()


def sign_response(*, timestamp: str, nonce: str, method: str, path: str, body: bytes) -> dict:
    """The headers to add to a client-endpoint response."""
    key = signing_key()
    message = response_message(
        timestamp=timestamp, nonce=nonce, method=method, path=path, body=body
    )
    headers = {
        HEADER_SIGNATURE: base64.b64encode(key.sign(message)).decode(),
        HEADER_TIMESTAMP: timestamp,
        HEADER_KEY_ID: key.key_id,
    }
    if nonce:
        headers[HEADER_NONCE] = nonce
    return headers


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_license_file(payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    signature = signing_key().sign(LICENSE_FILE_PREFIX + body)
    return f"{_b64url(body)}.{_b64url(signature)}"
