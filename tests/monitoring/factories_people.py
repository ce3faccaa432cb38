"""A small hand-computed estate for the people tests (users, departments, usage, chargeback).

Period 2 - 3 March 2026 (UTC, the test time zone):

====  =========  ========  ===========================  =====================
user  dept       feature   held                          seat-hours per day
====  =========  ========  ===========================  =====================
ann   Eng        CAD       2 Mar 22:00 - 3 Mar 02:00     2 on the 2nd, 2 on the 3rd
bob   Eng        CAD       2 Mar 09:00 - 12:00           3
cid   Sales      CAD       2 Mar 10:00 - 11:00           1 (with bob: CAD peak 2)
ann   Eng        CAD_TOOL  2 Mar 09:00 - 10:00           1
dan   (none)     SIM x2    3 Mar 08:00 - 12:00           8 (peak 2)
cid   Sales      CAD       5 Mar 09:00 - 10:00           outside the period
====  =========  ========  ===========================  =====================

CAD and CAD_TOOL are on server ``s1``, SIM on ``s2``. Application CADApp (keystone CAD) is
deployed on s1 at 3650 EUR a year (20 EUR for the two days); SIMApp (no keystone) on s2 with
5 seats at 730 EUR per seat and year (also 20 EUR for two days).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from monitoring.services import rollups
from tests.monitoring.factories import (
    ApplicationFactory,
    DepartmentFactory,
    DeploymentFactory,
    FeatureFactory,
    LicenseServerFactory,
    LicenseUserFactory,
    held,
)

FIRST, LAST = date(2026, 3, 2), date(2026, 3, 3)
NOW = datetime(2026, 3, 6, tzinfo=UTC)


def t(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@dataclass
class Estate:
    eng: object
    sales: object
    users: dict
    features: dict
    servers: dict
    cad_app: object
    sim_app: object


def estate() -> Estate:
    eng = DepartmentFactory(name="Eng", cost_center="CC-10")
    sales = DepartmentFactory(name="Sales")
    DepartmentFactory(name="Empty")
    directory = {"title": "Engineer", "office": "Paris 3", "manager": "zoe"}
    users = {
        "ann": LicenseUserFactory(username="ann", display_name="Ann A", department=eng,
                                  directory=directory, source="ad",
                                  first_seen_at=t(1, 8), last_seen_at=t(3, 2)),
        "bob": LicenseUserFactory(username="bob", department=eng, last_seen_at=t(2, 12)),
        "cid": LicenseUserFactory(username="cid", department=sales, last_seen_at=t(5, 10)),
        "dan": LicenseUserFactory(username="dan", last_seen_at=t(3, 12)),
    }  # fmt: skip
    s1 = LicenseServerFactory(name="s1")
    s2 = LicenseServerFactory(name="s2")
    cad = FeatureFactory(server=s1, name="CAD")
    tool = FeatureFactory(server=s1, name="CAD_TOOL")
    sim = FeatureFactory(server=s2, name="SIM")
    held(cad, users["ann"], t(2, 22), t(3, 2))
    held(cad, users["bob"], t(2, 9), t(2, 12))
    held(cad, users["cid"], t(2, 10), t(2, 11))
    held(tool, users["ann"], t(2, 9), t(2, 10))
    held(sim, users["dan"], t(3, 8), t(3, 12), licenses=2)
    held(cad, users["cid"], t(5, 9), t(5, 10))
    cad_app = ApplicationFactory(name="CADApp", currency="EUR")
    DeploymentFactory(application=cad_app, server=s1, seats=4, annual_cost=Decimal("3650"))
    cad_app.keystone_feature = cad
    cad_app.save()
    sim_app = ApplicationFactory(name="SIMApp", cost_per_seat=Decimal("730"), currency="EUR")
    DeploymentFactory(application=sim_app, server=s2, seats=5)
    rollups.rebuild(now=NOW)
    return Estate(eng, sales, users, {"CAD": cad, "CAD_TOOL": tool, "SIM": sim},
                  {"s1": s1, "s2": s2}, cad_app, sim_app)  # fmt: skip
