"""System check: warn at startup (and in ``manage.py check --deploy``) when no signing key is
configured, since every client endpoint then answers 503."""

from django.core import checks

from licensing import crypto


@checks.register(checks.Tags.security, deploy=True)
def signing_key_configured(app_configs, **kwargs):
    try:
        crypto.signing_key()
    except crypto.SigningKeyMissing as exc:
        return [
            checks.Warning(
                exc.message,
                hint="Run `python manage.py create_signing_key` once, or set LIMON_SIGNING_KEY.",
                id="licensing.W001",
            )
        ]
    return []
