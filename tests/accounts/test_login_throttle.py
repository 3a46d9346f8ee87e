"""Brute-force protection of logging in (django-axes, accounts/throttling.py).

Too many wrong passwords lock the account, and separately the client address,
out for a while: the login page says until when (429), the API's token
endpoint answers 429 with Retry-After, the right password is refused too, the
lock ends by itself, and the lockout is in the event log.
"""

import runpy
from datetime import timedelta
from pathlib import Path

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, authenticate
from django.db.models import F
from django.http import HttpResponse
from django.urls import include, path
from rest_framework.test import APIClient

from accounts.models import ApiToken
from activity.models import Event
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
TOKEN = "/api/v1/auth/token/"
LOCKED = "Te veel mislukte inlogpogingen"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def limit(settings) -> int:
    return settings.AXES_FAILURE_LIMIT


def log_in(client, username, password="fout-wachtwoord", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        response = log_in(client, username, **extra)
    return response


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def age_attempts(by: timedelta) -> None:
    """Move every counted failure ``by`` into the past, as if that much time had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


# --- the login page --------------------------------------------------------------------------


def test_the_defaults_are_ten_failures_and_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_wrong_passwords_lock_the_account_and_the_page_says_until_when(client, alice, limit):
    response = fail(client, "alice", limit - 1)
    assert response.status_code == 200
    assert LOCKED not in response.content.decode()

    response = log_in(client, "alice")
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content and "Inloggen kan weer om" in content and "(over 15 minuten)" in content
    # The normal login page, with the message on the form.
    assert '<form method="post" action="/account/login/"' in content
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and errors[0].startswith(LOCKED)
    assert 0 < int(response["Retry-After"]) <= 15 * 60

    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_tries_during_the_lock_are_not_counted_so_it_ends_when_the_page_said(client, alice, limit):
    fail(client, "alice", limit)
    before = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    fail(client, "alice", 3)
    log_in(client, "alice", PASSWORD)
    assert list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start")) == before


def test_the_lock_ends_by_itself_after_the_cool_off(client, alice, limit, settings):
    fail(client, "alice", limit)
    age_attempts(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "(over 1 minuut)" in response.content.decode()

    age_attempts(timedelta(minutes=1, seconds=1))
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_e_mail_address_and_the_username_count_for_one_account(client, alice, limit):
    fail(client, "alice", limit // 2)
    response = fail(client, " ALICE@example.org", limit - limit // 2)
    assert response.status_code == 429
    assert log_in(client, "alice", PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 429


def test_the_account_lock_holds_from_another_address(client, alice, limit):
    fail(client, "alice", limit, REMOTE_ADDR="10.0.0.1")
    response = log_in(client, "alice", PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert not logged_in(client)


def test_an_address_is_locked_for_every_username_other_addresses_are_not(client, alice, bob, limit):
    # One failure per name, so no account reaches the limit: the address does.
    for number in range(limit - 1):
        log_in(client, f"raad-{number}", REMOTE_ADDR="10.0.0.1")
    response = log_in(client, "alice", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    response = log_in(client, "bob", PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)

    assert log_in(client, "alice", PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert logged_in(client)


def test_a_forwarded_for_header_cannot_pick_another_address(client, limit):
    """Without proxies configured only REMOTE_ADDR counts: a header per try does not spread the count."""
    for number in range(limit):
        response = log_in(client, f"raad-{number}", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_proxies_the_address_is_the_one_the_outer_proxy_saw(client, settings, monkeypatch):
    monkeypatch.setenv("DJANGO_PROXY_COUNT", "2")
    configured = runpy.run_path(str(Path(settings.BASE_DIR) / "kansenagenda" / "settings.py"))
    for name in ("AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT", "IPWARE_STRICT"):
        setattr(settings, name, configured[name])
    # The client put a made-up address in front; the CDN appended the client's, the load balancer the CDN's.
    log_in(client, "raad", HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.7, 192.0.2.10", REMOTE_ADDR="10.0.0.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def plain_password_check(request):
    """A page of another app that checks a password with ``authenticate`` and knows nothing of the lock."""
    user = authenticate(request=request, username=request.POST["username"], password=request.POST["password"])
    return HttpResponse("ja" if user else "nee")


urlpatterns = [
    path("", include("kansenagenda.urls")),
    path("test-wachtwoord/", plain_password_check),
]


@pytest.mark.urls(__name__)
def test_any_page_that_authenticates_is_guarded_and_shows_the_login_page_with_the_message(client, alice, limit):
    for _ in range(limit - 1):
        assert client.post("/test-wachtwoord/", {"username": "alice", "password": "fout"}).content == b"nee"
    response = client.post("/test-wachtwoord/", {"username": "alice", "password": PASSWORD})
    assert response.content == b"ja"  # the right password before the limit

    client.post("/test-wachtwoord/", {"username": "alice", "password": "fout"})
    response = client.post("/test-wachtwoord/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content and 'role="alert"' in content
    assert '<form method="post" action="/account/login/"' in content
    assert int(response["Retry-After"]) > 0


def test_authenticating_without_the_request_fails_instead_of_slipping_past_the_count(alice):
    with pytest.raises(AxesBackendRequestParameterRequired):
        authenticate(username="alice", password=PASSWORD)


# --- the API ---------------------------------------------------------------------------------


def ask_token(client, username, password="fout-wachtwoord"):
    return client.post(TOKEN, {"username": username, "password": password}, format="json")


def test_the_token_endpoint_answers_429_with_retry_after_and_refuses_the_right_password(alice, limit):
    client = APIClient()
    for _ in range(limit - 1):
        assert ask_token(client, "alice").status_code == 400
    response = ask_token(client, "alice")
    assert response.status_code == 429
    assert response.json()["detail"].startswith(LOCKED)
    assert 0 < int(response["Retry-After"]) <= 15 * 60

    response = ask_token(client, "alice", PASSWORD)
    assert response.status_code == 429 and "token" not in response.json()
    assert not ApiToken.objects.exists()
    # One count for the page and the API.
    assert log_in(APIClient(), "alice", PASSWORD).status_code == 429


def test_failures_on_the_page_lock_the_api_too(client, alice, limit):
    fail(client, "alice", limit)
    response = ask_token(APIClient(), "alice", PASSWORD)
    assert response.status_code == 429 and "Retry-After" in response


# --- the event log ---------------------------------------------------------------------------


def test_a_lockout_is_recorded_once_when_it_begins(client, alice, limit):
    fail(client, "alice", limit - 1)
    assert not Event.objects.filter(verb="login.locked_out").exists()
    fail(client, "alice", 1)
    fail(client, "alice", 2)
    log_in(client, "alice", PASSWORD)
    event = Event.objects.get(verb="login.locked_out")
    assert event.actor is None and event.target == alice
    assert event.data["name"] == "alice" and event.data["ip_address"] == "127.0.0.1"
    assert event.data["locked"] == ["username", "ip_address"]
    assert event.data["until"]


def test_an_address_lockout_is_recorded_for_the_address(client, limit):
    for number in range(limit):
        log_in(client, f"raad-{number}", REMOTE_ADDR="10.0.0.1")
    event = Event.objects.get(verb="login.locked_out")
    assert event.data["locked"] == ["ip_address"] and event.data["ip_address"] == "10.0.0.1"
    assert event.target is None
