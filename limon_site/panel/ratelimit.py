"""Login attempt limits kept in the shared cache (so every worker sees the same counts)."""

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def _keys(ip: str, username: str) -> list[str]:
    return [f"login:ip:{ip}", f"login:user:{username.lower()}"]


def is_blocked(ip: str, username: str) -> bool:
    limit = settings.LIMON_LOGIN_ATTEMPTS_PER_MINUTE
    return any((cache.get(key) or 0) >= limit for key in _keys(ip, username))


def record_failure(ip: str, username: str) -> None:
    for key in _keys(ip, username):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW_SECONDS)
