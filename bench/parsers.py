"""Parser throughput: lmstat -a over a large rendered status, the log parser over a 50 MB log.

Run: ``.venv/bin/python bench/parsers.py [--log-mb 50]``. Prints lines per second and the
ratio to merely reading the same lines in Python in the same run (the floor).
``write_log`` makes a deterministic, realistic lmgrd debug log and can be reused by other
benchmarks.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitoring.parsers.lmgrd_log import LogParser
from monitoring.parsers.lmstat import parse_lmstat
from monitoring.parsers.model import (
    Checkout,
    FeatureStatus,
    FeatureVersion,
    ServerNode,
    StatusReport,
    VendorDaemon,
)
from monitoring.parsers.render import render_lmstat

DAEMONS = ("MLM", "ansyslmd", "adskflex")
USERS = [f"user{n:03d}" for n in range(400)] + ["Mª Cruz", "svc.build$", "José Pérez"]


def big_status(features: int = 500, checkouts: int = 2000, seed: int = 1) -> StatusReport:
    rng = random.Random(seed)
    now = datetime(2026, 3, 16, 12, 16)
    feats = []
    for index in range(features):
        users = [
            Checkout(
                user=rng.choice(USERS[:400]),
                host=f"pc{rng.randrange(900):03d}",
                display=rng.choice(["", "/dev/tty", "pc001:0.0"]),
                version="44",
                server_host="lic1",
                server_port="27000",
                handle=str(rng.randrange(1, 99999)),
                started_at=now - timedelta(minutes=rng.randrange(60 * 24 * 30)),
                licenses=rng.choice([1, 1, 1, 4]),
                pid=rng.choice([None, rng.randrange(1, 10**6)]),
            )
            for _ in range(checkouts // features)
        ]
        feats.append(
            FeatureStatus(
                name=f"FEATURE_{index:04d}",
                vendor="MLM",
                issued=100,
                in_use=sum(c.licenses for c in users),
                versions=[FeatureVersion(version="44", vendor="MLM", license_type="floating")],
                checkouts=users,
            )
        )
    return StatusReport(
        tool="lmstat",
        status_time=now,
        servers=[ServerNode(host="lic1", port=27000, up=True, is_master=True, version="11.19.6")],
        license_files=["/opt/flexlm/license.dat"],
        vendors=[VendorDaemon(name="MLM", up=True, version="11.19.6", host="lic1")],
        features=feats,
    )


def write_log(path: Path, target_bytes: int, seed: int = 1) -> int:
    """A deterministic lmgrd log: several daemons, midnights, TIMESTAMPs, restarts,
    5 % denials and a few garbage lines. Returns the number of lines written."""
    rng = random.Random(seed)
    moment = datetime(2024, 1, 8, 17, 17, 45)
    written = lines = 0
    next_stamp = moment
    held: list[tuple[str, str, str]] = []
    with open(path, "w", encoding="utf-8", newline="\n") as out:

        def emit(daemon: str, message: str) -> None:
            nonlocal written, lines
            text = f"{moment.hour:2d}:{moment:%M:%S} ({daemon}) {message}\n"
            out.write(text)
            written += len(text.encode())
            lines += 1

        emit("lmgrd", f"FlexNet Licensing (v11.19.6.0 build 1 x64_lsb) started on lic1 (linux) "
                      f"({moment.month}/{moment.day}/{moment.year})")  # fmt: skip
        for daemon in DAEMONS:
            emit("lmgrd", f"Started {daemon} (pid {rng.randrange(1000, 9999)})")
        while written < target_bytes:
            moment += timedelta(seconds=rng.randrange(0, 20))
            if moment >= next_stamp:
                emit("lmgrd", f"TIMESTAMP {moment.month}/{moment.day}/{moment.year}")
                next_stamp = moment + timedelta(hours=6)
            roll = rng.random()
            daemon = rng.choice(DAEMONS)
            if roll < 0.0005:
                emit("lmgrd", f"Started {daemon} (pid {rng.randrange(1000, 9999)})")
            elif roll < 0.001:
                out.write(f"{moment.hour}:{moment.minute}:3a9 ({daemon}) OUT: garbage\n")
                lines += 1
            elif roll < 0.05:
                user = rng.choice(USERS)
                emit(daemon, f'DENIED: "F{rng.randrange(60)}" {user}@pc{rng.randrange(900)}  '
                             "(Licensed number of users already reached. (-4,342))")  # fmt: skip
            elif roll < 0.55 or not held:
                checkout = (daemon, f"F{rng.randrange(60)}", rng.choice(USERS))
                held.append(checkout)
                emit(daemon, f'OUT: "{checkout[1]}" {checkout[2]}@pc{rng.randrange(900)}  ')
            else:
                daemon, feature, user = held.pop(rng.randrange(len(held)))
                emit(daemon, f'IN: "{feature}" {user}@pc{rng.randrange(900)}  ')
    return lines


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds / 1e6:.2f} M lines/s" if seconds else "n/a"


def bench_lmstat() -> None:
    text = render_lmstat(big_status())
    lines = text.splitlines(keepends=True)
    start = time.perf_counter()
    for _ in io.StringIO(text):
        pass
    floor = time.perf_counter() - start
    start = time.perf_counter()
    report = parse_lmstat(lines)
    parse = time.perf_counter() - start
    print(
        f"lmstat -a: {len(lines):,} lines, {len(report.features)} features, "
        f"{len(report.checkouts):,} checkouts: parse {parse * 1000:.0f} ms "
        f"({_rate(len(lines), parse)}), read only {_rate(len(lines), floor)}, "
        f"ratio {parse / floor:.0f}x"
    )


def bench_log(megabytes: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lmgrd.log"
        start = time.perf_counter()
        lines = write_log(path, megabytes * 1024 * 1024)
        size = path.stat().st_size
        elapsed = time.perf_counter() - start
        print(f"log: generated {size / 1e6:.0f} MB, {lines:,} lines in {elapsed:.1f} s")
        start = time.perf_counter()
        with open(path, "rb") as handle:
            for _ in handle:
                pass
        floor = time.perf_counter() - start
        parser = LogParser()
        records = 0
        start = time.perf_counter()
        with open(path, "rb") as handle:
            for batch, _ in parser.iter_file(handle):
                records += len(batch)
        parse = time.perf_counter() - start
        state = parser.state
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"log: parse {parse:.1f} s ({_rate(lines, parse)}, {size / 1e6 / parse:.0f} MB/s), "
            f"read only {floor:.2f} s ({_rate(lines, floor)}), ratio {parse / floor:.0f}x; "
            f"{records:,} records, {state.rollovers} midnights, {state.malformed} malformed, "
            f"peak RSS {peak:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log-mb", type=int, default=50)
    args = parser.parse_args()
    bench_lmstat()
    bench_log(args.log_mb)


if __name__ == "__main__":
    main()
