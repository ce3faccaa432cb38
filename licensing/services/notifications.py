"""Scheduled notifications: ``license.expiring`` once per license and expiry date."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from licensing import events
from licensing.models import License
from licensing.settings_section import settings as licensing_settings


def notify_expiring_licenses(*, today: date | None = None) -> int:
    """Emit ``license.expiring`` for active licenses ending within ``expiring_notice_days``.
    Each (license, valid_until) is claimed with a conditional UPDATE, so a re-run or a second
    worker sends nothing twice; extending a license re-arms the notice."""
    today = today or timezone.localdate()
    days = licensing_settings()["expiring_notice_days"]
    sent = 0
    candidates = License.objects.expiring_within(days, today=today).select_related("customer")
    for license in candidates:
        if license.expiry_notified_for == license.valid_until:
            continue
        with transaction.atomic():
            claimed = (
                License.objects.filter(pk=license.pk, valid_until=license.valid_until)
                .exclude(expiry_notified_for=license.valid_until)
                .update(expiry_notified_for=license.valid_until)
            )
            if claimed:
                events.notify(
                    events.LICENSE_EXPIRING,
                    events.license_data(
                        license,
                        customer_name=license.customer.name,
                        valid_until=license.valid_until.isoformat(),
                        days_left=(license.valid_until - today).days,
                    ),
                )
                sent += 1
    return sent
