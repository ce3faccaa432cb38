from django.core.management.base import BaseCommand

from limon_site.models import ApiKey


class Command(BaseCommand):
    help = "List API keys (prefixes only; secrets are never stored in clear)."

    def handle(self, *args, **options):
        row = "{:<20} {:<8} {:<8} {:<17} {:<17} {}"
        self.stdout.write(row.format("PREFIX", "SCOPE", "STATE", "CREATED", "LAST USED", "NAME"))
        for key in ApiKey.objects.all():
            self.stdout.write(
                row.format(
                    key.prefix,
                    key.scope,
                    key.state,
                    f"{key.created_at:%Y-%m-%d %H:%M}",
                    f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never",
                    key.name,
                )
            )
