"""The embeddable client (licensing/client.py) against a live server: gunicorn on PostgreSQL,
pytest-django's threaded live_server on SQLite (see the ``license_server`` fixture)."""

import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from licensing import client as license_client
from licensing import crypto
from licensing.models import LicenseSession
from licensing.services import catalogue
from limon_site import config
from tests.factories import make_api_key
from tests.licensing.factories import LicenseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def license_setup():
    license = LicenseFactory(
        max_activations=2,
        product__single_session=True,
        product__heartbeat_interval=1,
        product__session_timeout=4,
    )
    ReleaseFactory(product=license.product, version="1.0.0")
    ReleaseFactory(product=license.product, version="1.1.0", is_mandatory=True)
    return license


@pytest.fixture
def make_client(license_server, license_setup, public_key_pem):
    api_key = make_api_key("client")[1]

    def make(**overrides):
        options = {
            "api_key": api_key,
            "public_key_pem": public_key_pem,
            "license_key": license_setup.key,
            "hardware_hash": "e2e-device-1",
            "machine_name": "E2E-PC",
            "app_version": "1.0.0",
            **overrides,
        }
        base = options.pop("base_url", license_server)
        return license_client.LicenseClient(base, **options)

    return make


def test_activate_verify_version_and_info(make_client):
    client = make_client()
    activated = client.activate()
    assert activated["activation"]["hardware_hash"] == "e2e-device-1"
    assert client.activate()["message"] == "License is already activated on this device"
    verified = client.verify()
    assert verified["valid"] is True
    assert verified["update_available"] is True
    version = client.check_version()
    assert version["latest_version"] == "1.1.0" and version["is_mandatory"] is True
    assert client.latest_version()["version"] == "1.1.0"
    assert client.info()["activations"][0]["machine_name"] == "E2E-PC"


def test_genuine_errors_are_raised_with_their_code(make_client):
    make_client(hardware_hash="a").activate()
    make_client(hardware_hash="b").activate()
    with pytest.raises(license_client.LicenseServerError) as caught:
        make_client(hardware_hash="c").activate()
    assert caught.value.status == 409
    assert caught.value.code == "ACTIVATION_LIMIT_REACHED"
    assert make_client(hardware_hash="c").verify()["reason"] == "not_activated_on_this_device"


def test_deactivate_frees_the_seat(make_client):
    first = make_client(hardware_hash="a")
    first.activate()
    make_client(hardware_hash="b").activate()
    first.deactivate()
    assert make_client(hardware_hash="c").activate()["activation"]["is_active"] is True


def test_session_heartbeats_in_the_background_and_restarts_after_a_timeout(make_client):
    config.update("licensing", {"heartbeat_window_seconds": 1, "heartbeat_tolerance_seconds": 0})
    seen = []
    client = make_client(on_session_event=lambda kind, info: seen.append(kind))
    client.activate()
    first = client.start_session()
    token = first["session_token"]
    assert first["heartbeat_interval"] == 1
    deadline = time.monotonic() + 10
    while LicenseSession.objects.get(token=token).heartbeat_count < 2:
        assert time.monotonic() < deadline, f"no heartbeats arrived ({seen})"
        time.sleep(0.2)

    # The server ends the session (as the timeout sweep would); the client starts a new one.
    LicenseSession.objects.filter(token=token).update(
        ended_at=LicenseSession.objects.get(token=token).last_heartbeat, end_reason="timeout"
    )
    while "restarted" not in seen:
        assert time.monotonic() < deadline + 10, f"client did not restart ({seen})"
        time.sleep(0.2)
    new_token = client.session["session_token"]
    assert new_token != token
    ended = client.end_session()
    assert ended["end_reason"] == "client"
    assert LicenseSession.objects.get(token=new_token).ended_at is not None


def test_second_machine_is_refused_while_a_session_is_live(make_client):
    first, second = make_client(hardware_hash="a"), make_client(hardware_hash="b")
    first.activate()
    second.activate()
    first.start_session(heartbeat=False)
    with pytest.raises(license_client.LicenseServerError) as caught:
        second.start_session(heartbeat=False)
    assert caught.value.code == "SESSION_LIMIT"
    assert caught.value.body["error"].startswith("Es ist nur eine Sitzung erlaubt")
    first.end_session()
    second.start_session(heartbeat=False)
    second.end_session()


def test_offline_license_file_round_trip(make_client):
    client = make_client()
    client.activate()
    license_file = client.fetch_license_file()
    payload = client.verify_offline(license_file)
    assert payload["hardware_hash"] == "e2e-device-1"


class _TamperingProxy(BaseHTTPRequestHandler):
    """Forwards to the real server and flips the verdict in the body (keeping the headers)."""

    upstream = ""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        request = urllib.request.Request(
            self.upstream + self.path,
            data=self.rfile.read(length),
            headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            status, headers, body = exc.code, exc.headers, exc.read()
        body = body.replace(b'"valid":false', b'"valid":true ')
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "server", "date", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(handler) -> tuple[str, ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def test_client_rejects_a_tampered_body(make_client, license_server):
    proxy_url, server = _serve(type("Proxy", (_TamperingProxy,), {"upstream": license_server}))
    try:
        honest = make_client(hardware_hash="never-activated")
        assert honest.verify()["valid"] is False
        tampered = make_client(hardware_hash="never-activated", base_url=proxy_url)
        with pytest.raises(license_client.SignatureError):
            tampered.verify()
    finally:
        server.shutdown()
        server.server_close()


class _FakeServer(BaseHTTPRequestHandler):
    """A local server pretending every license is valid, without a valid signature."""

    def do_POST(self):
        body = b'{"valid": true, "message": "License is valid"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Limon-Signature", "AAAA")
        self.send_header("X-Limon-Timestamp", str(int(time.time())))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_client_rejects_a_fake_local_server(make_client):
    fake_url, server = _serve(_FakeServer)
    try:
        with pytest.raises(license_client.SignatureError):
            make_client(base_url=fake_url).verify()
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_server_raises_server_unreachable(make_client):
    with pytest.raises(license_client.ServerUnreachable):
        make_client(base_url="http://127.0.0.1:9", timeout=2).verify()


def test_pinned_key_must_match(make_client):
    other = crypto._from_pem(crypto.new_private_key_pem()).public_pem
    with pytest.raises(license_client.SignatureError):
        make_client(public_key_pem=other).verify()


def test_current_version_pointer_is_what_clients_are_offered(make_client, license_setup):
    catalogue.update_product(product=license_setup.product, current_version="1.0.0")
    client = make_client()
    assert client.check_version()["update_available"] is False
