from django.conf import settings
from django.urls import NoReverseMatch, reverse

from limon_site.registry import PANEL_SECTIONS, registry


def panel_context(request) -> dict:
    """Navigation for the panel layout, built from the links the apps register."""
    if not request.path.startswith(("/panel", "/leads", "/monitoring", "/licensing", "/reports")):
        return {"limon_version": settings.LIMON_VERSION}
    sections = []
    for name in PANEL_SECTIONS:
        links = []
        for link in sorted(
            (x for x in registry.panel_links if x.section == name), key=lambda x: (x.order, x.label)
        ):
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            links.append(
                {
                    "label": link.label,
                    "url": url,
                    "active": request.path.rstrip("/") == url.rstrip("/"),
                }
            )
        sections.append({"name": name, "links": links})
    return {"nav_sections": sections, "limon_version": settings.LIMON_VERSION}
