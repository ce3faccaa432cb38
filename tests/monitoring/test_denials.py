"""True and false denials and the pre-computed summary, checked by hand on a small log."""

from datetime import date

import pytest

from limon_site import config, metrics
from monitoring.models import DenialSummary, Event, LicenseUser
from tests.monitoring.factories import DepartmentFactory, LicenseServerFactory
from tests.monitoring.test_log_import import HEADER, import_log, write

pytestmark = pytest.mark.django_db

DENIAL = "(Licensed number of users already reached. (-4,342))"

# Window: false when the same user obtained the feature from 5 s before to 2 s after.
SMALL_LOG = HEADER + (
    ' 9:00:00 (MLM) OUT: "MATLAB" alice@pc1  \n'
    f' 9:00:10 (MLM) DENIED: "MATLAB" bob@pc2  {DENIAL}\n'  # bob gets it 2 s later: false
    ' 9:00:12 (MLM) OUT: "MATLAB" bob@pc2  \n'
    f' 9:05:00 (MLM) DENIED: "SIMULINK" carol@pc3  {DENIAL}\n'  # never obtained: true
    f' 9:10:00 (MLM) DENIED: "MATLAB" alice@pc1  {DENIAL}\n'  # alice's OUT 10 min ago: true
    ' 9:10:03 (MLM) OUT: "MATLAB" dave@pc4  \n'
    f' 9:10:05 (MLM) DENIED: "MATLAB" dave@pc4  {DENIAL}\n'  # obtained 2 s before: false
    f' 9:20:00 (MLM) DENIED: "MATLAB" erin@pc5  {DENIAL}\n'  # obtained 3 s after: true
    ' 9:20:03 (MLM) OUT: "MATLAB" erin@pc5  \n'
    ' 9:30:00 (MLM) QUEUED: "MATLAB" frank@pc6  \n'
    ' 9:30:30 (MLM) DEQUEUED: "MATLAB" frank@pc6  \n'
    '10:00:00 (MLM) IN: "MATLAB" alice@pc1  \n'
    '23:59:58 (MLM) IN: "MATLAB" bob@pc2  (INACTIVE)\n'  # timeout on the 4th
    ' 0:00:05 (MLM) IN: "MATLAB" dave@pc4  (INACTIVE)\n'  # after midnight: the 5th
    f' 0:00:06 (MLM) DENIED: "MATLAB" carol@pc3  {DENIAL}\n'
    ' 0:10:00 (MLM) IN: "MATLAB" erin@pc5  \n'
)

# (feature, user, day): true, false, queued, timeouts, checkouts
EXPECTED = {
    ("MATLAB", "alice", date(2024, 3, 4)): (1, 0, 0, 0, 1),
    ("MATLAB", "bob", date(2024, 3, 4)): (0, 1, 0, 1, 1),
    ("SIMULINK", "carol", date(2024, 3, 4)): (1, 0, 0, 0, 0),
    ("MATLAB", "dave", date(2024, 3, 4)): (0, 1, 0, 0, 1),
    ("MATLAB", "erin", date(2024, 3, 4)): (1, 0, 0, 0, 1),
    ("MATLAB", "frank", date(2024, 3, 4)): (0, 0, 1, 0, 0),
    ("MATLAB", "dave", date(2024, 3, 5)): (0, 0, 0, 1, 0),
    ("MATLAB", "carol", date(2024, 3, 5)): (1, 0, 0, 0, 0),
}


def summary(server) -> dict:
    return {
        (row.feature_name, row.username, row.day): (
            row.true_denials, row.false_denials, row.queued, row.timeouts, row.checkouts,
        )
        for row in DenialSummary.objects.filter(server=server)
    }  # fmt: skip


@pytest.fixture
def imported(tmp_path):
    # Madrid is UTC+1: the 0:00:06 denial is the 4th in UTC but the 5th on the server.
    server = LicenseServerFactory(timezone="Europe/Madrid")
    import_log(server, write(tmp_path, "small.log", SMALL_LOG))
    return server


def test_the_summary_matches_the_hand_checked_log(imported):
    assert summary(imported) == EXPECTED


def test_each_denial_is_classified(imported):
    denials = Event.objects.filter(type="denied").order_by("occurred_at")
    assert [(e.username, e.is_false_denial) for e in denials] == [
        ("bob", True), ("carol", False), ("alice", False), ("dave", True), ("erin", False),
        ("carol", False),
    ]  # fmt: skip
    assert denials[0].reason == "Licensed number of users already reached. (-4,342)"
    assert Event.objects.filter(type="timeout").count() == 2
    assert Event.objects.filter(type="dequeued").count() == 1


def test_many_small_batches_give_the_same_summary(tmp_path):
    config.update("log-import", {"batch_lines": 100})
    server = LicenseServerFactory(timezone="Europe/Madrid")
    log = HEADER + "".join(
        f' 9:{i // 60:02d}:{i % 60:02d} (MLM) OUT: "F" u{i}@h  \n'
        f' 9:{i // 60:02d}:{i % 60 + 1:02d} (MLM) IN: "F" u{i}@h  \n'
        for i in range(0, 2400, 4)
    )
    import_log(server, write(tmp_path, "big.log", log + SMALL_LOG.split("\n", 2)[2]))
    assert {k: v for k, v in summary(server).items() if k[0] != "F"} == EXPECTED


def test_reimporting_leaves_the_summary_unchanged(imported, tmp_path):
    import_log(imported, write(tmp_path, "again.log", SMALL_LOG + "\n"))
    assert summary(imported) == EXPECTED


def test_the_denial_report_groups_and_rates(imported, api):
    body = api.get("/api/v1/denials", {"group_by": "user", "server_id": imported.pk}).json()
    rows = {row["key"]: row for row in body["results"]}
    assert rows["carol"]["true_denials"] == 2
    assert rows["alice"]["true_denial_rate_per_100_checkouts"] == 100.0
    assert rows["carol"]["true_denial_rate_per_100_checkouts"] is None
    days = api.get("/api/v1/denials", {"group_by": "day", "from": "2024-03-05"}).json()
    assert [(r["key"], r["true_denials"], r["timeouts"]) for r in days["results"]] == [
        ("2024-03-05", 1, 1)
    ]


def test_the_denial_report_by_department(imported, api):
    LicenseUser.objects.filter(username__in=["alice", "erin"]).update(
        department=DepartmentFactory(name="Design")
    )
    body = api.get("/api/v1/denials", {"group_by": "department"}).json()
    rows = {row["key"]: row["true_denials"] for row in body["results"]}
    assert rows == {"Design": 2, None: 2}


def test_bad_report_parameters_name_the_field(api, db):
    response = api.get("/api/v1/denials", {"group_by": "planet"})
    assert response.status_code == 400
    assert "group_by" in response.json()["details"]["fields"]


def test_metrics_expose_the_denial_totals(imported):
    text = metrics.render().decode()
    line = f'limon_denials_total{{feature="MATLAB",kind="true",server="{imported.name}"}} 3.0'
    assert line in text
