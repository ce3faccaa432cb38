import time

from django.core.management.base import BaseCommand

from limon_site.registry import registry


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", default=None, help="Seeder names to run.")

    def handle(self, *args, only, **options):
        for _, name, seeder in registry.demo_seeders:
            if only and name not in only:
                continue
            started = time.perf_counter()
            self.stdout.write(f"Seeding {name}…")
            seeder(stdout=self.stdout)
            self.stdout.write(f"  {name} done in {time.perf_counter() - started:.1f} s")
        if not registry.demo_seeders:
            self.stdout.write("No app registered demo data.")
