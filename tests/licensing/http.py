"""Tiny stdlib HTTP helpers for tests that talk to a live server."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def call(url: str, *, api_key: str, body: dict | None = None, method: str = "POST"):
    """(status, json body) of one request."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"X-API-Key": api_key, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def simultaneously(calls: list) -> list:
    """Run the zero-argument callables in parallel threads, released at the same instant."""
    barrier = threading.Barrier(len(calls))

    def run(fn):
        barrier.wait()
        return fn()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
