"""``GET /leads/api/stats`` on hand-built data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from limon_site import config
from tests.leads.factories import ActivityFactory, ContactFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def _build():
    statuses = ["won"] * 3 + ["lost"] * 5 + ["new", "proposal"]
    types = ["university"] * 4 + ["company"] * 5 + ["government"]
    institutions = [
        InstitutionFactory(status=s, type=t) for s, t in zip(statuses, types, strict=True)
    ]
    for institution in institutions[:4]:
        ContactFactory.create_batch(2, institution=institution)
    now = timezone.now()
    for days in (0, 3, 29):
        ActivityFactory(institution=institutions[0], occurred_at=now - timedelta(days=days))
    ActivityFactory(institution=institutions[0], occurred_at=now - timedelta(days=31))
    return institutions


def test_stats_add_up(admin_api):
    _build()

    body = admin_api.get("/leads/api/stats").json()

    assert body["total_institutions"] == 10
    assert body["total_contacts"] == 8
    assert body["recent_activities"] == 3
    assert body["conversion_rate"] == 37.5  # 3 won ÷ (3 won + 5 lost)
    assert body["by_type"] == {"university": 4, "company": 5, "government": 1, "other": 0}
    assert body["by_status"] == {
        "new": 1,
        "contacted": 0,
        "qualified": 0,
        "proposal": 1,
        "won": 3,
        "lost": 5,
    }


def test_conversion_rate_has_one_decimal_rounded_half_up(admin_api):
    for status in ["won"] * 1 + ["lost"] * 2:
        InstitutionFactory(status=status)
    assert admin_api.get("/leads/api/stats").json()["conversion_rate"] == 33.3
    InstitutionFactory.create_batch(3, status="lost")  # 1 ÷ 6 = 16.666…
    assert admin_api.get("/leads/api/stats").json()["conversion_rate"] == 16.7


def test_conversion_rate_is_zero_while_nothing_is_closed(admin_api):
    InstitutionFactory(status="proposal")
    assert admin_api.get("/leads/api/stats").json()["conversion_rate"] == 0.0


def test_the_recent_window_is_configurable(admin_api):
    _build()
    config.update("leads", {"recent_activity_days": 60})
    body = admin_api.get("/leads/api/stats").json()
    assert (body["recent_activities"], body["recent_activity_days"]) == (4, 60)
