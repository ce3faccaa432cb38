"""Deny by default. Every API view states who may call it with ``api_scope``:

=================  ===========================================================================
``public``         anyone (health, root, schema)
``monitoring_read`` GETs public while ``LIMON_PUBLIC_READ`` is on, else a ``read`` or ``admin``
                   credential; anything else needs ``admin``
``read``           GETs need ``read`` or ``admin``; anything else needs ``admin``
``client``         ``client`` or ``admin`` (licensing client endpoints)
``webhook``        ``webhook`` (POST only) or ``admin``
``admin``          an ``admin`` key or a logged-in staff member (the default)
=================  ===========================================================================

``api_scope`` may also be a dict by HTTP method with ``"*"`` as the fallback.
"""

from django.conf import settings
from rest_framework import permissions

from limon_site.api.authentication import principal_scopes
from limon_site.errors import Forbidden

SAFE = permissions.SAFE_METHODS


def view_scope(view, method: str) -> str:
    scope = getattr(view, "api_scope", "admin")
    if isinstance(scope, dict):
        return scope.get(method, scope.get("*", "admin"))
    return scope


def allowed(scope: str, scopes: frozenset[str], method: str) -> bool:
    if scope == "public":
        return True
    if "admin" in scopes:
        return True
    if scope == "monitoring_read":
        return method in SAFE and (settings.LIMON_PUBLIC_READ or "read" in scopes)
    if scope == "read":
        return method in SAFE and "read" in scopes
    if scope == "client":
        return "client" in scopes
    if scope == "webhook":
        return method == "POST" and "webhook" in scopes
    return False


class ScopePermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        scope = view_scope(view, request.method)
        scopes = principal_scopes(request.user)
        if allowed(scope, scopes, request.method):
            return True
        if not scopes:
            return False  # DRF answers 401 NotAuthenticated
        raise Forbidden(
            "This credential may not perform this action",
            code="INSUFFICIENT_SCOPE",
            details={"required_scope": scope, "granted_scopes": sorted(scopes)},
        )


def requires_license_feature(feature: str) -> type[permissions.BasePermission]:
    """Permission class factory: the LiMon product license must grant ``feature``
    (403 ``LICENSE_REQUIRED`` naming it otherwise)."""
    from limon_site import product_license

    class RequiresLicenseFeature(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            product_license.require_feature(feature)
            return True

    RequiresLicenseFeature.__name__ = f"Requires_{feature}"
    return RequiresLicenseFeature
