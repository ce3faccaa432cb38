import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from licensing import crypto

# One key per test session; generated here, never stored in the repository.
TEST_SIGNING_PEM = crypto.new_private_key_pem().decode()


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path):
    settings.LIMON_SIGNING_KEY = TEST_SIGNING_PEM
    settings.LIMON_SIGNING_KEY_FILE = tmp_path / "absent.pem"
    return crypto.signing_key()


@pytest.fixture
def public_key_pem(signing_key) -> str:
    return signing_key.public_pem


# --- a real server for end-to-end and race tests ------------------------------------------

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
POSTGRES_ONLY_REASON = (
    "needs PostgreSQL: real row locks under parallel requests (SQLite serialises writers anyway, "
    "and its in-memory test database cannot be shared with a gunicorn process)"
)
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def gunicorn_url(django_db_setup, tmp_path_factory):
    """gunicorn (4 gthread workers, 16 threads each) on the PostgreSQL test database, started once
    per test session. Tests using it need ``transactional_db`` so their rows are committed."""
    if not ON_POSTGRES:
        pytest.skip(POSTGRES_ONLY_REASON)
    database = django_settings.DATABASES["default"]
    port = _free_port()
    var_dir = tmp_path_factory.mktemp("gunicorn-var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "DATABASE_CONN_MAX_AGE": "0",
        "LIMON_VAR_DIR": str(var_dir),
        "LIMON_SIGNING_KEY": TEST_SIGNING_PEM,
        "LIMON_THROTTLE_ANON": "1000000/min",
        "LIMON_THROTTLE_CLIENT": "1000000/min",
        "LIMON_THROTTLE_ADMIN": "1000000/min",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "limon_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--worker-class",
            "gthread",
            "--threads",
            "16",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(var_dir / "gunicorn.log").open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (var_dir / "gunicorn.log").read_text()
                pytest.fail(f"gunicorn did not start:\n{log}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def license_server(request) -> str:
    """Base URL of a live server: gunicorn on PostgreSQL; on SQLite pytest-django's threaded
    ``live_server`` (the in-memory SQLite test database cannot be opened by another process).
    Use with ``@pytest.mark.django_db(transaction=True)`` so the rows are committed."""
    if ON_POSTGRES:
        return request.getfixturevalue("gunicorn_url")
    return request.getfixturevalue("live_server").url
