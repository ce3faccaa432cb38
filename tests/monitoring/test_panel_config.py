"""The monitoring configuration page: one form per section, saved through the audited
configuration, with the section's validation errors shown on its form."""

import pytest

from limon_site import config
from limon_site.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/panel/monitoring/config"


def _section_form(section: str, **changes) -> dict:
    """The POST of ``section``'s form: its current values with ``changes``."""
    values = {**config.get(section), **changes}
    return {"section": section, **{f"{section}-{k}": v for k, v in values.items()}}


def test_the_page_shows_the_analytics_and_log_import_sections(staff_client):
    page = staff_client.get(URL).content.decode()
    assert "Usage analytics" in page
    assert "Debug-log import" in page
    assert 'name="analytics-headroom_percent"' in page


def test_analytics_form_saves_and_refuses_out_of_range_values(staff_client):
    assert (
        staff_client.post(URL, _section_form("analytics", headroom_percent=20)).status_code == 302
    )
    assert config.get("analytics")["headroom_percent"] == 20
    response = staff_client.post(URL, _section_form("analytics", recommendation_days=0))
    assert response.status_code == 400
    assert "Must be a whole number from 1 to 3650" in response.content.decode()
    assert config.get("analytics")["recommendation_days"] == 90


def test_config_forms_save_through_the_audited_configuration(staff_client):
    response = staff_client.post(URL, _section_form("monitoring", poll_interval_minutes=10))
    assert response.status_code == 302
    assert config.get("monitoring")["poll_interval_minutes"] == 10
    staff_client.post(
        URL,
        {
            "section": "feature-ignore",
            "feature-ignore-include": "",
            "feature-ignore-exclude": "DEMO_*\nTEST_*",
        },
    )
    assert config.get("feature-ignore")["exclude"] == ["DEMO_*", "TEST_*"]
    staff_client.post(
        URL,
        {
            "section": "tools",
            "tools-lmutil_path": "/opt/flexnet/lmutil",
            "tools-rlmutil_path": "rlmutil",
        },
    )
    assert config.get("tools")["lmutil_path"] == "/opt/flexnet/lmutil"
    audited = AuditEvent.objects.filter(action="config.updated", actor="user:staff")
    assert set(audited.values_list("target_id", flat=True)) == {
        "monitoring",
        "feature-ignore",
        "tools",
    }


def test_config_validation_errors_are_shown_on_the_form(staff_client):
    response = staff_client.post(URL, _section_form("monitoring", saturation_threshold_percent=150))
    assert response.status_code == 400
    form = response.context["sections"][0]["form"]
    assert form.errors["saturation_threshold_percent"] == ["Must be a whole number from 1 to 100"]
    assert "Must be a whole number from 1 to 100" in response.content.decode()
    assert config.get("monitoring")["saturation_threshold_percent"] == 90
    assert not AuditEvent.objects.filter(action="config.updated").exists()
