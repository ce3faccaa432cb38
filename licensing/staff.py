"""Start-up wiring of the staff side, called from ``LicensingConfig.ready``: configuration
sections, global search providers, panel navigation and the scheduled tasks."""

from django.db.models.signals import post_migrate

from licensing import search, staff_config, tasks_staff
from limon_site.registry import register_panel_link

PANEL_LINKS = [
    ("Live monitor", "licensing:monitor", 5),
    ("Customers", "licensing:customers", 10),
    ("Licenses", "licensing:licenses", 20),
    ("Live sessions", "licensing:sessions", 30),
    ("Resource pools", "licensing:resources", 40),
    ("Anomalies", "licensing:anomalies", 50),
]


def ready(app_config) -> None:
    staff_config.register()
    search.register()
    for label, url_name, order in PANEL_LINKS:
        register_panel_link("Licensing", label, url_name, order=order)
    post_migrate.connect(
        tasks_staff.sync_schedules, sender=app_config, dispatch_uid="licensing.staff.schedules"
    )
