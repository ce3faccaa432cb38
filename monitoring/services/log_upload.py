"""Streaming log uploads: each file goes straight from the request body to disk under
``VAR_DIR/log-imports/`` with its sha256 and size computed on the way, and never more than
one chunk of it in memory. A file over the limit, with another extension than ``.log`` /
``.txt``, or with NUL bytes in its first chunk stops the upload; whatever was written of
the request's files is deleted.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from monitoring.services.log_import import StoredFile

ALLOWED_SUFFIXES = (".log", ".txt")


def upload_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "log-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
