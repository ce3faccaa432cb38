from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebhooksConfig(AppConfig):
    name = "limon_site.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from limon_site.webhooks import schedules, settings_section  # noqa: F401

        post_migrate.connect(schedules.sync_schedules, sender=self)
