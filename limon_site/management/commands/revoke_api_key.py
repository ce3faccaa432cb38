from django.core.management.base import BaseCommand, CommandError

from limon_site import api_keys
from limon_site.errors import LimonError


class Command(BaseCommand):
    help = "Revoke an API key by its prefix (as shown by list_api_keys)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        try:
            key = api_keys.revoke_api_key(prefix=prefix, actor="cli")
        except LimonError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Revoked {key.prefix} ({key.name}).")
