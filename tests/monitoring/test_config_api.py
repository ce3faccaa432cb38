"""``/api/v1/config/monitoring``, ``/tools``, ``/tools/validate`` and ``/feature-ignore``:
GET shows effective values, PUT validates and stores with an audit row (old → new), and
tool validation runs a real executable without a shell."""

import stat
import sys

import pytest

from limon_site import config
from limon_site.models import AuditEvent

pytestmark = pytest.mark.django_db


def _fake_tool(tmp_path, name="lmutil", body='print("lmutil v11.19.6 (fake)")'):
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\nimport sys\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_monitoring_settings_get_defaults(admin_api):
    body = admin_api.get("/api/v1/config/monitoring").json()
    assert body["poll_interval_minutes"] == 5
    assert body["saturation_threshold_percent"] == 90


def test_monitoring_settings_put_is_stored_and_audited(admin_api):
    response = admin_api.put(
        "/api/v1/config/monitoring",
        {"poll_interval_minutes": 10, "retention_days": 30},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["poll_interval_minutes"] == 10
    assert response.json()["poll_timeout_seconds"] == 30
    assert config.get("monitoring")["retention_days"] == 30
    event = AuditEvent.objects.get(action="config.updated", target_id="monitoring")
    assert event.changes["poll_interval_minutes"] == {"old": 5, "new": 10}
    assert event.actor.startswith("key:")


def test_monitoring_settings_out_of_range_is_400_per_field(admin_api):
    response = admin_api.put(
        "/api/v1/config/monitoring",
        {"saturation_threshold_percent": 150, "poll_concurrency": 0},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert set(body["details"]["fields"]) == {"saturation_threshold_percent", "poll_concurrency"}
    assert config.get("monitoring")["saturation_threshold_percent"] == 90
    assert not AuditEvent.objects.filter(action="config.updated").exists()


def test_monitoring_settings_wrong_type_is_400(admin_api):
    response = admin_api.put(
        "/api/v1/config/monitoring", {"poll_interval_minutes": "often"}, format="json"
    )
    assert response.status_code == 400
    assert "poll_interval_minutes" in response.json()["details"]["fields"]


def test_tools_put_and_get(admin_api, tmp_path):
    tool = _fake_tool(tmp_path)
    response = admin_api.put("/api/v1/config/tools", {"lmutil_path": str(tool)}, format="json")
    assert response.status_code == 200, response.content
    assert admin_api.get("/api/v1/config/tools").json()["lmutil_path"] == str(tool)
    event = AuditEvent.objects.get(action="config.updated", target_id="tools")
    assert event.changes["lmutil_path"] == {"old": "lmutil", "new": str(tool)}


def test_tools_blank_path_is_400(admin_api):
    response = admin_api.put("/api/v1/config/tools", {"rlmutil_path": "   "}, format="json")
    assert response.status_code == 400
    assert "rlmutil_path" in response.json()["details"]["fields"]


def test_validate_a_real_executable(admin_api, tmp_path):
    tool = _fake_tool(tmp_path)
    response = admin_api.post("/api/v1/config/tools/validate", {"path": str(tool)}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True
    (result,) = body["results"]
    assert result["exists"] and result["executable"]
    assert result["version"] == "lmutil v11.19.6 (fake)"
    assert result["error"] is None


def test_validate_a_missing_path(admin_api, tmp_path):
    missing = tmp_path / "nowhere" / "lmutil"
    response = admin_api.post(
        "/api/v1/config/tools/validate", {"path": str(missing)}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert body["results"][0]["exists"] is False
    assert body["results"][0]["error"]


def test_validate_never_uses_a_shell(admin_api, tmp_path):
    marker = tmp_path / "pwned"
    response = admin_api.post(
        "/api/v1/config/tools/validate", {"path": f"lmutil; touch {marker}"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert not marker.exists()


def test_validate_the_configured_tools(admin_api, tmp_path):
    config.update("tools", {"lmutil_path": str(_fake_tool(tmp_path))})
    body = admin_api.post("/api/v1/config/tools/validate", {}, format="json").json()
    by_setting = {r["setting"]: r for r in body["results"]}
    assert by_setting["lmutil_path"]["ok"] is True
    assert by_setting["lmutil_path"]["kind"] == "flexlm"
    assert "rlmutil_path" in by_setting
    assert body["ok"] is by_setting["rlmutil_path"]["ok"]


def test_validate_rejects_a_non_string_path(admin_api):
    response = admin_api.post("/api/v1/config/tools/validate", {"path": ["x"]}, format="json")
    assert response.status_code == 400


def test_feature_ignore_put_and_get(admin_api):
    response = admin_api.put(
        "/api/v1/config/feature-ignore", {"exclude": ["*_TEST", "DEMO*"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"include": [], "exclude": ["*_TEST", "DEMO*"]}
    assert admin_api.get("/api/v1/config/feature-ignore").json()["exclude"] == ["*_TEST", "DEMO*"]
    event = AuditEvent.objects.get(action="config.updated", target_id="feature-ignore")
    assert event.changes["exclude"] == {"old": [], "new": ["*_TEST", "DEMO*"]}


def test_feature_ignore_rejects_non_lists(admin_api):
    response = admin_api.put("/api/v1/config/feature-ignore", {"include": "MATLAB"}, format="json")
    assert response.status_code == 400
    assert "include" in response.json()["details"]["fields"]


def test_analytics_settings_change_the_headroom_and_refuse_negative_days(admin_api):
    assert admin_api.get("/api/v1/config/analytics").json()["headroom_percent"] == 10
    response = admin_api.put("/api/v1/config/analytics", {"headroom_percent": 25}, format="json")
    assert response.status_code == 200
    assert response.json()["headroom_percent"] == 25
    assert response.json()["recommendation_days"] == 90
    bad = admin_api.put("/api/v1/config/analytics", {"unused_days": -1}, format="json")
    assert bad.status_code == 400
    assert "unused_days" in bad.json()["details"]["fields"]


def test_log_import_settings_put_and_get(admin_api):
    response = admin_api.put(
        "/api/v1/config/log-import", {"false_denial_before_seconds": 10}, format="json"
    )
    assert response.status_code == 200
    assert admin_api.get("/api/v1/config/log-import").json()["false_denial_before_seconds"] == 10
    too_big = admin_api.put("/api/v1/config/log-import", {"batch_lines": 5}, format="json")
    assert too_big.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/config/monitoring",
        "/api/v1/config/tools",
        "/api/v1/config/feature-ignore",
        "/api/v1/config/log-import",
        "/api/v1/config/analytics",
    ],
)
def test_configuration_needs_an_admin_credential(read_api, api, path):
    assert api.get(path).status_code == 401
    assert read_api.get(path).status_code == 403
    assert read_api.put(path, {}, format="json").status_code == 403
