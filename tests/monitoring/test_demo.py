"""The demo estate seeder: documented counts, history, idempotency, agreement with the
simulator the demo polls."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Max, Sum

from limon_site import config
from monitoring import demo
from monitoring.models import (
    Application,
    Department,
    Deployment,
    Feature,
    FeatureMapping,
    LicenseServer,
    LicenseUser,
    Session,
    Site,
    UsageSample,
)
from monitoring.parsers import PARSERS
from monitoring.simulator import estate, status, usage

pytestmark = pytest.mark.django_db

DAYS = 3
#: Three days before this, the flaky server had two outages.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def seeded():
    demo.seed(days=DAYS, now=NOW)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Site, LicenseServer, Application, Deployment, FeatureMapping, Feature,
                      Department, LicenseUser, Session, UsageSample)
    }  # fmt: skip


def test_seeding_creates_the_documented_estate(seeded):
    assert Site.objects.count() == 3
    assert LicenseServer.objects.count() == 6
    assert set(LicenseServer.objects.values_list("kind", flat=True)) == {"flexlm", "rlm"}
    assert LicenseServer.objects.filter(address="27000@h1,27000@h2,27000@h3").exists()
    assert 12 <= Application.objects.count() <= 14
    assert not Application.objects.filter(keystone_feature__isnull=True).exists()
    assert 55 <= Feature.objects.count() <= 65
    assert Department.objects.count() == 8
    assert LicenseUser.objects.count() == 200
    assert not LicenseUser.objects.filter(department__isnull=True).exists()
    for app in Application.objects.select_related("keystone_feature"):
        assert app.cost_per_seat and app.category and app.vendor and app.template
        assert app.deployments.filter(server=app.keystone_feature.server_id).exists()
        assert app.mappings.exists()
    matlab = Application.objects.get(name="MATLAB")
    assert matlab.deployments.count() == 2  # spans two servers
    assert Deployment.objects.filter(scope="shared").exists()
    assert Deployment.objects.filter(environment="test").exists()
    assert not Deployment.objects.filter(annual_cost__isnull=True).exists()
    tools = config.get("tools")  # the poller runs the simulator
    for key in ("lmutil_path", "rlmutil_path"):
        assert os.path.isabs(tools[key]) and os.access(tools[key], os.X_OK)
    assert tools == {**tools, **demo.simulator_tools()}


def test_history_covers_the_window_with_archived_sessions_and_hourly_samples(seeded):
    now = NOW
    sessions = Session.objects.all()
    assert sessions.count() > 500
    assert not sessions.filter(status="active").exists()
    assert not sessions.filter(ended_at__gt=now).exists()
    assert sessions.filter(ended_at__lt=now - timedelta(days=DAYS - 1)).exists()
    matlab = Feature.objects.get(server__name="flex1", name="MATLAB")
    hourly = UsageSample.objects.filter(feature=matlab)
    assert DAYS * 24 - 1 <= hourly.count() <= DAYS * 24
    assert hourly.aggregate(peak=Max("in_use"))["peak"] <= matlab.issued
    idle = Feature.objects.get(server__name="flex1", name="Simulink_Control_Design")
    busy = UsageSample.objects.filter(feature=matlab).aggregate(total=Sum("in_use"))["total"]
    quiet = UsageSample.objects.filter(feature=idle).aggregate(total=Sum("in_use"))["total"]
    assert busy > 20 * (quiet or 0) and busy > 0
    assert LicenseUser.objects.filter(first_seen_at__isnull=False).count() > 100
    # the flaky server has no samples while it was down
    end = int(now.timestamp())
    sampled = UsageSample.objects.filter(server__name="flex3").values_list("sampled_at", flat=True)
    down = usage.outages(estate.server("flex3"), end - DAYS * 86400, end)
    assert down
    assert not any(a <= int(moment.timestamp()) < b for moment in sampled for a, b in down)


def test_a_second_run_adds_nothing(seeded):
    before = counts()
    demo.seed(days=DAYS, now=NOW)
    assert counts() == before


def test_every_demo_feature_appears_in_the_simulator_output_of_its_server(seeded):
    moment = int(NOW.timestamp())
    for server in LicenseServer.objects.all():
        spec = estate.server(server.name)
        assert server.address == spec.address and server.kind == spec.kind
        at = moment
        while usage.is_down(spec, at):
            at += 3600
        report = PARSERS[server.kind](status.render(spec, at).splitlines())
        printed = {f.key: f for f in report.features}
        for feature in server.features.all():
            shown = printed[(feature.vendor, feature.name)]
            assert shown.issued == feature.issued or shown.uncounted
            assert shown.versions[0].version == feature.version
            assert shown.versions[0].expiry == feature.expires_on
        assert len(printed) == server.features.count()
