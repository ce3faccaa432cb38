"""License-manager kinds and their status tools: which binary, which arguments, which parser.

``TOOL_KINDS`` is an open registry keyed by ``LicenseServer.kind``; adding a license manager
(LM-X, DSLS …) means registering one :class:`ToolKind` here and one parser in
``monitoring.parsers.PARSERS`` — nothing else names a kind.

Tools always run from an argument list, never through a shell, so a server address or a
configured path cannot inject a command.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from limon_site import config
from monitoring.conf import MONITORING, TOOLS
from monitoring.parsers import PARSERS, StatusParser

if TYPE_CHECKING:
    from monitoring.models import LicenseServer

#: Seconds ``validate_tool`` waits for a version answer.
VALIDATE_TIMEOUT_SECONDS = 10
#: Characters of stderr kept in an error message.
_STDERR_TAIL = 500


@dataclass(frozen=True)
class ToolKind:
    """How to ask one kind of license manager for its status.

    ``in_use_includes_reserved``: the tool's "in use" total already counts seats held idle by
    reservations (FlexNet does; RLM prints them apart), so polling subtracts them to get the
    seats people really hold.
    """

    kind: str
    config_key: str
    build_args: Callable[[str, str], list[str]]
    in_use_includes_reserved: bool = False
    version_flag: str = "-v"

    @property
    def parser(self) -> StatusParser:
        return PARSERS[self.kind]


TOOL_KINDS: dict[str, ToolKind] = {}


def register_tool_kind(tool: ToolKind) -> ToolKind:
    TOOL_KINDS[tool.kind] = tool
    return tool


register_tool_kind(
    ToolKind(
        kind="flexlm",
        config_key="lmutil_path",
        build_args=lambda binary, address: [binary, "lmstat", "-a", "-c", address],
        in_use_includes_reserved=True,
    )
)
register_tool_kind(
    ToolKind(
        kind="rlm",
        config_key="rlmutil_path",
        build_args=lambda binary, address: [binary, "rlmstat", "-a", "-c", address],
    )
)


class ToolError(Exception):
    """The status tool gave no usable answer. ``reason`` is one of ``unknown_kind``,
    ``not_found``, ``not_executable``, ``timeout``, ``killed``, ``failed``."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def tool_kind(kind: str) -> ToolKind:
    try:
        return TOOL_KINDS[kind]
    except KeyError:
        message = f"No status tool is registered for kind {kind!r}"
        raise ToolError(message, reason="unknown_kind") from None


def resolve_binary(path: str) -> str:
    """The absolute path of ``path`` (a path, or a program name looked up on ``PATH``)."""
    if os.sep in path or (os.altsep and os.altsep in path):
        if not os.path.isfile(path):
            raise ToolError(f"Status tool {path!r} does not exist", reason="not_found")
        if not os.access(path, os.X_OK):
            raise ToolError(f"Status tool {path!r} is not executable", reason="not_executable")
        return os.path.abspath(path)
    found = shutil.which(path)
    if found is None:
        raise ToolError(f"Status tool {path!r} was not found on PATH", reason="not_found")
    return found


def _run(args: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    """Run ``args`` in its own process group; on timeout the whole group is killed, so a
    wrapper script's children cannot keep the pipes (and this poll) open."""
    try:
        process = subprocess.Popen(  # noqa: S603 - argument list, never a shell
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except PermissionError as exc:
        raise ToolError(
            f"Status tool {args[0]!r} is not executable", reason="not_executable"
        ) from exc
    except OSError as exc:
        raise ToolError(f"Status tool {args[0]!r} could not start: {exc}", reason="failed") from exc
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ToolError(f"Status tool timed out after {timeout:g} s", reason="timeout") from None
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _says_something(text: str, parser: StatusParser) -> bool:
    report = parser(text.splitlines())
    return bool(report.error or report.servers or report.vendors or report.features)


def run_status_tool(
    server: LicenseServer, *, timeout: float | None = None, tools: dict | None = None
) -> str:
    """The status text of ``server`` as its kind's tool prints it.

    ``timeout`` defaults to the ``monitoring.poll_timeout_seconds`` setting and ``tools`` (the
    ``tools`` configuration section) is read when not given. A non-zero exit
    is accepted when the output still says something (``lmstat`` exits 1 with "Cannot connect
    …", which the parser turns into a server error); a tool killed by a signal never is, since
    its output may stop in the middle of the user list.

    Raises :class:`ToolError` on an unknown kind, a missing or non-executable binary, a
    timeout, a kill, or a failure without usable output.
    """
    tool = tool_kind(server.kind)
    if timeout is None:
        timeout = config.get(MONITORING)["poll_timeout_seconds"]
    binary = resolve_binary((tools or config.get(TOOLS))[tool.config_key])
    completed = _run(tool.build_args(binary, server.address), timeout=timeout)
    text = _decode(completed.stdout)
    if completed.returncode < 0:
        name = signal.Signals(-completed.returncode).name
        raise ToolError(f"Status tool was killed by {name}", reason="killed")
    if completed.returncode != 0 and not _says_something(text, tool.parser):
        detail = _decode(completed.stderr).strip()[-_STDERR_TAIL:] or "no output"
        raise ToolError(
            f"Status tool exited with status {completed.returncode}: {detail}", reason="failed"
        )
    return text


def validate_tool(path: str, *, version_flag: str = "-v") -> dict[str, Any]:
    """Check a configured status tool without running it through a shell.

    Returns a dict:

    * ``path`` — the path as given; ``resolved`` — the absolute path found (or ``None``);
    * ``exists`` — a file of that path exists (or the name is found on ``PATH``);
    * ``executable`` — it may be executed by this process;
    * ``version`` — the first non-empty line the tool printed for ``version_flag`` (or ``None``);
    * ``ok`` — it exists, is executable and answered within the time limit with exit status 0
      or some output (``lmutil -v`` prints its version and may exit non-zero);
    * ``error`` — why not, ``None`` when ``ok``.
    """
    result: dict[str, Any] = {
        "path": path,
        "resolved": None,
        "exists": False,
        "executable": False,
        "version": None,
        "ok": False,
        "error": None,
    }
    if not isinstance(path, str) or not path.strip() or "\x00" in path:
        result["error"] = "Not a path or a program name"
        return result
    try:
        resolved = resolve_binary(path)
    except ToolError as exc:
        result["exists"] = exc.reason == "not_executable"
        result["error"] = str(exc)
        return result
    result.update(resolved=resolved, exists=True, executable=True)
    try:
        completed = _run([resolved, version_flag], timeout=VALIDATE_TIMEOUT_SECONDS)
    except ToolError as exc:
        result["error"] = str(exc)
        return result
    output = _decode(completed.stdout) + "\n" + _decode(completed.stderr)
    first = next((line.strip() for line in output.splitlines() if line.strip()), None)
    result["version"] = first
    if completed.returncode == 0 or first is not None:
        result["ok"] = True
    else:
        result["error"] = f"{version_flag} exited with status {completed.returncode} and no output"
    return result
