from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LicensingConfig(AppConfig):
    name = "licensing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from licensing import checks, demo, events, schedules, settings_section  # noqa: F401
        from licensing.metrics import licensing_metrics
        from limon_site.metrics import register_collector
        from limon_site.registry import register_demo_seeder, register_panel_link

        register_collector(licensing_metrics)
        register_demo_seeder(40, "licensing", demo.seed)
        register_panel_link("Licensing", "Products & releases", "licensing:products", order=80)
        post_migrate.connect(schedules.sync_schedules, sender=self)
        # Staff side (issue 8): config sections, search providers, panel links, schedules.
        from licensing import staff

        staff.ready(self)
