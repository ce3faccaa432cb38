"""The unfiltered session list counts from the planner's estimate on a large PostgreSQL table;
filtered lists, and SQLite, count exactly."""

import pytest
from django.db import connection

from limon_site.api import pagination
from tests.monitoring.factories import LicenseUserFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_session")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_a_large_unfiltered_list_reports_the_estimate_without_counting(
    api, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 2)
    ann = LicenseUserFactory(username="ann")
    SessionFactory.create_batch(5, user=ann)
    _analyze()
    SessionFactory.create_batch(3)  # not yet seen by ANALYZE
    with django_assert_max_num_queries(10) as captured:
        body = api.get("/api/v1/sessions").json()
    assert body["count"] == 5
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if "monitoring_session" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]
    assert not counts, counts
    assert api.get("/api/v1/sessions", {"user": "ann"}).json()["count"] == 5
    assert api.get("/api/v1/sessions", {"status": "active"}).json()["count"] == 8


def test_a_small_table_is_counted_exactly(api):
    SessionFactory.create_batch(4)
    if connection.vendor == "postgresql":
        _analyze()
    SessionFactory.create_batch(2)
    assert api.get("/api/v1/sessions").json()["count"] == 6
