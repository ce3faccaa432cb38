"""Debug-log panel pages: the upload form goes through the API's upload service (and, with
django-q2 in sync mode, imports at once), refused files keep nothing, the denials chart is
drawn from the summary, and the status endpoint answers the staff session."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.models import LogImport
from monitoring.services.log_upload import upload_dir
from tests.monitoring.factories import LicenseServerFactory
from tests.monitoring.test_denials import SMALL_LOG

pytestmark = pytest.mark.django_db

BASE = "/panel/monitoring"


@pytest.fixture
def imported(staff_client, django_capture_on_commit_callbacks):
    server = LicenseServerFactory(name="flex1", timezone="Europe/Madrid")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"{BASE}/log-import",
            {
                "server_id": server.pk,
                "files": [SimpleUploadedFile("small.log", SMALL_LOG.encode())],
            },
        )
    assert response.status_code == 302
    return LogImport.objects.get()


def test_upload_through_the_form_creates_and_imports_a_batch(staff_client, imported):
    assert imported.state == "done" and imported.sessions_created == 4
    status = staff_client.get(f"/api/v1/log-import/status/{imported.pk}")
    assert status.status_code == 200 and status.json()["percent"] == 100.0
    page = staff_client.get(f"{BASE}/log-import?batch={imported.pk}").content.decode()
    assert f'data-status-url="/api/v1/log-import/status/{imported.pk}"' in page
    assert "small.log" in page


def test_a_bad_file_type_shows_the_error_and_stores_nothing(staff_client):
    server = LicenseServerFactory()
    before = {p.name for p in upload_dir().iterdir()}
    response = staff_client.post(
        f"{BASE}/log-import",
        {"server_id": server.pk, "files": [SimpleUploadedFile("report.pdf", b"%PDF")]},
    )
    assert response.status_code == 200
    assert "Only .log and .txt debug logs are accepted" in response.content.decode()
    assert not LogImport.objects.exists()
    assert {p.name for p in upload_dir().iterdir()} == before


def test_denials_chart_is_drawn_with_data_points(staff_client, imported):
    page = staff_client.get(f"{BASE}/denials").content.decode()
    points = re.search(r'data-chart="bar" data-points="(\d+)"', page)
    assert points and int(points.group(1)) > 0
    assert "matlab" in page.lower() or "simulink" in page.lower()


@pytest.mark.parametrize("path", ["/log-import", "/denials", "/events"])
def test_pages_render_for_staff_with_data(staff_client, imported, path):
    assert staff_client.get(f"{BASE}{path}").status_code == 200


@pytest.mark.parametrize("path", ["/log-import", "/denials", "/events"])
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(f"{BASE}{path}")
    assert response.status_code == 302 and "/panel/login" in response["Location"]


def test_event_list_uses_the_api_filters(staff_client, imported):
    page = staff_client.get(f"{BASE}/events", {"type": "timeout"}).content.decode()
    assert len(re.findall(r'data-testid="event-\d+"', page)) == 2
    bad = staff_client.get(f"{BASE}/events", {"type": "lost"}).content.decode()
    assert 'data-testid="filter-errors"' in bad
