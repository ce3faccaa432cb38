"""LiMon license client, to embed in a desktop application.

Standard library plus ``cryptography`` only (no Django): copy this one file into your app.
Every answer is checked against the server's Ed25519 public key that you pin in the app, so a
faked local server or a replayed answer is rejected (``SignatureError``).

    client = LicenseClient("https://licenses.example.com", api_key="AF-2026-…",
                           public_key_pem=PINNED_PEM, license_key="ABCD-EFGH-JKLM-NPQR",
                           app_version="1.2.0")
    client.activate()
    if not client.verify()["valid"]: ...
    client.start_session()            # heartbeats in a background thread, restarts after a timeout
    ...
    client.end_session()

See docs/licensing-client.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import platform
import secrets
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SIGNATURE_PREFIX = "LIMON-SIG-1"
LICENSE_FILE_PREFIX = b"LIMON-LICENSE-1\n"


class LicenseClientError(Exception):
    """Base class of everything this client raises."""


class SignatureError(LicenseClientError):
    """The answer is not signed by the pinned key, was tampered with, or is a replay."""


class ServerUnreachable(LicenseClientError):
    """No answer (network down, DNS, timeout). Offline? Use the license file."""


class LicenseServerError(LicenseClientError):
    """A genuine (signed) error answer: ``code`` such as ``ACTIVATION_LIMIT_REACHED``."""

    def __init__(self, status: int, body: dict, retry_after: int | None = None):
        self.status = status
        self.code = body.get("code", "ERROR")
        self.details = body.get("details") or {}
        self.body = body
        self.retry_after = retry_after
        super().__init__(f"{status} {self.code}: {body.get('error', '')}")


def default_hardware_hash() -> str:
    """A stable identifier of this machine (MAC-derived node id, host name, architecture)."""
    raw = f"{uuid.getnode():012x}|{platform.node()}|{platform.machine()}|{platform.system()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the pinned key must be an Ed25519 public key")
    return key


def response_message(*, timestamp: str, nonce: str, method: str, path: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{SIGNATURE_PREFIX}\n{timestamp}\n{nonce}\n{method.upper()}\n{path}\n{digest}".encode()


def check_signature(
    public_key: Ed25519PublicKey,
    *,
    headers: dict[str, str],
    method: str,
    path: str,
    body: bytes,
    nonce: str,
    max_skew_seconds: int = 300,
    now: float | None = None,
) -> None:
    """Raise ``SignatureError`` unless the answer is genuine, fresh and for this request."""
    lower = {name.lower(): value for name, value in headers.items()}
    signature = lower.get("x-limon-signature")
    timestamp = lower.get("x-limon-timestamp", "")
    if not signature or not timestamp.isdigit():
        raise SignatureError("the answer is not signed")
    if nonce and lower.get("x-request-nonce") != nonce:
        raise SignatureError("the answer does not echo our nonce (replayed?)")
    if abs((now or time.time()) - int(timestamp)) > max_skew_seconds:
        raise SignatureError("the answer's timestamp is too old or in the future")
    message = response_message(
        timestamp=timestamp, nonce=nonce, method=method, path=path, body=body
    )
    try:
        public_key.verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError("bad signature: the answer was not signed by the pinned key") from exc


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_license_file(
    license_file: str,
    public_key_pem: str | bytes,
    *,
    hardware_hash: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Check an offline license file without the network; returns its payload. Raises
    ``SignatureError`` (forged or altered), or ``LicenseClientError`` (other device, expired)."""
    try:
        body_part, signature_part = license_file.strip().split(".")
        body, signature = _b64url_decode(body_part), _b64url_decode(signature_part)
    except ValueError as exc:
        raise SignatureError("not a LiMon license file") from exc
    try:
        load_public_key(public_key_pem).verify(signature, LICENSE_FILE_PREFIX + body)
    except InvalidSignature as exc:
        raise SignatureError("the license file's signature is not valid") from exc
    payload = json.loads(body)
    if payload.get("hardware_hash") != hardware_hash:
        raise LicenseClientError("the license file was issued for another device")
    expires_at = datetime.fromisoformat(payload["expires_at"].replace("Z", "+00:00"))
    if (now or datetime.now(UTC)) >= expires_at:
        raise LicenseClientError("the license file has expired; connect to renew it")
    return payload


SessionCallback = Callable[[str, dict], None]


class LicenseClient:
    """One license on this machine. Thread-safe for the calls the heartbeat thread makes."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str,
        public_key_pem: str | bytes,
        license_key: str,
        hardware_hash: str | None = None,
        machine_name: str | None = None,
        app_version: str = "",
        timeout: float = 10.0,
        max_skew_seconds: int = 300,
        on_session_event: SessionCallback | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self._base_path = urllib.parse.urlsplit(self.base_url).path
        self.api_key = api_key
        self.public_key = load_public_key(public_key_pem)
        self.public_key_pem = public_key_pem
        self.license_key = license_key.strip().upper()
        self.hardware_hash = hardware_hash or default_hardware_hash()
        self.machine_name = machine_name or socket.gethostname()
        self.app_version = app_version
        self.timeout = timeout
        self.max_skew_seconds = max_skew_seconds
        self.on_session_event = on_session_event or (lambda kind, info: None)
        self.session: dict | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- transport --------------------------------------------------------------------

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        """One signed call: returns the JSON body, raises ``LicenseServerError`` for a genuine
        error answer, ``SignatureError`` for anything not signed by the pinned key."""
        nonce = secrets.token_urlsafe(16)
        data = json.dumps(body).encode() if body is not None else None
        headers = {
            "X-API-Key": self.api_key,
            "X-Request-Nonce": nonce,
            "Accept": "application/json",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 (the URL is the configured server)
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            status, raw, answer_headers = exc.code, exc.read(), exc.headers
        except (urllib.error.URLError, OSError) as exc:
            raise ServerUnreachable(str(exc)) from exc
        check_signature(
            self.public_key,
            headers=dict(answer_headers.items()),
            method=method,
            path=self._base_path + path,
            body=raw,
            nonce=nonce,
            max_skew_seconds=self.max_skew_seconds,
        )
        payload = json.loads(raw or b"{}")
        if status >= 400:
            retry = answer_headers.get("Retry-After")
            raise LicenseServerError(status, payload, int(retry) if retry else None)
        return payload

    # --- license ----------------------------------------------------------------------

    def _identity(self) -> dict:
        return {"license_key": self.license_key, "hardware_hash": self.hardware_hash}

    def activate(self) -> dict:
        return self.request(
            "POST",
            "/api/license/activate",
            {
                **self._identity(),
                "machine_name": self.machine_name,
                "app_version": self.app_version,
            },
        )

    def deactivate(self) -> dict:
        return self.request("POST", "/api/license/deactivate", self._identity())

    def verify(self) -> dict:
        """``{"valid": bool, "reason": …}``: an invalid license is an answer, not an error."""
        return self.request(
            "POST", "/api/license/verify", {**self._identity(), "app_version": self.app_version}
        )

    def info(self) -> dict:
        return self.request("GET", f"/api/license/info/{urllib.parse.quote(self.license_key)}")

    def check_version(self, current_version: str | None = None) -> dict:
        return self.request(
            "POST",
            "/api/version/check",
            {
                "current_version": current_version or self.app_version,
                "license_key": self.license_key,
            },
        )

    def latest_version(self) -> dict:
        query = urllib.parse.urlencode({"license_key": self.license_key})
        return self.request("GET", f"/api/version/latest?{query}")

    def fetch_license_file(self) -> str:
        """A signed file to store for offline use (check it with ``verify_offline``)."""
        query = urllib.parse.urlencode({"hardware_hash": self.hardware_hash})
        key = urllib.parse.quote(self.license_key)
        return self.request("GET", f"/api/license/{key}/license-file?{query}")["license_file"]

    def verify_offline(self, license_file: str, *, now: datetime | None = None) -> dict:
        return verify_license_file(
            license_file, self.public_key_pem, hardware_hash=self.hardware_hash, now=now
        )

    # --- sessions ---------------------------------------------------------------------

    def start_session(self, *, heartbeat: bool = True) -> dict:
        """Start a session (409 ``SESSION_LIMIT`` raises ``LicenseServerError``); with
        ``heartbeat`` a daemon thread keeps it alive and restarts it after a timeout."""
        answer = self._start()
        if heartbeat and (self._thread is None or not self._thread.is_alive()):
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._heartbeat_loop, name="limon-heartbeat", daemon=True
            )
            self._thread.start()
        return answer

    def _start(self) -> dict:
        answer = self.request(
            "POST",
            "/api/license/session/start",
            {**self._identity(), "machine_id": self.machine_name, "version": self.app_version},
        )
        with self._lock:
            self.session = answer
        return answer

    def heartbeat(self) -> dict:
        with self._lock:
            token = self.session["session_token"] if self.session else None
        if token is None:
            raise LicenseClientError("no session")
        answer = self.request(
            "POST",
            "/api/license/session/heartbeat",
            {"session_token": token, "license_key": self.license_key},
        )
        with self._lock:
            if self.session and self.session["session_token"] == token:
                self.session.update(expires_at=answer["expires_at"])
        return answer

    def end_session(self) -> dict | None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.timeout + 1)
        with self._lock:
            token = self.session["session_token"] if self.session else None
            self.session = None
        if token is None:
            return None
        return self.request(
            "POST",
            "/api/license/session/end",
            {"session_token": token, "license_key": self.license_key},
        )

    def _heartbeat_loop(self) -> None:
        delay = self._interval()
        while not self._stop.wait(delay):
            delay = self._interval()
            try:
                self.heartbeat()
                self.on_session_event("heartbeat", {})
            except LicenseServerError as exc:
                if exc.code == "HEARTBEAT_RATE_LIMITED":
                    delay = exc.retry_after or delay
                elif exc.code in ("SESSION_ENDED", "SESSION_NOT_FOUND"):
                    delay = self._restart(exc)
                    if delay is None:
                        return
                else:
                    self.on_session_event("lost", {"error": exc.code})
                    return
            except (ServerUnreachable, SignatureError) as exc:
                self.on_session_event("error", {"error": str(exc)})
                delay = min(delay, 15)

    def _restart(self, cause: LicenseServerError) -> float | None:
        try:
            self._start()
        except LicenseServerError as exc:
            self.on_session_event("lost", {"error": exc.code, "cause": cause.code})
            return None
        self.on_session_event("restarted", {"cause": cause.code})
        return self._interval()

    def _interval(self) -> float:
        with self._lock:
            session = self.session or {}
        return float(session.get("heartbeat_interval", 60))

    def close(self) -> None:
        self._stop.set()
