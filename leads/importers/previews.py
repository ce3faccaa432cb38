"""Pending imports between the preview and the confirmation: the parsed rows are kept in a file
under ``VAR_DIR/leads-imports/`` named by a random token, tied to the user and their session
(never in the session cookie), and discarded after ``import_preview_hours``."""

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from limon_site.errors import NotFound

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class PendingImport:
    token: str
    filename: str
    rows: list[dict[str, str]]
    unknown_headers: list[str]


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "leads-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _owner(request) -> dict[str, str]:
    session_key = request.session.session_key or ""
    return {
        "user": str(request.user.pk),
        "session": hashlib.sha256(session_key.encode()).hexdigest(),
    }


def purge(*, max_age_hours: int) -> int:
    """Removes previews older than ``max_age_hours``; returns how many."""
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for path in _folder().glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def save(request, *, filename: str, rows: list, unknown_headers: list[str]) -> str:
    if not request.session.session_key:
        request.session.save()
    token = secrets.token_urlsafe(24)
    payload = {
        **_owner(request),
        "filename": filename,
        "rows": rows,
        "unknown_headers": unknown_headers,
    }
    path = _folder() / f"{token}.json"
    with open(path, "x", encoding="utf-8") as handle:
        json.dump(payload, handle)
    path.chmod(0o600)
    return token


def load(request, token: str, *, max_age_hours: int) -> PendingImport:
    """The pending import, if ``token`` is this user's and session's and not expired."""
    missing = NotFound(
        "This import preview has expired or is not yours; please upload the file again",
        code="IMPORT_NOT_FOUND",
    )
    if not _TOKEN.match(token or ""):
        raise missing
    path = _folder() / f"{token}.json"
    try:
        if path.stat().st_mtime < time.time() - max_age_hours * 3600:
            path.unlink(missing_ok=True)
            raise missing
        with open(path, encoding="utf-8") as handle:
            payload = json.load(handle)
    except (FileNotFoundError, json.JSONDecodeError):
        raise missing from None
    owner = _owner(request)
    if not (
        secrets.compare_digest(payload.get("user", ""), owner["user"])
        and secrets.compare_digest(payload.get("session", ""), owner["session"])
    ):
        raise missing
    return PendingImport(token, payload["filename"], payload["rows"], payload["unknown_headers"])


def discard(token: str) -> None:
    if _TOKEN.match(token or ""):
        (_folder() / f"{token}.json").unlink(missing_ok=True)
