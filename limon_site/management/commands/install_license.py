from django.core.management.base import BaseCommand, CommandError

from limon_site import product_license
from limon_site.errors import LimonError


class Command(BaseCommand):
    help = "Install a LiMon license key on this installation."

    def add_arguments(self, parser):
        parser.add_argument("key")

    def handle(self, *args, key, **options):
        try:
            state = product_license.install(key=key, actor="cli")
        except LimonError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Licensed: tier {state.tier}, features {', '.join(state.features)}, "
            f"expires {state.expires_at:%Y-%m-%d}."
        )
