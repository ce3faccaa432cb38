"""Walks every URL pattern under /api/ and /leads/api/ and checks who may call it: anonymous
callers get the 401 envelope (except documented public endpoints), a credential of the wrong
scope gets 403, revoked and expired keys get 401. New endpoints are covered automatically."""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.views import APIView

from limon_site.api.permissions import ScopePermission, allowed, view_scope
from limon_site.models import ApiKey
from tests.factories import make_api_key

pytestmark = pytest.mark.django_db

API_PREFIXES = ("api/", "leads/api/")
SCHEMA_VIEWS = (SpectacularAPIView, SpectacularSwaggerView, SpectacularRedocView)
SCOPES = ("read", "client", "webhook", "admin")
PLACEHOLDERS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "x",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: PLACEHOLDERS.get(m.group(1) or "str", "x"), route)
    return "/" + route


def _api_views():
    seen = set()
    for route, callback in _walk(get_resolver().url_patterns):
        if not route.startswith(API_PREFIXES):
            continue
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        path = _concrete(route)
        if path in seen:
            continue
        seen.add(path)
        yield path, view_class, callback


def _methods(view_class, callback) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(method.upper() for method in actions)
    return sorted(
        method.upper()
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(view_class, method)
    )


def _cases():
    for path, view_class, callback in _api_views():
        if view_class is None or not issubclass(view_class, APIView):
            continue
        if issubclass(view_class, SCHEMA_VIEWS):
            continue
        for method in _methods(view_class, callback):
            yield pytest.param(path, method, view_class, id=f"{method} {path}")


CASES = list(_cases())


def _call(client, method, path):
    return getattr(client, method.lower())(path, format="json")


def test_the_walk_finds_the_platform_endpoints():
    ids = {case.id for case in CASES}
    assert "GET /api/admin/license" in ids
    assert "POST /api/admin/api-keys" in ids


@pytest.mark.parametrize(("path", "method", "view_class"), CASES)
def test_every_api_view_is_deny_by_default(path, method, view_class):
    assert any(
        issubclass(permission, ScopePermission) for permission in view_class.permission_classes
    ), f"{view_class.__name__} does not use ScopePermission"


@pytest.mark.parametrize(("path", "method", "view_class"), CASES)
def test_anonymous_callers_get_the_401_envelope_unless_public(api, path, method, view_class):
    response = _call(api, method, path)
    if allowed(view_scope(view_class, method), frozenset(), method):
        assert response.status_code != 401
        return
    assert response.status_code == 401, response.content
    body = response.json()
    assert body["code"] == "INVALID_API_KEY"
    assert body["error"] == "Invalid or missing API key"
    assert body["status"] == 401


@pytest.mark.parametrize(("path", "method", "view_class"), CASES)
def test_a_credential_of_the_wrong_scope_gets_403(api, path, method, view_class):
    scope = view_scope(view_class, method)
    refused = [s for s in SCOPES if not allowed(scope, frozenset({s}), method)]
    if not refused:
        pytest.skip(f"every scope may call {method} {path}")
    _, clear = make_api_key(refused[0])
    api.credentials(HTTP_X_API_KEY=clear)
    response = _call(api, method, path)
    assert response.status_code == 403, response.content
    assert response.json()["code"] in {"INSUFFICIENT_SCOPE", "LICENSE_REQUIRED"}


@pytest.mark.parametrize("state", ["revoked", "expired"])
@pytest.mark.parametrize(("path", "method", "view_class"), CASES)
def test_revoked_and_expired_keys_get_401(api, path, method, view_class, state):
    key, clear = make_api_key("admin")
    if state == "revoked":
        key.revoked_at = timezone.now()
    else:
        key.expires_at = timezone.now() - timedelta(seconds=1)
    key.save()
    api.credentials(HTTP_X_API_KEY=clear)
    response = _call(api, method, path)
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "INVALID_API_KEY"
    assert ApiKey.objects.get(pk=key.pk).last_used_at is None
