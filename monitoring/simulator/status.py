"""The status report a simulated server prints at a given moment, rendered with the same
functions the parser round-trip tests use, so the output always parses back."""

from __future__ import annotations

from monitoring.parsers.model import (
    Checkout,
    FeatureStatus,
    FeatureVersion,
    FlexError,
    QueuedRequest,
    ServerNode,
    StatusReport,
    VendorDaemon,
)
from monitoring.parsers.render import render_lmstat, render_rlmstat
from monitoring.simulator import estate, usage
from monitoring.simulator.estate import FeatureSpec, ServerSpec

FLEX_VERSION = "11.19.6"
RLM_VERSION = "15.1"
#: Queued requests printed per feature (the tools print them all; a long queue is noise).
MAX_QUEUED_SHOWN = 5
CONNECT = FlexError(-15, 570, 111, "Connection refused", "Cannot connect to license server system.")


def _flex_feature(server: ServerSpec, host: str, feature: FeatureSpec, moment: int, today):
    expires = usage.expiry(feature, today)
    version = FeatureVersion(
        version=feature.version,
        vendor=feature.vendor,
        expiry=expires,
        permanent=expires is None,
        license_type="floating" if feature.issued is not None else "uncounted nodelocked",
    )
    if feature.issued is None:
        return FeatureStatus(
            name=feature.name, vendor=feature.vendor, uncounted=True,
            note="Uncounted, node-locked", versions=[version],
        )  # fmt: skip
    holding, queued = usage.state_at(feature, moment)
    port = str(server.port)
    checkouts = [
        Checkout(
            user=r.user, host=r.host, display=r.host, version=feature.version,
            server_host=host, server_port=port, handle=str(r.handle),
            started_at=usage.local_time(server, r.granted).replace(second=0),
            licenses=r.licenses,
        )
        for r in holding
    ]  # fmt: skip
    waiting = [
        QueuedRequest(
            user=r.user, host=r.host, display=r.host, version=feature.version,
            server_host=host, server_port=port, handle=str(r.handle), licenses=r.licenses,
        )
        for r in queued[:MAX_QUEUED_SHOWN]
    ]  # fmt: skip
    return FeatureStatus(
        name=feature.name, vendor=feature.vendor, issued=feature.issued,
        in_use=sum(c.licenses for c in checkouts), versions=[version], checkouts=checkouts,
        queued=waiting,
    )  # fmt: skip


def _rlm_feature(server: ServerSpec, feature: FeatureSpec, ports: dict, moment: int, today):
    expires = usage.expiry(feature, today)
    pool = FeatureVersion(
        version=feature.version, vendor=feature.vendor, expiry=expires,
        permanent=expires is None, count=feature.issued or 0,
    )  # fmt: skip
    holding, _ = usage.state_at(feature, moment)
    checkouts = [
        Checkout(
            user=r.user, host=r.host, display="", version=feature.version,
            server_host=server.hosts[0], server_port=str(ports[feature.vendor]),
            handle=format(r.handle, "x"),
            started_at=usage.local_time(server, r.granted).replace(second=0),
            licenses=r.licenses,
        )
        for r in holding
    ]  # fmt: skip
    return FeatureStatus(
        name=feature.name, vendor=feature.vendor, issued=feature.issued or 0,
        in_use=sum(c.licenses for c in checkouts), versions=[pool], checkouts=checkouts,
    )  # fmt: skip


def report(server: ServerSpec, moment: int) -> StatusReport:
    """What ``lmstat -a`` / ``rlmstat -a`` shows for ``server`` at ``moment`` (epoch s)."""
    now = usage.local_time(server, moment).replace(second=0, microsecond=0)
    tool = "lmstat" if server.kind == "flexlm" else "rlmstat"
    if usage.is_down(server, moment):
        if server.kind == "flexlm":
            return StatusReport(tool=tool, status_time=now, error=str(CONNECT))
        node = ServerNode(host=server.hosts[0], port=server.port, up=False)
        reason = 'Error connecting to "rlm" server: Connection refused'
        return StatusReport(tool=tool, status_time=now, servers=[node], error=reason)
    today = now.date()
    features = estate.features_of(server.name)
    if server.kind == "rlm":
        host = server.hosts[0]
        ports = dict(server.daemons)
        vendors = [
            VendorDaemon(name=name, up=True, version=RLM_VERSION, host=host, port=port)
            for name, port in server.daemons
        ]
        nodes = [ServerNode(host=host, port=server.port, up=True, version=RLM_VERSION)]
        return StatusReport(
            tool=tool, status_time=now, servers=nodes, license_files=[server.address],
            vendors=vendors,
            features=[_rlm_feature(server, f, ports, moment, today) for f in features],
        )  # fmt: skip
    nodes = []
    for host in server.hosts:
        up = not usage.is_down(server, moment, host=host)
        nodes.append(
            ServerNode(
                host=host, port=server.port, up=up, version=FLEX_VERSION if up else None,
                error=None if up else CONNECT,
            )
        )  # fmt: skip
    master = next(n for n in nodes if n.up)
    nodes = [
        ServerNode(host=n.host, port=n.port, up=n.up, is_master=n is master, version=n.version,
                   error=n.error)
        for n in nodes
    ]  # fmt: skip
    vendors = [
        VendorDaemon(name=name, up=True, version=FLEX_VERSION, host=master.host)
        for name, _ in server.daemons
    ]
    return StatusReport(
        tool=tool, status_time=now, servers=nodes,
        license_files=[f"/opt/flexlm/licenses/{server.name}.lic"], vendors=vendors,
        features=[_flex_feature(server, master.host, f, moment, today) for f in features],
    )  # fmt: skip


def render(server: ServerSpec, moment: int) -> str:
    status = report(server, moment)
    return render_lmstat(status) if server.kind == "flexlm" else render_rlmstat(status)
