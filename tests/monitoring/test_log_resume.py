"""Kill ``manage.py import_logs`` after its first committed checkpoint, run it again, and
compare with an uninterrupted import of the same log into another server."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from bench.log_import import write_log

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DUMP = """
import json
from monitoring.models import DenialSummary, Event, HourlyUsage, LogFile, Session
def rows(name):
    sessions = sorted(Session.objects.filter(server__name=name).values_list(
        "fingerprint", "started_at", "ended_at", "closed_by_restart", "user__username",
        "feature__name"))
    events = sorted(Event.objects.filter(server__name=name).values_list(
        "fingerprint", "type", "is_false_denial", "occurred_at"))
    summary = sorted(DenialSummary.objects.filter(server__name=name).values_list(
        "feature_name", "username", "day", "true_denials", "false_denials", "checkouts"))
    files = list(LogFile.objects.filter(server__name=name).values_list("state", "byte_offset"))
    hourly = sorted(HourlyUsage.objects.filter(server__name=name).values_list(
        "feature__name", "hour", "license_seconds", "peak", "users", "sessions"))
    return [sessions, events, summary, files, hourly]
print(json.dumps({n: rows(n) for n in ("killed", "whole")}, default=str))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host = settings.get("HOST") or "localhost"
        url = (
            f"postgres://{settings['USER']}{password}@{host}:{settings.get('PORT') or 5432}"
            f"/{settings['NAME']}"
        )
    else:
        url = f"sqlite:///{tmp_path / 'resume.sqlite3'}"
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="tests.settings",
        LIMON_VAR_DIR=str(tmp_path / "var"),
        LIMON_LOG_IMPORT_BATCH_LINES="5000",
    )
    return env


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=600, check=True,
    )  # fmt: skip
    return done.stdout


def dump(env) -> dict:
    """The DUMP script's JSON (the last line; ``shell`` may print a banner first)."""
    return json.loads(manage(env, "shell", "-c", DUMP).strip().splitlines()[-1])


def test_a_killed_import_resumes_to_the_same_result(tmp_path):
    env = _env(tmp_path)
    if connection.vendor != "postgresql":
        manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "shell", "-c", (
        "from monitoring.models import LicenseServer as S\n"
        "S.objects.create(name='killed', address='1@killed', timezone='Europe/Madrid')\n"
        "S.objects.create(name='whole', address='1@whole', timezone='Europe/Madrid')\n"
    ))  # fmt: skip
    log = tmp_path / "big.log"
    write_log(log, 3_000_000, seed=7)
    command = [sys.executable, "manage.py", "import_logs", str(log), "--server", "killed"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    seen = b""
    deadline = time.monotonic() + 300
    while b"%" not in seen and time.monotonic() < deadline:
        chunk = process.stderr.read1(256)
        if not chunk:
            break
        seen += chunk
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert b"%" in seen, "the import never reported a committed batch"
    interrupted = dump(env)["killed"][3]
    assert interrupted[0][0] == "running" and 0 < interrupted[0][1] < log.stat().st_size

    summary = manage(env, "import_logs", str(log), "--server", "killed", "--no-progress")
    assert "Sessions:" in summary
    manage(env, "import_logs", str(log), "--server", "whole", "--no-progress")
    result = dump(env)
    killed, whole = result["killed"], result["whole"]
    assert killed[3] == whole[3] == [["done", log.stat().st_size]]
    assert len(whole[0]) > 1000 and len(whole[1]) > 100
    assert killed[:3] == whole[:3]
    assert len(whole[4]) > 10 and killed[4] == whole[4]
