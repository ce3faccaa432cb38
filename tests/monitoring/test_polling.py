"""Polling: failures, claims, concurrency, retention, schedules and the command, through real
subprocesses (a fake lmutil, see test_tools.py)."""

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone
from django_q.models import Schedule

from limon_site import config
from monitoring import schedules, tasks
from monitoring.conf import MONITORING
from monitoring.models import Feature, PollRun, Session, UsageSample
from monitoring.parsers.render import render_lmstat
from monitoring.services.polling import claim_server, poll_all, poll_server, release_claim
from monitoring.services.retention import purge_old_data
from tests.monitoring.factories import (
    FeatureFactory,
    LicenseServerFactory,
    SessionFactory,
    UsageSampleFactory,
)
from tests.monitoring.test_reconcile import feature, status, user
from tests.monitoring.test_tools import fake_lmutil  # noqa: F401 - fixture

ON_POSTGRES = connection.vendor == "postgresql"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


def serve(tool, server, report):
    tool.prints(server.address, render_lmstat(report))


def active_users(server):
    return set(
        Session.objects.filter(server=server, status="active").values_list(
            "user__username", flat=True
        )
    )


@pytest.mark.django_db
class TestFailures:
    def test_cannot_connect_marks_the_server_down_and_keeps_its_sessions(
        self,
        fake_lmutil,  # noqa: F811
        corpus_dir,
    ):
        server = LicenseServerFactory(address="27000@lic1")
        serve(fake_lmutil, server, status(feature("MATLAB", user("alice", 1))))
        poll_server(server.pk, now=NOW)
        down = corpus_dir / "lmstat-a" / "ThomasWagnerJKU__check_flexlm__down_a.txt"
        fake_lmutil.prints(server.address, down.read_text())
        fake_lmutil.exits(server.address, 1)
        run = poll_server(server.pk, now=LATER)
        assert run.ok is False and "Cannot connect" in run.error
        server.refresh_from_db()
        assert (server.status, server.last_polled_at, server.last_success_at) == (
            "down",
            LATER,
            NOW,
        )
        assert "Cannot connect" in server.last_error
        assert active_users(server) == {"alice"}
        assert Feature.objects.get(name="MATLAB").in_use == 1
        assert not UsageSample.objects.filter(sampled_at=LATER).exists()

    def test_a_tool_killed_mid_poll_loses_nothing_already_recorded(
        self,
        fake_lmutil,  # noqa: F811
    ):
        server = LicenseServerFactory(address="27000@lic1")
        serve(fake_lmutil, server, status(feature("MATLAB", user("alice", 1), user("bob", 2))))
        poll_server(server.pk, now=NOW)
        # The next run prints the header and one of the two users, then dies.
        text = render_lmstat(status(feature("MATLAB", user("alice", 1), user("bob", 2))))
        partial = text[: text.index("    bob")]
        fake_lmutil.prints(server.address, partial)
        script = fake_lmutil.path.read_text().replace(
            "sys.stdout.flush()",
            "sys.stdout.flush(); import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
        )
        fake_lmutil.path.write_text(script)
        run = poll_server(server.pk, now=LATER)
        assert run.ok is False and "killed by SIGKILL" in run.error
        assert active_users(server) == {"alice", "bob"}
        assert Session.objects.filter(status="archived").count() == 0

    def test_a_missing_tool_is_a_failed_poll_with_the_reason(self, fake_lmutil, tmp_path):  # noqa: F811
        server = LicenseServerFactory()
        config.update("tools", {"lmutil_path": str(tmp_path / "nowhere" / "lmutil")})
        run = poll_server(server.pk, now=NOW)
        assert run.ok is False and "does not exist" in run.error
        server.refresh_from_db()
        assert server.status == "down"

    def test_every_poll_writes_one_structured_log_line(self, fake_lmutil, caplog):  # noqa: F811
        server = LicenseServerFactory(name="flex-log", address="27000@lic1")
        serve(fake_lmutil, server, status(feature("MATLAB", user("alice", 1))))
        with caplog.at_level(logging.INFO, logger="monitoring.polling"):
            poll_server(server.pk, now=NOW)
        [record] = [r for r in caplog.records if r.name == "monitoring.polling"]
        assert (record.server, record.features, record.sessions_opened) == ("flex-log", 1, 1)
        assert (record.sessions_closed, record.error) == (0, "")
        assert "server=flex-log" in record.getMessage()


@pytest.mark.django_db
class TestClaims:
    def test_two_claims_one_wins_until_released_or_expired(self):
        server = LicenseServerFactory()
        first = claim_server(server.pk, timeout_seconds=30)
        assert first is not None
        assert claim_server(server.pk, timeout_seconds=30) is None
        release_claim(server.pk, first)
        second = claim_server(server.pk, timeout_seconds=30)
        assert second is not None
        server.refresh_from_db()
        server.poll_claimed_until = timezone.now() - timedelta(seconds=1)
        server.save()
        assert claim_server(server.pk, timeout_seconds=30) is not None

    def test_a_claimed_server_is_not_polled(self, fake_lmutil):  # noqa: F811
        server = LicenseServerFactory()
        claim_server(server.pk, timeout_seconds=30)
        assert poll_server(server.pk, now=NOW) is None
        assert fake_lmutil.calls() == []
        assert not PollRun.objects.exists()

    def test_decommissioned_servers_are_not_polled(self, fake_lmutil):  # noqa: F811
        server = LicenseServerFactory(is_active=False)
        assert poll_server(server.pk, now=NOW) is None
        assert poll_all(now=NOW) == []
        assert fake_lmutil.calls() == []


@pytest.mark.django_db(transaction=True)
class TestPollAll:
    def test_a_server_timing_out_is_down_while_the_others_are_fresh(
        self,
        fake_lmutil,  # noqa: F811
    ):
        config.update(MONITORING, {"poll_timeout_seconds": 1, "poll_concurrency": 3})
        slow, fast1, fast2 = (
            LicenseServerFactory(name=name, address=f"27000@{name}")
            for name in ("slow", "fast1", "fast2")
        )
        for server in (slow, fast1, fast2):
            serve(fake_lmutil, server, status(feature("MATLAB", user(f"u-{server.name}", 1))))
        poll_all(now=NOW)
        fake_lmutil.sleeps(slow.address, 20)
        started = time.monotonic()
        results = poll_all(now=LATER)
        assert time.monotonic() - started < 10
        outcome = {r.server_name: (r.run.ok, r.run.error) for r in results}
        assert outcome["fast1"] == (True, "") and outcome["fast2"] == (True, "")
        assert outcome["slow"] == (False, "Status tool timed out after 1 s")
        slow.refresh_from_db()
        fast1.refresh_from_db()
        assert (slow.status, slow.last_success_at) == ("down", NOW)
        assert (fast1.status, fast1.last_success_at) == ("up", LATER)
        assert active_users(slow) == {"u-slow"}

    def test_servers_are_polled_concurrently(self, fake_lmutil):  # noqa: F811
        config.update(MONITORING, {"poll_concurrency": 4})
        servers = [LicenseServerFactory(address=f"27000@c{n}") for n in range(4)]
        for server in servers:
            serve(fake_lmutil, server, status(feature("MATLAB")))
            fake_lmutil.sleeps(server.address, 1)
        started = time.monotonic()
        results = poll_all(now=NOW)
        assert time.monotonic() - started < 3.5
        assert all(r.run.ok for r in results)

    def test_the_command_prints_a_line_per_server_and_a_summary(
        self,
        fake_lmutil,  # noqa: F811
        capsys,
    ):
        up = LicenseServerFactory(name="flex-up", address="27000@up")
        LicenseServerFactory(name="flex-other", address="27000@other")
        serve(fake_lmutil, up, status(feature("MATLAB", user("alice", 1))))
        call_command("poll_servers", "--server", "flex-up")
        out = capsys.readouterr().out.splitlines()
        assert out[0].startswith("flex-up: ok in ")
        assert "1 features, 1 sessions opened, 0 closed" in out[0]
        assert out[-1] == "Polled 1 server(s): 1 ok, 0 failed, 0 skipped"
        assert PollRun.objects.filter(server__name="flex-other").count() == 0

    def test_the_command_refuses_unknown_server_names(self):
        LicenseServerFactory(name="flex-up")
        with pytest.raises(CommandError, match="nope"):
            call_command("poll_servers", "--server", "flex-up", "--server", "nope")
        assert not PollRun.objects.exists()


@pytest.mark.django_db
def test_retention_deletes_old_archived_sessions_samples_and_poll_runs_in_batches():
    config.update(MONITORING, {"retention_days": 30})
    now = timezone.now()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    matlab = FeatureFactory()
    for n in range(5):
        SessionFactory(feature=matlab, started_at=old, ended_at=old, status="archived")
        UsageSampleFactory(feature=matlab, sampled_at=old - timedelta(minutes=n))
    kept_archived = SessionFactory(
        feature=matlab, started_at=recent, ended_at=recent, status="archived"
    )
    still_open = SessionFactory(feature=matlab, started_at=old)
    UsageSampleFactory(feature=matlab, sampled_at=recent)
    PollRun.objects.create(server=matlab.server, polled_at=old, ok=True)
    PollRun.objects.create(server=matlab.server, polled_at=recent, ok=True)
    deleted = purge_old_data(now=now, batch_size=2)
    assert deleted == {"sessions": 5, "usage_samples": 5, "poll_runs": 1}
    assert set(Session.objects.values_list("pk", flat=True)) == {kept_archived.pk, still_open.pk}
    assert UsageSample.objects.count() == 1
    assert PollRun.objects.count() == 1


@pytest.mark.django_db
def test_schedules_are_synced_by_name_with_the_configured_interval():
    config.update(MONITORING, {"poll_interval_minutes": 7})
    schedules.sync_schedules()
    schedules.sync_schedules()
    poll = Schedule.objects.get(name="monitoring.poll_all_servers")
    assert (poll.func, poll.minutes) == ("monitoring.tasks.poll_all_servers", 7)
    assert Schedule.objects.get(name="monitoring.purge_old_data").schedule_type == Schedule.DAILY
    config.update(MONITORING, {"poll_interval_minutes": 3})
    schedules.sync_schedules()
    assert Schedule.objects.get(name="monitoring.poll_all_servers").minutes == 3
    assert Schedule.objects.filter(name__startswith="monitoring.").count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: real row locks between threads")
def test_two_pollers_polling_one_server_at_once_poll_it_once(fake_lmutil):  # noqa: F811
    server = LicenseServerFactory(address="27000@race")
    serve(fake_lmutil, server, status(feature("MATLAB", user("alice", 1))))
    fake_lmutil.sleeps(server.address, 1)
    barrier = threading.Barrier(2)
    results = []

    def poller():
        try:
            barrier.wait()
            results.append(poll_server(server.pk, now=NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r is None for r in results) == [False, True]
    assert PollRun.objects.count() == 1
    assert len(fake_lmutil.calls()) == 1
    assert Session.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_tasks_poll_every_server_and_purge(fake_lmutil):  # noqa: F811
    server = LicenseServerFactory(address="27000@task")
    serve(fake_lmutil, server, status(feature("MATLAB", user("alice", 1))))
    assert tasks.poll_all_servers() == 1
    assert active_users(server) == {"alice"}
    assert Schedule.objects.filter(name="monitoring.poll_all_servers").exists()
    assert tasks.purge_old_data() == {"sessions": 0, "usage_samples": 0, "poll_runs": 0}
