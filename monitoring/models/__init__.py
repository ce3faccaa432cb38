"""Monitoring data: the inventory of license servers (sites, servers, daemons, features and
their change history), the catalogue that gives features meaning (applications, deployments,
feature mappings), and usage (users, departments, sessions, per-poll samples).

Invariants live in constraints: unique server address, one active session per
server + feature + user + host + handle, one sample per feature and poll instant.
"""

from monitoring.models.catalog import (
    Application,
    Deployment,
    DeploymentScope,
    Environment,
    FeatureMapping,
    MatchType,
)
from monitoring.models.inventory import (
    ChangeType,
    DaemonStatus,
    Feature,
    FeatureKind,
    InventoryChange,
    LicenseServer,
    PollRun,
    ServerKind,
    ServerStatus,
    Site,
    VendorDaemon,
)
from monitoring.models.logs import (
    DenialSummary,
    Event,
    EventType,
    ImportState,
    LogFile,
    LogImport,
)
from monitoring.models.rollups import DailyUserUsage, HourlyUsage
from monitoring.models.usage import (
    Department,
    LicenseUser,
    Session,
    SessionSource,
    SessionStatus,
    UsageSample,
    UserSource,
)

__all__ = [
    "Application",
    "ChangeType",
    "DaemonStatus",
    "DailyUserUsage",
    "DenialSummary",
    "Department",
    "Deployment",
    "DeploymentScope",
    "Environment",
    "Event",
    "EventType",
    "Feature",
    "FeatureKind",
    "FeatureMapping",
    "HourlyUsage",
    "ImportState",
    "InventoryChange",
    "LicenseServer",
    "LicenseUser",
    "LogFile",
    "LogImport",
    "MatchType",
    "PollRun",
    "ServerKind",
    "ServerStatus",
    "Session",
    "SessionSource",
    "SessionStatus",
    "Site",
    "UsageSample",
    "UserSource",
    "VendorDaemon",
]
