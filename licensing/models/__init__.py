"""Licensing data: customers → licenses → activations (devices) → sessions, the product catalogue
(products = the seeds' ``client_configs``, releases) and the client-call log behind the metrics.

Invariants that must hold under concurrency live here as constraints; the services lock the
License row (``select_for_update``) before counting activations or sessions.
"""

from licensing.models.anomalies import Anomaly, AnomalyType
from licensing.models.catalogue import Product, Release
from licensing.models.customers import Customer
from licensing.models.events import ClientEvent, ClientEventRollup, ClientEventTotal
from licensing.models.licenses import (
    Activation,
    EndReason,
    License,
    LicenseSession,
    LicenseType,
)
from licensing.models.resources import (
    POOL_NAMES,
    Resource,
    ResourceAction,
    ResourceEvent,
    ResourceStatus,
    ResourceType,
)

__all__ = [
    "POOL_NAMES",
    "Activation",
    "Anomaly",
    "AnomalyType",
    "ClientEvent",
    "ClientEventRollup",
    "ClientEventTotal",
    "Customer",
    "EndReason",
    "License",
    "LicenseSession",
    "LicenseType",
    "Product",
    "Release",
    "Resource",
    "ResourceAction",
    "ResourceEvent",
    "ResourceStatus",
    "ResourceType",
]
