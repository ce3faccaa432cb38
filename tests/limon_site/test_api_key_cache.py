"""API keys remembered in the shared cache: a busy client costs no key query, and revocation,
expiry, edits and deletion still refuse the key on the very next request."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from limon_site import api_keys
from limon_site.models import ApiKey
from tests.factories import make_api_key

pytestmark = pytest.mark.django_db

URL = "/api/admin/license"


def _key_queries(api, clear: str) -> tuple[int, list[str]]:
    """(status, SQL statements that touched the API key table) of one request."""
    with CaptureQueriesContext(connection) as queries:
        status = api.get(URL, HTTP_X_API_KEY=clear).status_code
    return status, [q["sql"] for q in queries.captured_queries if "limon_site_apikey" in q["sql"]]


def test_a_cached_key_needs_no_key_query_on_the_next_request(api):
    key, clear = make_api_key("admin")
    status, first = _key_queries(api, clear)
    assert status == 200 and first  # looked up (and last use recorded) in the database
    status, second = _key_queries(api, clear)
    assert status == 200
    assert second == []
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None


def test_the_cache_can_be_turned_off(api, settings):
    settings.LIMON_API_KEY_CACHE_SECONDS = 0
    _, clear = make_api_key("admin")
    api.get(URL, HTTP_X_API_KEY=clear)
    status, second = _key_queries(api, clear)
    assert status == 200 and second


def test_the_cache_holds_neither_the_secret_nor_its_stored_digest(api):
    key, clear = make_api_key("admin")
    api.get(URL, HTTP_X_API_KEY=clear)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM limon_cache")
        rows = cursor.fetchall()
    if not rows:
        pytest.skip("the shared cache is Redis here, not the database cache")
    stored = " ".join(f"{name} {value}" for name, value in rows)
    assert api_keys.CACHE_PREFIX in stored
    assert clear not in stored and key.secret_hash not in stored


@pytest.mark.parametrize("how", ["api", "cli_service", "admin_edit"])
def test_a_revoked_key_is_refused_on_the_next_request_even_when_cached(api, admin_api, how):
    key, clear = make_api_key("admin")
    api.get(URL, HTTP_X_API_KEY=clear)
    assert _key_queries(api, clear)[1] == []  # cached now
    if how == "api":
        assert admin_api.post(f"/api/admin/api-keys/{key.pk}/revoke").status_code == 200
    elif how == "cli_service":
        api_keys.revoke_api_key(prefix=key.prefix, actor="cli")
    else:
        key.revoked_at = timezone.now()
        key.save()
    response = api.get(URL, HTTP_X_API_KEY=clear)
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_API_KEY"


def test_an_expired_key_is_refused_even_when_cached(api, settings):
    settings.LIMON_API_KEY_CACHE_SECONDS = 10 * 24 * 3600  # the entry outlives the key
    _, clear = make_api_key("admin", expires_days=1)
    api.get(URL, HTTP_X_API_KEY=clear)
    later = timezone.now() + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        status, queries = _key_queries(api, clear)
    assert queries == []  # answered from the cache, which still held the key
    assert status == 401


def test_a_deleted_key_is_refused(api):
    key, clear = make_api_key("admin")
    api.get(URL, HTTP_X_API_KEY=clear)
    assert _key_queries(api, clear)[1] == []
    key.delete()
    assert api.get(URL, HTTP_X_API_KEY=clear).status_code == 401


def test_a_request_that_read_the_key_before_its_revocation_cannot_cache_it_again(api):
    """The stale writer of a race: it looked the key up just before the revocation committed
    and stores its entry after. The tombstone refuses that write."""
    key, clear = make_api_key("admin")
    stale = {
        "id": key.pk,
        "name": key.name,
        "scope": key.scope,
        "prefix": key.prefix,
        "expires_at": None,
    }
    api_keys.revoke_api_key(prefix=key.prefix)
    assert api_keys.cache.add(api_keys._cache_name(key.secret_hash), stale, timeout=60) is False
    assert api.get(URL, HTTP_X_API_KEY=clear).status_code == 401


def test_an_unknown_key_is_not_cached(api):
    _, clear = make_api_key("admin")
    wrong = clear[:-1] + ("a" if clear[-1] != "a" else "b")
    assert api.get(URL, HTTP_X_API_KEY=wrong).status_code == 401
    assert api_keys.cache.get(api_keys._cache_name(api_keys.hash_secret(wrong))) is None
