"""django-q2 task functions (thin wrappers around the services)."""

from limon_site.webhooks import services


def deliver(delivery_id: int) -> str | None:
    return services.deliver(delivery_id)


def deliver_due() -> dict[str, int]:
    return services.deliver_due()


def purge_deliveries() -> int:
    return services.purge_deliveries()
