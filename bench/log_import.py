"""Benchmark of the debug-log import (run on PostgreSQL for the published figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/limon_bench \\
        .venv/bin/python bench/log_import.py --mb 200

Generates a deterministic lmgrd log (several daemons, midnights, TIMESTAMPs, vendor
restarts, 5 % denials, a few garbage lines), migrates the database, imports the log into a
fresh server and prints elapsed seconds, MB/s, peak RSS, sessions and events created, the
ratio to merely reading the file line by line, and the time of a second import of the same
file (which must create nothing). Goals: 200 MB in <= 60 s, RSS <= 250 MB, second <= 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DAEMONS = ("MLM", "ansyslmd", "adskflex")
USERS = [f"user{n:03d}" for n in range(400)] + ["Mª Cruz", "svc.build$", "José Pérez"]
DENIAL = "(Licensed number of users already reached. (-4,342))"


def write_log(path: Path, target_bytes: int, seed: int = 1) -> int:
    """Write a deterministic realistic log of about ``target_bytes``; returns its lines."""
    rng = random.Random(seed)
    moment = datetime(2024, 1, 8, 17, 17, 45)
    next_stamp = moment
    held: list[tuple[str, str, str, str]] = []
    written = lines = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:

        def emit(daemon: str, message: str) -> None:
            nonlocal written, lines
            text = f"{moment.hour:2d}:{moment:%M:%S} ({daemon}) {message}\n"
            out.write(text)
            written += len(text.encode())
            lines += 1

        stamp = f"{moment.month}/{moment.day}/{moment.year}"
        emit(
            "lmgrd",
            f"FlexNet Licensing (v11.19.6.0 build 1 x64_lsb) started on lic1 (linux) ({stamp})",
        )
        for daemon in DAEMONS:
            emit("lmgrd", f"Started {daemon} (pid {rng.randrange(1000, 9999)})")
        while written < target_bytes:
            moment += timedelta(seconds=rng.randrange(0, 12))
            if moment >= next_stamp:
                emit("lmgrd", f"TIMESTAMP {moment.month}/{moment.day}/{moment.year}")
                next_stamp = moment + timedelta(hours=6)
            roll = rng.random()
            daemon = rng.choice(DAEMONS)
            if roll < 0.0002:
                emit("lmgrd", f"Started {daemon} (pid {rng.randrange(1000, 9999)})")
                held = [h for h in held if h[0] != daemon]
            elif roll < 0.0005:
                out.write(f"{moment.hour}:{moment.minute}:3a9 ({daemon}) OUT: garbage\n")
                lines += 1
            elif roll < 0.05:
                user = rng.choice(USERS)
                emit(
                    daemon,
                    f'DENIED: "F{rng.randrange(60)}" {user}@pc{rng.randrange(900)}  {DENIAL}',
                )
            elif roll < 0.53 or not held:
                checkout = (
                    daemon,
                    f"F{rng.randrange(60)}",
                    rng.choice(USERS),
                    f"pc{rng.randrange(900)}",
                )
                held.append(checkout)
                emit(daemon, f'OUT: "{checkout[1]}" {checkout[2]}@{checkout[3]}  ')
            else:
                daemon, feature, user, host = held.pop(rng.randrange(len(held)))
                emit(daemon, f'IN: "{feature}" {user}@{host}  ')
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200, help="log size in MB (default 200)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "limon_site.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from monitoring.models import LicenseServer
    from monitoring.services.log_import import StoredFile, create_import, digest_file, run_import

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.log"
        lines = write_log(path, int(args.mb * 1e6))
        size = path.stat().st_size
        start = time.perf_counter()
        with open(path, "rb") as handle:
            for _ in handle:
                pass
        floor = time.perf_counter() - start
        server = LicenseServer.objects.create(
            name=f"bench-{time.time_ns()}", address=f"27000@bench-{time.time_ns()}", timezone="UTC"
        )

        def imported() -> tuple[float, object]:
            begin = time.perf_counter()
            file_size, sha256 = digest_file(path)
            batch = create_import(
                server=server, files=[StoredFile(str(path), path.name, file_size, sha256)]
            )
            batch = run_import(batch.pk)
            return time.perf_counter() - begin, batch

        elapsed, first = imported()
        again, second = imported()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database           {connection.vendor}")
    print(f"log                {size / 1e6:.1f} MB, {lines} lines")
    print(f"import             {elapsed:.1f} s, {size / 1e6 / elapsed:.2f} MB/s")
    print(f"read lines only    {floor:.2f} s (import is {elapsed / floor:.0f}x reading)")
    print(f"sessions / events  {first.sessions_created} / {first.events_created}")
    print(f"malformed          {first.malformed_count}")
    print(f"peak RSS           {rss_mb:.0f} MB")
    print(
        f"second import      {again:.1f} s, created {second.sessions_created} sessions, "
        f"{second.events_created} events"
    )


if __name__ == "__main__":
    main()
