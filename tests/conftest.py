import os
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import StaffFactory, make_api_key

STAFF_PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _relaxed_limits(request, settings):
    """Rate limits high for ordinary tests; throttle tests lower them explicitly. Counters are
    cleared after tests that use the database (the cache may live there)."""
    settings.LIMON_THROTTLE_ANON = "100000/min"
    settings.LIMON_THROTTLE_CLIENT = "100000/min"
    settings.LIMON_THROTTLE_ADMIN = "100000/min"
    yield
    if "_django_db_helper" in request.fixturenames:
        cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _client_with(scope: str) -> tuple[APIClient, str]:
    _, clear = make_api_key(scope)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=clear)
    return client, clear


@pytest.fixture
def admin_api(db) -> APIClient:
    return _client_with("admin")[0]


@pytest.fixture
def read_api(db) -> APIClient:
    return _client_with("read")[0]


@pytest.fixture
def client_api(db) -> APIClient:
    return _client_with("client")[0]


@pytest.fixture
def webhook_api(db) -> APIClient:
    return _client_with("webhook")[0]


@pytest.fixture
def staff_user(db):
    return StaffFactory(username="staff")


@pytest.fixture
def staff_client(client, staff_user):
    """Django test client logged in as staff (panel pages)."""
    client.force_login(staff_user)
    return client


@pytest.fixture
def staff_api(staff_user) -> APIClient:
    """API client on a staff session; CSRF is enforced as for the panel's JavaScript."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    return client


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """Real license-server outputs in ../shared/corpus (or $LIMON_CORPUS); never copied here."""
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    path = Path(os.environ.get("LIMON_CORPUS", default))
    if not path.is_dir():
        pytest.skip(f"corpus folder {path} is absent (set LIMON_CORPUS to run corpus tests)")
    return path
