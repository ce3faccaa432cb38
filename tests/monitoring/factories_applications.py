"""A small hand-computable estate for the application analytics and API tests.

NOW is Wednesday 2026-03-04 12:00 UTC (tests run with ``TIME_ZONE = UTC`` unless they say).
MATLAB is deployed on ``pa`` (Paris, 4 seats, 4000/year) and ``ly`` (Lyon, 6 seats, no cost);
its keystone is MATLAB, so MATLAB on both servers counts; SIMULINK on ``pa`` is a toolbox
(mapped to MATLAB) and MATLAB on ``other`` (not deployed) never counts.

Keystone sessions (UTC):

* Sun 03-01 09:00-09:30: five users on pa (a weekend peak of 5)
* Mon 03-02 09:00-09:30: erin on pa, frank and gina on ly (peak 3)
* Mon 03-02 23:00 - Tue 03-03 01:00: ivan on ly (crosses midnight)
* Tue 03-03 10:00-14:00 alice on pa; 12:00-13:00 and 15:00-15:30 bob on ly
* Wed 03-04 11:00- (still held) dave on pa

Not counted: alice's SIMULINK 03-03 10:00-14:00, henry's SIMULINK (held), carol's MATLAB on
``other`` 03-03 12:00-13:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from monitoring.models import Application, Feature
from monitoring.services import rollups
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseServerFactory,
    LicenseUserFactory,
    SiteFactory,
)
from tests.monitoring.factories import held as held_session

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def at(day: int, hour: float, month: int = 3) -> datetime:
    return datetime(2026, month, day, tzinfo=UTC) + timedelta(hours=hour)


def held(feature: Feature, username: str, start, end=None, licenses: int = 1):
    """:func:`tests.monitoring.factories.held` for the user named ``username``."""
    from monitoring.models import LicenseUser

    user = LicenseUser.objects.filter(username=username).first() or LicenseUserFactory(
        username=username
    )
    return held_session(feature, user, start, end, licenses)


@dataclass
class Estate:
    app: Application
    pa_matlab: Feature
    ly_matlab: Feature
    simulink: Feature
    other_matlab: Feature


def matlab_estate(*, rebuild: bool = True) -> Estate:
    paris, lyon = SiteFactory(name="Paris"), SiteFactory(name="Lyon")
    pa = LicenseServerFactory(name="pa", site=paris)
    ly = LicenseServerFactory(name="ly", site=lyon)
    other = LicenseServerFactory(name="other", site=paris)
    pa_matlab = FeatureFactory(server=pa, name="MATLAB", issued=1, in_use=1)
    ly_matlab = FeatureFactory(server=ly, name="MATLAB", issued=1, in_use=0)
    simulink = FeatureFactory(server=pa, name="SIMULINK", issued=5, in_use=1)
    other_matlab = FeatureFactory(server=other, name="MATLAB", issued=9, in_use=0)
    app = ApplicationFactory(
        name="MATLAB", vendor="MathWorks", category="Math", is_critical=True,
        cost_per_seat=Decimal("500"), currency="EUR",
    )  # fmt: skip
    DeploymentFactory(application=app, server=pa, seats=4, annual_cost=Decimal("4000"))
    DeploymentFactory(application=app, server=ly, seats=6, annual_cost=None)
    app.keystone_feature = pa_matlab
    app.save()
    FeatureMappingFactory(pattern="SIMULINK", display_name="Simulink", application=app)

    for n in range(5):
        held(pa_matlab, f"weekend{n}", at(1, 9), at(1, 9.5))
    held(pa_matlab, "erin", at(2, 9), at(2, 9.5))
    held(ly_matlab, "frank", at(2, 9), at(2, 9.5))
    held(ly_matlab, "gina", at(2, 9), at(2, 9.5))
    held(ly_matlab, "ivan", at(2, 23), at(3, 1))
    held(pa_matlab, "alice", at(3, 10), at(3, 14))
    held(ly_matlab, "bob", at(3, 12), at(3, 13))
    held(ly_matlab, "bob", at(3, 15), at(3, 15.5))
    held(pa_matlab, "dave", at(4, 11))
    held(simulink, "alice", at(3, 10), at(3, 14))
    held(simulink, "henry", at(4, 10))
    held(other_matlab, "carol", at(3, 12), at(3, 13))
    if rebuild:
        rollups.rebuild(now=NOW)
    return Estate(app, pa_matlab, ly_matlab, simulink, other_matlab)
