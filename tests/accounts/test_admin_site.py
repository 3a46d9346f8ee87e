"""The Django admin needs a session verified with a second factor (accounts/admin_site.py), and never shows an API key.

A superuser sees everything in the admin, so a password (or a stolen
session cookie of an unverified session) is not enough: the admin sends them
to the code page first, or to setting up an authenticator app.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_site import VerifiedAdminSite
from accounts.models import ApiToken, User
from tests.factories import PASSWORD, make_user
from tests.helpers import api_token, verify_with_code

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
SETUP = "/account/tweestaps/instellen/"
VERIFY = "/account/tweestaps/bevestigen/"
# Admin pages that must all be behind the second factor.
PAGES = [ADMIN, "/admin/accounts/user/", "/admin/accounts/apitoken/", "/admin/activity/event/"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD, full_name="Root")


def landing(client, url: str) -> str:
    """Where ``url`` ends up after following its redirects."""
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0] if response.redirect_chain else url


def test_the_admin_site_is_the_verified_one():
    assert isinstance(admin.site, VerifiedAdminSite)


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_go_to_the_sites_login_page(client, url):
    assert landing(client, url) == f"/account/login/?next={quote(url)}"


@pytest.mark.parametrize("url", PAGES)
def test_a_superuser_without_an_app_is_sent_to_set_one_up(client, root, url):
    client.force_login(root)
    assert landing(client, url) == f"{SETUP}?next={quote(url, safe='')}"


@pytest.mark.parametrize("url", PAGES)
def test_a_superuser_with_an_app_is_asked_for_a_code(client, root, url):
    TOTPDevice.objects.create(user=root, name="Telefoon", confirmed=True)
    client.force_login(root)
    assert landing(client, url) == f"{VERIFY}?next={quote(url, safe='')}"


@pytest.mark.parametrize("url", PAGES)
def test_a_verified_superuser_gets_in(client, root, url):
    verify_with_code(client, root)
    response = client.get(url)
    assert response.status_code == 200


def test_the_code_page_leads_back_to_the_admin(client, root):
    device = TOTPDevice.objects.create(user=root, name="Telefoon", confirmed=True)
    client.force_login(root)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post(VERIFY, {"code": f"{code:06d}", "next": ADMIN})
    assert response.status_code == 302 and response.url == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_password_on_the_admins_own_login_form_is_not_enough(client, root):
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": ADMIN})
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    assert SESSION_KEY not in client.session
    assert client.get(ADMIN).status_code == 302


def test_a_verified_user_who_is_not_staff_stays_out(client):
    someone = make_user("someone")
    verify_with_code(client, someone)
    assert client.get(ADMIN).status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 302


def test_the_next_parameter_stays_on_the_site(client, root):
    client.force_login(root)
    response = client.get("/admin/login/", {"next": "https://elders.example/"})
    assert response.url == f"{SETUP}?next=%2Fadmin%2F"


# --- API keys in the admin -------------------------------------------------------------------


def test_the_admin_lists_keys_without_key_or_digest(client, root, alice):
    key = api_token(alice)
    token = ApiToken.objects.get(user=alice)
    verify_with_code(client, root)
    listing = client.get("/admin/accounts/apitoken/")
    detail = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    search = client.get("/admin/accounts/apitoken/", {"q": "alice"})
    for response in (listing, detail, search):
        assert response.status_code == 200
        content = response.content.decode()
        assert key[:15] in content
        assert key not in content
        assert token.digest not in content
    # Read-only: no way to add one (the admin used to show a new key in a message) or to change one.
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = client.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"expiry_0": "2099-01-01"})
    assert response.status_code == 403
    assert ApiToken.objects.get().expiry == token.expiry


def test_an_administrator_can_revoke_a_key(client, root, alice):
    key = api_token(alice)
    token = ApiToken.objects.get(user=alice)
    verify_with_code(client, root)
    confirm = client.get(f"/admin/accounts/apitoken/{token.pk}/delete/")
    assert key not in confirm.content.decode() and token.digest not in confirm.content.decode()
    client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.exists()
    assert client.get("/api/v1/coalitions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_deleting_a_person_in_the_admin_shows_no_digest(client, root, alice):
    api_token(alice)
    token = ApiToken.objects.get(user=alice)
    verify_with_code(client, root)
    response = client.get(f"/admin/accounts/user/{alice.pk}/delete/")
    assert response.status_code == 200
    assert token.digest not in response.content.decode()
