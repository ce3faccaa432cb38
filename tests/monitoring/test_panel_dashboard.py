"""The dashboard, the sessions search page and the server pages' CSV exports and pagination."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from monitoring.models import SessionStatus
from monitoring.services import rollups
from tests.factories import UserFactory
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    LicenseServerFactory,
    LicenseUserFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/panel/monitoring"
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def rows_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def estate():
    """flex1 up with MATLAB at 9 of 10 (keystone of a critical application, held by alice and
    bob), flex2 down with an idle feature that expires in 5 days."""
    flex1 = LicenseServerFactory(name="flex1", status="up")
    flex2 = LicenseServerFactory(name="flex2", status="down")
    matlab = FeatureFactory(server=flex1, name="MATLAB", issued=10, in_use=9)
    app = ApplicationFactory(name="MATLAB", is_critical=True)
    DeploymentFactory(application=app, server=flex1)
    app.keystone_feature = matlab
    app.save()
    FeatureFactory(
        server=flex2, name="IDLE", issued=4, expires_on=timezone.localdate() + timedelta(days=5)
    )
    alice, bob = LicenseUserFactory(username="alice"), LicenseUserFactory(username="bob")
    SessionFactory(feature=matlab, user=alice, host="ws-alice", licenses=1)
    SessionFactory(feature=matlab, user=bob, host="ws-bob", licenses=3)
    return {"flex1": flex1, "flex2": flex2, "matlab": matlab, "alice": alice, "bob": bob}


def test_the_monitoring_landing_page_is_the_dashboard(staff_client):
    response = staff_client.get(BASE + "/")
    assert response.status_code == 302 and response.url == BASE + "/dashboard"


@pytest.mark.parametrize("path", ["/dashboard", "/sessions"])
def test_pages_are_for_staff_only(client, path):
    assert client.get(BASE + path).status_code == 302
    client.force_login(UserFactory(username="not-staff"))
    assert client.get(BASE + path).status_code == 403


def test_dashboard_shows_tiles_critical_saturation_bars_and_expiring(staff_client, estate):
    page = staff_client.get(BASE + "/dashboard").content.decode()
    assert 'data-testid="kpi-servers"' in page
    assert '<div class="tile-value">1 / 2</div>' in page  # servers online / in service
    assert '<div class="tile-value">2</div>' in page  # active sessions and users
    critical = page.split('data-testid="critical-saturation"')[1].split("</table>")[0]
    assert "MATLAB" in critical and "9 / 10" in critical and "90 %" in critical
    saturated = page.split('data-testid="top-saturated"')[1].split("</table>")[0]
    assert 'class="bar critical"' in saturated and 'style="width: 90%"' in saturated
    expiring = page.split('data-testid="expiring"')[1].split("</table>")[0]
    assert "IDLE" in expiring and ">5</td>" in expiring
    unused = page.split('data-testid="unused"')[1].split("</table>")[0]
    assert "IDLE" in unused and "MATLAB" not in unused


def test_dashboard_chart_placeholder_without_usage_and_drawn_with_it(staff_client, estate):
    page = staff_client.get(BASE + "/dashboard").content.decode()
    assert "No data for this period" in page
    cache.clear()
    rollups.rebuild()
    page = staff_client.get(BASE + "/dashboard").content.decode()
    assert 'data-chart="line"' in page and "No data for this period" not in page


def test_dashboard_csv_tables(staff_client, estate):
    kpis = dict(rows_of(staff_client.get(BASE + "/dashboard?format=csv"))[1:])
    assert kpis["servers_online"] == "1" and kpis["active_users"] == "2"
    critical = rows_of(staff_client.get(BASE + "/dashboard?format=csv&table=critical"))
    assert critical == [["application", "in_use", "issued", "saturation_percent"],
                        ["MATLAB", "9", "10", "90"]]  # fmt: skip
    usage = rows_of(staff_client.get(BASE + "/dashboard?format=csv&table=usage"))
    assert usage[0] == ["hour_utc", "peak", "average"] and len(usage) == 1 + 168
    assert staff_client.get(BASE + "/dashboard?format=csv&table=nope").status_code == 404


@pytest.fixture
def history(estate):
    """Archived sessions of alice on flex2's IDLE, one a day, licenses 1..5."""
    idle = estate["flex2"].features.get()
    return [
        SessionFactory(
            feature=idle,
            user=estate["alice"],
            licenses=n,
            started_at=T0 + timedelta(days=n),
            ended_at=T0 + timedelta(days=n, hours=1),
            status=SessionStatus.ARCHIVED,
        )
        for n in range(1, 6)
    ]


def test_sessions_page_filters_like_the_api(staff_client, estate, history):
    def listed(query):
        page = staff_client.get(f"{BASE}/sessions?{query}").content.decode()
        return page.count('<tr data-testid="session-')

    assert listed("") == 7
    assert listed("status=active") == 2
    assert listed("user=BOB") == 1
    assert listed(f"server_id={estate['flex2'].pk}") == 5
    assert listed("feature=idle&from=2026-11-24T00:00:00Z") == 2  # days 4 and 5
    assert listed("status=archived&to=2026-11-23T00:00:00Z") == 2  # days 1 and 2


def test_bad_session_filter_is_400_naming_the_field(staff_client, estate):
    response = staff_client.get(BASE + "/sessions?status=sideways")
    assert response.status_code == 400
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert "status:" in response.content.decode()


def test_sessions_sort_by_licenses_both_ways(staff_client, estate, history):
    def licenses(query):
        rows = rows_of(staff_client.get(f"{BASE}/sessions?status=archived&{query}&format=csv"))
        return [row[7] for row in rows[1:]]

    assert licenses("ordering=licenses") == ["1", "2", "3", "4", "5"]
    assert licenses("ordering=-licenses") == ["5", "4", "3", "2", "1"]
    page = staff_client.get(BASE + "/sessions?ordering=-licenses").content.decode()
    # the header link now sorts the other way and keeps the page's filters
    assert 'href="?ordering=licenses" data-testid="sort-licenses">Licenses ▼' in page


def test_sessions_page_paginates_and_csv_streams_every_filtered_row(staff_client, estate):
    idle = estate["flex2"].features.get()
    for n in range(60):
        SessionFactory(
            feature=idle,
            user=estate["bob"],
            started_at=T0 + timedelta(minutes=n),
            ended_at=T0 + timedelta(minutes=n + 1),
            status=SessionStatus.ARCHIVED,
        )
    first = staff_client.get(BASE + "/sessions?status=archived").content.decode()
    assert first.count('<tr data-testid="session-') == 50
    assert "Page 1 of 2 · 60 rows" in first
    second = staff_client.get(BASE + "/sessions?status=archived&page=2").content.decode()
    assert second.count('<tr data-testid="session-') == 10
    response = staff_client.get(BASE + "/sessions?status=archived&format=csv&page=2")
    assert response["Content-Type"].startswith("text/csv")
    rows = rows_of(response)
    assert rows[0][:6] == ["started_at", "ended_at", "status", "server", "feature", "user"]
    assert len(rows) == 1 + 60
    assert {row[5] for row in rows[1:]} == {"bob"}


def test_servers_csv_keeps_the_filters(staff_client, estate):
    LicenseServerFactory(name="retired", is_active=False)
    rows = rows_of(staff_client.get(BASE + "/servers?is_active=true&format=csv"))
    assert rows[0][:3] == ["name", "status", "in_service"]
    assert [row[:2] for row in rows[1:]] == [["flex1", "up"], ["flex2", "down"]]
    rows = rows_of(staff_client.get(BASE + "/servers?is_active=false&format=csv"))
    assert [row[:2] for row in rows[1:]] == [["retired", "decommissioned"]]


def test_server_features_csv(staff_client, estate):
    rows = rows_of(staff_client.get(f"{BASE}/servers/{estate['flex1'].pk}?format=csv"))
    header, (matlab,) = rows[0], rows[1:]
    record = dict(zip(header, matlab, strict=True))
    assert (record["feature"], record["issued"], record["in_use"]) == ("MATLAB", "10", "9")
    assert record["saturation_percent"] == "90"


def test_server_live_sessions_are_paginated(staff_client, estate):
    matlab = estate["matlab"]
    for n in range(30):
        SessionFactory(feature=matlab, user=LicenseUserFactory(username=f"u{n:02}"))
    page = staff_client.get(f"{BASE}/servers/{estate['flex1'].pk}").content.decode()
    sessions = page.split('data-testid="sessions"')[1].split("</table>")[0]
    assert sessions.count("<tr><td><code>MATLAB</code>") == 25
    assert "Page 1 of 2 · 32 rows" in page
    page2 = staff_client.get(f"{BASE}/servers/{estate['flex1'].pk}?page=2").content.decode()
    assert page2.split('data-testid="sessions"')[1].count("<tr><td><code>MATLAB</code>") == 7
