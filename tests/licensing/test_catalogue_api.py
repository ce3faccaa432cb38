import pytest

from licensing.models import Product, Release
from limon_site.models import AuditEvent
from tests.licensing.factories import LicenseFactory, ProductFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_a_product_and_it_is_audited(admin_api):
    response = admin_api.post(
        "/api/licensing/products",
        {"name": "Account Forger", "single_session": True, "heartbeat_interval": 30},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["session_timeout"] == 300
    assert AuditEvent.objects.filter(action="product.created").exists()


def test_duplicate_product_name_is_409(admin_api):
    ProductFactory(name="Account Forger")
    response = admin_api.post("/api/licensing/products", {"name": "account forger"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "DUPLICATE_PRODUCT"


def test_timeout_must_exceed_heartbeat_interval(admin_api):
    response = admin_api.post(
        "/api/licensing/products",
        {"name": "X", "heartbeat_interval": 300, "session_timeout": 60},
        format="json",
    )
    assert response.status_code == 400
    assert "session_timeout" in response.json()["details"]["fields"]
    assert not Product.objects.exists()


def test_minimum_version_must_be_semantic(admin_api):
    product = ProductFactory()
    response = admin_api.patch(
        f"/api/licensing/products/{product.pk}", {"minimum_version": "1.2"}, format="json"
    )
    assert response.status_code == 400


def test_current_version_must_name_a_release(admin_api):
    product = ProductFactory()
    response = admin_api.patch(
        f"/api/licensing/products/{product.pk}", {"current_version": "3.0.0"}, format="json"
    )
    assert response.status_code == 400
    ReleaseFactory(product=product, version="3.0.0")
    response = admin_api.patch(
        f"/api/licensing/products/{product.pk}", {"current_version": "3.0.0"}, format="json"
    )
    assert response.status_code == 200


def test_product_with_licenses_cannot_be_deleted(admin_api):
    license = LicenseFactory()
    response = admin_api.delete(f"/api/licensing/products/{license.product_id}")
    assert response.status_code == 409
    assert response.json()["code"] == "PRODUCT_HAS_LICENSES"
    assert admin_api.delete(f"/api/licensing/products/{ProductFactory().pk}").status_code == 204


def test_release_create_validates_semver_and_uniqueness(admin_api):
    product = ProductFactory()
    url = "/api/licensing/releases"
    assert (
        admin_api.post(url, {"product": product.pk, "version": "1.0"}, format="json").status_code
        == 400
    )
    assert (
        admin_api.post(url, {"product": product.pk, "version": "1.0.0"}, format="json").status_code
        == 201
    )
    response = admin_api.post(url, {"product": product.pk, "version": "1.0.0"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "DUPLICATE_RELEASE"


def test_one_current_version_per_product(admin_api):
    product = ProductFactory()
    first = admin_api.post(
        "/api/licensing/releases",
        {"product": product.pk, "version": "1.0.0", "is_current": True},
        format="json",
    ).json()
    second = admin_api.post(
        "/api/licensing/releases",
        {"product": product.pk, "version": "1.1.0", "is_current": True},
        format="json",
    ).json()
    assert second["is_current"] is True
    assert admin_api.get(f"/api/licensing/releases/{first['id']}").json()["is_current"] is False
    product.refresh_from_db()
    assert product.current_version == "1.1.0"


def test_deleting_the_current_release_clears_the_pointer(admin_api):
    product = ProductFactory()
    release = ReleaseFactory(product=product, version="1.0.0")
    Product.objects.filter(pk=product.pk).update(current_version="1.0.0")
    assert admin_api.delete(f"/api/licensing/releases/{release.pk}").status_code == 204
    product.refresh_from_db()
    assert product.current_version == ""


def test_releases_filter_by_product(admin_api):
    a, b = ProductFactory(), ProductFactory()
    ReleaseFactory(product=a)
    ReleaseFactory(product=b)
    ReleaseFactory(product=b)
    body = admin_api.get(f"/api/licensing/releases?product={b.pk}").json()
    assert body["count"] == 2
    assert all(row["product"] == b.pk for row in body["results"])


def test_release_cannot_move_to_another_product(admin_api):
    release = ReleaseFactory()
    other = ProductFactory()
    response = admin_api.patch(
        f"/api/licensing/releases/{release.pk}", {"product": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert Release.objects.get(pk=release.pk).product_id == release.product_id


def test_catalogue_is_admin_only(client_api, read_api):
    assert client_api.get("/api/licensing/products").status_code == 403
    assert read_api.get("/api/licensing/products").status_code == 403


def test_products_page_lists_products_and_releases(staff_client):
    release = ReleaseFactory(product__name="Account Forger", version="1.2.3")
    page = staff_client.get("/licensing/products")
    assert page.status_code == 200
    assert b"Account Forger" in page.content and b"1.2.3" in page.content
    assert release.product.name in page.content.decode()
