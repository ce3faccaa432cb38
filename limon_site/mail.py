"""Outgoing e-mail through the SMTP settings of the ``smtp`` configuration section (so the panel
and the API can change them without a restart)."""

from django.core.mail import EmailMessage, get_connection

from limon_site import config
from limon_site.errors import LimonError, ValidationFailed


def _validate(values: dict) -> dict:
    port = values.get("port")
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValidationFailed("port must be 1-65535", details={"fields": {"port": ["1-65535"]}})
    if values.get("use_tls") and values.get("use_ssl"):
        raise ValidationFailed(
            "Choose STARTTLS or SSL, not both",
            details={"fields": {"use_ssl": ["conflicts with use_tls"]}},
        )
    return values


SMTP = config.register_section(
    "smtp",
    {
        "host": "",
        "port": 25,
        "username": "",
        "password": "",
        "use_tls": False,
        "use_ssl": False,
        "from_email": "limon@localhost",
        "timeout_seconds": 10,
    },
    validate=_validate,
    description="Outgoing mail for reports and alerts",
    secret_keys=("password",),
)


def connection():
    values = config.get("smtp")
    if not values["host"]:
        raise ValidationFailed(
            "SMTP is not configured (set a host first)", code="SMTP_NOT_CONFIGURED"
        )
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=values["host"],
        port=values["port"],
        username=values["username"] or None,
        password=values["password"] or None,
        use_tls=values["use_tls"],
        use_ssl=values["use_ssl"],
        timeout=values["timeout_seconds"],
        fail_silently=False,
    )


def send(*, to: list[str], subject: str, body: str, attachments=()) -> None:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=config.get("smtp")["from_email"],
        to=to,
        connection=connection(),
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    try:
        message.send()
    except (OSError, ValueError) as exc:
        raise LimonError(f"Sending mail failed: {exc}", code="SMTP_FAILED", status=502) from exc
