"""Streaming log uploads: each file goes straight from the request body to disk under
``VAR_DIR/log-imports/`` with its sha256 and size computed on the way, and never more than
one chunk of it in memory. A file over the limit, with another extension than ``.log`` /
``.txt``, or with NUL bytes in its first chunk stops the upload; whatever was written of
the request's files is deleted.

``start_import`` turns a finished upload into a queued import batch; the API and the panel
both call it, so both refuse the same uploads with the same errors.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django_q.tasks import async_task

from limon_site import config, product_license
from limon_site.errors import LimonError, ValidationFailed
from monitoring.conf import LOG_IMPORT
from monitoring.models import LicenseServer, LogImport
from monitoring.services.log_import import StoredFile, create_import

ALLOWED_SUFFIXES = (".log", ".txt")


def upload_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "log-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_limit_bytes() -> int:
    return config.get(LOG_IMPORT)["max_upload_mb"] * 1024 * 1024


@dataclass
class UploadProblem:
    code: str  # UNSUPPORTED_FILE_TYPE | FILE_TOO_LARGE
    file_name: str
    message: str


class LogUploadHandler(FileUploadHandler):
    """Set as ``request.upload_handlers = [LogUploadHandler(request, max_bytes)]`` before
    the body is read. ``stored`` lists the completed files, ``problem`` why it stopped.

    ``max_bytes`` may be a callable, read when the first file arrives: building the view (as
    the OpenAPI generator does) then needs no configuration and no database."""

    def __init__(self, request=None, *, max_bytes: int | Callable[[], int]):
        super().__init__(request)
        self._max_bytes = max_bytes
        self.stored: list[StoredFile] = []
        self.problem: UploadProblem | None = None
        self._handle = None
        self._path: Path | None = None

    @cached_property
    def max_bytes(self) -> int:
        return self._max_bytes() if callable(self._max_bytes) else self._max_bytes

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        name = Path(file_name or "").name
        if not name.lower().endswith(ALLOWED_SUFFIXES):
            self._stop("UNSUPPORTED_FILE_TYPE", name, "Only .log and .txt debug logs are accepted")
        self._path = upload_dir() / f"{uuid.uuid4().hex}.part"
        self._handle = open(self._path, "wb")  # noqa: SIM115 (closed in file_complete)
        self._digest = hashlib.sha256()
        self._size = 0

    def receive_data_chunk(self, raw_data, start):
        if self._size == 0 and b"\x00" in raw_data[:8192]:
            self._stop("UNSUPPORTED_FILE_TYPE", self.file_name, "This is a binary file, not a log")
        self._size += len(raw_data)
        if self._size > self.max_bytes:
            limit = self.max_bytes // (1024 * 1024)
            self._stop("FILE_TOO_LARGE", self.file_name, f"Log files are limited to {limit} MB")
        self._digest.update(raw_data)
        self._handle.write(raw_data)
        return None

    def file_complete(self, file_size):
        self._handle.close()
        self._handle = None
        final = self._path.with_suffix(".log")
        self._path.rename(final)
        name = Path(self.file_name).name
        stored = StoredFile(str(final), name, self._size, self._digest.hexdigest())
        self.stored.append(stored)
        self._path = None
        return stored

    def upload_interrupted(self):
        self._discard_current()

    def discard(self) -> None:
        """Delete every file of this request (refused request)."""
        self._discard_current()
        for stored in self.stored:
            Path(stored.path).unlink(missing_ok=True)
        self.stored = []

    def _discard_current(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None

    def _stop(self, code: str, name: str, message: str):
        self.problem = UploadProblem(code, name, message)
        self.discard()
        raise StopUpload(connection_reset=False)


def start_import(
    *, upload: LogUploadHandler, server_id, timezone_name: str = "", created_by: str = ""
) -> LogImport:
    """Queue the upload's files as one import batch for the django-q2 worker (started when
    the transaction commits). Needs LiMon's ``log_import`` license feature. A refused upload
    (file type, size, no files, unknown server or time zone) raises and keeps no file."""
    try:
        product_license.require_feature("log_import")
        _check_upload(upload)
        server = _server(server_id)
        zone = _zone(timezone_name or "")
    except LimonError:
        upload.discard()
        raise
    with transaction.atomic():
        batch = create_import(
            server=server, files=upload.stored, timezone_name=zone, created_by=created_by
        )
        transaction.on_commit(lambda: async_task("monitoring.tasks_logs.run_import", batch.pk))
    batch.refresh_from_db()
    return batch


def _check_upload(upload: LogUploadHandler) -> None:
    problem = upload.problem
    if problem is not None:
        raise LimonError(
            problem.message,
            code=problem.code,
            status=413 if problem.code == "FILE_TOO_LARGE" else 400,
            details={"file": problem.file_name},
        )
    if not upload.stored:
        raise ValidationFailed(
            "Send one or more .log or .txt files in 'files'",
            details={"fields": {"files": ["This field is required."]}},
        )


def _zone(name: str) -> str:
    """Empty (the server's zone) or a valid IANA zone name."""
    if name:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationFailed(
                "timezone must be an IANA time zone name",
                details={"fields": {"timezone": ["Unknown time zone."]}},
            ) from None
    return name


def _server(value) -> LicenseServer:
    try:
        return LicenseServer.objects.get(pk=int(value))
    except (TypeError, ValueError, LicenseServer.DoesNotExist):
        raise ValidationFailed(
            "server_id must name an existing license server",
            details={"fields": {"server_id": ["Unknown license server."]}},
        ) from None
