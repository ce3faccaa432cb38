from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.services import catalogue
from tests.licensing.factories import LicenseFactory, ProductFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    product = ProductFactory(name="Account Forger")
    ReleaseFactory(product=product, version="1.0.0")
    ReleaseFactory(
        product=product,
        version="1.1.0",
        download_url="https://example.com/download/v1.1.0",
        release_notes="Bug fixes and performance improvements",
    )
    return product


def test_version_check_answers_the_seed_shape(client_api, product):
    license = LicenseFactory(product=product)
    response = client_api.post(
        "/api/version/check",
        {"current_version": "1.0.0", "license_key": license.key},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["update_available"] is True
    assert body["latest_version"] == "1.1.0"
    assert body["download_url"] == "https://example.com/download/v1.1.0"
    assert body["release_notes"] == "Bug fixes and performance improvements"
    assert body["is_mandatory"] is False


def test_up_to_date_client_has_no_update(client_api, product):
    body = client_api.post(
        "/api/version/check",
        {"current_version": "1.1.0", "product": "Account Forger"},
        format="json",
    ).json()
    assert body["update_available"] is False


def test_semantic_comparison_not_string_comparison(client_api, product):
    ReleaseFactory(product=product, version="1.10.0")
    body = client_api.post(
        "/api/version/check",
        {"current_version": "1.9.2", "product": str(product.pk)},
        format="json",
    ).json()
    assert body["latest_version"] == "1.10.0"
    assert body["update_available"] is True


def test_prerelease_sorts_below_its_release(client_api, product):
    ReleaseFactory(product=product, version="2.0.0-rc.1")
    body = client_api.post(
        "/api/version/check",
        {"current_version": "1.1.0", "product": "Account Forger"},
        format="json",
    ).json()
    assert body["latest_version"] == "2.0.0-rc.1"
    ReleaseFactory(product=product, version="2.0.0")
    body = client_api.post(
        "/api/version/check",
        {"current_version": "2.0.0-rc.1", "product": "Account Forger"},
        format="json",
    ).json()
    assert body["latest_version"] == "2.0.0" and body["update_available"] is True


def test_newer_mandatory_release_makes_the_update_mandatory(client_api, product):
    ReleaseFactory(product=product, version="1.2.0", is_mandatory=True)
    ReleaseFactory(product=product, version="1.3.0")
    check = {"product": "Account Forger"}
    assert client_api.post(
        "/api/version/check", {**check, "current_version": "1.1.0"}, format="json"
    ).json()["is_mandatory"]
    assert not client_api.post(
        "/api/version/check", {**check, "current_version": "1.2.0"}, format="json"
    ).json()["is_mandatory"]


def test_below_minimum_is_mandatory(client_api, product):
    catalogue.update_product(product=product, minimum_version="1.1.0")
    body = client_api.post(
        "/api/version/check",
        {"current_version": "1.0.0", "product": "Account Forger"},
        format="json",
    ).json()
    assert body["is_mandatory"] is True


def test_current_version_pointer_decides_the_latest(client_api, product):
    ReleaseFactory(product=product, version="2.0.0")
    catalogue.update_product(product=product, current_version="1.1.0")
    body = client_api.get("/api/version/latest?product=Account Forger").json()
    assert body["version"] == "1.1.0"


def test_future_dated_release_is_not_offered(client_api, product):
    ReleaseFactory(
        product=product, version="9.0.0", release_date=timezone.localdate() + timedelta(days=3)
    )
    assert client_api.get("/api/version/latest?product=Account Forger").json()["version"] == "1.1.0"


def test_latest_answers_the_seed_shape(client_api, product):
    response = client_api.get(f"/api/version/latest?product={product.pk}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"version", "release_date", "download_url", "release_notes", "is_mandatory"}
    assert body["version"] == "1.1.0"


def test_latest_without_product_uses_the_only_product(client_api, product):
    assert client_api.get("/api/version/latest").json()["version"] == "1.1.0"
    ProductFactory(name="Other")
    response = client_api.get("/api/version/latest")
    assert response.status_code == 400


def test_unknown_product_and_malformed_version(client_api, product):
    assert client_api.get("/api/version/latest?product=nope").status_code == 404
    response = client_api.post(
        "/api/version/check",
        {"current_version": "banana", "product": "Account Forger"},
        format="json",
    )
    assert response.status_code == 400
