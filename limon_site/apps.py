from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "limon_site"
    label = "limon_site"
    verbose_name = "LiMon platform"

    def ready(self) -> None:
        from limon_site import api_keys, mail, metrics, schema  # noqa: F401  (registers signals, collectors, extensions)
        from limon_site.panel import links

        links.register()
