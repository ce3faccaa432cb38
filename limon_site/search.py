"""Global search over every registered provider (licensing, leads, monitoring …). One
implementation for ``/api/global-search`` and the panel's header search."""

from limon_site.errors import ValidationFailed
from limon_site.registry import SearchResult, registry

MAX_LIMIT = 100
MIN_QUERY_LENGTH = 2


def search(query: str, *, result_type: str | None = None, limit: int = 20) -> list[SearchResult]:
    query = (query or "").strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(
            f"limit must be between 1 and {MAX_LIMIT}",
            details={"fields": {"limit": [f"1 to {MAX_LIMIT}"]}},
        )
    providers = registry.search_providers
    if result_type:
        if result_type not in providers:
            raise ValidationFailed(
                f"Unknown type {result_type!r}",
                details={"fields": {"type": [f"Choose one of {', '.join(sorted(providers))}"]}},
            )
        providers = {result_type: providers[result_type]}
    results: list[SearchResult] = []
    for provider in providers.values():
        results.extend(provider(query, limit))
    return results[:limit]


def result_types() -> list[str]:
    return sorted(registry.search_providers)
