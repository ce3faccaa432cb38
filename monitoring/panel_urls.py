"""Panel paths under /panel/monitoring/ (names in the ``monitoring`` namespace, from
``monitoring.urls``)."""

from django.urls import path
from django.views.generic import RedirectView

from monitoring import panel_urls_applications, panel_urls_dashboard, panel_urls_people
from monitoring.views import applications, config, logs, mappings, servers, sites

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="monitoring:dashboard"), name="panel"),
    path("sites", sites.site_list, name="sites"),
    path("sites/new", sites.site_new, name="site-new"),
    path("sites/<int:pk>/edit", sites.site_edit, name="site-edit"),
    path("sites/<int:pk>/delete", sites.site_delete, name="site-delete"),
    path("servers", servers.server_list, name="servers"),
    path("servers/new", servers.server_new, name="server-new"),
    path("servers/import", servers.server_import, name="servers-import"),
    path("servers/<int:pk>", servers.server_detail, name="server"),
    path("servers/<int:pk>/edit", servers.server_edit, name="server-edit"),
    path(
        "servers/<int:pk>/decommission",
        servers.server_decommission,
        name="server-decommission",
    ),
    path("servers/<int:pk>/poll", servers.server_poll, name="server-poll"),
    path("servers/<int:pk>/reactivate", servers.server_reactivate, name="server-reactivate"),
    path("servers/<int:pk>/delete", servers.server_delete, name="server-delete"),
    path("applications", applications.application_list, name="applications"),
    path("applications/new", applications.application_new, name="application-new"),
    path("applications/<int:pk>", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit", applications.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/delete",
        applications.application_delete,
        name="application-delete",
    ),
    path(
        "applications/<int:pk>/keystone",
        applications.application_keystone,
        name="application-keystone",
    ),
    path(
        "applications/<int:pk>/deployments",
        applications.deployment_new,
        name="deployment-new",
    ),
    path("deployments/<int:pk>/edit", applications.deployment_edit, name="deployment-edit"),
    path("deployments/<int:pk>/delete", applications.deployment_delete, name="deployment-delete"),
    path("mappings", mappings.mapping_list, name="mappings"),
    path("mappings/new", mappings.mapping_new, name="mapping-new"),
    path("mappings/<int:pk>/edit", mappings.mapping_edit, name="mapping-edit"),
    path("mappings/<int:pk>/delete", mappings.mapping_delete, name="mapping-delete"),
    path("config", config.config_page, name="config"),
    path("log-import", logs.log_import, name="log-import"),
    path("denials", logs.denials, name="denials"),
    path("events", logs.events, name="events"),
    *panel_urls_applications.urlpatterns,
    *panel_urls_people.urlpatterns,
    *panel_urls_dashboard.urlpatterns,
]
