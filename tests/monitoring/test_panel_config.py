"""The configuration page's analytics and log-import forms."""

import pytest

from limon_site import config

pytestmark = pytest.mark.django_db

URL = "/panel/monitoring/config"


def _analytics_form(**changes) -> dict:
    values = {**config.get("analytics"), **changes}
    return {"section": "analytics", **{f"analytics-{k}": v for k, v in values.items()}}


def test_the_page_shows_the_analytics_and_log_import_sections(staff_client):
    page = staff_client.get(URL).content.decode()
    assert "Usage analytics" in page
    assert "Debug-log import" in page
    assert 'name="analytics-headroom_percent"' in page


def test_analytics_form_saves_and_refuses_out_of_range_values(staff_client):
    assert staff_client.post(URL, _analytics_form(headroom_percent=20)).status_code == 302
    assert config.get("analytics")["headroom_percent"] == 20
    response = staff_client.post(URL, _analytics_form(recommendation_days=0))
    assert response.status_code == 400
    assert "Must be a whole number from 1 to 3650" in response.content.decode()
    assert config.get("analytics")["recommendation_days"] == 90
