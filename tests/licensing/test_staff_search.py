"""Global search over customers, licenses and devices (``/api/global-search`` and the panel's
header search)."""

import pytest

from tests.licensing.factories import ActivationFactory, CustomerFactory, LicenseFactory

pytestmark = pytest.mark.django_db


def search(api, query: str, **params):
    response = api.get("/api/global-search", {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_customers_are_found_by_name_or_e_mail_and_link_to_their_page(admin_api):
    acme = CustomerFactory(name="ACME Corp", email="admin@acme.com")
    CustomerFactory(name="Globex", email="it@globex.test")
    by_name = search(admin_api, "acme", type="customer")
    by_mail = search(admin_api, "admin@acme", type="customer")
    assert by_name == by_mail
    assert by_name == {
        "results": [
            {
                "type": "customer",
                "id": acme.pk,
                "title": "ACME Corp",
                "subtitle": "admin@acme.com",
                "url": f"/licensing/customers/{acme.pk}",
            }
        ],
        "total": 1,
    }


def test_licenses_are_found_by_part_of_the_key_with_or_without_dashes(admin_api):
    license = LicenseFactory(key="ABCD-EFGH-JKMN-PQRS", customer__name="ACME Corp")
    LicenseFactory(key="WXYZ-2345-6789-ABCE")
    for query in ("EFGH-JK", "efghjkmn", "ABCD-EFGH-JKMN-PQRS", "pqrs"):
        results = search(admin_api, query, type="license")["results"]
        assert [r["id"] for r in results] == [license.pk], query
    [result] = search(admin_api, "efgh", type="license")["results"]
    assert result["title"] == "ABCD-EFGH-JKMN-PQRS"
    assert result["subtitle"] == "ACME Corp - Active"
    assert result["url"] == f"/licensing/licenses/{license.pk}"


def test_devices_are_found_by_machine_name_or_hardware_hash(admin_api):
    device = ActivationFactory(machine_name="DESKTOP-ABC123", hardware_hash="a1b2c3d4e5")
    for query in ("desktop-abc", "b2c3d4"):
        [result] = search(admin_api, query, type="device")["results"]
        assert result["id"] == device.pk
    assert result["url"] == f"/licensing/licenses/{device.license_id}#device-{device.pk}"
    assert device.license.key in result["subtitle"]


def test_all_types_together_and_the_limit(admin_api):
    customer = CustomerFactory(name="Zeta Zeta")
    for _ in range(3):
        LicenseFactory(customer=customer, notes="")
        ActivationFactory(machine_name="ZETA-PC")
    body = search(admin_api, "zeta")
    assert {r["type"] for r in body["results"]} == {"customer", "device"}
    assert body["total"] == 4
    assert search(admin_api, "zeta", limit=2)["total"] == 2


def test_limit_above_100_is_refused(admin_api):
    response = admin_api.get("/api/global-search", {"q": "acme", "limit": 101})
    assert response.status_code == 400


def test_the_panel_header_search_finds_a_license(staff_client):
    license = LicenseFactory()
    page = staff_client.get("/panel/search", {"q": license.key[:9]})
    assert page.status_code == 200
    assert f"/licensing/licenses/{license.pk}" in page.content.decode()
