"""Prometheus gauges of the monitored estate on ``/metrics``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.monitoring.factories import (
    ApplicationFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseServerFactory,
)

pytestmark = pytest.mark.django_db


def _scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.content.decode()


def test_feature_gauges_come_from_the_latest_poll_with_the_application(client):
    server = LicenseServerFactory(name="paris")
    FeatureMappingFactory(pattern="MATLAB", application=ApplicationFactory(name="MATLAB"))
    FeatureFactory(server=server, name="MATLAB", issued=10, in_use=7, queued=2)
    FeatureFactory(server=server, name="NODELOCK", issued=None, in_use=1)
    FeatureFactory(server=server, name="GONE", is_present=False)
    FeatureFactory(server=LicenseServerFactory(name="old", is_active=False), name="OLD")

    text = _scrape(client)

    labels = 'application="MATLAB",feature="MATLAB",server="paris"'
    assert f"limon_feature_licenses_issued{{{labels}}} 10.0" in text
    assert f"limon_feature_licenses_in_use{{{labels}}} 7.0" in text
    assert f"limon_feature_queued{{{labels}}} 2.0" in text
    unmapped = 'application="",feature="NODELOCK",server="paris"'
    assert f"limon_feature_licenses_in_use{{{unmapped}}} 1.0" in text
    assert f"limon_feature_licenses_issued{{{unmapped}}}" not in text
    assert 'feature="GONE"' not in text
    assert 'server="old"' not in text


def test_server_gauges_report_status_and_poll_age(client):
    LicenseServerFactory(
        name="up1", status="up", last_polled_at=timezone.now() - timedelta(minutes=2)
    )
    LicenseServerFactory(name="down1", status="down")

    text = _scrape(client)

    assert 'limon_server_up{server="up1"} 1.0' in text
    assert 'limon_server_up{server="down1"} 0.0' in text
    line = next(
        x
        for x in text.splitlines()
        if x.startswith('limon_server_last_poll_age_seconds{server="up1"}')
    )
    assert 115 < float(line.split()[-1]) < 300
    assert 'limon_server_last_poll_age_seconds{server="down1"}' not in text
