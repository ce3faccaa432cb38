from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from limon_site import product_license


class Command(BaseCommand):
    help = "Vendor tool: sign a LiMon license key for an installation with the private key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--private-key",
            required=True,
            type=Path,
            help="PEM file of the vendor's Ed25519 private key",
        )
        parser.add_argument("--installation-id", required=True)
        parser.add_argument("--tier", required=True, choices=product_license.TIERS)
        parser.add_argument(
            "--features", nargs="*", default=[], choices=product_license.KNOWN_FEATURES
        )
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, private_key, installation_id, tier, features, days, **options):
        try:
            key = product_license.load_private_key(private_key.read_bytes())
            token = product_license.issue(
                private_key=key,
                installation_id=installation_id,
                tier=tier,
                features=features,
                days=days,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(token)
