"""Rules of the monitoring configuration services: address format, uniqueness (409), site
deletion guard, server lifecycle, keystone, deployments, mappings, CSV import, audit rows."""

import pytest

from limon_site.errors import Conflict, ValidationFailed
from limon_site.models import AuditEvent
from monitoring.models import Application, LicenseServer, Site
from monitoring.services import catalog
from tests.factories import StaffFactory
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseServerFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def _fields(exc_info) -> dict:
    return exc_info.value.details["fields"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27000@lic1", "27000@lic1"),
        ("  27000@LIC1.Example.com ", "27000@lic1.example.com"),
        ("027000@10.0.0.5", "27000@10.0.0.5"),
        ("27000@a, 27000@b ,27000@c", "27000@a,27000@b,27000@c"),
    ],
)
def test_validate_address_normalises(text, expected):
    assert catalog.validate_address(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "lic1",
        "@lic1",
        "27000@",
        "0@lic1",
        "70000@lic1",
        "27000@bad host",
        "1@a,2@b",
        "1@a,1@a,1@a",
    ],
)
def test_validate_address_rejects_with_the_address_field(text):
    with pytest.raises(ValidationFailed) as exc:
        catalog.validate_address(text)
    assert "address" in _fields(exc)


def test_create_site_is_audited_with_new_values():
    staff = StaffFactory(username="alice")
    site = catalog.create_site(actor=staff, name="Munich", code="muc", timezone="Europe/Berlin")
    event = AuditEvent.objects.get(action="site.created")
    assert event.actor == "user:alice"
    assert event.target_id == str(site.pk)
    assert event.changes["name"] == {"old": None, "new": "Munich"}


def test_site_with_unknown_timezone_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        catalog.create_site(actor=None, name="Mars", timezone="Mars/Olympus")
    assert "timezone" in _fields(exc)


def test_duplicate_site_name_is_a_conflict():
    catalog.create_site(actor=None, name="Munich")
    with pytest.raises(Conflict) as exc:
        catalog.create_site(actor=None, name="Munich")
    assert exc.value.code == "CONFLICT"
    assert "name" in _fields(exc)


def test_update_site_audits_old_and_new():
    site = SiteFactory(name="Old")
    catalog.update_site(site, actor=None, name="New", location="Basement")
    event = AuditEvent.objects.get(action="site.updated")
    assert event.changes["name"] == {"old": "Old", "new": "New"}
    assert event.changes["location"] == {"old": "", "new": "Basement"}


def test_update_that_changes_nothing_writes_no_audit_row():
    site = SiteFactory(name="Same")
    catalog.update_site(site, actor=None, name="Same")
    assert not AuditEvent.objects.filter(action="site.updated").exists()


def test_site_with_servers_cannot_be_deleted_and_names_them():
    site = SiteFactory()
    server = LicenseServerFactory(site=site, name="flex1")
    with pytest.raises(Conflict) as exc:
        catalog.delete_site(site, actor=None)
    assert exc.value.code == "CONFLICT"
    assert [s["name"] for s in exc.value.details["servers"]] == ["flex1"]
    assert exc.value.details["servers"][0]["id"] == server.pk
    assert Site.objects.filter(pk=site.pk).exists()


def test_empty_site_is_deleted_and_audited():
    site = SiteFactory(name="Gone")
    catalog.delete_site(site, actor=None)
    assert not Site.objects.filter(pk=site.pk).exists()
    event = AuditEvent.objects.get(action="site.deleted")
    assert event.changes["name"] == {"old": "Gone", "new": None}


def test_create_server_stores_the_normalised_address():
    server = catalog.create_server(actor=None, name="flex1", address="27000@FLEX1", kind="flexlm")
    assert server.address == "27000@flex1"
    assert AuditEvent.objects.filter(action="server.created", target_id=str(server.pk)).exists()


def test_same_address_spelled_differently_is_a_conflict():
    catalog.create_server(actor=None, name="flex1", address="27000@flex1")
    with pytest.raises(Conflict) as exc:
        catalog.create_server(actor=None, name="flex1b", address=" 27000@FLEX1")
    assert "address" in _fields(exc)


def test_unknown_server_kind_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        catalog.create_server(actor=None, name="x", address="1@x", kind="dsls-x")
    assert "kind" in _fields(exc)


def test_poll_owned_fields_are_not_writable():
    server = LicenseServerFactory()
    with pytest.raises(ValidationFailed) as exc:
        catalog.update_server(server, actor=None, status="up")
    assert "status" in _fields(exc)


def test_decommission_keeps_the_server_and_stops_polling_then_reactivate():
    server = LicenseServerFactory()
    FeatureFactory(server=server)
    server = catalog.decommission_server(server, actor=None)
    assert server.is_active is False and server.decommissioned_at is not None
    assert server.features.count() == 1
    again = catalog.decommission_server(server, actor=None)
    assert again.decommissioned_at == server.decommissioned_at
    assert AuditEvent.objects.filter(action="server.decommissioned").count() == 1
    server = catalog.reactivate_server(server, actor=None)
    assert server.is_active is True and server.decommissioned_at is None
    assert AuditEvent.objects.filter(action="server.reactivated").count() == 1


def test_server_with_deployments_cannot_be_deleted():
    deployment = DeploymentFactory()
    with pytest.raises(Conflict) as exc:
        catalog.delete_server(deployment.server, actor=None)
    assert exc.value.details["deployments"][0]["application"] == deployment.application.name


def test_keystone_must_be_on_a_deployed_server():
    app = ApplicationFactory()
    deployed, elsewhere = LicenseServerFactory(), LicenseServerFactory()
    DeploymentFactory(application=app, server=deployed)
    good, bad = FeatureFactory(server=deployed), FeatureFactory(server=elsewhere)
    with pytest.raises(ValidationFailed) as exc:
        catalog.set_keystone(app, feature_id=bad.pk, actor=None)
    assert "keystone_feature" in _fields(exc)
    app = catalog.set_keystone(app, feature_id=good.pk, actor=None)
    assert app.keystone_feature == good
    event = AuditEvent.objects.get(action="application.keystone_changed")
    assert event.changes["keystone_feature"] == {"old": None, "new": good.pk}
    app = catalog.set_keystone(app, feature_id=None, actor=None)
    assert app.keystone_feature is None


def test_unknown_keystone_feature_is_a_validation_error():
    app = ApplicationFactory()
    with pytest.raises(ValidationFailed):
        catalog.set_keystone(app, feature_id=999_999, actor=None)


def test_new_application_cannot_start_with_a_keystone():
    feature = FeatureFactory()
    with pytest.raises(ValidationFailed):
        catalog.create_application(actor=None, name="MATLAB", keystone_feature=feature)


def test_update_application_checks_the_keystone_too():
    app = ApplicationFactory()
    with pytest.raises(ValidationFailed):
        catalog.update_application(app, actor=None, keystone_feature=FeatureFactory().pk)


def test_currency_is_normalised_and_checked():
    app = catalog.create_application(actor=None, name="ANSYS", currency="usd")
    assert app.currency == "USD"
    with pytest.raises(ValidationFailed) as exc:
        catalog.update_application(app, actor=None, currency="dollars")
    assert "currency" in _fields(exc)


def test_duplicate_application_is_a_conflict():
    catalog.create_application(actor=None, name="MATLAB")
    with pytest.raises(Conflict):
        catalog.create_application(actor=None, name="MATLAB")


def test_deleting_the_keystones_deployment_clears_the_keystone():
    app = ApplicationFactory()
    server = LicenseServerFactory()
    deployment = DeploymentFactory(application=app, server=server)
    keystone = FeatureFactory(server=server)
    catalog.set_keystone(app, feature_id=keystone.pk, actor=None)
    catalog.delete_deployment(deployment, actor=None)
    app.refresh_from_db()
    assert app.keystone_feature is None
    assert AuditEvent.objects.filter(action="deployment.deleted").exists()


def test_deleting_another_deployment_keeps_the_keystone():
    app = ApplicationFactory()
    home = DeploymentFactory(application=app)
    other = DeploymentFactory(application=app)
    keystone = FeatureFactory(server=home.server)
    catalog.set_keystone(app, feature_id=keystone.pk, actor=None)
    catalog.delete_deployment(other, actor=None)
    app.refresh_from_db()
    assert app.keystone_feature == keystone


def test_moving_the_keystones_deployment_clears_the_keystone():
    app = ApplicationFactory()
    deployment = DeploymentFactory(application=app)
    keystone = FeatureFactory(server=deployment.server)
    catalog.set_keystone(app, feature_id=keystone.pk, actor=None)
    catalog.update_deployment(deployment, actor=None, server=LicenseServerFactory())
    app.refresh_from_db()
    assert app.keystone_feature is None


def test_second_deployment_on_the_same_server_is_a_conflict():
    deployment = DeploymentFactory()
    with pytest.raises(Conflict):
        catalog.create_deployment(
            actor=None, application=deployment.application, server=deployment.server
        )


def test_contract_cannot_end_before_it_starts():
    from datetime import date

    with pytest.raises(ValidationFailed) as exc:
        catalog.create_deployment(
            actor=None,
            application=ApplicationFactory(),
            server=LicenseServerFactory(),
            contract_start=date(2026, 6, 1),
            contract_end=date(2026, 1, 1),
        )
    assert "contract_end" in _fields(exc)


def test_invalid_regex_mapping_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        catalog.create_mapping(actor=None, pattern="MATLAB_(", match_type="regex", display_name="x")
    assert "pattern" in _fields(exc)


def test_duplicate_mapping_is_a_conflict_per_server():
    server = LicenseServerFactory()
    catalog.create_mapping(actor=None, pattern="MATLAB", display_name="MATLAB")
    catalog.create_mapping(actor=None, pattern="MATLAB", display_name="MATLAB here", server=server)
    with pytest.raises(Conflict):
        catalog.create_mapping(actor=None, pattern="MATLAB", display_name="again")
    with pytest.raises(Conflict):
        catalog.create_mapping(actor=None, pattern="MATLAB", display_name="again", server=server)


def test_display_name_falls_back_to_the_code():
    assert catalog.display_name_for("MLM_UNKNOWN") == "MLM_UNKNOWN"


def test_exact_mapping_beats_a_regex_even_with_a_worse_priority():
    FeatureMappingFactory(pattern="MATLAB.*", match_type="regex", display_name="Any", priority=1)
    FeatureMappingFactory(pattern="MATLAB", match_type="exact", display_name="MATLAB", priority=500)
    assert catalog.display_name_for("MATLAB") == "MATLAB"
    assert catalog.display_name_for("MATLAB_Compiler") == "Any"


def test_lowest_priority_regex_wins():
    FeatureMappingFactory(pattern="SIM.*", match_type="regex", display_name="Broad", priority=200)
    FeatureMappingFactory(
        pattern="SIMULINK.*", match_type="regex", display_name="Narrow", priority=10
    )
    assert catalog.display_name_for("SIMULINK_X") == "Narrow"
    assert catalog.display_name_for("SIMSCAPE") == "Broad"


def test_regex_must_match_the_whole_name():
    FeatureMappingFactory(pattern="CAD", match_type="regex", display_name="CAD")
    assert catalog.display_name_for("AUTOCAD_2025") == "AUTOCAD_2025"


def test_server_scoped_mapping_overrides_the_global_one_on_its_server_only():
    server, other = LicenseServerFactory(), LicenseServerFactory()
    FeatureMappingFactory(pattern="ACAD", display_name="AutoCAD", priority=1)
    FeatureMappingFactory(pattern="ACAD", display_name="AutoCAD (Munich)", server=server)
    assert catalog.display_name_for("ACAD", server) == "AutoCAD (Munich)"
    assert catalog.display_name_for("ACAD", other.pk) == "AutoCAD"
    assert catalog.display_name_for("ACAD") == "AutoCAD"


def test_mapping_update_and_delete_are_audited():
    mapping = catalog.create_mapping(actor=None, pattern="NX", display_name="NX")
    catalog.update_mapping(mapping, actor=None, display_name="Siemens NX")
    catalog.delete_mapping(mapping, actor=None)
    actions = list(
        AuditEvent.objects.filter(target_type="feature_mapping")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "feature_mapping.created",
        "feature_mapping.updated",
        "feature_mapping.deleted",
    ]


def test_csv_import_of_bare_lines_creates_every_server():
    site = SiteFactory()
    report = catalog.import_servers_csv(
        "# estate\n27000@flex1\n\n5053@rlm1,5053@rlm2,5053@rlm3\n", actor=None, site=site
    )
    assert report["created"] == 2
    assert [row["line"] for row in report["rows"]] == [2, 4]
    triad = LicenseServer.objects.get(address="5053@rlm1,5053@rlm2,5053@rlm3")
    assert triad.site == site
    assert AuditEvent.objects.filter(action="server.imported").count() == 1


def test_csv_import_with_header_reads_kind_and_site_by_code():
    SiteFactory(name="Munich", code="muc")
    text = (
        "name,address,kind,site\n"
        "flex1,27000@flex1,flexlm,muc\n"
        'rlm1,"5053@a,5053@b,5053@c",rlm,Munich\n'
    )
    catalog.import_servers_csv(text, actor=None)
    rlm = LicenseServer.objects.get(name="rlm1")
    assert rlm.kind == "rlm" and rlm.site.code == "muc"


def test_csv_import_is_all_or_nothing_with_a_row_report():
    LicenseServerFactory(address="27000@taken")
    text = (
        "name,address,site\nok,27000@fresh,\nbad,nonsense,\ndup,27000@taken,\nwhere,1@x,Atlantis\n"
    )
    with pytest.raises(ValidationFailed) as exc:
        catalog.import_servers_csv(text, actor=None)
    rows = exc.value.details["rows"]
    assert [row["status"] for row in rows] == ["created", "error", "error", "error"]
    assert "address" in rows[1]["errors"]
    assert "address" in rows[2]["errors"]
    assert "site" in rows[3]["errors"]
    assert not LicenseServer.objects.filter(address="27000@fresh").exists()
    assert not AuditEvent.objects.filter(action="server.created").exists()


def test_csv_import_refuses_unknown_columns_and_empty_files():
    with pytest.raises(ValidationFailed):
        catalog.import_servers_csv("address,colour\n1@x,red\n", actor=None)
    with pytest.raises(ValidationFailed):
        catalog.import_servers_csv("\n# nothing\n", actor=None)


def test_deleting_an_application_removes_its_deployments():
    deployment = DeploymentFactory()
    catalog.delete_application(deployment.application, actor=None)
    assert not Application.objects.exists()
    assert LicenseServer.objects.filter(pk=deployment.server_id).exists()
