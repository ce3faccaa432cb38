from django.core.management.base import BaseCommand, CommandError

from limon_site import api_keys
from limon_site.errors import LimonError
from limon_site.models import ApiKeyScope


class Command(BaseCommand):
    help = "Create an API key. The clear key is printed once, as the last line of stdout."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", required=True, choices=ApiKeyScope.values)
        parser.add_argument("--expires-days", type=int, default=None)

    def handle(self, *args, name, scope, expires_days, **options):
        try:
            key, clear = api_keys.create_api_key(
                name=name, scope=scope, expires_days=expires_days, actor="cli"
            )
        except LimonError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Created {key.scope} key '{key.name}' ({key.prefix}…). "
            "Store it now: it is not shown again."
        )
        self.stdout.write(clear)
