"""Benchmark of the license server's hot path (issue 7).

gunicorn with 4 workers (the production config, limon_site/gunicorn.conf.py) on PostgreSQL;
50 concurrent clients call ``POST /api/license/verify`` for 30 s over 1,000 licenses, then
``GET /health`` the same way. Prints req/s, p50 and p99 for each and the ratio verify ÷ health
(goal: ratio ≥ 0.5, verify p99 ≤ 50 ms), then activations/s for 50 simultaneous activations on
a license with 5 seats.

The load generator runs in several processes (threads inside) so Python's GIL does not cap it;
it shares the machine with the server, exactly like the health baseline it is compared to.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/limon_bench_licensing \
        .venv/bin/python bench/licensing_verify.py [--duration 30] [--clients 50]

The database named in DATABASE_URL is created if missing and its licensing tables are filled
with benchmark rows: use a dedicated database.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/limon_bench_licensing"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def server_env(database_url: str, var_dir: str, signing_pem: str, redis_url: str) -> dict:
    extra = {"REDIS_URL": redis_url} if redis_url else {}
    return {
        **extra,
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "limon_site.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LIMON_VAR_DIR": var_dir,
        "LIMON_SIGNING_KEY": signing_pem,
        # Far above what one client sends, so nothing is refused, but still enforced (and paid
        # for) on every request.
        "LIMON_THROTTLE_CLIENT": "1000000/min",
        "LIMON_THROTTLE_ANON": "1000000/min",
        "LIMON_THROTTLE_ADMIN": "1000000/min",
        "WEB_CONCURRENCY": "4",
        "LOG_LEVEL": "WARNING",
    }


def seed(env: dict, licenses: int) -> tuple[str, list[tuple[str, str]]]:
    """Migrate, then create ``licenses`` licenses with one activation each and a client key."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY")})
    os.environ["LIMON_VAR_DIR"] = env["LIMON_VAR_DIR"]
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from licensing.models import Activation, Customer, License, Product, Release
    from limon_site.api_keys import create_api_key

    License.objects.filter(key__startswith="BNCH").delete()
    customer, _ = Customer.objects.get_or_create(name="Bench Customer", email="bench@example.test")
    product, _ = Product.objects.get_or_create(name="Bench Product")
    Release.objects.get_or_create(product=product, version="1.2.0")
    Product.objects.filter(pk=product.pk).update(current_version="1.2.0")
    rows = License.objects.bulk_create(
        License(
            key=f"BNCH-{n // 10000:04d}-{n % 10000:04d}-0000",
            customer=customer,
            product=product,
            max_activations=5,
            max_users=5,
        )
        for n in range(licenses)
    )
    Activation.objects.bulk_create(
        Activation(license=license, hardware_hash=f"bench-hw-{license.key}") for license in rows
    )
    _, clear_key = create_api_key(name="bench", scope="client")
    return clear_key, [(license.key, f"bench-hw-{license.key}") for license in rows]


def process_tree_cpu_seconds(root: int) -> float:
    """User + system CPU of ``root`` and its children (the gunicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "limon_site.wsgi",
            "--config",
            "limon_site/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def _worker(port, kind, api_key, targets, threads, duration, queue, first_client):
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(number):
        # Each client its own loopback source address, as real desktop apps have their own IPs
        # (the per-IP rate limit keeps a history per address).
        source = (f"127.0.{1 + number // 250}.{1 + number % 250}", 0)
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=10, source_address=source
        )
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            if kind == "verify":
                key, hardware_hash = random.choice(targets)
                body = json.dumps(
                    {"license_key": key, "hardware_hash": hardware_hash, "app_version": "1.2.0"}
                )
                headers = {"X-API-Key": api_key, "Content-Type": "application/json"}
                method, path = "POST", "/api/license/verify"
            else:
                body, headers, method, path = None, {}, "GET", "/health"
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except OSError:
                ok = False
                connection.close()
            elapsed = time.perf_counter() - started
            if ok:
                mine.append(elapsed)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    pool = [threading.Thread(target=client, args=(first_client + n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors[0]))


def load(port: int, kind: str, api_key: str, targets, clients: int, duration: float) -> dict:
    processes = min(clients, max(2, (os.cpu_count() or 2) * 2))
    per_process = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    queue = multiprocessing.Queue()
    firsts = [sum(per_process[:i]) for i in range(processes)]
    workers = [
        multiprocessing.Process(
            target=_worker, args=(port, kind, api_key, targets, n, duration, queue, first)
        )
        for n, first in zip(per_process, firsts, strict=True)
    ]
    for worker in workers:
        worker.start()
    latencies, errors = [], 0
    for _ in workers:
        part, failed = queue.get()
        latencies.extend(part)
        errors += failed
    for worker in workers:
        worker.join()
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 100 else [0] * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / duration,
        "p50_ms": quantiles[49] * 1000,
        "p99_ms": quantiles[98] * 1000,
    }


def activation_race(port: int, api_key: str, rounds: int = 5, racers: int = 50) -> dict:
    from licensing.models import Customer, License, Product

    customer = Customer.objects.get(name="Bench Customer")
    product = Product.objects.get(name="Bench Product")
    rates, outcomes = [], []
    for round_number in range(rounds):
        key = f"BNCR-{os.getpid() % 10000:04d}-{round_number:04d}-{random.randint(0, 9999):04d}"
        License.objects.filter(key=key).delete()
        License.objects.create(key=key, customer=customer, product=product, max_activations=5)
        barrier = threading.Barrier(racers)
        statuses = []

        def racer(n, key=key, barrier=barrier, statuses=statuses):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = json.dumps({"license_key": key, "hardware_hash": f"race-{n}"})
            barrier.wait()
            connection.request(
                "POST",
                "/api/license/activate",
                body=body,
                headers={"X-API-Key": api_key, "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)

        threads = [threading.Thread(target=racer, args=(n,)) for n in range(racers)]
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        rates.append(racers / elapsed)
        outcomes.append((statuses.count(201), statuses.count(409)))
    return {"activations_per_s": statistics.mean(rates), "outcomes": outcomes}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--licenses", type=int, default=1000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="Cache and rate limits as in production; '' for the database cache.",
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signing_pem = (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    ensure_database(args.database_url)
    redis_url = args.redis_url if args.redis_url and redis_reachable(args.redis_url) else ""
    with tempfile.TemporaryDirectory(prefix="limon-bench-") as var_dir:
        env = server_env(args.database_url, var_dir, signing_pem, redis_url)
        api_key, targets = seed(env, args.licenses)
        port = free_port()
        server = start_gunicorn(env, port)
        try:
            cache = f"Redis ({redis_url})" if redis_url else "database cache"
            print(
                f"gunicorn: 4 workers on 127.0.0.1:{port}, PostgreSQL, {cache}, "
                f"{len(targets)} licenses, load {os.getloadavg()[0]:.1f}"
            )
            load(port, "verify", api_key, targets, args.clients, 3)  # warm-up
            results = {}
            for kind in ("verify", "health"):
                cpu_before = process_tree_cpu_seconds(server.pid)
                results[kind] = load(port, kind, api_key, targets, args.clients, args.duration)
                cpu = process_tree_cpu_seconds(server.pid) - cpu_before
                results[kind]["cpu_ms"] = cpu * 1000 / max(1, results[kind]["requests"])
            verify, health = results["verify"], results["health"]
            race = activation_race(port, api_key)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)

    for name, result in (("verify", verify), ("health", health)):
        print(
            f"{name:7s} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
            f"p99 {result['p99_ms']:6.1f} ms  gunicorn CPU {result['cpu_ms']:.2f} ms/request  "
            f"({result['requests']} ok, {result['errors']} errors, {args.clients} clients, "
            f"{args.duration:.0f} s)"
        )
    ratio = verify["rps"] / health["rps"] if health["rps"] else 0
    print(f"ratio verify/health {ratio:.2f}  (goal ≥ 0.5; verify p99 goal ≤ 50 ms)")
    cpu_ratio = health["cpu_ms"] / verify["cpu_ms"] if verify["cpu_ms"] else 0
    print(
        f"CPU ratio health/verify {cpu_ratio:.2f} (server CPU per request: the throughput ratio a "
        f"dedicated CPU-bound machine would show); load average now {os.getloadavg()[0]:.1f}"
    )
    print(
        f"activation race: {race['activations_per_s']:.1f} activations/s for 50 simultaneous "
        f"requests on 5 seats; (201, 409) per round: {race['outcomes']}"
    )


if __name__ == "__main__":
    main()
