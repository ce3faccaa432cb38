from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from licensing import crypto


class Command(BaseCommand):
    help = (
        "Create the Ed25519 key that signs license-server answers and offline license files "
        "(file mode 600, default var/licensing_signing_key.pem). Prints the public key to pin "
        "in desktop apps."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(settings.LIMON_SIGNING_KEY_FILE))
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when the file already exists."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing key (apps that pinned the old public key reject answers).",
        )

    def handle(self, *args, path, if_missing, force, **options):
        target = Path(path)
        if target.exists() and not force:
            if if_missing:
                self.stdout.write(f"Signing key already present: {target}")
                return
            raise CommandError(f"{target} exists; use --force to replace it (clients must re-pin)")
        key = crypto.write_key_file(target, force=force)
        self.stdout.write(self.style.SUCCESS(f"Signing key written to {target} (mode 600)."))
        self.stdout.write(f"Key id: {key.key_id}")
        self.stdout.write("Public key (pin this in your desktop app):")
        self.stdout.write(key.public_pem)
