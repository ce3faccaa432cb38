"""Credentials LiMon accepts (seed 002): ``X-API-Key`` header, ``Authorization: ApiKey <key>``,
``Authorization: Bearer <jwt>``, and ``?api_key=`` on streaming endpoints only; plus a logged-in
staff member's session (with CSRF) for the panel's own JavaScript."""

import logging
from dataclasses import dataclass, field

from rest_framework import authentication, exceptions

from limon_site import api_keys, tokens
from limon_site.models import ApiKey

logger = logging.getLogger("limon.auth")


@dataclass
class ApiPrincipal:
    """``request.user`` for machine credentials. ``scopes`` decide what it may call."""

    scopes: frozenset[str]
    audit_label: str
    api_key: ApiKey | None = None
    claims: dict = field(default_factory=dict)
    is_authenticated: bool = True
    is_staff: bool = False
    is_active: bool = True
    is_superuser: bool = False
    pk: None = None

    def get_username(self) -> str:
        return self.audit_label


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"


def log_auth_failure(request, reason: str, prefix: str = "") -> None:
    logger.warning(
        "AUTH_FAILED ip=%s path=%s reason=%s key_prefix=%s",
        client_ip(request),
        request.path,
        reason,
        prefix or "-",
    )


def principal_scopes(user) -> frozenset[str]:
    """The scopes of whoever is authenticated: a staff user acts with the admin scope."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if isinstance(user, ApiPrincipal):
        return user.scopes
    if user.is_active and user.is_staff:
        return frozenset({"admin"})
    return frozenset()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "ApiKey"

    def _presented_key(self, request) -> str | None:
        header = request.META.get("HTTP_X_API_KEY")
        if header:
            return header.strip()
        parts = authentication.get_authorization_header(request).split()
        if len(parts) == 2 and parts[0].lower() == self.keyword.lower().encode():
            return parts[1].decode("latin-1")
        view = request.parser_context.get("view") if request.parser_context else None
        if getattr(view, "allow_query_api_key", False):
            return request.query_params.get("api_key") or None
        return None

    def authenticate(self, request):
        clear_key = self._presented_key(request)
        if clear_key is None:
            return None
        result = api_keys.check_key(clear_key)
        if result.reason != "ok":
            log_auth_failure(request, f"{result.reason}_key", api_keys.prefix_of(clear_key))
            raise exceptions.AuthenticationFailed(f"API key is {result.reason}")
        key = result.key
        api_keys.touch_last_used(key)
        principal = ApiPrincipal(
            scopes=frozenset({key.scope}), audit_label=f"key:{key.prefix}", api_key=key
        )
        return principal, key

    def authenticate_header(self, request) -> str:
        return 'ApiKey realm="limon"'


class JwtAuthentication(authentication.BaseAuthentication):
    """Bearer JWTs minted by LiMon (``limon_site.tokens``): their scope claim limits them."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != b"bearer":
            return None
        try:
            claims = tokens.decode(parts[1].decode("latin-1"))
        except tokens.InvalidToken as exc:
            log_auth_failure(request, f"bad_jwt:{exc}")
            raise exceptions.AuthenticationFailed(f"Bearer token rejected: {exc}") from exc
        principal = ApiPrincipal(
            scopes=frozenset(claims.get("scopes", [])),
            audit_label=f"jwt:{claims.get('sub', '?')}",
            claims=claims,
        )
        return principal, claims

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="limon"'


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """Django session of an active staff member, CSRF enforced (DRF's SessionAuthentication)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not result[0].is_staff:
            return None
        return result
