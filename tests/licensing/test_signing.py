import base64
import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from licensing import client as license_client
from licensing import crypto
from tests.licensing.factories import ActivationFactory, LicenseFactory

pytestmark = pytest.mark.django_db


def _check(response, *, method, path, nonce="", public_key_pem):
    license_client.check_signature(
        license_client.load_public_key(public_key_pem),
        headers=dict(response.items()),
        method=method,
        path=path,
        body=response.content,
        nonce=nonce,
    )


def test_verify_answer_is_signed_with_the_nonce(client_api, public_key_pem):
    activation = ActivationFactory(hardware_hash="hw")
    response = client_api.post(
        "/api/license/verify",
        {"license_key": activation.license.key, "hardware_hash": "hw"},
        format="json",
        HTTP_X_REQUEST_NONCE="n0nce-123",
    )
    assert response["X-Request-Nonce"] == "n0nce-123"
    _check(
        response,
        method="POST",
        path="/api/license/verify",
        nonce="n0nce-123",
        public_key_pem=public_key_pem,
    )


def test_tampered_body_is_rejected(client_api, public_key_pem):
    activation = ActivationFactory(hardware_hash="hw")
    response = client_api.post(
        "/api/license/verify",
        {"license_key": activation.license.key, "hardware_hash": "other"},
        format="json",
    )
    assert response.json()["valid"] is False
    response.content = response.content.replace(b'"valid":false', b'"valid":true')
    with pytest.raises(license_client.SignatureError):
        _check(response, method="POST", path="/api/license/verify", public_key_pem=public_key_pem)


def test_answer_replayed_for_another_request_is_rejected(client_api, public_key_pem):
    license = LicenseFactory()
    response = client_api.get(f"/api/license/info/{license.key}", HTTP_X_REQUEST_NONCE="first")
    with pytest.raises(license_client.SignatureError, match="nonce"):
        _check(
            response,
            method="GET",
            path=f"/api/license/info/{license.key}",
            nonce="second",
            public_key_pem=public_key_pem,
        )
    with pytest.raises(license_client.SignatureError):
        _check(
            response, method="GET", path="/api/license/info/OTHER", public_key_pem=public_key_pem
        )


def test_error_answers_are_signed_too(client_api, public_key_pem):
    response = client_api.post(
        "/api/license/activate", {"license_key": "NONE-NONE-NONE-NONE", "hardware_hash": "x"}
    )
    assert response.status_code == 404
    _check(response, method="POST", path="/api/license/activate", public_key_pem=public_key_pem)


def test_answer_signed_by_another_key_is_rejected(client_api):
    other_pem = crypto._from_pem(crypto.new_private_key_pem()).public_pem
    response = client_api.get(f"/api/license/info/{LicenseFactory().key}")
    with pytest.raises(license_client.SignatureError, match="pinned"):
        _check(response, method="GET", path=response.wsgi_request.path, public_key_pem=other_pem)


def test_stale_timestamp_is_rejected(client_api, public_key_pem):
    response = client_api.get(f"/api/license/info/{LicenseFactory().key}")
    with pytest.raises(license_client.SignatureError, match="timestamp"):
        license_client.check_signature(
            license_client.load_public_key(public_key_pem),
            headers=dict(response.items()),
            method="GET",
            path=response.wsgi_request.path,
            body=response.content,
            nonce="",
            now=int(response["X-Limon-Timestamp"]) + 3600,
        )


def test_public_key_endpoint_is_public_and_matches_the_signing_key(api, signing_key):
    body = api.get("/api/license/public-key").json()
    assert body["algorithm"] == "Ed25519"
    assert body["public_key_pem"] == signing_key.public_pem
    assert base64.b64decode(body["public_key_base64"]) == signing_key.public_raw
    assert body["key_id"] == signing_key.key_id


def test_without_a_signing_key_client_endpoints_answer_503_and_change_nothing(client_api, settings):
    settings.LIMON_SIGNING_KEY = ""
    license = LicenseFactory()
    response = client_api.post(
        "/api/license/activate", {"license_key": license.key, "hardware_hash": "x"}, format="json"
    )
    assert response.status_code == 503
    assert response.json()["code"] == "SIGNING_KEY_MISSING"
    assert not license.activations.exists()


def test_offline_license_file_verifies_without_the_network(client_api, public_key_pem):
    activation = ActivationFactory(hardware_hash="hw-off", license__product__offline_grace_days=7)
    response = client_api.get(
        f"/api/license/{activation.license.key}/license-file?hardware_hash=hw-off"
    )
    assert response.status_code == 200
    text = response.json()["license_file"]
    payload = license_client.verify_license_file(text, public_key_pem, hardware_hash="hw-off")
    assert payload["license_key"] == activation.license.key
    assert payload["grace_days"] == 7
    with pytest.raises(license_client.LicenseClientError, match="another device"):
        license_client.verify_license_file(text, public_key_pem, hardware_hash="other")
    later = datetime.now(UTC) + timedelta(days=8)
    with pytest.raises(license_client.LicenseClientError, match="expired"):
        license_client.verify_license_file(text, public_key_pem, hardware_hash="hw-off", now=later)


def test_altered_license_file_is_rejected(client_api, public_key_pem):
    activation = ActivationFactory(hardware_hash="hw")
    text = client_api.get(
        f"/api/license/{activation.license.key}/license-file?hardware_hash=hw"
    ).json()["license_file"]
    body, signature = text.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["max_users"] = 999
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(license_client.SignatureError):
        license_client.verify_license_file(
            f"{forged}.{signature}", public_key_pem, hardware_hash="hw"
        )


def test_license_file_ends_with_the_license(client_api):
    activation = ActivationFactory(
        hardware_hash="hw", license__valid_until=timezone.localdate() + timedelta(days=2)
    )
    payload = client_api.get(
        f"/api/license/{activation.license.key}/license-file?hardware_hash=hw"
    ).json()["payload"]
    expires = datetime.fromisoformat(payload["expires_at"].replace("Z", "+00:00"))
    assert expires <= datetime.now(UTC) + timedelta(days=3)


def test_license_file_for_a_device_that_is_not_activated_is_403(client_api):
    license = LicenseFactory()
    response = client_api.get(f"/api/license/{license.key}/license-file?hardware_hash=nope")
    assert response.status_code == 403
    assert response.json()["code"] == "DEVICE_NOT_ACTIVATED"


def test_create_signing_key_writes_a_private_file(tmp_path, settings):
    target = tmp_path / "var" / "key.pem"
    call_command("create_signing_key", "--path", str(target))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    settings.LIMON_SIGNING_KEY = ""
    settings.LIMON_SIGNING_KEY_FILE = target
    assert crypto.signing_key().public_raw
    with pytest.raises(Exception, match="exists"):
        call_command("create_signing_key", "--path", str(target))
    call_command("create_signing_key", "--path", str(target), "--if-missing")
