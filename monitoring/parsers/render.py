"""Render a :class:`StatusReport` as ``lmutil lmstat -a`` or ``rlmutil rlmstat -a`` output.

The simulator prints status with these functions, so they follow the real tools' layout
(see the corpus): what they print, the parsers read back to the same report. Choices
where the tools vary: FlexNet expiry is printed ``dd-mmm-yyyy`` or
``permanent(no expiration date)``; several vendor daemons use the mid-list layout (a
daemon line and its own ``Feature usage info:`` before its features); all users of a
feature are printed after its last detail block; a checkout without a start time is
printed as started at the status time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from monitoring.parsers._common import WEEKDAY_NAMES, format_expiry
from monitoring.parsers.model import (
    Checkout,
    FeatureStatus,
    FeatureVersion,
    ServerNode,
    StatusReport,
    VendorDaemon,
)

FLEX_VERSION = "11.19.6"
RLM_VERSION = "15.1"
_DEFAULT_SERVER_ERROR = (
    'Cannot connect to license server system. (-15,570:111 "Connection refused")'
)
_DEFAULT_VENDOR_ERROR = "The desired vendor daemon is down. (-97,121)"


def _flex_date(moment: datetime) -> str:
    return f"{WEEKDAY_NAMES[moment.weekday()]} {moment.month}/{moment.day}/{moment.year}"


def _flex_start(moment: datetime) -> str:
    return (
        f"{WEEKDAY_NAMES[moment.weekday()]} {moment.month}/{moment.day} "
        f"{moment.hour}:{moment.minute:02d}"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _server_line(server: ServerNode) -> str:
    if server.up:
        master = " (MASTER)" if server.is_master else ""
        return f"{server.host}: license server UP{master} v{server.version or FLEX_VERSION}"
    text = str(server.error) if server.error else server.message or _DEFAULT_SERVER_ERROR
    return f"{server.host}: {text}"


def _vendor_line(vendor: VendorDaemon) -> str:
    if vendor.up:
        return f"  {vendor.name}: UP v{vendor.version or FLEX_VERSION}"
    text = str(vendor.error) if vendor.error else vendor.message or _DEFAULT_VENDOR_ERROR
    return f"  {vendor.name}: {text}"


def _users_of(feature: FeatureStatus) -> str:
    if feature.issued is not None and feature.in_use is not None:
        return (
            f"Users of {feature.name}:  (Total of {_plural(feature.issued, 'license')} issued;"
            f"  Total of {_plural(feature.in_use, 'license')} in use)"
        )
    if feature.uncounted:
        return f"Users of {feature.name}:  (Uncounted, node-locked)"
    note = feature.note or "Error: 1 licenses, unsupported by licensed server"
    if note.startswith("Cannot get users"):
        return f"Users of {feature.name}: {note}"
    return f"Users of {feature.name}:  ({note})"


def _detail_block(feature: FeatureStatus, version: FeatureVersion) -> list[str]:
    line = f'  "{feature.name}" v{version.version}, vendor: {version.vendor or feature.vendor}'
    expiry = format_expiry(
        version.expiry, version.permanent, permanent_text="permanent(no expiration date)"
    )
    if expiry:
        line += f", expiry: {expiry}"
    lines = [line]
    if version.vendor_string:
        lines.append(f"  vendor_string: {version.vendor_string}")
    kind = f"  {version.license_type or 'floating'} license"
    lines.append(f"{kind} {version.detail}" if version.detail else kind)
    return lines


def _checkout_line(checkout: Checkout, fallback: datetime | None) -> str:
    who = " ".join(p for p in (checkout.user, checkout.host, checkout.display) if p)
    line = (
        f"    {who} (v{checkout.version}) "
        f"({checkout.server_host}/{checkout.server_port} {checkout.handle})"
    )
    started = checkout.started_at or fallback or datetime(2000, 1, 1)
    line += f", start {_flex_start(started)}"
    if checkout.licenses != 1:
        line += f", {checkout.licenses} licenses"
    if checkout.pid is not None:
        line += f", PID: {checkout.pid}"
    if checkout.linger_seconds is not None:
        if checkout.linger_remaining is not None:
            line += f"  (linger: {checkout.linger_seconds} / {checkout.linger_remaining})"
        else:
            line += f" (linger: {checkout.linger_seconds})"
    return line


def _feature_lines(feature: FeatureStatus, status_time: datetime | None) -> list[str]:
    lines = [_users_of(feature), ""]
    for version in feature.versions:
        lines += [*_detail_block(feature, version), ""]
    users = [
        f"\t{_plural(r.count, 'RESERVATION')} for {r.kind} {r.name} "
        f"({r.server_host}/{r.server_port})"
        for r in feature.reservations
    ]
    users += [_checkout_line(c, status_time) for c in feature.checkouts]
    for q in feature.queued:
        who = " ".join(p for p in (q.user, q.host, q.display) if p)
        users.append(
            f"    {who} (v{q.version}) ({q.server_host}/{q.server_port} {q.handle}) "
            f"queued for {_plural(q.licenses, 'license')}"
        )
    if users:
        lines += [*users, ""]
    return lines


def render_lmstat(report: StatusReport) -> str:
    """``lmutil lmstat -a`` text for ``report`` (newline-terminated lines)."""
    lines = ["lmutil - Copyright (c) 1989-2024 Flexera. All Rights Reserved."]
    if report.status_time is not None:
        moment = report.status_time
        lines.append(
            f"Flexible License Manager status on {_flex_date(moment)} "
            f"{moment.hour}:{moment.minute:02d}"
        )
    lines.append("")
    if report.error is not None:
        lines.append(f"Error getting status: {report.error}")
        return "\n".join(lines) + "\n"
    servers = report.servers
    if servers:
        addresses = [f"{s.port}@{s.host}" if s.port is not None else s.host for s in servers]
        lines.append(f"License server status: {','.join(addresses)}")
        if report.license_files:
            files = "".join(f"{path}:" for path in report.license_files)
            lines.append(f"    License file(s) on {servers[0].host}: {files}")
        lines.append("")
        lines += [_server_line(s) for s in servers]
        lines.append("")
    master = next((s.host for s in servers if s.is_master), servers[0].host if servers else "")
    vendors = report.vendors
    vendor_host = vendors[0].host if vendors and vendors[0].host else master
    lines += [f"Vendor daemon status (on {vendor_host}):", ""]
    names = {v.name for v in vendors}
    for vendor in vendors:
        lines += [_vendor_line(vendor), "", "Feature usage info:", ""]
        for feature in report.features:
            owner = feature.vendor if feature.vendor in names else vendors[0].name
            if owner == vendor.name:
                lines += _feature_lines(feature, report.status_time)
    if not vendors and report.features:
        lines += ["Feature usage info:", ""]
        for feature in report.features:
            lines += _feature_lines(feature, report.status_time)
    return "\n".join(lines) + "\n"


# -- RLM -------------------------------------------------------------------------------


def _ctime(moment: datetime) -> str:
    return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(" %H:%M:%S %Y")


def _duration(delta: timedelta) -> str:
    seconds = max(int(delta.total_seconds()), 0)
    days, seconds = divmod(seconds, 86400)
    clock = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{days}d {clock}" if days else clock


def _rlm_statistics(now: datetime | None, started: datetime) -> list[str]:
    if now is None:
        return []
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    recent = max(midnight, now - timedelta(minutes=17))
    return [
        f"\tStartup time: {_ctime(started)}",
        f"\tTodays Statistics ({_duration(now - midnight)}), init time: {_ctime(midnight)}",
        f"\tRecent Statistics ({_duration(now - recent)}), init time: {_ctime(recent)}",
    ]


def _rlm_pool(feature: FeatureStatus) -> list[str]:
    versions = feature.versions or [FeatureVersion(version="1.0", count=feature.issued)]
    lines = []
    for index, pool in enumerate(versions):
        count = pool.count if pool.count is not None else (feature.issued or 0)
        in_use = (feature.in_use or 0) if index == 0 else 0
        reserved = feature.reserved if index == 0 else 0
        expiry = format_expiry(pool.expiry, pool.permanent, permanent_text="permanent")
        lines.append(f"\t{feature.name} v{pool.version}")
        if feature.note and feature.note.startswith("Token-based"):
            lines.append(f"\t\t{feature.note}")
            continue
        lines.append(
            f"\t\tcount: {count}, # reservations: {reserved}, inuse: {in_use}, "
            f"exp: {expiry or 'permanent'}"
        )
        lines.append(f"\t\tobsolete: 0, min_remove: 120, total checkouts: {len(feature.checkouts)}")
    return lines


def _rlm_usage(feature: FeatureStatus, checkout: Checkout, now: datetime | None) -> str:
    started = checkout.started_at or now or datetime(2000, 1, 1)
    return (
        f"\t{feature.name} v{checkout.version}: {checkout.user}@{checkout.host} "
        f"{checkout.licenses}/0 at {started:%m/%d %H:%M}  (handle: {checkout.handle})"
    )


def render_rlmstat(report: StatusReport) -> str:
    """``rlmutil rlmstat -a`` text for ``report`` (newline-terminated lines)."""
    files = ":".join(report.license_files) or ":".join(f"{s.port}@{s.host}" for s in report.servers)
    version = next((s.version for s in report.servers if s.version), None) or RLM_VERSION
    lines = [f"Setting license file path to {files}"] if files else []
    lines += [
        f"rlmutil v{version}",
        "Copyright (C) 2006-2024, Reprise Software, Inc. All rights reserved.",
        "",
        "",
    ]
    now = report.status_time
    started = (now or datetime(2000, 1, 1)) - timedelta(days=3, hours=4, minutes=17)
    if report.error is not None:
        down = next((s for s in report.servers if not s.up), None)
        reason = report.error.removeprefix('Error connecting to "rlm" server').lstrip(": ")
        lines += ['Error connecting to "rlm" server', ""]
        if down is not None:
            lines += [f'Connection attempted to host: "{down.host}" on port {down.port}', ""]
        lines += [*(reason.split("; ") if reason else []), ""]
        return "\n".join(lines) + "\n"
    uptime = _duration((now - started) if now else timedelta(days=3))
    for server in report.servers:
        lines += [
            f"\trlm status on {server.host} (port {server.port}), up {uptime}",
            f"\trlm software version v{server.version or RLM_VERSION} (build:2)",
            "\trlm comm version: v1.2",
            *_rlm_statistics(now, started),
            "",
            "\t--------- ISV servers ----------",
            "\t   Name           Port Running Restarts",
            *(
                f"\t{v.name:<16} {v.port or 0:>5}   {'Yes' if v.up else 'No':>3}      0"
                for v in report.vendors
            ),
            "",
        ]
    for vendor in report.vendors:
        if not vendor.up:
            continue
        where = f"{vendor.host} (port {vendor.port})"
        mine = [
            f
            for f in report.features
            if f.vendor == vendor.name or (f.vendor is None and vendor is report.vendors[0])
        ]
        lines += [
            "\t------------------------",
            "",
            f"\t{vendor.name} ISV server status on {where}, up {uptime}",
            f"\t{vendor.name} software version v{vendor.version or RLM_VERSION} (build: 2)",
            f"\t{vendor.name} comm version: v1.2",
            f"\t{vendor.name} Debug log filename: /var/log/rlm/{vendor.name}.dlog",
            f"\t{vendor.name} Report log filename: <stdout>",
            *_rlm_statistics(now, started),
            "",
            "\t------------------------",
            "",
            f"\t{vendor.name} license pool status on {where}",
            "",
        ]
        for feature in mine:
            lines += _rlm_pool(feature)
        lines += [
            "",
            "\t------------------------",
            "",
            f"\t{vendor.name} license usage status on {where}",
            "",
        ]
        lines += [_rlm_usage(f, c, now) for f in mine for c in f.checkouts]
        lines.append("")
    return "\n".join(lines) + "\n"
