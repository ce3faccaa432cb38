"""Start-up wiring of the staff side, called from ``LicensingConfig.ready``: configuration
sections, global search providers, panel navigation, demo pools, the ``scan_anomalies`` admin
command and the scheduled tasks."""

from django.db.models.signals import post_migrate

from licensing import demo_staff, search, staff_config, tasks_staff
from limon_site.registry import (
    AdminCommand,
    register_admin_command,
    register_demo_seeder,
    register_panel_link,
)

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
    register_demo_seeder(45, "licensing-pools", demo_staff.seed)
    register_admin_command(
        AdminCommand(
            name="scan_anomalies",
            description="Run the licensing anomaly detection now (it also runs every 5 minutes).",
            run=lambda **params: tasks_staff.scan_anomalies(),
        )
    )
    post_migrate.connect(
        tasks_staff.sync_schedules, sender=app_config, dispatch_uid="licensing.staff.schedules"
    )
