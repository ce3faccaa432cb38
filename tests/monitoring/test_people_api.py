"""The people read API: users, departments, usage and chargeback (figures from the estate of
``factories_people``; the analytics themselves are tested in test_people_analytics)."""

import pytest
from django.utils import timezone

from monitoring.services import rollups
from tests.monitoring.factories import (
    DepartmentFactory,
    FeatureFactory,
    LicenseUserFactory,
    SessionFactory,
)
from tests.monitoring.factories_people import estate

pytestmark = pytest.mark.django_db

RANGE = "from=2026-03-02&to=2026-03-03"


def names(response):
    assert response.status_code == 200, response.content
    return [row.get("username") or row.get("key") or row.get("name")
            for row in response.json()["results"]]  # fmt: skip


def test_users_filter_by_department_source_search_and_days(api):
    world = estate()
    assert names(api.get("/api/v1/users?department=eng")) == ["ann", "bob"]
    assert names(api.get(f"/api/v1/users?department={world.sales.pk}")) == ["cid"]
    assert names(api.get("/api/v1/users?department=(none)")) == ["dan"]
    assert names(api.get("/api/v1/users?source=ad")) == ["ann"]
    assert names(api.get("/api/v1/users?q=ANN")) == ["ann"]
    LicenseUserFactory(username="fresh", last_seen_at=timezone.now())
    assert names(api.get("/api/v1/users?days=7")) == ["fresh"]


def test_users_are_enriched_with_department_and_directory_fields(api):
    estate()
    SessionFactory(user=LicenseUserFactory(username="eve"), feature=FeatureFactory())
    rows = {r["username"]: r for r in api.get("/api/v1/users").json()["results"]}
    ann = rows["ann"]
    assert ann["department"]["name"] == "Eng"
    assert (ann["title"], ann["office"], ann["manager"]) == ("Engineer", "Paris 3", "zoe")
    assert ann["source"] == "ad"
    assert rows["dan"]["department"] is None and rows["dan"]["title"] is None
    # the estate is in March 2026, outside the last 30 days; eve holds a seat now
    assert (ann["sessions"], ann["license_hours"], ann["window_days"]) == (0, 0.0, 30)
    assert rows["eve"]["active_sessions"] == 1


def test_users_order_by_license_hours_over_the_window(api):
    estate()
    LicenseUserFactory(username="zed")
    response = api.get("/api/v1/users?days=3660&ordering=-license_hours")
    assert names(response)[:4] == ["dan", "ann", "bob", "cid"]
    assert response.json()["results"][0]["license_hours"] == 8.0


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/users?days=soon", "days"),
        ("/api/v1/users?days=0", "days"),
        ("/api/v1/users?source=fax", "source"),
        ("/api/v1/users?ordering=salary", "ordering"),
        ("/api/v1/usage?group_by=site", "group_by"),
        ("/api/v1/usage?from=yesterday", "from"),
        ("/api/v1/usage?from=2026-03-05&to=2026-03-01", "to"),
        ("/api/v1/departments?from=2026-13-01", "from"),
        ("/api/v1/chargeback?application_id=999999", "application_id"),
        ("/api/v1/users/ann/activity?days=-3", "days"),
        ("/api/v1/users/ann?days=many", "days"),
    ],
)
def test_bad_values_are_400_naming_the_field(api, path, field):
    LicenseUserFactory(username="ann")
    response = api.get(path)
    assert response.status_code == 400
    assert field in response.json()["details"]["fields"]


def test_user_profile_and_activity(api):
    estate()
    profile = api.get("/api/v1/users/ann?days=3660").json()
    assert (profile["display_name"], profile["license_hours"]) == ("Ann A", 5.0)
    assert profile["last_seen_at"].startswith("2026-03-03T02:00")
    activity = api.get(f"/api/v1/users/ann/activity?{RANGE}").json()
    assert activity["stats"]["license_hours"] == 5.0
    assert [p["license_hours"] for p in activity["daily"]] == [3.0, 2.0]
    assert activity["top_features"][0]["feature"] == "CAD"
    assert [s["feature"] for s in activity["recent_sessions"]] == ["CAD", "CAD_TOOL"]
    assert api.get("/api/v1/users/nobody").status_code == 404
    assert api.get("/api/v1/users/nobody/activity").status_code == 404


def test_departments_list_users_and_activity(api):
    estate()
    body = api.get(f"/api/v1/departments?{RANGE}").json()
    rows = {r["name"]: r for r in body["results"]}
    assert body["count"] == 4
    assert (rows["Eng"]["share"], rows["Eng"]["amount"], rows["Eng"]["currency"]) == (
        47.06,
        "17.50",
        "EUR",
    )
    assert rows["(none)"]["id"] is None
    assert names(api.get("/api/v1/departments?q=sal")) == ["Sales"]
    assert names(api.get("/api/v1/departments/Eng/users")) == ["ann", "bob"]
    assert names(api.get("/api/v1/departments/(none)/users")) == ["dan"]
    activity = api.get(f"/api/v1/departments/Eng/activity?{RANGE}").json()
    assert activity["stats"]["license_hours"] == 8.0
    assert [u["username"] for u in activity["top_users"]] == ["ann", "bob"]
    assert api.get("/api/v1/departments/Nope/users").status_code == 404
    assert api.get("/api/v1/departments/Nope/activity").status_code == 404


@pytest.mark.parametrize(
    ("group_by", "first"),
    [("feature", "CAD"), ("user", "dan"), ("server", "s1"), ("day", "2026-03-02")],
)
def test_usage_groups(api, group_by, first):
    estate()
    response = api.get(f"/api/v1/usage?group_by={group_by}&{RANGE}")
    assert names(response)[0] == first
    assert sum(r["license_hours"] for r in response.json()["results"]) == 17.0


def test_chargeback_of_one_application_and_of_all(api):
    world = estate()
    body = api.get(f"/api/v1/chargeback?{RANGE}&application_id={world.cad_app.pk}").json()
    assert body["application"]["name"] == "CADApp"
    assert {r["department"]: r["amount"] for r in body["results"]} == {
        "Eng": "17.50",
        "Sales": "2.50",
    }
    every = api.get(f"/api/v1/chargeback?{RANGE}").json()
    assert {r["department"]: r["share"] for r in every["results"]} == {
        "Eng": 47.06,
        "(none)": 47.06,
        "Sales": 5.88,
    }


def test_people_endpoints_need_a_key_when_public_read_is_off(api, read_api, settings):
    settings.LIMON_PUBLIC_READ = False
    assert api.get("/api/v1/users").status_code == 401
    assert api.get("/api/v1/chargeback").status_code == 401
    assert read_api.get("/api/v1/users").status_code == 200


def _more_people(n: int):
    department = DepartmentFactory()
    for _ in range(n):
        user = LicenseUserFactory(
            department=department, directory={"title": "x"}, last_seen_at=timezone.now()
        )
        SessionFactory(user=user, feature=FeatureFactory())


#: Each list and how many rows it has after ``_more_people`` added 30 users in 6 departments.
LISTS = [
    ("/api/v1/users", 34),
    ("/api/v1/departments", 10),
    ("/api/v1/usage?group_by=user", 34),
    ("/api/v1/usage?group_by=feature", 33),
    ("/api/v1/usage?group_by=server", 32),
    ("/api/v1/usage?group_by=day", 4),
    ("/api/v1/departments/Eng/users", 2),
]


@pytest.mark.parametrize(("path", "count"), LISTS)
def test_lists_run_a_constant_number_of_queries(api, path, count, django_assert_max_num_queries):
    estate()
    with django_assert_max_num_queries(20) as small:
        assert (
            api.get(f"{path}&days=3660" if "?" in path else f"{path}?days=3660").status_code == 200
        )
    for _ in range(6):
        _more_people(5)
    rollups.rebuild()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get(f"{path}&days=3660" if "?" in path else f"{path}?days=3660")
    assert response.status_code == 200
    assert response.json()["count"] == count
