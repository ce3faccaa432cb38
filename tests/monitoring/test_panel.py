"""Monitoring panel pages: staff only, every change through the catalogue services (the audit
rows prove it), service errors shown on the page instead of raised."""

from datetime import timedelta

import pytest
from django.utils import timezone

from limon_site.models import AuditEvent
from monitoring.models import (
    Application,
    Deployment,
    FeatureMapping,
    InventoryChange,
    LicenseServer,
    PollRun,
    Site,
)
from tests.factories import UserFactory
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseServerFactory,
    SessionFactory,
    SiteFactory,
    VendorDaemonFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/panel/monitoring"
PAGES = [
    "/sites",
    "/sites/new",
    "/servers",
    "/servers/new",
    "/servers/import",
    "/applications",
    "/applications/new",
    "/mappings",
    "/mappings/new",
    "/config",
]


@pytest.fixture
def estate():
    """A site with one server that was polled: a daemon, a saturated feature, a live session,
    a failed poll with unparsed lines, an inventory change; an application deployed there."""
    server = LicenseServerFactory(
        name="flex1", status="up", last_polled_at=timezone.now() - timedelta(minutes=3)
    )
    daemon = VendorDaemonFactory(server=server, name="MLM")
    feature = FeatureFactory(server=server, daemon=daemon, name="MATLAB", issued=10, in_use=10)
    SessionFactory(feature=feature, user__username="alice", host="ws-alice")
    PollRun.objects.create(
        server=server,
        polled_at=timezone.now(),
        ok=False,
        error="Cannot connect to license server",
        unparsed_count=3,
    )
    InventoryChange.objects.create(
        server=server,
        feature=feature,
        feature_name="MATLAB",
        change_type="total_changed",
        old_value="8",
        new_value="10",
        changed_at=timezone.now(),
    )
    application = ApplicationFactory(name="MATLAB")
    deployment = DeploymentFactory(application=application, server=server)
    application.keystone_feature = feature
    application.save()
    mapping = FeatureMappingFactory(pattern="MATLAB", application=application)
    return {
        "server": server,
        "feature": feature,
        "application": application,
        "deployment": deployment,
        "mapping": mapping,
    }


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_for_staff(staff_client, estate, path):
    response = staff_client.get(BASE + path)
    assert response.status_code == 200
    assert b'<main class="content">' in response.content


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_for_staff_only(client, path):
    response = client.get(BASE + path)
    assert response.status_code == 302 and "/panel/login" in response.url
    client.force_login(UserFactory(username="not-staff"))
    assert client.get(BASE + path).status_code == 403


def test_detail_and_edit_pages_render(staff_client, estate):
    for path in (
        f"/servers/{estate['server'].pk}",
        f"/servers/{estate['server'].pk}/edit",
        f"/sites/{estate['server'].site_id}/edit",
        f"/applications/{estate['application'].pk}",
        f"/applications/{estate['application'].pk}/edit",
        f"/deployments/{estate['deployment'].pk}/edit",
        f"/mappings/{estate['mapping'].pk}/edit",
    ):
        assert staff_client.get(BASE + path).status_code == 200, path


def test_the_monitoring_section_is_in_the_navigation(staff_client):
    page = staff_client.get(BASE + "/servers").content.decode()
    for label in ("License servers", "Sites", "Applications", "Feature mappings", "Configuration"):
        assert f">{label}</a>" in page


def test_server_detail_shows_daemons_saturation_sessions_polls_and_history(staff_client, estate):
    page = staff_client.get(f"{BASE}/servers/{estate['server'].pk}").content.decode()
    assert "MLM" in page
    assert "10 / 10" in page and 'class="bar critical"' in page and "100 %" in page
    assert "alice" in page and "ws-alice" in page
    assert "Cannot connect to license server" in page
    assert "Issued total changed" in page


def test_site_list_counts_servers_up_of_total(staff_client):
    site = SiteFactory(name="Munich")
    LicenseServerFactory(site=site, status="up")
    LicenseServerFactory(site=site, status="down")
    LicenseServerFactory(site=site, status="up", is_active=False)
    page = staff_client.get(BASE + "/sites").content.decode()
    assert '<td class="num" data-testid="site-servers-up">1 / 2</td>' in page


def test_server_list_filters_out_decommissioned_servers(staff_client):
    LicenseServerFactory(name="kept-in-service")
    LicenseServerFactory(name="retired", is_active=False)
    page = staff_client.get(BASE + "/servers?is_active=false").content.decode()
    assert "retired" in page and "kept-in-service" not in page


def test_creating_editing_and_deleting_a_site(staff_client):
    response = staff_client.post(
        BASE + "/sites/new", {"name": "Toulouse", "code": "tls", "timezone": "Europe/Paris"}
    )
    site = Site.objects.get(name="Toulouse")
    assert response.status_code == 302
    response = staff_client.post(
        f"{BASE}/sites/{site.pk}/edit", {"name": "Toulouse", "code": "tou", "timezone": "UTC"}
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.code == "tou"
    confirm = staff_client.post(f"{BASE}/sites/{site.pk}/delete")
    assert b"Delete for good" in confirm.content and Site.objects.filter(pk=site.pk).exists()
    staff_client.post(f"{BASE}/sites/{site.pk}/delete", {"confirm": "yes"})
    assert not Site.objects.filter(pk=site.pk).exists()
    actions = set(AuditEvent.objects.filter(actor="user:staff").values_list("action", flat=True))
    assert {"site.created", "site.updated", "site.deleted"} <= actions


def test_a_site_with_an_unknown_time_zone_is_shown_on_the_form(staff_client):
    response = staff_client.post(
        BASE + "/sites/new", {"name": "Nowhere", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert b"field-error" in response.content
    assert not Site.objects.filter(name="Nowhere").exists()


def test_deleting_a_site_with_servers_shows_the_409_reason(staff_client):
    server = LicenseServerFactory(name="blocker")
    response = staff_client.post(f"{BASE}/sites/{server.site_id}/delete", {"confirm": "yes"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="delete-blocked"' in page and "still has 1 server" in page
    assert "blocker" in page
    assert Site.objects.filter(pk=server.site_id).exists()


def test_creating_and_editing_a_server(staff_client):
    site = SiteFactory()
    response = staff_client.post(
        BASE + "/servers/new",
        {
            "name": "rlm1",
            "kind": "rlm",
            "address": "5053@RLM1.example.com",
            "site": site.pk,
            "feature_exclude": "TEST_*\n\nDEMO_*",
        },
    )
    server = LicenseServer.objects.get(name="rlm1")
    assert response.status_code == 302 and response.url == f"{BASE}/servers/{server.pk}"
    assert server.address == "5053@rlm1.example.com"
    assert server.feature_exclude == ["TEST_*", "DEMO_*"]
    staff_client.post(
        f"{BASE}/servers/{server.pk}/edit",
        {"name": "rlm1", "kind": "rlm", "address": "5054@rlm1.example.com", "site": site.pk},
    )
    server.refresh_from_db()
    assert server.address == "5054@rlm1.example.com" and server.feature_exclude == []
    actions = set(AuditEvent.objects.filter(actor="user:staff").values_list("action", flat=True))
    assert {"server.created", "server.updated"} <= actions


def test_a_bad_address_is_shown_on_the_address_field(staff_client):
    response = staff_client.post(
        BASE + "/servers/new", {"name": "bad", "kind": "flexlm", "address": "lic1.example.com"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "address" in form.errors and "port@host" in form.errors["address"][0]
    assert not LicenseServer.objects.filter(name="bad").exists()


def test_decommission_and_reactivate_buttons(staff_client):
    server = LicenseServerFactory()
    staff_client.post(f"{BASE}/servers/{server.pk}/decommission")
    server.refresh_from_db()
    assert not server.is_active and server.decommissioned_at is not None
    page = staff_client.get(f"{BASE}/servers/{server.pk}").content.decode()
    assert 'data-testid="reactivate"' in page
    staff_client.post(f"{BASE}/servers/{server.pk}/reactivate")
    server.refresh_from_db()
    assert server.is_active
    actions = set(AuditEvent.objects.filter(actor="user:staff").values_list("action", flat=True))
    assert {"server.decommissioned", "server.reactivated"} <= actions


def test_lifecycle_buttons_need_a_post(staff_client):
    server = LicenseServerFactory()
    assert staff_client.get(f"{BASE}/servers/{server.pk}/decommission").status_code == 405
    server.refresh_from_db()
    assert server.is_active


def test_deleting_a_deployed_server_is_refused_with_the_reason(staff_client, estate):
    server = estate["server"]
    response = staff_client.post(f"{BASE}/servers/{server.pk}/delete", follow=True)
    assert "deployment(s) use server" in response.content.decode()
    assert LicenseServer.objects.filter(pk=server.pk).exists()


def test_batch_import_creates_every_line(staff_client):
    site = SiteFactory()
    text = "27000@flex-a.example.com\n27001@flex-b.example.com\n"
    response = staff_client.post(BASE + "/servers/import", {"text": text, "site": site.pk})
    assert response.status_code == 302
    imported = LicenseServer.objects.filter(site=site).order_by("address")
    assert [s.address for s in imported] == ["27000@flex-a.example.com", "27001@flex-b.example.com"]
    assert AuditEvent.objects.filter(action="server.imported", actor="user:staff").exists()


def test_batch_import_with_a_bad_line_imports_nothing_and_names_the_line(staff_client):
    text = "27000@flex-a.example.com\nnot-an-address\n"
    response = staff_client.post(BASE + "/servers/import", {"text": text})
    assert response.status_code == 400
    rows = response.content.decode().split('data-testid="import-rows"')[1]
    assert "not-an-address" in rows and "port@host" in rows
    assert not LicenseServer.objects.exists()


def test_creating_editing_and_deleting_an_application(staff_client):
    response = staff_client.post(
        BASE + "/applications/new",
        {"name": "ANSYS", "vendor": "Ansys", "category": "CAE", "currency": "eur"},
    )
    application = Application.objects.get(name="ANSYS")
    assert response.status_code == 302 and application.currency == "EUR"
    staff_client.post(
        f"{BASE}/applications/{application.pk}/edit",
        {"name": "ANSYS", "vendor": "Ansys", "is_critical": "on", "currency": "USD"},
    )
    application.refresh_from_db()
    assert application.is_critical and application.currency == "USD"
    confirm = staff_client.post(f"{BASE}/applications/{application.pk}/delete")
    assert b"Delete for good" in confirm.content
    staff_client.post(f"{BASE}/applications/{application.pk}/delete", {"confirm": "yes"})
    assert not Application.objects.filter(pk=application.pk).exists()
    actions = set(AuditEvent.objects.filter(actor="user:staff").values_list("action", flat=True))
    assert {"application.created", "application.updated", "application.deleted"} <= actions


def test_adding_editing_and_removing_a_deployment(staff_client):
    application = ApplicationFactory()
    server = LicenseServerFactory()
    staff_client.post(
        f"{BASE}/applications/{application.pk}/deployments",
        {"server": server.pk, "seats": 25, "scope": "shared", "environment": "test"},
    )
    deployment = Deployment.objects.get(application=application, server=server)
    assert deployment.seats == 25 and deployment.scope == "shared"
    staff_client.post(
        f"{BASE}/deployments/{deployment.pk}/edit",
        {"server": server.pk, "seats": 30, "scope": "shared", "environment": "prod"},
    )
    deployment.refresh_from_db()
    assert deployment.seats == 30 and deployment.environment == "prod"
    staff_client.post(f"{BASE}/deployments/{deployment.pk}/delete")
    assert not Deployment.objects.filter(pk=deployment.pk).exists()
    actions = set(AuditEvent.objects.filter(actor="user:staff").values_list("action", flat=True))
    assert {"deployment.created", "deployment.updated", "deployment.deleted"} <= actions


def test_a_second_deployment_on_the_same_server_is_shown_as_an_error(staff_client, estate):
    application, server = estate["application"], estate["server"]
    response = staff_client.post(
        f"{BASE}/applications/{application.pk}/deployments",
        {"server": server.pk, "scope": "exclusive", "environment": "prod"},
    )
    assert response.status_code == 400
    assert "Already deployed here." in response.content.decode()
    assert Deployment.objects.filter(application=application).count() == 1


def test_keystone_selector_offers_the_features_of_deployed_servers(staff_client, estate):
    elsewhere = FeatureFactory(name="NOT_DEPLOYED_HERE")
    page = staff_client.get(f"{BASE}/applications/{estate['application'].pk}").content.decode()
    keystone_form = page.split('data-testid="keystone-form"')[1].split("</form>")[0]
    assert f'value="{estate["feature"].pk}" selected' in keystone_form
    assert elsewhere.name not in keystone_form


def test_keystone_selector_refuses_a_feature_not_deployed(staff_client, estate):
    application = estate["application"]
    elsewhere = FeatureFactory(name="OTHER_FEATURE")
    response = staff_client.post(
        f"{BASE}/applications/{application.pk}/keystone", {"keystone_feature": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "is not deployed" in response.content.decode()
    application.refresh_from_db()
    assert application.keystone_feature == estate["feature"]


def test_keystone_can_be_chosen_and_cleared(staff_client, estate):
    application = estate["application"]
    toolbox = FeatureFactory(server=estate["server"], name="Signal_Toolbox")
    staff_client.post(
        f"{BASE}/applications/{application.pk}/keystone", {"keystone_feature": toolbox.pk}
    )
    application.refresh_from_db()
    assert application.keystone_feature == toolbox
    staff_client.post(f"{BASE}/applications/{application.pk}/keystone", {"keystone_feature": ""})
    application.refresh_from_db()
    assert application.keystone_feature is None


def test_mapping_list_search(staff_client):
    FeatureMappingFactory(pattern="MATLAB", display_name="MATLAB core")
    FeatureMappingFactory(pattern="acfd_.*", match_type="regex", display_name="ANSYS Fluent")
    page = staff_client.get(BASE + "/mappings?q=fluent").content.decode()
    assert "acfd_.*" in page and "MATLAB core" not in page


def test_creating_editing_and_deleting_a_mapping(staff_client):
    application = ApplicationFactory()
    staff_client.post(
        BASE + "/mappings/new",
        {
            "pattern": "^Simulink.*$",
            "match_type": "regex",
            "display_name": "Simulink",
            "application": application.pk,
            "priority": 50,
        },
    )
    mapping = FeatureMapping.objects.get(display_name="Simulink")
    assert mapping.application == application and mapping.match_type == "regex"
    staff_client.post(
        f"{BASE}/mappings/{mapping.pk}/edit",
        {"pattern": "SIMULINK", "match_type": "exact", "display_name": "Simulink", "priority": 1},
    )
    mapping.refresh_from_db()
    assert mapping.pattern == "SIMULINK" and mapping.application is None
    staff_client.post(f"{BASE}/mappings/{mapping.pk}/delete")
    assert not FeatureMapping.objects.filter(pk=mapping.pk).exists()
    actions = set(AuditEvent.objects.filter(actor="user:staff").values_list("action", flat=True))
    assert {"feature_mapping.created", "feature_mapping.updated", "feature_mapping.deleted"} <= (
        actions
    )


def test_an_invalid_regex_is_shown_on_the_pattern_field(staff_client):
    response = staff_client.post(
        BASE + "/mappings/new",
        {"pattern": "acfd_(", "match_type": "regex", "display_name": "Broken", "priority": 100},
    )
    assert response.status_code == 200
    assert "Not a valid regular expression" in response.context["form"].errors["pattern"][0]
    assert not FeatureMapping.objects.exists()


def test_panel_forms_require_csrf(client, staff_user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff_user)
    response = csrf_client.post(BASE + "/sites/new", {"name": "Sneaky", "timezone": "UTC"})
    assert response.status_code == 403
    assert not Site.objects.filter(name="Sneaky").exists()


def test_creating_an_application_from_a_template_fills_its_mappings(staff_client):
    form = staff_client.get(BASE + "/applications/new").content.decode()
    assert '<option value="matlab">MATLAB (MathWorks)</option>' in form
    staff_client.post(
        BASE + "/applications/new", {"name": "MATLAB", "currency": "EUR", "template": "matlab"}
    )
    application = Application.objects.get(name="MATLAB")
    assert application.template == "matlab" and application.vendor == "MathWorks"
    patterns = set(application.mappings.values_list("pattern", flat=True))
    assert {"MATLAB", "SIMULINK"} <= patterns


def test_a_failing_template_creates_no_application(staff_client):
    response = staff_client.post(
        BASE + "/applications/new", {"name": "Ghost", "currency": "EUR", "template": "no-such"}
    )
    assert response.status_code == 200 and "template" in response.context["form"].errors
    assert not Application.objects.filter(name="Ghost").exists()


def test_application_list_filters_by_vendor(staff_client):
    ApplicationFactory(name="NX", vendor="Siemens")
    ApplicationFactory(name="Abaqus", vendor="Dassault")
    page = staff_client.get(BASE + "/applications?vendor=siemens").content.decode()
    table = page.split('data-testid="applications"')[1]
    assert "NX" in table and "Abaqus" not in table


def test_list_pages_do_not_query_per_row(staff_client, django_assert_max_num_queries):
    for _ in range(15):
        server = LicenseServerFactory(last_polled_at=timezone.now())
        feature = FeatureFactory(server=server)
        deployment = DeploymentFactory(server=server)
        deployment.application.keystone_feature = feature
        deployment.application.save()
        FeatureMappingFactory(server=server, application=ApplicationFactory())
    for path in ("/servers", "/sites", "/applications", "/mappings"):
        with django_assert_max_num_queries(12):
            assert staff_client.get(BASE + path).status_code == 200


def test_the_server_filter_form_shows_each_filter_once_in_panel_words(staff_client):
    LicenseServerFactory(name="active-one")
    LicenseServerFactory(name="retired-one", is_active=False)
    page = staff_client.get(BASE + "/servers").content.decode()
    page = page.split('data-testid="server-filters"')[1].split("</form>")[0]
    assert page.count('name="kind"') == 1 and 'name="type"' not in page
    assert 'name="search"' not in page and page.count('name="q"') == 1
    assert '<option value="false">Decommissioned</option>' in page
    listed = staff_client.get(BASE + "/servers?is_active=false").content.decode()
    assert "retired-one" in listed and "active-one" not in listed
