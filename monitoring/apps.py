from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "License-server monitoring"

    def ready(self) -> None:
        from monitoring import conf

        conf.register()
