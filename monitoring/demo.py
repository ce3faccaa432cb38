"""Demo estate for ``manage.py seed_demo``: the sites, servers, applications, features and
users of :mod:`monitoring.simulator.estate` (the model the simulator prints), then 90 days of
history (:mod:`monitoring.demo_history`), and the ``tools`` configuration pointed at the
simulator so ``manage.py poll_servers`` polls it through the real subprocess path.

Idempotent: everything is found by name first; history is written only for servers that
have none yet.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from limon_site import config
from monitoring import app_templates, conf
from monitoring.demo_history import seed_history
from monitoring.models import (
    Application,
    Department,
    Deployment,
    Feature,
    FeatureKind,
    LicenseServer,
    LicenseUser,
    Site,
    UserSource,
    VendorDaemon,
)
from monitoring.services import applications, rollups
from monitoring.services.templates import apply_template
from monitoring.simulator import estate, status, usage

ACTOR = "system:demo"
SIMULATOR_BIN = Path(__file__).resolve().parent / "simulator" / "bin"
HISTORY_DAYS = 90


def simulator_tools() -> dict[str, str]:
    """The ``tools`` settings that make the poller run the simulator."""
    return {
        "lmutil_path": str(SIMULATOR_BIN / "lmutil"),
        "rlmutil_path": str(SIMULATOR_BIN / "rlmutil"),
    }


def _sites() -> dict[str, Site]:
    found = {}
    for spec in estate.SITES:
        found[spec.code], _ = Site.objects.get_or_create(
            name=spec.name,
            defaults={"code": spec.code, "location": spec.location, "timezone": spec.timezone},
        )
    return found


def _servers(sites: dict[str, Site]) -> dict[str, LicenseServer]:
    found = {}
    for spec in estate.SERVERS:
        server, _ = LicenseServer.objects.get_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "address": spec.address,
                "site": sites[spec.site],
                "description": spec.description,
            },
        )
        found[spec.name] = server
        version = status.FLEX_VERSION if spec.kind == "flexlm" else status.RLM_VERSION
        for name, _ in spec.daemons:
            VendorDaemon.objects.get_or_create(
                server=server, name=name, defaults={"version": version}
            )
    return found


def _features(servers: dict[str, LicenseServer], now) -> dict[tuple, Feature]:
    """The estate's features; expiry as the simulator prints it on the server's local date."""
    daemons = {
        (d.server_id, d.name): d for d in VendorDaemon.objects.filter(server__in=servers.values())
    }
    existing = {
        (f.server_id, f.vendor, f.name): f
        for f in Feature.objects.filter(server__in=servers.values())
    }
    moment = int(now.timestamp())
    missing = []
    for spec in estate.FEATURES:
        server = servers[spec.server]
        if (server.pk, spec.vendor, spec.name) in existing:
            continue
        missing.append(
            Feature(
                server=server,
                daemon=daemons[(server.pk, spec.vendor)],
                vendor=spec.vendor,
                name=spec.name,
                version=spec.version,
                kind=FeatureKind.FLOATING if spec.issued is not None else FeatureKind.UNCOUNTED,
                issued=spec.issued,
                expires_on=usage.expiry(
                    spec, usage.local_time(estate.server(spec.server), moment).date()
                ),
                first_seen_at=now,
                last_seen_at=now,
            )
        )
    Feature.objects.bulk_create(missing)
    return {
        (f.server.name, f.vendor, f.name): f
        for f in Feature.objects.filter(server__in=servers.values()).select_related("server")
    }


def _people() -> int:
    departments = {}
    for spec in estate.DEPARTMENTS:
        departments[spec.code], _ = Department.objects.get_or_create(
            name=spec.name, defaults={"cost_center": spec.cost_center}
        )
    known = set(LicenseUser.objects.values_list("username", flat=True))
    site_names = {s.code: s.name for s in estate.SITES}
    missing = [
        LicenseUser(
            username=person.username,
            display_name=person.display_name,
            email=person.email,
            department=departments[person.department],
            source=UserSource.AD,
            directory={"office": site_names[person.site], "workstation": person.host},
        )
        for person in estate.users()
        if person.username not in known
    ]
    LicenseUser.objects.bulk_create(missing)
    return len(missing)


def _contract(renews: tuple[int, int], today: date) -> tuple[date, date]:
    month, day = renews
    end = today.replace(month=month, day=day)
    if end < today:
        end = end.replace(year=today.year + 1)
    return end.replace(year=end.year - 1) + timedelta(days=1), end


def _applications(features: dict[tuple, Feature], today: date) -> int:
    created = 0
    for spec in estate.APPLICATIONS:
        template = app_templates.get(spec.template)
        app = Application.objects.filter(name=spec.name).first()
        if app is None:
            app = applications.create_application(
                actor=ACTOR,
                name=spec.name,
                vendor=spec.vendor,
                category=spec.category,
                description=template.description if template else "",
                is_critical=spec.is_critical,
                cost_per_seat=Decimal(spec.cost_per_seat),
                currency="EUR",
            )
            created += 1
        mine = [f for f in estate.FEATURES if f.app == spec.template]
        deployed = set(
            Deployment.objects.filter(application=app).values_list("server__name", flat=True)
        )
        for server_name in dict.fromkeys(f.server for f in mine):
            if server_name in deployed:
                continue
            here = [f for f in mine if f.server == server_name]
            keystone = next((f for f in here if f.name == spec.keystone), None)
            seats = (keystone or max(here, key=lambda f: f.issued or 0)).issued or 0
            start, end = _contract(spec.contract_renews, today)
            applications.create_deployment(
                actor=ACTOR,
                application=app,
                server=features[(here[0].server, here[0].vendor, here[0].name)].server,
                seats=seats,
                annual_cost=Decimal(seats * spec.cost_per_seat),
                contract_start=start,
                contract_end=end,
                scope=spec.scope,
                environment=spec.environment,
                notes=f"Demo contract, renews every {end:%d %B}.",
            )
        apply_template(app, spec.template, actor=ACTOR)
        if app.keystone_feature_id is None:
            home = next(f for f in mine if f.name == spec.keystone)
            keystone = features[(home.server, home.vendor, home.name)]
            applications.set_keystone(app, feature_id=keystone.pk, actor=ACTOR)
    return created


def _tools() -> None:
    wanted = simulator_tools()
    current = config.get(conf.TOOLS)
    changes = {key: value for key, value in wanted.items() if current.get(key) != value}
    if changes:
        config.update(conf.TOOLS, changes, actor=ACTOR)


def seed(stdout=None, *, days: int = HISTORY_DAYS, now=None) -> None:
    """Seed the demo estate and ``days`` days of history up to ``now`` (tests pass fewer
    days and a fixed instant)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        servers = _servers(_sites())
        features = _features(servers, now)
        users = _people()
        apps = _applications(features, today)
        _tools()
    history = seed_history(servers=servers, features=features, days=days, now=now)
    if history.sessions:
        # the first poll would roll the history up too; doing it here makes every usage page
        # show the history straight after seeding
        rollups.rebuild(servers=list(servers.values()), now=now)
    if stdout is not None:
        stdout.write(
            f"  {len(servers)} servers, {len(features)} features, {apps} new applications, "
            f"{users} new users; history: {history.sessions} sessions, "
            f"{history.samples} usage samples"
        )
