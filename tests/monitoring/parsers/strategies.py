"""Hypothesis strategies building canonical status reports (what the renderers print)."""

from datetime import datetime, timedelta

from hypothesis import strategies as st

from monitoring.parsers.lmstat import BORROW_LINGER_SECONDS
from monitoring.parsers.model import (
    Checkout,
    FeatureStatus,
    FeatureVersion,
    FlexError,
    QueuedRequest,
    Reservation,
    ServerNode,
    StatusReport,
    VendorDaemon,
)

token = st.text("abcdefghijkLMNOPQRSTxyz0123456789_-.", min_size=1, max_size=12)
#: daemon / ISV names: a letter first, like real ones ("-----" would be a separator line)
daemon_name = st.from_regex(r"\A[a-zA-Z][a-zA-Z0-9_]{0,10}\Z").filter(lambda n: n != "rlm")
display = st.one_of(st.just(""), st.text("abcXYZ019_-.:/", min_size=1, max_size=12))
version = st.from_regex(r"\A[0-9]{1,4}(\.[0-9]{1,4}){0,2}\Z")
hex_handle = st.text("0123456789abcdef", min_size=1, max_size=4)
status_times = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2030, 12, 31))
expiries = st.one_of(
    st.tuples(st.none(), st.booleans()),
    st.tuples(st.dates(min_value=datetime(2000, 1, 1).date()), st.just(False)),
)
CONNECT = FlexError(-15, 570, 111, "Connection refused", "Cannot connect to license server system.")
VENDOR_DOWN = FlexError(-97, 121, None, None, "The desired vendor daemon is down.")


def _before(now: datetime):
    return st.integers(min_value=0, max_value=300 * 24 * 60).map(
        lambda minutes: now.replace(second=0, microsecond=0) - timedelta(minutes=minutes)
    )


@st.composite
def lmstat_reports(draw):
    now = draw(status_times).replace(second=0, microsecond=0)
    hosts = draw(st.lists(token, min_size=1, max_size=3, unique_by=str.casefold))
    servers = []
    for index, host in enumerate(hosts):
        up = index == 0 or draw(st.booleans())
        servers.append(
            ServerNode(
                host=host,
                port=draw(st.integers(1, 65535)),
                up=up,
                is_master=up and draw(st.booleans()),
                version=draw(version) if up else None,
                error=None if up else CONNECT,
            )
        )
    vendors = [
        VendorDaemon(name=name, up=up, version=draw(version) if up else None,
                     error=None if up else VENDOR_DOWN, host=hosts[0])
        for name in draw(st.lists(daemon_name, min_size=1, max_size=3, unique=True))
        for up in [draw(st.booleans())]
    ]  # fmt: skip
    features = []
    for vendor in vendors:
        for name in draw(st.lists(st.text("abcDEF0-_/", min_size=1, max_size=10), max_size=3,
                                  unique=True)):  # fmt: skip
            features.append(draw(_lmstat_feature(name, vendor.name, hosts[0], now)))
    files = draw(
        st.lists(st.sampled_from(["/opt/a.lic", r"C:\flex\b.lic", "27000@lic"]), max_size=2)
    )
    return StatusReport(tool="lmstat", status_time=now, servers=servers, license_files=files,
                        vendors=vendors, features=features)  # fmt: skip


@st.composite
def _lmstat_feature(draw, name, vendor, server, now):
    kind = draw(st.sampled_from(["counted", "uncounted", "error", "cannot"]))
    counted = kind == "counted"
    note = {
        "counted": None,
        "uncounted": "Uncounted, node-locked",
        "error": "Error: 3 licenses, unsupported by licensed server",
        "cannot": f"Cannot get users of {name}: No such feature exists. (-5,222)",
    }[kind]
    versions = []
    for _ in range(draw(st.integers(0, 2))):
        expiry, permanent = draw(expiries)
        versions.append(
            FeatureVersion(
                version=draw(version), vendor=vendor, expiry=expiry, permanent=permanent,
                license_type=draw(st.sampled_from(["floating", "uncounted nodelocked"])),
                vendor_string=draw(st.one_of(st.none(), st.sampled_from(["^1+S", "For Use Only"]))),
                detail=draw(st.one_of(st.none(), st.just("locked to NOTHING (hostid=ANY)"))),
            )
        )  # fmt: skip
    port = str(draw(st.integers(1, 65535)))
    checkouts = []
    for _ in range(draw(st.integers(0, 3))):
        linger = draw(st.one_of(st.none(), st.integers(0, 10**7)))
        remaining = (
            draw(st.one_of(st.none(), st.integers(0, 10**7))) if linger is not None else None
        )
        checkouts.append(
            Checkout(
                user=draw(token), host=draw(token), display=draw(display), version=draw(version),
                server_host=server, server_port=port, handle=str(draw(st.integers(0, 99999))),
                started_at=draw(_before(now)), licenses=draw(st.integers(1, 40)),
                pid=draw(st.one_of(st.none(), st.integers(1, 10**7))), linger_seconds=linger,
                linger_remaining=remaining,
                borrowed=remaining is not None
                or (linger is not None and linger >= BORROW_LINGER_SECONDS),
            )
        )  # fmt: skip
    reservations = [
        Reservation(count=draw(st.integers(1, 50)), kind=draw(st.sampled_from(["HOST", "GROUP"])),
                    name=draw(token), server_host=server, server_port=port)
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    queued = [
        QueuedRequest(user=draw(token), host=draw(token), display=draw(display),
                      version=draw(version), server_host=server, server_port=port,
                      handle=str(draw(st.integers(0, 99999))), licenses=draw(st.integers(1, 5)))
        for _ in range(draw(st.integers(0, 1)))
    ]  # fmt: skip
    return FeatureStatus(
        name=name, vendor=vendor,
        issued=draw(st.integers(0, 10**5)) if counted else None,
        in_use=draw(st.integers(0, 10**5)) if counted else None,
        uncounted=kind == "uncounted", note=note, versions=versions, checkouts=checkouts,
        reservations=reservations, queued=queued,
    )  # fmt: skip


@st.composite
def rlmstat_reports(draw):
    now = draw(status_times).replace(microsecond=0)
    host = draw(token)
    port = draw(st.integers(1, 65535))
    vendors = [
        VendorDaemon(name=name, up=up, version=draw(version) if up else None,
                     host=host if up else None, port=draw(st.integers(1, 65535)))
        for name in draw(st.lists(daemon_name, min_size=1, max_size=3, unique=True))
        for up in [draw(st.booleans())]
    ]  # fmt: skip
    features = []
    for vendor in vendors:
        if not vendor.up:
            continue
        for name in draw(st.lists(token, max_size=3, unique=True)):
            features.append(draw(_rlm_feature(name, vendor, now)))
    return StatusReport(
        tool="rlmstat", status_time=now,
        servers=[ServerNode(host=host, port=port, up=True, version=draw(version))],
        license_files=[f"{port}@{host}"], vendors=vendors, features=features,
    )  # fmt: skip


@st.composite
def _rlm_feature(draw, name, vendor, now):
    pools = []
    for _ in range(draw(st.integers(1, 2))):
        expiry, permanent = draw(expiries)
        pools.append(
            FeatureVersion(version=draw(version), vendor=vendor.name, expiry=expiry,
                           permanent=permanent or expiry is None, count=draw(st.integers(0, 999)))
        )  # fmt: skip
    reserved = draw(st.integers(0, 3))
    checkouts = [
        Checkout(user=draw(st.sampled_from(["alice", "Mª Cruz", "svc$"])), host=draw(token),
                 display="", version=draw(version), server_host=vendor.host,
                 server_port=str(vendor.port), handle=draw(hex_handle),
                 started_at=draw(_before(now)), licenses=draw(st.integers(1, 40)))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    return FeatureStatus(
        name=name, vendor=vendor.name, issued=sum(p.count for p in pools),
        in_use=draw(st.integers(0, 999)), versions=pools, checkouts=checkouts,
        reservations=[Reservation(count=reserved, kind="", name="")] if reserved else [],
    )  # fmt: skip
