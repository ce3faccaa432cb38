"""``manage.py poll_servers [--server NAME ...]``: poll license servers now."""

from django.core.management.base import BaseCommand, CommandError

from monitoring.models import LicenseServer
from monitoring.services.polling import PollResult, poll_all


class Command(BaseCommand):
    help = "Poll every active license server (or the named ones) once, concurrently."

    def add_arguments(self, parser):
        parser.add_argument(
            "--server",
            action="append",
            dest="servers",
            metavar="NAME",
            help="Poll only this server (repeatable).",
        )

    def handle(self, *args, servers=None, **options):
        if servers:
            active = set(
                LicenseServer.objects.filter(name__in=servers, is_active=True).values_list(
                    "name", flat=True
                )
            )
            unknown = sorted(set(servers) - active)
            if unknown:
                raise CommandError(f"Unknown or decommissioned server(s): {', '.join(unknown)}")
        results = poll_all(server_names=servers, on_result=self._progress)
        ok = sum(1 for r in results if r.run is not None and r.run.ok)
        skipped = sum(1 for r in results if r.skipped)
        failed = len(results) - ok - skipped
        self.stdout.write(
            f"Polled {len(results)} server(s): {ok} ok, {failed} failed, {skipped} skipped"
        )

    def _progress(self, result: PollResult) -> None:
        run = result.run
        if result.skipped:
            line = f"{result.server_name}: skipped (being polled by another poller)"
        elif run is None:
            line = f"{result.server_name}: crashed: {result.error}"
        elif run.ok:
            line = (
                f"{result.server_name}: ok in {run.duration_ms} ms, {run.features} features, "
                f"{run.sessions_opened} sessions opened, {run.sessions_closed} closed"
            )
        else:
            line = f"{result.server_name}: down in {run.duration_ms} ms: {run.error}"
        self.stdout.write(line)
