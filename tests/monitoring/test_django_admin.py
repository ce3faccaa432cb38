"""The Django admin shows every monitoring model to a superuser, checks configuration forms
like the services do, audits saves, and keeps history tables read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from limon_site.models import AuditEvent
from monitoring.models import (
    DenialSummary,
    Event,
    InventoryChange,
    LicenseServer,
    LogFile,
    LogImport,
    PollRun,
)
from tests.monitoring.factories import (
    DepartmentFactory,
    DeploymentFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseUserFactory,
    SessionFactory,
    SiteFactory,
    UsageSampleFactory,
    VendorDaemonFactory,
)

pytestmark = pytest.mark.django_db

MONITORING_MODELS = sorted(
    model._meta.model_name
    for model in admin.site._registry
    if model._meta.app_label == "monitoring"
)


@pytest.fixture
def estate():
    """One row of every monitoring model, so each changelist renders real rows."""
    feature = FeatureFactory()
    server = feature.server
    now = timezone.now()
    DeploymentFactory(server=server)
    VendorDaemonFactory(server=server)
    FeatureMappingFactory()
    LicenseUserFactory(department=DepartmentFactory())
    SessionFactory(feature=feature)
    UsageSampleFactory(feature=feature)
    InventoryChange.objects.create(
        server=server, feature_name=feature.name, change_type="appeared", changed_at=now
    )
    PollRun.objects.create(server=server, polled_at=now, ok=True)
    batch = LogImport.objects.create(server=server)
    LogFile.objects.create(
        log_import=batch, server=server, original_name="lmgrd.log", path="x", sha256="0" * 64
    )
    Event.objects.create(
        server=server, feature_name=feature.name, type="denied", occurred_at=now, fingerprint="f"
    )
    DenialSummary.objects.create(server=server, feature_name=feature.name, day=now.date())
    return server


def test_every_monitoring_model_is_registered():
    expected = {
        "application", "denialsummary", "department", "deployment", "event", "feature",
        "featuremapping", "inventorychange", "licenseserver", "licenseuser", "logfile",
        "logimport", "pollrun", "session", "site", "usagesample", "vendordaemon",
    }  # fmt: skip
    assert expected <= set(MONITORING_MODELS)


@pytest.mark.parametrize("model_name", MONITORING_MODELS)
def test_changelist_renders_for_a_superuser(admin_client, estate, model_name):
    url = reverse(f"admin:monitoring_{model_name}_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"0 results" not in response.content
    assert admin_client.get(url, {"q": "x"}).status_code == 200


def test_server_add_form_rejects_a_bad_address(admin_client):
    response = admin_client.post(
        reverse("admin:monitoring_licenseserver_add"),
        {"name": "flex1", "kind": "flexlm", "address": "flex1", "timezone": "",
         "feature_include": "[]", "feature_exclude": "[]",
         "daemons-TOTAL_FORMS": "0", "daemons-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert b"port@host" in response.content
    assert not LicenseServer.objects.exists()


def test_server_saved_in_the_admin_is_normalised_and_audited(admin_client):
    site = SiteFactory()
    response = admin_client.post(
        reverse("admin:monitoring_licenseserver_add"),
        {"name": "flex1", "kind": "flexlm", "address": "27000@FLEX1", "site": site.pk,
         "timezone": "", "feature_include": "[]", "feature_exclude": "[]",
         "daemons-TOTAL_FORMS": "0", "daemons-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    server = LicenseServer.objects.get()
    assert server.address == "27000@flex1"
    event = AuditEvent.objects.get(action="server.created")
    assert event.actor == "user:admin"
    assert event.changes["address"]["new"] == "27000@flex1"


def test_history_tables_are_read_only(admin_client, estate):
    change = InventoryChange.objects.get()
    assert admin_client.get(reverse("admin:monitoring_inventorychange_add")).status_code == 403
    detail = admin_client.get(reverse("admin:monitoring_inventorychange_change", args=[change.pk]))
    assert detail.status_code == 200
    assert b'type="submit" value="Save"' not in detail.content
    delete = reverse("admin:monitoring_inventorychange_delete", args=[change.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert InventoryChange.objects.filter(pk=change.pk).exists()


def test_decommission_action_goes_through_the_lifecycle(admin_client, estate):
    response = admin_client.post(
        reverse("admin:monitoring_licenseserver_changelist"),
        {"action": "decommission", "_selected_action": [estate.pk]},
    )
    assert response.status_code == 302
    estate.refresh_from_db()
    assert estate.is_active is False and estate.decommissioned_at is not None
    assert AuditEvent.objects.filter(action="server.decommissioned").exists()
