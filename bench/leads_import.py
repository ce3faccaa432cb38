"""Import/export throughput of the leads CRM on a fresh SQLite database (or DATABASE_URL).

    python bench/leads_import.py [rows]      # default 10,000

Prints seconds per phase and the ratio to the issue's budget (10,000 rows in under 30 s).
"""

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="limon-bench-"))
os.environ.setdefault("LIMON_TESTING", "true")
os.environ.setdefault("LIMON_VAR_DIR", str(WORK))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "limon_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from leads import exporters, importers, queries  # noqa: E402
from leads.importers.columns import COLUMNS  # noqa: E402

BUDGET_SECONDS = 30.0


def sample_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for n in range(rows):
        writer.writerow(
            {
                "name": f"Institution {n:06d}",
                "type": ("university", "company", "government")[n % 3],
                "status": ("new", "contacted", "qualified")[n % 3],
                "country": ("DE", "FR", "US")[n % 3],
                "city": "Somewhere",
                "tags": "bench, import",
                "first_name": "Contact",
                "last_name": f"Number {n}",
                "position": "IT Manager",
                "emails": f"Work: contact{n}@example.com",
                "phones": f"+49 30 {1000000 + n}",
            }
        )
    return out.getvalue().encode()


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:7.2f} s")
    return result, seconds


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    engine = django.db.connection.vendor
    call_command("migrate", verbosity=0)
    data = sample_csv(rows)
    print(f"{rows} rows, {len(data) / 2**20:.1f} MiB CSV, database: {engine}")

    sheet, read_s = timed(
        "read CSV", lambda: importers.read_sheet(io.BytesIO(data), max_rows=10**7)
    )
    plan, plan_s = timed("plan (preview)", lambda: importers.plan_import(sheet.rows))
    assert plan.is_valid, plan.summary()
    result, apply_s = timed(
        "plan again + apply (confirm)", lambda: importers.run_import(sheet.rows)
    )
    _, rerun_s = timed("re-run (changes nothing)", lambda: importers.run_import(sheet.rows))
    export_rows = lambda: sum(  # noqa: E731
        len(chunk) for chunk in exporters.csv_chunks(exporters.export_rows(queries.institutions()))
    )
    size, export_s = timed("export CSV (streamed)", export_rows)

    total = read_s + plan_s + apply_s
    print(
        f"created: {result['institutions_created']} institutions, "
        f"{result['contacts_created']} contacts, {result['details_created']} details"
    )
    print(f"upload → preview → confirm: {total:.2f} s for {rows} rows ({rows / total:,.0f} rows/s)")
    print(
        f"budget ratio: {total / (BUDGET_SECONDS * rows / 10_000):.2f} of the allowed time "
        f"(30 s per 10,000 rows)"
    )
    print(f"export: {size / 2**20:.1f} MiB in {export_s:.2f} s; re-run {rerun_s:.2f} s")


if __name__ == "__main__":
    main()
