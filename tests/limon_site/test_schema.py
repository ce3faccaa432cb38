import io

import pytest
import yaml
from django.core.management import call_command

from tests.limon_site.test_auth_matrix import CASES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def test_schema_is_valid_openapi_without_warnings(schema):
    assert schema["openapi"].startswith("3.")
    assert {"ApiKeyAuth", "BearerJWT"} <= set(schema["components"]["securitySchemes"])


def test_every_api_endpoint_is_documented(schema):
    documented = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    missing = []
    for case in CASES:
        path, method, _ = case.values
        template = path
        if not any(m == method and _matches(p, template) for m, p in documented):
            missing.append(f"{method} {path}")
    assert not missing, f"undocumented endpoints: {missing}"


def _matches(template: str, concrete: str) -> bool:
    parts_t, parts_c = template.strip("/").split("/"), concrete.strip("/").split("/")
    return len(parts_t) == len(parts_c) and all(
        t == c or (t.startswith("{") and t.endswith("}"))
        for t, c in zip(parts_t, parts_c, strict=True)
    )


def test_error_responses_use_the_envelope(schema):
    operation = schema["paths"]["/api/admin/license"]["post"]
    ref = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/Error")


def test_swagger_ui_and_redoc_are_served_without_a_cdn(client):
    for path in ("/api/docs/", "/api/redoc/"):
        html = client.get(path).content.decode()
        assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
        assert "/static/drf_spectacular_sidecar/" in html
