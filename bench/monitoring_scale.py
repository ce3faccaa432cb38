"""Monitoring at scale (issue 5): a year of history on PostgreSQL, the rollup rebuild, and the
read API timed endpoint by endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/limon_bench_scale \\
        .venv/bin/python bench/monitoring_scale.py            # --sessions, --keep, --requests

Builds (deterministic, seeded): 4 sites, 20 servers, 40 applications with 5 features each
(a keystone and 4 toolboxes; 8 critical), 100 deployments, 500 features (25 per server),
20 departments, 2,000 users and ``--sessions`` archived sessions over the last 365 days with
working-day rhythms in each site's time zone (arrival 7:30-9:30, two keystone blocks around
lunch, toolbox checkouts of minutes to hours, a few overnight runs crossing midnight,
little at weekends), plus the sessions held right now (a few hundred). Sessions go in with
``COPY`` (the session indexes are dropped and recreated around it). Then
``monitoring.services.rollups.rebuild()`` is timed, the rollup tables are vacuumed (as
autovacuum would after the rewrite), then each issue-5 endpoint is requested
``--requests`` times in-process (Django test ``Client``: no network, no gunicorn) after one
untimed warm-up; ``dashboard/metrics`` with the cache cleared before each request. Prints p50
and p95 in ms and the ratio to ``GET /api/health`` measured the same way in the same run.
Endpoints not written yet are listed as "not available (404)".

The database named in DATABASE_URL is created and migrated if missing and its monitoring data
replaced on every build: use a dedicated database. ``--keep`` reuses a database already built
with the same ``--sessions`` (skips the build and the rebuild unless ``--rebuild``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.poll import ensure_database

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/limon_bench_scale"
SITES = [  # name, time zone, servers
    ("Paris", "Europe/Paris", 8),
    ("Munich", "Europe/Berlin", 5),
    ("Boston", "America/New_York", 5),
    ("Singapore", "Asia/Singapore", 2),
]
APPS, FEATURES_PER_APP, APPS_PER_SERVER, USERS, DEPARTMENTS, DAYS = 40, 5, 5, 2000, 20, 365
#: Sessions per present working day at full size (2 keystone blocks + toolboxes and others).
PER_DAY = 6.4
GOALS = {  # label -> p95 goal in ms (issue 5)
    "dashboard/metrics (uncached)": 150,
    "applications/{id}/usage_history year by day": 300,
    "sessions (first page)": 100,
    "usage?group_by=user (90 days)": 500,
}
STAMP_TABLE = "bench_scale_stamp"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LIMON_TESTING", "true")
    os.environ.setdefault("LIMON_THROTTLE_ANON", "1000000/min")
    os.environ.setdefault("LIMON_VAR_DIR", tempfile.mkdtemp(prefix="limon-bench-scale-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "limon_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_estate(rng: random.Random, now: datetime) -> dict:
    """Sites, servers, daemons, applications, features, deployments, mappings, departments
    and users (ORM bulk inserts: a few thousand rows). Returns what the sessions need."""
    from django.db import connection

    from monitoring import models as m

    tables = [model._meta.db_table for model in (m.Site, m.LicenseServer, m.Department,
                                                 m.LicenseUser, m.Application)]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    sites = m.Site.objects.bulk_create(
        m.Site(name=name, code=name.lower(), timezone=zone) for name, zone, _ in SITES
    )
    servers = []
    for site, (_, zone, count) in zip(sites, SITES, strict=True):
        servers += [(site, zone) for _ in range(count)]
    servers = m.LicenseServer.objects.bulk_create(
        m.LicenseServer(name=f"lic{n:02d}-{site.code}", address=f"27000@lic{n:02d}.example.com",
                        site=site, timezone=zone, status="down" if n == 19 else "up",
                        last_polled_at=now, last_success_at=now - timedelta(minutes=5 * (n == 19)))
        for n, (site, zone) in enumerate(servers)
    )  # fmt: skip
    daemons = m.VendorDaemon.objects.bulk_create(
        m.VendorDaemon(server=s, name="BENCHD", version="11.19.6", last_seen_at=now)
        for s in servers
    )
    apps = m.Application.objects.bulk_create(
        m.Application(name=f"Application {a:02d}", vendor=f"Vendor {a % 7}",
                      category=("CAD", "CAE", "EDA", "Math", "GIS")[a % 5],
                      is_critical=a % 5 == 0, cost_per_seat=1000 + 250 * (a % 9))
        for a in range(APPS)
    )  # fmt: skip
    m.FeatureMapping.objects.bulk_create(
        m.FeatureMapping(pattern=f"APP{a:02d}_{part}", display_name=f"Application {a:02d} {part}",
                         application=apps[a])
        for a in range(APPS) for part in ("BASE", "TB1", "TB2", "TB3", "TB4")
    )  # fmt: skip
    hosted = {s: [(2 * s + k) % APPS for k in range(APPS_PER_SERVER)] for s in range(len(servers))}
    features, deployments = [], []
    for s, server in enumerate(servers):
        for a in hosted[s]:
            ends = now.date() + timedelta(days=20 + 40 * a)
            deployments.append(m.Deployment(application=apps[a], server=server,
                                            seats=20 + 5 * (a % 6), annual_cost=20000 + 1000 * a,
                                            contract_end=ends))  # fmt: skip
            for part in ("BASE", "TB1", "TB2", "TB3", "TB4"):
                features.append(m.Feature(server=server, daemon=daemons[s], vendor="BENCHD",
                                          name=f"APP{a:02d}_{part}", version="2025.1",
                                          issued=10, first_seen_at=now - timedelta(days=DAYS),
                                          last_seen_at=now,
                                          expires_on=now.date() + timedelta(days=10 + 7 * a)
                                          if part == "TB4" else None))  # fmt: skip
    features = m.Feature.objects.bulk_create(features)
    m.Deployment.objects.bulk_create(deployments)
    by_key = {(f.server_id, f.name): f.pk for f in features}
    for a, app in enumerate(apps):
        app.keystone_feature_id = next(f.pk for f in features if f.name == f"APP{a:02d}_BASE")
    m.Application.objects.bulk_update(apps, ["keystone_feature"])
    departments = m.Department.objects.bulk_create(
        m.Department(name=f"Department {d:02d}", cost_center=f"CC{d:03d}")
        for d in range(DEPARTMENTS)
    )
    site_of_server = [i for i, (_, _, count) in enumerate(SITES) for _ in range(count)]
    users, plans = [], []
    synced = now - timedelta(hours=3)
    weights = [count for _, _, count in SITES]
    for u in range(USERS):
        site = rng.choices(range(len(SITES)), weights)[0]
        local = [s for s in range(len(servers)) if site_of_server[s] == site]
        plan = []
        for pick in range(1 + (rng.random() < 0.6) + (rng.random() < 0.25)):
            s = rng.choice(local if pick == 0 or rng.random() < 0.8 else range(len(servers)))
            a = rng.choice(hosted[s])
            sid = servers[s].pk
            plan.append((sid, by_key[(sid, f"APP{a:02d}_BASE")],
                         [by_key[(sid, f"APP{a:02d}_TB{k}")] for k in range(1, 5)]))  # fmt: skip
        plans.append((site, 7.5 + 2 * rng.random(), plan))
        users.append(m.LicenseUser(username=f"user{u:04d}", display_name=f"User {u:04d}",
                                   email=f"user{u:04d}@example.com",
                                   department=departments[u % DEPARTMENTS],
                                   source="ad" if u % 3 else "poll",
                                   directory={"title": "Engineer", "office": SITES[site][0]}
                                   if u % 3 else {},
                                   last_synced_at=synced if u % 3 else None))  # fmt: skip
    users = m.LicenseUser.objects.bulk_create(users)
    return {"users": users, "plans": plans, "apps": apps, "servers": servers}


def sessions(rng: random.Random, estate: dict, total: int, now: datetime):
    """Yield session rows (COPY column order, see ``SESSION_COLUMNS``), oldest day first."""
    today = now.astimezone(UTC).date()
    first_day = today - timedelta(days=DAYS)
    midnights = {  # (site, day) -> UTC epoch of the local midnight
        (i, d): datetime.combine(first_day + timedelta(days=d), datetime.min.time(),
                                 ZoneInfo(zone)).timestamp()
        for i, (_, zone, _) in enumerate(SITES) for d in range(DAYS + 1)
    }  # fmt: skip
    weekdays = sum((first_day + timedelta(days=d)).weekday() < 5 for d in range(DAYS + 1))
    per_day = total / (USERS * (weekdays * 0.88 + (DAYS + 1 - weekdays) * 0.04))
    presence = 1.0
    if per_day < PER_DAY:  # small runs: fewer users present, the same rhythm
        presence, per_day = per_day / PER_DAY, PER_DAY
    extra = max(per_day * 1.06 - 2, 0)  # 1.06: days cut short, the unborn part of today
    cut = now.timestamp()
    stamp = datetime.fromtimestamp
    made = handle = 0
    users, plans = estate["users"], estate["plans"]
    for d in range(DAYS + 1):
        weekend = (first_day + timedelta(days=d)).weekday() >= 5
        odds = (0.04 if weekend else 0.88) * presence
        for user, (site, arrival, plan) in zip(users, plans, strict=True):
            if rng.random() >= odds:
                continue
            base = midnights[(site, d)]
            start = base + 3600 * (arrival + rng.gauss(0, 0.4))
            leave = start + 3600 * (8 + 1.5 * rng.random())
            lunch = start + 3600 * (3.5 + rng.random())
            sid, keystone, _ = plan[0]
            # keystone: morning and afternoon blocks, now and then an overnight run
            blocks = [(start, lunch - 60 * rng.randrange(0, 20)),
                      (lunch + 60 * rng.randrange(30, 70), leave)]  # fmt: skip
            if rng.random() < 0.01:
                blocks[1] = (blocks[1][0], blocks[1][0] + 3600 * rng.uniform(14, 40))
            rows = [(sid, keystone, began, ended) for began, ended in blocks]
            # toolboxes and the other applications: one after another through the day
            cursor = start + 60 * rng.randrange(5, 60)
            for _ in range(int(rng.random() * 2 * extra + 0.5)):
                app = plan[0] if len(plan) == 1 or rng.random() < 0.6 else rng.choice(plan[1:])
                feature = rng.choice(app[2]) if rng.random() < 0.75 else app[1]
                length = 60 * min(rng.expovariate(1 / 50), 300) + 120
                if cursor + length > leave + 3600:
                    break
                rows.append((app[0], feature, cursor, cursor + length))
                cursor += length + 60 * rng.expovariate(1 / 25)
            for server_id, feature_id, began, ended in rows:
                if began >= cut:
                    continue
                active = ended > cut
                handle += 1
                made += 1
                yield (server_id, feature_id, user.pk, f"ws-{user.username}",
                       f"ws-{user.username}", 1, "2025.1", str(handle), False,
                       stamp(began, UTC), None if active else stamp(ended, UTC),
                       "active" if active else "archived", "poll", False, "")  # fmt: skip
                if made >= total:
                    return


SESSION_COLUMNS = ("server_id", "feature_id", "user_id", "host", "display", "licenses",
                   "version", "handle", "borrowed", "started_at", "ended_at", "status",
                   "source", "closed_by_restart", "fingerprint")  # fmt: skip


def load_sessions(rows, table: str) -> int:
    """COPY ``rows`` into the session table with its secondary indexes dropped meanwhile."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        count = 0
        with cursor.cursor.copy(f"COPY {table} ({', '.join(SESSION_COLUMNS)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
                count += 1
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {table}")
    return count


def finish_estate() -> None:
    """What the polls would have left: users' first/last seen, features' in-use figures and
    issued seats sized on their busiest users, one sample per feature; then ANALYZE."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "UPDATE monitoring_licenseuser u SET first_seen_at = s.first, last_seen_at = s.last "
            "FROM (SELECT user_id, min(started_at) AS first, "
            "max(coalesce(ended_at, now())) AS last FROM monitoring_session GROUP BY user_id) s "
            "WHERE s.user_id = u.id"
        )
        c.execute(
            "WITH a AS (SELECT feature_id, count(*) FILTER (WHERE status = 'active') AS n, "
            "count(DISTINCT user_id) AS users FROM monitoring_session GROUP BY feature_id) "
            "UPDATE monitoring_feature f SET in_use = a.n, "
            "issued = greatest(a.n + 1, ceil(a.users * 0.7)) FROM a WHERE a.feature_id = f.id"
        )
        c.execute(
            "INSERT INTO monitoring_usagesample (feature_id, server_id, sampled_at, in_use, "
            "reserved, issued, queued) SELECT id, server_id, date_trunc('minute', now()), "
            "in_use, 0, issued, 0 FROM monitoring_feature"
        )
        c.execute(f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (sessions bigint, built timestamptz)")
        c.execute("ANALYZE")


def built_sessions() -> int | None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT to_regclass(%s)", [STAMP_TABLE])
        if c.fetchone()[0] is None:
            return None
        c.execute(f"SELECT sessions FROM {STAMP_TABLE}")  # noqa: S608
        row = c.fetchone()
        return row[0] if row else None


def stamp_build(requested: int) -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(f"DELETE FROM {STAMP_TABLE}")  # noqa: S608
        c.execute(f"INSERT INTO {STAMP_TABLE} VALUES (%s, now())", [requested])  # noqa: S608


def endpoints(now: datetime) -> list[tuple[str, str]]:
    """(label, path) of every endpoint timed, parameters picked from the built data."""
    from django.db.models import Count

    from monitoring import models as m

    app = m.Application.objects.filter(is_critical=True).order_by("pk").first()
    server = m.LicenseServer.objects.order_by("pk").first()
    site = m.Site.objects.order_by("pk").first()
    user = m.LicenseUser.objects.annotate(n=Count("sessions")).order_by("-n").first()
    department = m.Department.objects.order_by("pk").first()
    feature = m.Feature.objects.filter(pk=app.keystone_feature_id).first()
    q = f"from={(now - timedelta(days=365)).isoformat()}&to={now.isoformat()}"
    q = q.replace("+", "%2B")
    return [
        ("servers", "/api/v1/servers"),
        ("servers/{id}", f"/api/v1/servers/{server.pk}"),
        ("servers/{id}/history", f"/api/v1/servers/{server.pk}/history"),
        ("sites", "/api/v1/sites"),
        ("sites/{id}", f"/api/v1/sites/{site.pk}"),
        ("sessions (first page)", "/api/v1/sessions"),
        ("sessions?status=active", "/api/v1/sessions?status=active"),
        ("sessions?user=", f"/api/v1/sessions?user={user.username}"),
        ("applications", "/api/v1/applications"),
        ("applications/{id}", f"/api/v1/applications/{app.pk}"),
        ("applications/{id}/sessions", f"/api/v1/applications/{app.pk}/sessions"),
        ("applications/{id}/usage_history year by day",
         f"/api/v1/applications/{app.pk}/usage_history?{q}&interval=day"),
        ("applications/{id}/top_users", f"/api/v1/applications/{app.pk}/top_users"),
        ("users", "/api/v1/users"),
        ("users/{u}", f"/api/v1/users/{user.username}"),
        ("users/{u}/activity", f"/api/v1/users/{user.username}/activity"),
        ("departments", "/api/v1/departments"),
        ("departments/{name}/users", f"/api/v1/departments/{department.name}/users"),
        ("departments/{name}/activity", f"/api/v1/departments/{department.name}/activity"),
        ("usage?group_by=user (90 days)", "/api/v1/usage?group_by=user&days=90"),
        ("usage?group_by=feature (90 days)", "/api/v1/usage?group_by=feature&days=90"),
        ("features/{sid}/{name}/usage_history",
         f"/api/v1/features/{feature.server_id}/{feature.name}/usage_history"),
        ("dashboard/metrics (uncached)", "/api/v1/dashboard/metrics"),
    ]  # fmt: skip


def time_requests(client, path: str, count: int, *, clear_cache: bool = False):
    """Status of a warm-up request and the durations (ms) of ``count`` more."""
    from django.core.cache import cache

    if clear_cache:
        cache.clear()
    response = client.get(path)
    if response.status_code != 200:
        if response.status_code != 404:
            print(f"  {path}: {response.status_code} {response.content[:300]!r}")
        return response.status_code, []
    durations = []
    for _ in range(count):
        if clear_cache:
            cache.clear()
        began = time.perf_counter()
        response = client.get(path)
        durations.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return 200, durations


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3_000_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per endpoint")
    parser.add_argument("--keep", action="store_true", help="reuse a database already built")
    parser.add_argument("--rebuild", action="store_true", help="with --keep: rebuild rollups")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("this benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    ensure_database(url)
    setup_django(url)
    from django.test import Client
    from django.utils import timezone

    from monitoring.models import DailyUserUsage, HourlyUsage, Session
    from monitoring.services import rollups

    now = timezone.now()
    load = os.getloadavg()
    print(f"PostgreSQL {url.rsplit('/', 1)[-1]}, {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")  # fmt: skip
    reuse = args.keep and built_sessions() == args.sessions
    if not reuse:
        rng = random.Random(args.seed)
        began = time.perf_counter()
        estate = build_estate(rng, now)
        count = load_sessions(sessions(rng, estate, args.sessions, now), Session._meta.db_table)
        finish_estate()
        stamp_build(args.sessions)
        print(f"built {count:,} sessions in {time.perf_counter() - began:.0f} s")
    else:
        print(f"reusing the database built with --sessions {args.sessions:,}")
    if not reuse or args.rebuild:
        began = time.perf_counter()
        written = rollups.rebuild(
            now=now,
            progress=lambda done, total: print(
                f"  rebuild: {done}/{total} features, {time.perf_counter() - began:.0f} s",
                file=sys.stderr,
            ),
        )
        took = time.perf_counter() - began
        sessions_count = Session.objects.count()
        hourly, daily = HourlyUsage.objects.count(), DailyUserUsage.objects.count()
        print(
            f"rollups.rebuild(): {took:.1f} s for {sessions_count:,} sessions "
            f"({sessions_count / took:,.0f} sessions/s), {written:,} rows written "
            f"({hourly:,} hourly, {daily:,} daily, {written / took:,.0f} rows/s)"
        )
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as c:  # as autovacuum would after the rebuild rewrote them
        c.execute("VACUUM ANALYZE monitoring_hourlyusage, monitoring_dailyuserusage")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    _, health = time_requests(client, "/api/health", args.requests * 2)
    health_p50, health_p95 = statistics.median(health), p95(health)
    print(f"\n{args.requests} requests per endpoint after one warm-up (in-process test client)")
    print(f"{'endpoint':48} {'p50 ms':>8} {'p95 ms':>8} {'p50 ÷ health':>13}  goal (p95)")
    print(f"{'GET /api/health':48} {health_p50:8.1f} {health_p95:8.1f} {1:13.1f}")
    missing = []
    for label, path in endpoints(now):
        status, durations = time_requests(
            client, path, args.requests, clear_cache=label.startswith("dashboard")
        )
        if not durations:
            print(f"{label:48} not available ({status})")
            missing.append(label)
            continue
        mid, high = statistics.median(durations), p95(durations)
        goal = GOALS.get(label)
        verdict = f"≤ {goal} ms {'PASS' if high <= goal else 'MISS'}" if goal else ""
        print(f"{label:48} {mid:8.1f} {high:8.1f} {mid / health_p50:13.1f}  {verdict}")
    if missing:
        print(f"\nnot available yet: {', '.join(missing)}")


if __name__ == "__main__":
    main()
