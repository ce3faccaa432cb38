"""Cache-backed rate limits shared by every worker: 100/min per IP for anonymous and client
calls, 1000/min per admin (or read) key or staff member. Rates come from settings at request
time so deployments (and tests) can change them."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from limon_site.api.authentication import ApiPrincipal, principal_scopes


class PrincipalRateThrottle(SimpleRateThrottle):
    scope = "limon"

    def get_rate(self) -> str:  # replaced per request in allow_request
        return settings.LIMON_THROTTLE_ANON

    def allow_request(self, request, view) -> bool:
        scopes = principal_scopes(request.user)
        user = request.user
        if scopes & {"admin", "read"}:
            rate = settings.LIMON_THROTTLE_ADMIN
            ident = (
                f"key:{user.api_key.pk}"
                if isinstance(user, ApiPrincipal) and user.api_key
                else f"principal:{getattr(user, 'audit_label', None) or user.pk}"
            )
        elif "client" in scopes:
            rate = settings.LIMON_THROTTLE_CLIENT
            ident = f"client-ip:{self.get_ident(request)}"
        else:
            rate = settings.LIMON_THROTTLE_ANON
            ident = f"ip:{self.get_ident(request)}"
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        self.key = f"throttle:{ident}"
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view) -> str:
        return self.key
