"""``manage.py rebuild_rollups [--server NAME ...]``: recompute the usage rollups from the
sessions. Polls and log imports keep them current on their own; this is for a bulk load of
history, a repair, or after changing ``TIME_ZONE`` (daily rows follow local midnight)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from monitoring.models import LicenseServer
from monitoring.services import rollups

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Recompute the hourly and daily usage rollups from the sessions"

    def add_arguments(self, parser):
        parser.add_argument(
            "--server", action="append", default=[], metavar="NAME", help="Only this server"
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")

    def handle(self, *args, server, no_progress, **options):
        servers = LicenseServer.objects.order_by("name")
        if server:
            servers = servers.filter(name__in=server)
            missing = set(server) - set(servers.values_list("name", flat=True))
            if missing:
                raise CommandError(f"Unknown license server(s): {', '.join(sorted(missing))}")
        self.started = time.monotonic()
        progress = None if no_progress else self._progress
        written = rollups.rebuild(servers=servers, progress=progress)
        if progress is not None:
            self.stdout.write("")
        elapsed = time.monotonic() - self.started
        self.stdout.write(self.style.SUCCESS(f"{written} rollup rows written in {elapsed:.1f} s"))

    def _progress(self, done: int, total: int) -> None:
        share = done / total if total else 1
        bar = "#" * int(BAR_WIDTH * share)
        elapsed = time.monotonic() - self.started
        self.stdout.write(
            f"\r[{bar:<{BAR_WIDTH}}] {share * 100:5.1f}%  {done}/{total} features  {elapsed:.0f} s",
            ending="",
        )
        self.stdout.flush()
