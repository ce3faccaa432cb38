"""Panel pages of the staff side: staff only, every action through the same services (audit
rows prove it), errors shown instead of raised."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licensing import keys
from licensing.models import Anomaly, Customer, License, Product, Release, Resource
from limon_site.models import AuditEvent
from tests.factories import UserFactory
from tests.licensing.factories import (
    ActivationFactory,
    AnomalyFactory,
    CustomerFactory,
    LicenseFactory,
    LicenseSessionFactory,
    ProductFactory,
    ReleaseFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/licensing/",
    "/licensing/customers",
    "/licensing/customers/new",
    "/licensing/licenses",
    "/licensing/licenses/new",
    "/licensing/resources",
    "/licensing/resources/import",
    "/licensing/sessions",
    "/licensing/anomalies",
    "/licensing/products",
    "/licensing/products/new",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_for_staff(staff_client, path):
    license = LicenseFactory()
    ActivationFactory(license=license)
    AnomalyFactory(license=license)
    ResourceFactory()
    response = staff_client.get(path)
    assert response.status_code == 200
    assert b'<main class="content">' in response.content


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_for_staff_only(client, path):
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(UserFactory(username="not-staff"))
    assert client.get(path).status_code == 403


def test_detail_pages_render(staff_client):
    license = LicenseFactory()
    device = ActivationFactory(license=license)
    LicenseSessionFactory(activation=device)
    AnomalyFactory(license=license)
    ReleaseFactory(product=license.product)
    for path in (
        f"/licensing/licenses/{license.pk}",
        f"/licensing/licenses/{license.pk}/edit",
        f"/licensing/customers/{license.customer_id}",
        f"/licensing/customers/{license.customer_id}/edit",
        f"/licensing/products/{license.product_id}/edit",
        f"/licensing/products/{license.product_id}/releases/new",
        f"/licensing/releases/{license.product.releases.first().pk}/edit",
    ):
        assert staff_client.get(path).status_code == 200, path


def test_the_licensing_section_is_in_the_navigation(staff_client):
    page = staff_client.get("/licensing/customers").content.decode()
    for label in ("Customers", "Licenses", "Resource pools", "Live sessions", "Anomalies"):
        assert f">{label}</a>" in page


def test_creating_a_customer_from_the_panel(staff_client):
    response = staff_client.post(
        "/licensing/customers/new", {"name": "Wonka Industries", "email": "willy@wonka.test"}
    )
    customer = Customer.objects.get(name="Wonka Industries")
    assert response.status_code == 302 and response.url == f"/licensing/customers/{customer.pk}"
    assert AuditEvent.objects.filter(action="customer.created", actor="user:staff").exists()


def test_deleting_a_customer_with_licenses_shows_why_not(staff_client):
    customer = LicenseFactory().customer
    response = staff_client.post(f"/licensing/customers/{customer.pk}/delete", follow=True)
    assert "still holds 1 license" in response.content.decode()
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_the_new_license_form_offers_a_generated_key(staff_client):
    page = staff_client.get("/licensing/licenses/new").content.decode()
    offered = page.split('name="key"')[1].split('value="')[1].split('"')[0]
    assert keys.is_well_formed(offered)
    assert not License.objects.filter(key=offered).exists()


def test_issuing_a_license_from_the_panel(staff_client):
    customer, product = CustomerFactory(), ProductFactory()
    key = staff_client.get("/licensing/licenses/new").context["form"].initial["key"]
    response = staff_client.post(
        "/licensing/licenses/new",
        {
            "key": key,
            "customer": customer.pk,
            "product": product.pk,
            "type": "subscription",
            "valid_until": (timezone.localdate() + timedelta(days=365)).isoformat(),
            "max_activations": 3,
            "max_users": 2,
            "is_active": "on",
        },
    )
    license = License.objects.get(key=key)
    assert response.url == f"/licensing/licenses/{license.pk}"
    assert (license.customer, license.type, license.max_activations) == (
        customer,
        "subscription",
        3,
    )
    assert AuditEvent.objects.filter(action="license.created", target_id=str(license.pk)).exists()


def test_bulk_deactivate_from_the_license_table(staff_client):
    first, second, untouched = LicenseFactory.create_batch(3)
    response = staff_client.post(
        "/licensing/licenses/bulk",
        {"action": "deactivate", "ids": [first.pk, second.pk], "next": "/licensing/licenses"},
        follow=True,
    )
    assert "2 licenses deactivated." in response.content.decode()
    assert list(License.objects.filter(is_active=False).order_by("pk")) == [first, second]
    assert License.objects.get(pk=untouched.pk).is_active


def test_bulk_delete_with_a_vanished_license_deletes_nothing_and_says_so(staff_client):
    license = LicenseFactory()
    response = staff_client.post(
        "/licensing/licenses/bulk", {"action": "delete", "ids": [license.pk, 987654]}, follow=True
    )
    assert "Unknown license ids: 987654" in response.content.decode()
    assert License.objects.filter(pk=license.pk).exists()


def test_bulk_never_redirects_off_site(staff_client):
    license = LicenseFactory()
    response = staff_client.post(
        "/licensing/licenses/bulk",
        {"action": "activate", "ids": [license.pk], "next": "https://evil.example/"},
    )
    assert response.url == "/licensing/licenses"


def test_editing_a_license_below_its_devices_needs_force(staff_client):
    license = LicenseFactory(max_activations=3)
    ActivationFactory.create_batch(2, license=license)
    form = {
        "customer": license.customer_id,
        "product": license.product_id,
        "type": license.type,
        "valid_from": license.valid_from.isoformat(),
        "valid_until": license.valid_until.isoformat(),
        "max_activations": 1,
        "max_users": license.max_users,
        "is_active": "on",
    }
    refused = staff_client.post(f"/licensing/licenses/{license.pk}/edit", form)
    assert refused.status_code == 200
    assert "would deactivate 1 of them" in refused.content.decode()
    forced = staff_client.post(f"/licensing/licenses/{license.pk}/edit", {**form, "force": "on"})
    assert forced.status_code == 302
    license.refresh_from_db()
    assert license.max_activations == 1
    assert license.activations.filter(is_active=True).count() == 1


def test_toggle_device_and_resource_actions_on_the_license_page(staff_client):
    license = LicenseFactory()
    staff_client.post(f"/licensing/licenses/{license.pk}/toggle")
    license.refresh_from_db()
    assert license.is_active is False
    staff_client.post(f"/licensing/licenses/{license.pk}/toggle")
    staff_client.post(
        f"/licensing/licenses/{license.pk}/devices/register",
        {"hardware_hash": "hw-panel", "machine_name": "PANEL-PC"},
    )
    device = license.activations.get(hardware_hash="hw-panel")
    staff_client.post(f"/licensing/licenses/{license.pk}/devices/{device.pk}/deactivate")
    device.refresh_from_db()
    assert not device.is_active
    resource = ResourceFactory()
    staff_client.post(
        f"/licensing/licenses/{license.pk}/resources", {"action": "allocate", "ids": [resource.pk]}
    )
    assert Resource.objects.get(pk=resource.pk).license_id == license.pk
    page = staff_client.get(f"/licensing/licenses/{license.pk}").content.decode()
    for action in ("license.updated", "activation.created", "activation.deactivated"):
        assert action in page  # the audit trail on the detail page
    assert resource.identifier in page


def test_allocating_from_the_pool_page_by_typed_key(staff_client):
    license = LicenseFactory()
    resource = ResourceFactory()
    staff_client.post(
        "/licensing/resources/action",
        {"action": "allocate", "ids": [resource.pk], "license_text": license.key},
    )
    assert Resource.objects.get(pk=resource.pk).license_id == license.pk
    taken = staff_client.post(
        "/licensing/resources/action",
        {"action": "allocate", "ids": [resource.pk], "license": LicenseFactory().pk},
        follow=True,
    )
    assert f"{resource.identifier} (allocated)" in taken.content.decode()


def test_pool_page_shows_a_gauge_per_pool(staff_client):
    ResourceFactory(type="ipv4", identifier="192.0.2.1")
    page = staff_client.get("/licensing/resources").content.decode()
    assert page.count('data-chart="gauge"') == 3
    assert 'data-pool="ipv4"' in page


def test_csv_import_page_reports_rows(staff_client):
    bad = SimpleUploadedFile("pool.csv", b"type,identifier\nipv4,192.0.2.1\nipv4,999.1.1.1\n")
    page = staff_client.post("/licensing/resources/import", {"file": bad})
    html = page.content.decode()
    assert "Nothing imported: 1 invalid row" in html and "999.1.1.1" in html
    assert not Resource.objects.exists()
    good = SimpleUploadedFile("pool.csv", b"type,identifier\nipv4,192.0.2.1\n")
    staff_client.post("/licensing/resources/import", {"file": good})
    assert Resource.objects.filter(identifier="192.0.2.1").exists()


def test_resolving_an_anomaly_from_the_panel(staff_client):
    anomaly = AnomalyFactory()
    staff_client.post(f"/licensing/anomalies/{anomaly.pk}/resolve", {"note": "ok"})
    anomaly.refresh_from_db()
    assert anomaly.resolved and anomaly.resolved_by == "user:staff"
    listed = staff_client.get("/licensing/anomalies").content.decode()
    assert anomaly.license_key not in listed  # the list shows open anomalies by default
    assert Anomaly.objects.filter(resolved=True).count() == 1


def test_ending_a_live_session_from_the_panel(staff_client):
    session = LicenseSessionFactory()
    assert session.license.key in staff_client.get("/licensing/sessions").content.decode()
    staff_client.post(f"/licensing/sessions/{session.pk}/end")
    session.refresh_from_db()
    assert session.end_reason == "admin"


def test_products_and_releases_from_the_panel(staff_client):
    staff_client.post(
        "/licensing/products/new",
        {
            "name": "Studio Pro",
            "single_session": "on",
            "heartbeat_interval": 60,
            "session_timeout": 300,
            "offline_grace_days": 7,
            "is_active": "on",
        },
    )
    product = Product.objects.get(name="Studio Pro")
    staff_client.post(
        f"/licensing/products/{product.pk}/releases/new",
        {
            "version": "2.0.0",
            "release_date": timezone.localdate().isoformat(),
            "make_current": "on",
        },
    )
    product.refresh_from_db()
    assert product.current_version == "2.0.0"
    release = Release.objects.get(product=product)
    bad = staff_client.post(
        f"/licensing/releases/{release.pk}/edit",
        {"version": "two", "release_date": release.release_date.isoformat()},
    )
    assert "not a semantic version" in bad.content.decode()
