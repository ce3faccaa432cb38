from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "License-server monitoring"

    def ready(self) -> None:
        from monitoring import conf

        conf.register()
        from limon_site.registry import register_demo_seeder
        from monitoring import demo

        register_demo_seeder(100, "monitoring", demo.seed)
        from limon_site.metrics import register_collector
        from monitoring.queries_logs import denial_metrics

        register_collector(denial_metrics)
        from monitoring.metrics import monitoring_metrics

        register_collector(monitoring_metrics)
        from limon_site.registry import register_panel_link

        register_panel_link("Monitoring", "Dashboard", "monitoring:dashboard", order=5)
        register_panel_link("Monitoring", "License servers", "monitoring:servers", order=10)
        register_panel_link("Monitoring", "Sites", "monitoring:sites", order=20)
        register_panel_link("Monitoring", "Applications", "monitoring:applications", order=30)
        register_panel_link("Monitoring", "Users", "monitoring:users", order=32)
        register_panel_link("Monitoring", "Departments", "monitoring:departments", order=34)
        register_panel_link("Monitoring", "Usage", "monitoring:usage", order=36)
        register_panel_link("Monitoring", "Sessions", "monitoring:sessions", order=38)
        register_panel_link("Monitoring", "Feature mappings", "monitoring:mappings", order=40)
        register_panel_link("Monitoring", "Log import", "monitoring:log-import", order=50)
        register_panel_link("Monitoring", "Denials", "monitoring:denials", order=60)
        register_panel_link("Monitoring", "Events", "monitoring:events", order=70)
        register_panel_link("Monitoring", "Configuration", "monitoring:config", order=90)
        from monitoring import schedules

        post_migrate.connect(schedules.sync_schedules, sender=self)
