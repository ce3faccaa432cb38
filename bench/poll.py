"""Reconciling a poll cycle: 20 servers x 500 features x 2,000 checkouts (issue 4).

The tool's time is excluded: each server's ``lmstat -a`` text is rendered beforehand
(``monitoring.parsers.render``) and handed to ``record_poll`` — the same parse + write path
``poll_server`` takes after the tool answered. Two cycles are timed: the first (empty
database: every feature, user and session created) and a steady one five minutes later (10 %
of the checkouts returned and as many new ones, a few totals changed; the tables are
vacuumed and analysed between the two, untimed, as autovacuum would). Prints total seconds,
seconds per server, the share spent executing SQL (``connection.execute_wrapper``) and the
ratio to a baseline measured in the same run: parsing the same texts alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/limon_bench_poll .venv/bin/python bench/poll.py

The database named in DATABASE_URL is created if missing; servers named ``bench-poll-*``,
users named ``bench-user*`` and their data are replaced on every run: use a dedicated
database. Goal: under 5 s on PostgreSQL.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/limon_bench_poll"
GOAL_SECONDS = 5.0


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LIMON_TESTING", "true")
    os.environ.setdefault("LIMON_VAR_DIR", tempfile.mkdtemp(prefix="limon-bench-poll-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "limon_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class SqlTimer:
    """``connection.execute_wrapper`` hook adding up the time spent in the database driver."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def build_reports(servers: int, features: int, checkouts: int, users: int, moment: datetime):
    """One StatusReport per server: ``checkouts`` spread over ``features`` (4 each on
    average), user names drawn from a pool shared by all servers."""
    from monitoring.parsers.model import (
        Checkout,
        FeatureStatus,
        FeatureVersion,
        ServerNode,
        StatusReport,
        VendorDaemon,
    )

    rng = random.Random(4)
    local = moment.replace(tzinfo=None)
    reports = []
    for s in range(servers):
        host = f"bench-lic{s}"
        by_feature: list[list] = [[] for _ in range(features)]
        for n in range(checkouts):
            name = f"bench-user{rng.randrange(users):04d}"
            started = local - timedelta(minutes=rng.randrange(1, 600))
            by_feature[n % features].append(
                Checkout(
                    user=name,
                    host=f"ws-{name}",
                    display=f"ws-{name}",
                    version="1.0",
                    server_host=host,
                    server_port="27000",
                    handle=str(1000 + n),
                    started_at=started.replace(second=0, microsecond=0),
                )
            )
        reports.append(
            StatusReport(
                tool="lmstat",
                status_time=local,
                servers=[ServerNode(host=host, port=27000, up=True, is_master=True)],
                vendors=[VendorDaemon(name="BENCHD", up=True, version="11.19.6")],
                features=[
                    FeatureStatus(
                        name=f"FEATURE_{f:03d}",
                        vendor="BENCHD",
                        issued=20,
                        in_use=len(by_feature[f]),
                        versions=[FeatureVersion(version="1.0", vendor="BENCHD", permanent=True)],
                        checkouts=by_feature[f],
                    )
                    for f in range(features)
                ],
            )
        )
    return reports


def churn(report, moment: datetime, seed: int):
    """The same server five minutes later: each checkout returned with probability 0.1, about
    as many new ones spread at random (so most features' in-use figures move), one feature in
    fifty with a new issued total."""
    from dataclasses import replace

    rng = random.Random(seed)
    local = moment.replace(tzinfo=None).replace(second=0, microsecond=0)
    everyone = report.checkouts
    returned = sum(1 for c in everyone if rng.random() < 0.1)
    arrivals: dict[int, list] = {}
    for n in range(returned):
        template = rng.choice(everyone)
        fresh = replace(template, handle=str(100_000 + n), started_at=local)
        arrivals.setdefault(rng.randrange(len(report.features)), []).append(fresh)
    features = []
    for index, feature in enumerate(report.features):
        kept = [c for c in feature.checkouts if rng.random() >= 0.1]
        checkouts = kept + arrivals.get(index, [])
        issued = feature.issued + (5 if index % 50 == 0 else 0)
        features.append(replace(feature, checkouts=checkouts, in_use=len(checkouts), issued=issued))
    return replace(report, status_time=local, features=features)


def settle() -> None:
    """Untimed: what autovacuum does within a minute of a bulk change (a poll cycle is five
    minutes apart), so the planner sees real row counts — after the previous run's rows are
    deleted, and after the first cycle filled the tables."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = ["monitoring_session", "monitoring_feature", "monitoring_usagesample"]
    tables += ["monitoring_inventorychange", "monitoring_licenseuser", "monitoring_pollrun"]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def timed_rollups():
    """Wrap the rollup refresh each poll runs, so the cycle's share spent on it is printed."""
    from monitoring.services import polling

    refresh = polling.refresh_server
    spent = [0.0]

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return refresh(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    polling.refresh_server = timed
    return spent, lambda: setattr(polling, "refresh_server", refresh)


def run_cycle(label, servers, texts, moment):
    from django.db import connection

    from monitoring.services.polling import record_poll

    timer = SqlTimer()
    rollup_seconds, restore = timed_rollups()
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(timer):
            runs = [
                record_poll(server, text=text, now=moment, started=time.monotonic())
                for server, text in zip(servers, texts, strict=True)
            ]
    finally:
        restore()
    total = time.perf_counter() - started
    assert all(run.ok for run in runs), [run.error for run in runs if not run.ok]
    opened = sum(run.sessions_opened for run in runs)
    closed = sum(run.sessions_closed for run in runs)
    print(
        f"{label:<14} {total:6.2f} s total, {total / len(servers) * 1000:6.0f} ms/server, "
        f"SQL {timer.seconds:5.2f} s ({timer.seconds / total:4.0%}), "
        f"{timer.queries / len(servers):4.0f} queries/server, "
        f"{opened} sessions opened, {closed} closed; rollups {rollup_seconds[0]:5.2f} s"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--features", type=int, default=500)
    parser.add_argument("--checkouts", type=int, default=2000)
    parser.add_argument("--users", type=int, default=3000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
    setup_django(url)

    from django.db import connection

    from monitoring.models import LicenseServer, LicenseUser, Session
    from monitoring.parsers import parse_lmstat
    from monitoring.parsers.render import render_lmstat

    Session.objects.filter(server__name__startswith="bench-poll-").delete()
    LicenseServer.objects.filter(name__startswith="bench-poll-").delete()
    LicenseUser.objects.filter(username__startswith="bench-user").delete()
    settle()
    servers = LicenseServer.objects.bulk_create(
        LicenseServer(name=f"bench-poll-{n:02d}", address=f"27000@bench-lic{n}")
        for n in range(args.servers)
    )
    first = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    second = first + timedelta(minutes=5)
    reports = build_reports(args.servers, args.features, args.checkouts, args.users, first)
    first_texts = [render_lmstat(r) for r in reports]
    second_texts = [render_lmstat(churn(r, second, n)) for n, r in enumerate(reports)]
    print(
        f"{args.servers} servers x {args.features} features x {args.checkouts} checkouts, "
        f"database: {connection.vendor}, "
        f"{sum(map(len, first_texts)) / 2**20:.1f} MiB of lmstat text per cycle"
    )

    started = time.perf_counter()
    for text in second_texts:
        parse_lmstat(text.splitlines())
    parse_only = time.perf_counter() - started
    print(f"{'parse only':<14} {parse_only:6.2f} s (baseline)")

    first_total = run_cycle("first poll", servers, first_texts, first)
    settle()
    steady_total = run_cycle("steady poll", servers, second_texts, second)
    again = run_cycle("unchanged", servers, second_texts, second)
    print(
        f"ratio to parse-only: first {first_total / parse_only:.1f}x, "
        f"steady {steady_total / parse_only:.1f}x, unchanged repeat {again / parse_only:.1f}x"
    )
    for label, seconds in (("steady cycle", steady_total), ("first cycle", first_total)):
        verdict = "met" if seconds < GOAL_SECONDS else "NOT met"
        print(f"goal under {GOAL_SECONDS:.0f} s, {label}: {seconds:.2f} s -> {verdict}")


if __name__ == "__main__":
    main()
