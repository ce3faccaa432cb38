"""Start LiMon under real gunicorn workers for end-to-end tests (subprocess, argument lists)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a production-like LiMon on its own SQLite file (or DATABASE_URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="limon_site.settings",
        LIMON_VAR_DIR=str(var_dir),
        SECRET_KEY="e2e-" + "k" * 50,
        DEBUG="false",
        LIMON_TESTING="",
        PROMETHEUS_MULTIPROC_DIR=str(var_dir / "prometheus"),
    )
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.stdout


@contextmanager
def running_gunicorn(env: dict[str, str], *, workers: int = 2):
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "limon_site.wsgi",
            "--config",
            "limon_site/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=10):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
