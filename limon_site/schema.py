"""drf-spectacular extensions: how LiMon's credentials appear in the OpenAPI document."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "limon_site.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "An API key (`AF-YYYY-…`). `Authorization: ApiKey <key>` works too.",
        }


class JwtScheme(OpenApiAuthenticationExtension):
    target_class = "limon_site.api.authentication.JwtAuthentication"
    name = "BearerJWT"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = "limon_site.api.authentication.StaffSessionAuthentication"
    name = "StaffSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "A logged-in staff member's session (CSRF token required).",
        }
