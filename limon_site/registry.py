"""Extension points the platform offers to the apps (imports run app → platform only).

- ``search_providers``: global search across the estate (licensing, leads …).
- ``demo_seeders``: each app adds its part of ``manage.py seed_demo``.
- ``admin_commands``: named operations for ``/api/admin/command/{name}``.
- ``panel_links``: entries of the panel's navigation, grouped by section.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SearchResult:
    type: str
    id: int | str
    title: str
    subtitle: str
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "subtitle": self.subtitle,
            "url": self.url,
        }


SearchProvider = Callable[[str, int], Iterable[SearchResult]]


@dataclass
class Registry:
    search_providers: dict[str, SearchProvider] = field(default_factory=dict)
    demo_seeders: list[tuple[int, str, Callable[..., None]]] = field(default_factory=list)
    admin_commands: dict[str, "AdminCommand"] = field(default_factory=dict)
    panel_links: list["PanelLink"] = field(default_factory=list)


@dataclass(frozen=True)
class AdminCommand:
    name: str
    description: str
    run: Callable[..., dict[str, Any]]
    parameters: dict[str, str] = field(default_factory=dict)


registry = Registry()


def register_search_provider(result_type: str, provider: SearchProvider) -> None:
    registry.search_providers[result_type] = provider


def register_demo_seeder(order: int, name: str, seeder: Callable[..., None]) -> None:
    if all(existing != name for _, existing, _ in registry.demo_seeders):
        registry.demo_seeders.append((order, name, seeder))
        registry.demo_seeders.sort(key=lambda item: item[0])


def register_admin_command(command: AdminCommand) -> None:
    registry.admin_commands[command.name] = command


PANEL_SECTIONS = ("Monitoring", "Licensing", "Leads", "Reports", "Administration")


@dataclass(frozen=True)
class PanelLink:
    section: str
    label: str
    url_name: str
    order: int = 100


def register_panel_link(section: str, label: str, url_name: str, order: int = 100) -> None:
    if section not in PANEL_SECTIONS:
        raise ValueError(f"unknown panel section {section!r}")
    link = PanelLink(section, label, url_name, order)
    if link not in registry.panel_links:
        registry.panel_links.append(link)
