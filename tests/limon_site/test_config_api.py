import pytest

from limon_site.models import AuditEvent
from tests.smtp_sink import smtp_sink

pytestmark = pytest.mark.django_db


def test_smtp_settings_hide_the_password_and_are_audited(admin_api):
    response = admin_api.put(
        "/api/v1/config/smtp",
        {"host": "mail.example.test", "port": 587, "password": "pw1"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["password"] == "********"
    event = AuditEvent.objects.get(action="config.updated", target_id="smtp")
    assert "pw1" not in str(event.changes)


def test_bad_smtp_port_is_a_validation_error(admin_api):
    response = admin_api.put("/api/v1/config/smtp", {"port": 70000}, format="json")
    assert response.status_code == 400
    assert "port" in response.json()["details"]["fields"]


def test_smtp_test_sends_a_real_message(admin_api):
    with smtp_sink() as inbox:
        admin_api.put(
            "/api/v1/config/smtp", {"host": "127.0.0.1", "port": inbox.port}, format="json"
        )
        response = admin_api.post(
            "/api/v1/config/smtp/test", {"to": "ops@example.test"}, format="json"
        )
    assert response.status_code == 200
    assert inbox.messages[0]["to"] == ["ops@example.test"]
    assert "SMTP works" in inbox.messages[0]["data"]


def test_smtp_test_without_a_host_explains_what_to_do(admin_api):
    response = admin_api.post("/api/v1/config/smtp/test", {"to": "ops@example.test"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "SMTP_NOT_CONFIGURED"


def test_export_then_import_restores_the_configuration(admin_api):
    admin_api.put("/api/v1/config/smtp", {"host": "a.example.test"}, format="json")
    exported = admin_api.post("/api/v1/config/export").content.decode()
    assert "a.example.test" in exported
    admin_api.put("/api/v1/config/smtp", {"host": "b.example.test"}, format="json")
    response = admin_api.post("/api/v1/config/import", {"yaml": exported}, format="json")
    assert response.status_code == 200
    assert admin_api.get("/api/v1/config/smtp").json()["host"] == "a.example.test"


def test_import_of_a_bad_file_changes_nothing(admin_api):
    admin_api.put("/api/v1/config/smtp", {"host": "keep.example.test"}, format="json")
    response = admin_api.post(
        "/api/v1/config/import",
        {"yaml": "smtp:\n  host: other.example.test\nsystem:\n  nonsense: 1\n"},
        format="json",
    )
    assert response.status_code == 400
    assert admin_api.get("/api/v1/config/smtp").json()["host"] == "keep.example.test"


def test_about_and_system(admin_api):
    about = admin_api.get("/api/v1/config/about").json()
    assert about["installation_id"] and about["schema_version"]["limon_site"]
    assert "smtp" in admin_api.get("/api/v1/config/system").json()["sections"]
