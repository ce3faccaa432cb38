from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Vendor tool: create an Ed25519 key pair for signing LiMon licenses. Writes the private "
        "key (mode 600) and prints the public key for LIMON_LICENSE_PUBLIC_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("--private-key", required=True, type=Path)

    def handle(self, *args, private_key: Path, **options):
        if private_key.exists():
            raise CommandError(f"{private_key} exists; refusing to overwrite a signing key")
        key = Ed25519PrivateKey.generate()
        private_key.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        private_key.chmod(0o600)
        self.stdout.write(
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
