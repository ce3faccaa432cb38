"""The configuration services of monitoring in one import: sites, servers (with CSV import),
applications, deployments, keystones and feature mappings. Each lives in its own module;
this module is the stable name the API and the panel use."""

from monitoring.services.applications import (
    create_application,
    create_deployment,
    delete_application,
    delete_deployment,
    set_keystone,
    update_application,
    update_deployment,
)
from monitoring.services.mappings import (
    create_mapping,
    delete_mapping,
    display_name_for,
    mapping_for,
    update_mapping,
)
from monitoring.services.server_import import import_servers_csv
from monitoring.services.servers import (
    create_server,
    decommission_server,
    delete_server,
    reactivate_server,
    update_server,
    validate_address,
)
from monitoring.services.sites import create_site, delete_site, update_site

__all__ = [
    "create_application",
    "create_deployment",
    "create_mapping",
    "create_server",
    "create_site",
    "decommission_server",
    "delete_application",
    "delete_deployment",
    "delete_mapping",
    "delete_server",
    "delete_site",
    "display_name_for",
    "import_servers_csv",
    "mapping_for",
    "reactivate_server",
    "set_keystone",
    "update_application",
    "update_deployment",
    "update_mapping",
    "update_server",
    "update_site",
    "validate_address",
]
