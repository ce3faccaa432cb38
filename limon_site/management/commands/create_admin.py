import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the first administrator with a random password, printed once. "
        "Does nothing if the user exists, unless --reset-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args, username, email, reset_password, **options):
        users = get_user_model()
        user = users.objects.filter(username=username).first()
        if user and not reset_password:
            self.stdout.write(
                f"User '{username}' exists; password unchanged "
                "(use --reset-password for a new one)."
            )
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            user = users.objects.create_superuser(username=username, email=email, password=password)
        else:
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator '{username}' — password: {password}  (shown once; store it now)"
            )
        )
