"""The people pages: users, departments (with charts) and the usage summary render the
estate of ``factories_people`` and export what they show as CSV."""

import csv
import io

import pytest

from monitoring import demo
from monitoring.models import DailyUserUsage, LicenseUser
from monitoring.services import rollups
from tests.monitoring.factories_people import estate

pytestmark = pytest.mark.django_db

BASE = "/panel/monitoring"
RANGE = "from=2026-03-02&to=2026-03-03"


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "path",
    ["/users", "/users/ann", "/departments", "/departments/Eng", "/departments/(none)", "/usage"],
)
def test_pages_need_staff(client, path):
    response = client.get(BASE + path)
    assert response.status_code in (302, 403)


def test_users_page_lists_filters_and_exports(staff_client):
    estate()
    page = staff_client.get(f"{BASE}/users?department=Eng&days=3660").content.decode()
    assert 'data-testid="user-ann"' in page and 'data-testid="user-bob"' in page
    assert 'data-testid="user-cid"' not in page
    assert "Engineer" in page
    rows = csv_rows(staff_client.get(f"{BASE}/users?department=Eng&days=3660&format=csv"))
    assert rows[0][:3] == ["username", "display_name", "department"]
    by_user = {row[0]: row for row in rows[1:]}
    assert set(by_user) == {"ann", "bob"}
    assert (by_user["ann"][3], by_user["ann"][-2]) == ("Engineer", "5.0")


def test_users_page_sorts_and_reports_bad_filters(staff_client):
    estate()
    page = staff_client.get(f"{BASE}/users?days=3660&ordering=-license_hours").content.decode()
    assert page.index("user-dan") < page.index("user-ann") < page.index("user-bob")
    response = staff_client.get(f"{BASE}/users?days=soon")
    assert response.status_code == 400
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_user_page_shows_profile_activity_chart_and_csv(staff_client):
    estate()
    response = staff_client.get(f"{BASE}/users/ann?{RANGE}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Paris 3" in page and "zoe" in page
    assert 'data-chart="bar" data-points="2"' in page
    assert 'data-chart="hbar" data-points="2"' in page
    assert csv_rows(staff_client.get(f"{BASE}/users/ann?{RANGE}&format=csv")) == [
        ["day", "sessions", "license_hours"],
        ["2026-03-02", "2", "3.0"],
        ["2026-03-03", "0", "2.0"],
    ]
    assert staff_client.get(f"{BASE}/users/nobody").status_code == 404


def test_departments_page_shows_shares_chargeback_chart_and_csv(staff_client):
    estate()
    page = staff_client.get(f"{BASE}/departments?{RANGE}").content.decode()
    assert "47.06 %" in page and "17.50 EUR" in page and "(none)" in page
    assert 'data-chart="hbar" data-points="3"' in page
    rows = csv_rows(staff_client.get(f"{BASE}/departments?{RANGE}&format=csv"))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Empty", "Eng", "Sales", "(none)"}
    assert by_name["Eng"][5:] == ["8.0", "47.06", "17.50", "EUR"]
    assert by_name["(none)"][7] == "20.00"


def test_department_page_shows_activity_users_and_csvs(staff_client):
    estate()
    page = staff_client.get(f"{BASE}/departments/Eng?{RANGE}&days=3660").content.decode()
    assert 'data-chart="line"' in page
    assert 'data-testid="user-ann"' in page and 'data-testid="user-cid"' not in page
    daily = csv_rows(staff_client.get(f"{BASE}/departments/Eng?{RANGE}&format=csv"))
    assert daily[1:] == [["2026-03-02", "3", "6.0", "2"], ["2026-03-03", "0", "2.0", "1"]]
    users = csv_rows(staff_client.get(f"{BASE}/departments/Eng?format=csv&table=users"))
    assert sorted(row[0] for row in users[1:]) == ["ann", "bob"]
    none = staff_client.get(f"{BASE}/departments/(none)?{RANGE}").content.decode()
    assert 'data-testid="user-dan"' in none
    assert staff_client.get(f"{BASE}/departments/Nope").status_code == 404


@pytest.mark.parametrize(
    ("group_by", "chart", "first"),
    [("feature", "hbar", "CAD"), ("user", "hbar", "dan"), ("server", "hbar", "s1"),
     ("day", "bar", "2026-03-02")],
)  # fmt: skip
def test_usage_page_groups_charts_and_exports(staff_client, group_by, chart, first):
    estate()
    page = staff_client.get(f"{BASE}/usage?group_by={group_by}&{RANGE}").content.decode()
    assert f'data-chart="{chart}"' in page and "No data" not in page
    rows = csv_rows(staff_client.get(f"{BASE}/usage?group_by={group_by}&{RANGE}&format=csv"))
    assert rows[0][:5] == ["key", "sessions", "license_hours", "users", "peak"]
    assert rows[1][0] == first
    assert sum(float(row[2]) for row in rows[1:]) == 17.0


def test_usage_page_reports_a_bad_group(staff_client):
    response = staff_client.get(f"{BASE}/usage?group_by=site")
    assert response.status_code == 400
    assert "group_by" in response.content.decode()


def test_the_demo_estate_shows_on_every_people_page_and_endpoint(staff_client, api):
    demo.seed(days=3)
    # the seeder leaves the rollups to the first poll (or ``rebuild_rollups``)
    rollups.rebuild()

    assert DailyUserUsage.objects.exists()
    user = LicenseUser.objects.filter(daily_usage__isnull=False).first()
    department = user.department.name if user.department else "(none)"
    pages = ["/users", f"/users/{user.username}", "/departments", f"/departments/{department}",
             "/usage?group_by=user", "/usage?group_by=day"]  # fmt: skip
    for path in pages:
        page = staff_client.get(BASE + path).content.decode()
        assert 'class="chart"' in page or path == "/users", path
        assert "No data for this period" not in page, path
    endpoints = ["users", f"users/{user.username}/activity", "departments", "chargeback",
                 f"departments/{department}/activity", "usage?group_by=feature"]  # fmt: skip
    for path in endpoints:
        response = api.get(f"/api/v1/{path}")
        assert response.status_code == 200, path
    usage = api.get("/api/v1/usage?group_by=user").json()
    assert usage["count"] > 0 and usage["results"][0]["license_hours"] > 0
