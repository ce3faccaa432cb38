import pytest
from django.test import Client

from limon_site.registry import SearchResult, register_search_provider, registry
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.mark.parametrize("path", ["/panel/", "/panel/api-keys", "/panel/license", "/panel/search"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/panel/login")


def test_logged_in_non_staff_users_get_the_403_page(client):
    client.force_login(UserFactory())
    response = client.get("/panel/")
    assert response.status_code == 403
    assert b"Not allowed" in response.content


def test_staff_sees_the_overview_with_navigation(staff_client):
    html = staff_client.get("/panel/").content.decode()
    for section in ("Monitoring", "Licensing", "Leads", "Reports", "Administration"):
        assert section in html
    assert "LiMon license" in html


def test_login_is_rate_limited_per_ip_and_username(client, settings):
    settings.LIMON_LOGIN_ATTEMPTS_PER_MINUTE = 5
    StaffFactory(username="alice")
    for _ in range(5):
        assert (
            client.post("/panel/login", {"username": "alice", "password": "x"}).status_code == 200
        )
    blocked = client.post("/panel/login", {"username": "alice", "password": PASSWORD})
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.content
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_works(client):
    StaffFactory(username="bob")
    response = client.post("/panel/login", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/panel/"


def test_forms_require_csrf(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post("/panel/api-keys", {"name": "x", "scope": "read"})
    assert response.status_code == 403


def test_global_search_uses_registered_providers(admin_api, staff_client):
    def provider(query, limit):
        if "acme" in query.lower():
            yield SearchResult("customer", 7, "ACME Corp", "admin@acme.com", "/customer/7")

    register_search_provider("testcustomer", provider)
    try:
        body = admin_api.get("/api/global-search?q=acme").json()
        assert body["total"] == 1
        assert body["results"][0] == {
            "type": "customer",
            "id": 7,
            "title": "ACME Corp",
            "subtitle": "admin@acme.com",
            "url": "/customer/7",
        }
        assert admin_api.get("/api/global-search?q=acme&limit=101").status_code == 400
        assert admin_api.get("/api/global-search?q=acme&type=nope").status_code == 400
        assert b"ACME Corp" in staff_client.get("/panel/search?q=acme").content
    finally:
        registry.search_providers.pop("testcustomer")
