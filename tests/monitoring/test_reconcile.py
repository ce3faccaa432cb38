"""Reconciling polls with the database, through the real path: a fake lmutil prints rendered
lmstat text, ``poll_server`` runs it, parses it and writes the poll."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from limon_site import config
from monitoring.conf import FEATURE_IGNORE
from monitoring.models import (
    Feature,
    InventoryChange,
    LicenseUser,
    PollRun,
    Session,
    UsageSample,
    VendorDaemon,
)
from monitoring.parsers.model import (
    Checkout,
    FeatureStatus,
    FeatureVersion,
    Reservation,
    ServerNode,
    StatusReport,
)
from monitoring.parsers.model import (
    VendorDaemon as ReportedDaemon,
)
from monitoring.parsers.render import render_lmstat
from monitoring.services.polling import poll_server
from tests.monitoring.factories import LicenseServerFactory, LicenseUserFactory, SessionFactory
from tests.monitoring.test_tools import fake_lmutil  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


def user(name: str, handle: int, *, start: str = "8:05", host: str = "", licenses: int = 1):
    hour, minute = (int(part) for part in start.split(":"))
    return Checkout(
        user=name,
        host=host or f"ws-{name}",
        display=host or f"ws-{name}",
        version="1.0",
        server_host="lic1",
        server_port="27000",
        handle=str(handle),
        started_at=datetime(2026, 12, 1, hour, minute),
        licenses=licenses,
    )


def feature(name, *users, issued=10, vendor="MLM", version="1.0", expiry=None, reserved=0):
    reservations = [Reservation(reserved, "GROUP", "CAD", "lic1", "27000")] if reserved else []
    return FeatureStatus(
        name=name,
        vendor=vendor,
        issued=issued,
        in_use=sum(c.licenses for c in users) + reserved,
        versions=[
            FeatureVersion(version=version, vendor=vendor, expiry=expiry, permanent=not expiry)
        ],
        checkouts=list(users),
        reservations=reservations,
    )


def status(*features, at=NOW, vendors=(("MLM", True),)):
    return StatusReport(
        tool="lmstat",
        status_time=at.replace(tzinfo=None),
        servers=[ServerNode(host="lic1", port=27000, up=True, is_master=True, version="11.19.6")],
        vendors=[ReportedDaemon(name=name, up=up, version="11.19.6") for name, up in vendors],
        features=list(features),
    )


@pytest.fixture
def server():
    return LicenseServerFactory(name="flex1", address="27000@lic1", site__timezone="UTC")


@pytest.fixture
def poll(fake_lmutil, server):  # noqa: F811 - fixture argument
    def run(report, now=NOW, target=None):
        target = target or server
        fake_lmutil.prints(target.address, render_lmstat(report))
        return poll_server(target.pk, now=now)

    return run


def active(server):
    return set(
        Session.objects.filter(server=server, status="active").values_list(
            "user__username", flat=True
        )
    )


def test_first_poll_records_inventory_sessions_users_and_samples(poll, server):
    run = poll(
        status(feature("MATLAB", user("alice", 1), user("bob", 2, start="9:10"), reserved=2))
    )
    assert (run.ok, run.features, run.sessions_opened, run.sessions_closed) == (True, 1, 2, 0)
    server.refresh_from_db()
    assert server.status == "up"
    assert server.last_success_at == NOW
    assert server.nodes[0]["host"] == "lic1"
    matlab = Feature.objects.get(server=server, name="MATLAB")
    assert (matlab.vendor, matlab.issued, matlab.in_use, matlab.reserved) == ("MLM", 10, 2, 2)
    assert VendorDaemon.objects.get(server=server).name == "MLM"
    alice = Session.objects.get(user__username="alice")
    assert alice.status == "active"
    assert alice.started_at == datetime(2026, 12, 1, 8, 5, tzinfo=UTC)
    assert (alice.host, alice.handle, alice.source) == ("ws-alice", "1", "poll")
    assert LicenseUser.objects.get(username="bob").source == "poll"
    sample = UsageSample.objects.get(feature=matlab)
    assert (sample.sampled_at, sample.in_use, sample.reserved, sample.issued) == (NOW, 2, 2, 10)
    assert InventoryChange.objects.get(feature=matlab).change_type == "appeared"


def test_start_times_are_read_in_the_server_time_zone(poll, server):
    server.timezone = "Europe/Berlin"
    server.save()
    poll(status(feature("MATLAB", user("alice", 1, start="8:05"))))
    started = Session.objects.get().started_at
    assert started == datetime(2026, 12, 1, 7, 5, tzinfo=UTC)


def test_a_start_time_after_the_poll_is_clamped_to_the_poll(poll):
    poll(status(feature("MATLAB", user("alice", 1, start="11:00"))))
    assert Session.objects.get().started_at == NOW


def test_sessions_open_stay_open_and_close_between_polls(poll, server):
    poll(status(feature("MATLAB", user("alice", 1), user("bob", 2))))
    alice_id = Session.objects.get(user__username="alice").pk
    run = poll(status(feature("MATLAB", user("alice", 1), user("carol", 3, start="9:32"))), LATER)
    assert (run.sessions_opened, run.sessions_closed) == (1, 1)
    assert active(server) == {"alice", "carol"}
    assert Session.objects.get(user__username="alice", status="active").pk == alice_id
    bob = Session.objects.get(user__username="bob")
    assert (bob.status, bob.ended_at) == ("archived", LATER)


def test_the_same_user_on_a_new_handle_is_a_new_session(poll, server):
    poll(status(feature("MATLAB", user("alice", 1))))
    poll(status(feature("MATLAB", user("alice", 7, start="9:33"))), LATER)
    sessions = Session.objects.filter(user__username="alice").order_by("started_at")
    assert [(s.handle, s.status) for s in sessions] == [("1", "archived"), ("7", "active")]


def test_polling_the_same_instant_twice_changes_nothing(poll, server):
    report = status(feature("MATLAB", user("alice", 1)), feature("SIMULINK", user("bob", 2)))
    first = poll(report)

    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (Feature, Session, UsageSample, InventoryChange, LicenseUser, PollRun)
        ]

    before = snapshot()
    again = poll(status(feature("MATLAB")))
    assert again.pk == first.pk
    assert snapshot() == before


def test_inventory_changes_are_recorded_old_to_new(poll, server):
    poll(
        status(
            feature("MATLAB", version="43", expiry=date(2027, 1, 31)),
            feature("SIMULINK", issued=5),
        )
    )
    poll(status(feature("MATLAB", issued=12, version="44", expiry=date(2027, 12, 31))), LATER)
    changes = {
        (c.feature_name, c.change_type): (c.old_value, c.new_value)
        for c in InventoryChange.objects.filter(changed_at=LATER)
    }
    assert changes == {
        ("MATLAB", "total_changed"): ("10", "12"),
        ("MATLAB", "version_changed"): ("43", "44"),
        ("MATLAB", "expiry_changed"): ("2027-01-31", "2027-12-31"),
        ("SIMULINK", "disappeared"): ("5", ""),
    }
    simulink = Feature.objects.get(name="SIMULINK")
    assert (simulink.is_present, simulink.in_use) == (False, 0)
    third = LATER + timedelta(minutes=5)
    matlab = feature("MATLAB", issued=12, version="44", expiry=date(2027, 12, 31))
    poll(status(matlab, feature("SIMULINK", issued=5)), third)
    back = InventoryChange.objects.get(changed_at=third)
    assert (back.feature_name, back.change_type, back.note) == (
        "SIMULINK",
        "appeared",
        "reappeared",
    )
    assert Feature.objects.get(name="SIMULINK").is_present is True


def test_feature_ignore_lists_global_and_per_server(poll, server):
    config.update(FEATURE_IGNORE, {"exclude": ["*_Toolbox"]})
    server.feature_exclude = ["SIMULINK"]
    server.save()
    poll(
        status(
            feature("MATLAB", user("alice", 1)),
            feature("Signal_Toolbox", user("bob", 2)),
            feature("SIMULINK", user("carol", 3)),
        )
    )
    assert set(Feature.objects.values_list("name", flat=True)) == {"MATLAB"}
    assert active(server) == {"alice"}
    assert not LicenseUser.objects.filter(username__in=["bob", "carol"]).exists()
    other = LicenseServerFactory(address="27000@lic2", feature_include=["SIM*"])
    poll(status(feature("MATLAB"), feature("SIMULINK")), target=other)
    assert set(Feature.objects.filter(server=other).values_list("name", flat=True)) == {"SIMULINK"}


def test_a_tracked_feature_that_becomes_ignored_is_marked_absent_and_its_sessions_close(
    poll, server
):
    poll(status(feature("MATLAB", user("alice", 1)), feature("DEMO", user("bob", 2))))
    server.feature_exclude = ["DEMO"]
    server.save()
    poll(status(feature("MATLAB", user("alice", 1)), feature("DEMO", user("bob", 2))), LATER)
    demo = Feature.objects.get(name="DEMO")
    assert demo.is_present is False
    change = InventoryChange.objects.get(feature=demo, changed_at=LATER)
    assert (change.change_type, change.note) == (
        "disappeared",
        "left out by the feature ignore list",
    )
    assert active(server) == {"alice"}


def test_a_vendor_daemon_down_keeps_its_features_and_sessions(poll, server):
    two = (("MLM", True), ("adskflex", True))
    acad = feature("ACAD", user("bob", 2), vendor="adskflex")
    poll(status(feature("MATLAB", user("alice", 1)), acad, vendors=two))
    down = (("MLM", True), ("adskflex", False))
    run = poll(status(feature("MATLAB", user("alice", 1)), vendors=down), LATER)
    assert run.ok and run.sessions_closed == 0
    assert active(server) == {"alice", "bob"}
    acad = Feature.objects.get(name="ACAD")
    assert (acad.is_present, acad.in_use) == (True, 1)
    assert VendorDaemon.objects.get(name="adskflex").status == "down"
    assert not InventoryChange.objects.filter(change_type="disappeared").exists()


def test_known_users_are_reused_and_their_last_seen_moves(poll):
    manual = LicenseUserFactory(username="alice", source="manual", display_name="Alice A.")
    poll(status(feature("MATLAB", user("alice", 1))))
    poll(status(feature("MATLAB", user("alice", 1))), LATER)
    manual.refresh_from_db()
    assert (manual.source, manual.display_name, manual.last_seen_at) == (
        "manual",
        "Alice A.",
        LATER,
    )
    assert LicenseUser.objects.count() == 1


def test_an_open_log_imported_checkout_is_matched_not_duplicated_nor_closed(poll, server):
    poll(status(feature("MATLAB")))
    matlab = Feature.objects.get(name="MATLAB")
    SessionFactory(
        feature=matlab,
        user__username="dave",
        host="ws-dave",
        handle="9",
        source="log",
        started_at=NOW - timedelta(hours=1),
    )
    poll(status(feature("MATLAB", user("dave", 9))), LATER)
    assert Session.objects.filter(user__username="dave").count() == 1
    poll(status(feature("MATLAB")), LATER + timedelta(minutes=5))
    assert Session.objects.get(user__username="dave").status == "active"


def test_a_multi_license_checkout_holds_its_seats(poll):
    poll(status(feature("ANSYS", user("erin", 4, licenses=3), issued=8)))
    assert Session.objects.get().licenses == 3
    assert UsageSample.objects.get().in_use == 3


def test_queries_per_poll_do_not_grow_with_checkouts(poll, server):
    def queries_for(count, now):
        users = [user(f"u{n}", n) for n in range(count)]
        report = status(feature("MATLAB", *users, issued=count), feature("SIMULINK", *users[:2]))
        with CaptureQueriesContext(connection) as captured:
            poll(report, now)
        return len(captured)

    small = queries_for(3, NOW)
    big_server = LicenseServerFactory(address="27000@lic1-big")

    def big(now):
        users = [user(f"v{n}", n) for n in range(300)]
        report = status(*(feature(f"F{n}", *users[n::30], issued=30) for n in range(30)))
        with CaptureQueriesContext(connection) as captured:
            poll(report, now, target=big_server)
        return len(captured)

    # 100 times the checkouts and 15 times the features: only bulk statements grow (SQLite splits
    # them by its parameter limit), never one query per checkout or feature.
    assert big(NOW) - small <= 10
    assert Session.objects.filter(server=big_server).count() == 300


def test_a_corpus_capture_with_reservations_counts_idle_reserved_seats_apart(
    fake_lmutil,  # noqa: F811
    corpus_dir,
    server,
):
    capture = corpus_dir / "lmstat-a" / "mjtrangoni__flexlm_exporter__lmstat_app6.txt"
    fake_lmutil.prints(server.address, capture.read_text())
    run = poll_server(server.pk, now=NOW)
    assert run.ok
    sample = UsageSample.objects.get(feature__name="MATLAB")
    assert (sample.issued, sample.in_use, sample.reserved) == (420, 59, 1)
    assert Session.objects.filter(feature__name="MATLAB", status="active").count() == 59
