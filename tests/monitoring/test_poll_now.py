"""Poll now (test reachability) from the admin API and the server page."""

import pytest

from limon_site.models import AuditEvent
from monitoring.models import PollRun, Session
from tests.monitoring.factories import LicenseServerFactory
from tests.monitoring.test_tools import (
    UP_TEXT,
    fake_lmutil,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

DOWN_TEXT = """\
lmutil - Copyright (c) 1989-2024 Flexera. All Rights Reserved.
Flexible License Manager status on Tue 12/1/2026 9:30

License server status: 27000@lic1
lic1: Cannot connect to license server system. (-15,570:111 "Connection refused")
"""


def test_poll_now_answers_what_the_server_offers_and_records_the_poll(
    admin_api,
    fake_lmutil,  # noqa: F811
):
    server = LicenseServerFactory(address="27000@lic1")
    fake_lmutil.prints("27000@lic1", UP_TEXT)
    response = admin_api.post(f"/api/admin/servers/{server.pk}/poll")
    assert response.status_code == 200
    body = response.json()
    assert (body["ok"], body["server_status"], body["features"]) == (True, "up", 1)
    assert body["sessions_opened"] == 1
    assert Session.objects.get(server=server).user.username == "alice"
    assert PollRun.objects.filter(server=server).count() == 1
    assert AuditEvent.objects.filter(action="server.polled", target_id=str(server.pk)).exists()


def test_an_unreachable_server_is_reported_down_with_the_tool_error(
    admin_api,
    fake_lmutil,  # noqa: F811
):
    server = LicenseServerFactory(address="27000@lic1")
    fake_lmutil.prints("27000@lic1", DOWN_TEXT)
    body = admin_api.post(f"/api/admin/servers/{server.pk}/poll").json()
    assert (body["ok"], body["server_status"]) == (False, "down")
    assert "Cannot connect" in body["error"]


def test_a_decommissioned_server_is_not_polled(admin_api, fake_lmutil):  # noqa: F811
    server = LicenseServerFactory(address="27000@lic1", is_active=False)
    response = admin_api.post(f"/api/admin/servers/{server.pk}/poll")
    assert response.status_code == 409
    assert response.json()["code"] == "SERVER_DECOMMISSIONED"
    assert fake_lmutil.calls() == []


def test_poll_now_needs_an_admin_key(api, read_api):
    server = LicenseServerFactory()
    assert api.post(f"/api/admin/servers/{server.pk}/poll").status_code == 401
    assert read_api.post(f"/api/admin/servers/{server.pk}/poll").status_code == 403


def test_the_server_page_button_polls_and_says_what_was_found(
    staff_client,
    fake_lmutil,  # noqa: F811
):
    server = LicenseServerFactory(address="27000@lic1")
    fake_lmutil.prints("27000@lic1", UP_TEXT)
    page = staff_client.post(f"/panel/monitoring/servers/{server.pk}/poll", follow=True)
    assert "answered in" in page.content.decode()
    assert "1 features, 1 sessions opened" in page.content.decode()
    assert PollRun.objects.get(server=server).ok
    assert staff_client.get(f"/panel/monitoring/servers/{server.pk}/poll").status_code == 405
