from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Leads (sales CRM)"

    def ready(self) -> None:
        from leads import conf, demo, search
        from limon_site.registry import (
            register_demo_seeder,
            register_panel_link,
            register_search_provider,
        )

        conf.register()
        register_panel_link("Leads", "Leads", "leads:overview", order=10)
        register_panel_link("Leads", "New lead", "leads:create", order=20)
        register_panel_link("Leads", "Import", "leads:import", order=30)
        register_search_provider("institution", search.institutions)
        register_search_provider("contact", search.contacts)
        register_demo_seeder(300, "leads", demo.seed)
