"""The platform's own panel navigation entries."""

from limon_site.registry import register_panel_link


def register() -> None:
    register_panel_link("Administration", "API keys", "panel:api-keys", order=10)
    register_panel_link("Administration", "LiMon license", "panel:license", order=20)
