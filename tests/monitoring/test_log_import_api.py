"""Upload, status and history of log imports; the events list."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from limon_site import config
from limon_site.models import Installation
from monitoring.models import Event, LogImport, Session
from monitoring.services.log_upload import upload_dir
from tests.monitoring.factories import LicenseServerFactory
from tests.monitoring.test_denials import SMALL_LOG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_upload_dir(settings, tmp_path):
    """Each test stores uploads in its own folder, so parallel workers never see each other's."""
    settings.VAR_DIR = tmp_path


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def stored_files() -> set[str]:
    return {p.name for p in upload_dir().iterdir()}


def test_an_upload_is_imported_and_reported(admin_api, django_capture_on_commit_callbacks):
    server = LicenseServerFactory(timezone="Europe/Madrid")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(
            "/api/v1/log-import/start",
            {"server_id": server.pk, "files": [upload("small.log", SMALL_LOG.encode())]},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status_url"].endswith(f"/api/v1/log-import/status/{body['batch_id']}")
    status = admin_api.get(f"/api/v1/log-import/status/{body['batch_id']}").json()
    assert status["state"] == "done" and status["percent"] == 100.0
    assert status["sessions_created"] == 4 and status["events_created"] == 10
    assert status["bytes_done"] == status["bytes_total"] == len(SMALL_LOG.encode())
    assert Session.objects.filter(server=server).count() == 4


def test_several_files_and_a_single_file_field_are_accepted(
    admin_api, django_capture_on_commit_callbacks
):
    server = LicenseServerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(
            "/api/v1/log-import/start",
            {"server_id": server.pk, "file": upload("a.txt", SMALL_LOG.encode())},
            format="multipart",
        )
    assert response.status_code == 202
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(
            "/api/v1/log-import/start",
            {
                "server_id": server.pk,
                "files": [upload("b.log", SMALL_LOG.encode()), upload("c.log", b"\n")],
            },
            format="multipart",
        )
    assert response.status_code == 202
    assert len(response.json()["files"]) == 2
    history = admin_api.get("/api/v1/log-import/history").json()
    assert history["count"] == 2
    assert history["results"][0]["batch_id"] == response.json()["batch_id"]
    assert history["results"][0]["files"][0]["skipped_duplicate"] is True


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", b"%PDF-1.4"), ("binary.log", b"\x00\x01\x02ELF"), ("noext", b"x")],
)
def test_other_files_are_refused_and_not_kept(admin_api, name, content):
    server = LicenseServerFactory()
    before = stored_files()
    response = admin_api.post(
        "/api/v1/log-import/start",
        {
            "server_id": server.pk,
            "files": [upload("ok.log", b"1:00:00 (x) y\n"), upload(name, content)],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "UNSUPPORTED_FILE_TYPE"
    assert stored_files() == before
    assert not LogImport.objects.exists()


def test_a_file_over_the_limit_is_413_and_not_kept(admin_api):
    config.update("log-import", {"max_upload_mb": 1})
    server = LicenseServerFactory()
    before = stored_files()
    big = (b" 9:00:00 (MLM) TIMESTAMP 3/4/2024\n" * 40_000)[: 1024 * 1024 + 10]
    response = admin_api.post(
        "/api/v1/log-import/start",
        {"server_id": server.pk, "files": [upload("big.log", big)]},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "FILE_TOO_LARGE"
    assert stored_files() == before
    assert not LogImport.objects.exists()


def test_an_unknown_server_is_400_and_nothing_is_kept(admin_api):
    before = stored_files()
    response = admin_api.post(
        "/api/v1/log-import/start",
        {"server_id": 999999, "files": [upload("a.log", b"x\n")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "server_id" in response.json()["details"]["fields"]
    assert stored_files() == before


def test_log_import_needs_the_license_or_evaluation(admin_api):
    Installation.objects.filter(pk=Installation.current().pk).update(
        installed_at=timezone.now() - timedelta(days=365)
    )
    response = admin_api.get("/api/v1/log-import/history")
    assert response.status_code == 403
    assert response.json()["code"] == "LICENSE_REQUIRED"
    response = admin_api.post("/api/v1/log-import/start", {}, format="multipart")
    assert response.json()["code"] == "LICENSE_REQUIRED"


def test_log_import_needs_an_admin_credential(read_api, api):
    assert read_api.get("/api/v1/log-import/history").status_code == 403
    assert api.post("/api/v1/log-import/start", {}).status_code == 401


@pytest.fixture
def events(admin_api, django_capture_on_commit_callbacks):
    server = LicenseServerFactory(timezone="Europe/Madrid")
    with django_capture_on_commit_callbacks(execute=True):
        admin_api.post(
            "/api/v1/log-import/start",
            {"server_id": server.pk, "files": [upload("small.log", SMALL_LOG.encode())]},
            format="multipart",
        )
    return server


def test_events_filter_by_type_denial_user_and_time(api, events):
    def users(**params):
        return [e["user"] for e in api.get("/api/v1/events", params).json()["results"]]

    assert users(type="timeout") == ["dave", "bob"]
    assert users(type="denied", denial="false") == ["dave", "bob"]
    assert users(denial="true", user="CAROL") == ["carol", "carol"]
    assert users(type="denied", to="2024-03-04T08:06:00Z") == ["carol", "bob"]
    assert users(server_id=events.pk, feature="simulink") == ["carol"]
    assert len(users(server_id=events.pk + 1)) == 0
    assert Event.objects.count() == 10


@pytest.mark.parametrize(
    ("param", "value"), [("type", "lost"), ("from", "yesterday"), ("denial", "maybe")]
)
def test_bad_event_filters_are_400_naming_the_field(api, db, param, value):
    response = api.get("/api/v1/events", {param: value})
    assert response.status_code == 400
    assert param in response.json()["details"]["fields"]


def test_an_unknown_time_zone_is_400_and_nothing_is_kept(admin_api):
    server = LicenseServerFactory()
    before = stored_files()
    response = admin_api.post(
        "/api/v1/log-import/start",
        {"server_id": server.pk, "timezone": "Mars/Olympus", "files": [upload("a.log", b"x\n")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "timezone" in response.json()["details"]["fields"]
    assert stored_files() == before


def test_the_upload_may_name_the_log_clock_zone(admin_api):
    server = LicenseServerFactory(timezone="UTC")
    response = admin_api.post(
        "/api/v1/log-import/start",
        {"server_id": server.pk, "timezone": "Asia/Tokyo", "files": [upload("a.log", b"x\n")]},
        format="multipart",
    )
    assert response.status_code == 202
    assert LogImport.objects.get().timezone == "Asia/Tokyo"
