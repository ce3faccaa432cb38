import base64
import io
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.utils import timezone

from limon_site import product_license
from limon_site.models import Installation

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor_key(settings):
    """A throw-away vendor key pair; the installation trusts its public half."""
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    settings.LIMON_LICENSE_PUBLIC_KEY = base64.b64encode(raw).decode()
    return key


def _issue(key, *, installation_id=None, tier="standard", features=(), days=365):
    installation_id = installation_id or Installation.current().installation_id
    return product_license.issue(
        private_key=key,
        installation_id=str(installation_id),
        tier=tier,
        features=list(features),
        days=days,
    )


def _expire_evaluation():
    Installation.objects.filter(pk=Installation.current().pk).update(
        installed_at=timezone.now() - timedelta(days=31)
    )


def test_a_new_installation_is_in_evaluation_with_every_feature(admin_api):
    body = admin_api.get("/api/admin/license").json()
    assert body["status"] == "evaluation"
    assert body["days_left"] in (29, 30)
    assert set(body["features"]) == {"log_import", "intelligence", "webhooks"}
    assert body["installation_id"] == str(Installation.current().installation_id)


def test_installing_a_valid_key_licenses_the_installation(admin_api, vendor_key):
    key = _issue(vendor_key, tier="standard", features=["intelligence"], days=90)
    response = admin_api.post("/api/admin/license", {"license_key": key}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["tier"]) == ("licensed", "standard")
    assert set(body["features"]) == {"log_import", "intelligence"}
    assert 88 <= body["days_left"] <= 90


def test_professional_tier_unlocks_webhooks(vendor_key):
    product_license.install(key=_issue(vendor_key, tier="professional"))
    assert product_license.has_feature("webhooks")
    assert not product_license.has_feature("intelligence")


@pytest.mark.parametrize("forge", ["other_installation", "bad_signature", "garbage", "expired"])
def test_bad_keys_are_400_invalid_license_and_change_nothing(admin_api, vendor_key, forge):
    if forge == "other_installation":
        key = _issue(vendor_key, installation_id="11111111-1111-1111-1111-111111111111")
    elif forge == "bad_signature":
        key = _issue(Ed25519PrivateKey.generate())
    elif forge == "expired":
        key = _issue(vendor_key, days=-1)
    else:
        key = "not-a-license"
    response = admin_api.post("/api/admin/license", {"license_key": key}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_LICENSE"
    assert Installation.current().license_key == ""
    assert admin_api.get("/api/admin/license").json()["status"] == "evaluation"


def test_after_the_evaluation_features_are_refused_with_license_required():
    _expire_evaluation()
    assert product_license.current_status().status == "expired"
    with pytest.raises(product_license.Forbidden) as refused:
        product_license.require_feature("log_import")
    assert refused.value.code == "LICENSE_REQUIRED"
    assert refused.value.details["feature"] == "log_import"


def test_vendor_and_customer_commands_round_trip(tmp_path, settings):
    private = tmp_path / "vendor.pem"
    public_pem = io.StringIO()
    call_command("generate_license_keypair", "--private-key", str(private), stdout=public_pem)
    settings.LIMON_LICENSE_PUBLIC_KEY = public_pem.getvalue()
    out = io.StringIO()
    call_command(
        "issue_limon_license",
        "--private-key",
        str(private),
        "--installation-id",
        str(Installation.current().installation_id),
        "--tier",
        "professional",
        "--features",
        "intelligence",
        "--days",
        "30",
        stdout=out,
    )
    call_command("install_license", out.getvalue().strip(), stdout=io.StringIO())
    assert product_license.current_status().status == "licensed"
    with pytest.raises(CommandError):
        call_command("generate_license_keypair", "--private-key", str(private))


@pytest.mark.urls("tests.limon_site.crash_urls")
def test_gated_endpoints_answer_403_license_required_naming_the_feature(admin_api, vendor_key):
    assert admin_api.get("/api/gated").status_code == 200  # evaluation unlocks everything
    product_license.install(key=_issue(vendor_key, tier="standard", features=[]))
    response = admin_api.get("/api/gated")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "LICENSE_REQUIRED"
    assert body["details"]["feature"] == "intelligence"
