"""LiMon under real gunicorn workers: metrics are shared across workers (multiprocess mode),
rate limits are shared through the database cache, and the production settings refuse to start
without a secret key."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.gunicorn_server import ROOT, manage, running_gunicorn, server_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("limon-e2e")
    env = server_env(var_dir, LIMON_THROTTLE_ANON="30/min")
    manage(env, "migrate", "--noinput", "-v", "0")
    with running_gunicorn(env, workers=3) as base:
        yield base


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _health_requests_counted(server) -> float:
    """Requests to /api/health (only this test calls it; readiness probes use /health)."""
    text = _get(server + "/metrics")[1].decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "limon_http_requests_total" and sample.labels.get("route") == "api/health"
    )


def test_metrics_add_up_requests_served_by_every_worker(server):
    before = _health_requests_counted(server)
    for _ in range(12):
        assert _get(server + "/api/health")[0] == 200
    assert _health_requests_counted(server) - before == 12


def test_rate_limits_hold_across_workers(server):
    statuses = [_get(server + "/api/v1/system/schema-version")[0] for _ in range(35)]
    assert statuses.count(200) == 30
    status, body = _get(server + "/api/v1/system/schema-version")
    assert status == 429 and json.loads(body)["code"] == "RATE_LIMITED"


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = server_env(tmp_path)
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
