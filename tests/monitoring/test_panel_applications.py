"""The applications panel pages: metrics columns and CSV on the list; usage chart by site,
seat figures, top users, sessions and their CSV exports on the detail (clock set to NOW)."""

import csv
import io
import types

import pytest
from django.utils import timezone

from limon_site import config
from monitoring import queries_applications as qa
from monitoring.views import applications as views
from tests.monitoring.factories import ApplicationFactory
from tests.monitoring.factories_applications import NOW, matlab_estate

pytestmark = pytest.mark.django_db
BASE = "/panel/monitoring/applications"


@pytest.fixture
def estate(monkeypatch):
    clock = types.SimpleNamespace(
        **{k: getattr(timezone, k) for k in dir(timezone) if not k.startswith("__")}
    )
    clock.now = lambda: NOW
    monkeypatch.setattr(qa, "timezone", clock)
    monkeypatch.setattr(views, "timezone", clock)
    config.update("analytics", {"recommendation_days": 1, "headroom_percent": 10})
    return matlab_estate()


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_list_shows_in_use_owned_recommended_and_unused_cost(staff_client, estate):
    ApplicationFactory(name="Idle")
    page = staff_client.get(BASE).content.decode()
    row = page[page.index(f'data-testid="application-{estate.app.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "1 / 10" in row  # dave holds 1 keystone seat of 10 owned
    assert 'data-testid="recommended">2<' in row
    assert "8000.00 EUR" in row


def test_list_csv_has_the_same_rows_and_filters(staff_client, estate):
    ApplicationFactory(name="Abaqus", category="CAE")
    rows = _csv(staff_client.get(f"{BASE}?format=csv&category=Math"))
    assert rows[0][:2] == ["Name", "Vendor"] and len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Name"] == "MATLAB"
    assert (record["Recommended seats"], record["Surplus seats"], record["Unused cost"]) == (
        "2", "8", "8000.00",
    )  # fmt: skip


def test_bad_list_filter_shows_the_error_and_no_rows(staff_client, estate):
    response = staff_client.get(f"{BASE}?is_critical=maybe")
    assert response.status_code == 200
    assert "MATLAB</a>" not in response.content.decode()


def test_detail_draws_the_usage_chart_by_site_and_seat_figures(staff_client, estate):
    page = staff_client.get(f"{BASE}/{estate.app.pk}?days=7&interval=day").content.decode()
    chart = page[page.index('data-testid="usage-chart"') :]
    assert 'data-chart="line"' in chart and "No data for this period" not in chart
    assert "Lyon (peak)" in chart and "Paris (peak)" in chart
    assert 'data-testid="recommended-seats">2<' in page
    assert 'data-testid="surplus-seats">8<' in page
    assert "8000.00 EUR" in page
    top = page[page.index('data-testid="top-users"') :]
    top = top[: top.index("</table>")]
    assert top.index("alice") < top.index("ivan") < top.index("bob")
    # the keystone selector is still there
    assert 'data-testid="keystone-form"' in page


def test_detail_range_falls_back_when_hour_is_too_fine(staff_client, estate):
    response = staff_client.get(f"{BASE}/{estate.app.pk}?days=365&interval=hour")
    assert response.context["interval"] == "day" and response.context["days"] == 365
    response = staff_client.get(f"{BASE}/{estate.app.pk}?days=12")
    assert response.context["days"] == 30


def test_detail_csv_exports(staff_client, estate):
    url = f"{BASE}/{estate.app.pk}?days=7&interval=day&format=csv"
    usage = _csv(staff_client.get(f"{url}&table=usage"))
    assert usage[0][:5] == ["start", "end", "peak", "average", "license_hours"]
    assert "Lyon peak" in usage[0] and "Paris peak" in usage[0]
    # the last 7 days by day: 02-25 .. 03-04; 03-02 had the peak of 3
    peaks = {row[0][:10]: row[2] for row in usage[1:]}
    assert peaks["2026-03-02"] == "3" and peaks["2026-03-01"] == "5"
    top = _csv(staff_client.get(f"{url}&table=top_users&top_by=sessions"))
    assert [row[0] for row in top[1:4]] == ["bob", "alice", "ivan"]
    figures = dict(_csv(staff_client.get(f"{url}&table=metrics"))[1:])
    assert figures["recommended_seats"] == "2" and figures["unused_cost"] == "8000.00"
    sessions = _csv(staff_client.get(f"{url}&table=sessions"))
    assert sorted(row[0] for row in sessions[1:]) == ["dave", "henry"]


def test_pages_need_staff(client, estate):
    assert client.get(BASE).status_code == 302
    assert client.get(f"{BASE}/{estate.app.pk}").status_code == 302
