"""Command line of the simulator, shaped like ``lmutil`` and ``rlmutil``.

Environment: ``LIMON_SIM_NOW`` (ISO datetime; naive means UTC) replaces the current time;
``LIMON_SIM_DELAY_SECONDS`` makes the tool sleep first, to exercise poll timeouts.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime

from monitoring.simulator import estate, status, usage

COMMANDS = {"lmstat": "lmutil", "rlmstat": "rlmutil"}
VERSION_LINES = {
    "lmutil": f"lmutil v{status.FLEX_VERSION} build 300000 x64_lsb (LiMon simulator)",
    "rlmutil": f"rlmutil v{status.RLM_VERSION} (build:2) (LiMon simulator)",
}
USAGE = "usage: {tool} lmstat|rlmstat -a -c port@host[,port@host,...] | -v"


def _now() -> int:
    text = os.environ.get("LIMON_SIM_NOW", "").strip()
    if not text:
        return int(datetime.now(UTC).timestamp())
    return usage.epoch(datetime.fromisoformat(text))


def _unknown(command: str, address: str) -> str:
    if command == "lmstat":
        return (
            "lmutil - Copyright (c) 1989-2024 Flexera. All Rights Reserved.\n"
            f"Error getting status: {status.CONNECT}\n"
        )
    return (
        f"rlmutil v{status.RLM_VERSION}\n"
        f'Error connecting to "rlm" server\n\nNo server at {address}\n'
    )


def main(argv: list[str], tool: str | None = None, out=None) -> int:
    """Run one tool invocation; returns the exit status (0 also for a down server, like
    the real tools, which report the failure in the text)."""
    out = out or sys.stdout
    args = list(argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE.format(tool=tool or "simulator"), file=sys.stderr)
        return 2
    if args[0] in ("-v", "-version", "--version"):
        names = [tool] if tool else list(VERSION_LINES)
        out.write("".join(f"{VERSION_LINES[name]}\n" for name in names))
        return 0
    command, options = args[0], args[1:]
    if command not in COMMANDS or (tool and COMMANDS[command] != tool):
        print(f"{tool or 'simulator'}: unknown command {command!r}", file=sys.stderr)
        return 2
    if "-i" in options:
        print(f"{command} -i is not simulated; use -a", file=sys.stderr)
        return 2
    address = ""
    if "-c" in options:
        index = options.index("-c")
        address = options[index + 1] if index + 1 < len(options) else ""
    if not address:
        print(USAGE.format(tool=tool or "simulator"), file=sys.stderr)
        return 2
    try:
        moment = _now()
    except ValueError:
        print("LIMON_SIM_NOW must be an ISO datetime", file=sys.stderr)
        return 2
    delay = os.environ.get("LIMON_SIM_DELAY_SECONDS", "").strip()
    if delay:
        time.sleep(float(delay))
    server = estate.server_by_address(address)
    if server is None or server.kind != ("flexlm" if command == "lmstat" else "rlm"):
        out.write(_unknown(command, address))
        return 1
    out.write(status.render(server, moment))
    return 0
