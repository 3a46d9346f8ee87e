"""A session ends after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE after the login at the latest."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.middleware import LAST_ACTIVITY_SESSION_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TASKS = "/mijn-taken/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client):
    response = client.post("/account/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def last_request_ago(client, ago: timedelta) -> float:
    """Pretend the session's last request was ``ago`` ago; returns the stored time."""
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] = (timezone.now() - ago).timestamp()
    session.save()
    return session[LAST_ACTIVITY_SESSION_KEY]


def stored_end(client):
    """When the session store will drop the session."""
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_default_idle_timeout_is_two_hours(settings):
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 2 * 60 * 60


def test_a_session_idle_for_two_hours_is_logged_out_with_a_message_on_the_login_page(client, alice):
    log_in(client)
    last_request_ago(client, timedelta(hours=2, seconds=1))
    response = client.get(TASKS)
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")
    assert SESSION_KEY not in client.session
    page = client.get(response.url).content.decode()
    assert "U bent uitgelogd na 2 uur zonder activiteit." in page
    # Logging in again works, and the new session is active.
    log_in(client)
    assert client.get(TASKS).status_code == 200


def test_an_active_session_stays_and_its_clock_restarts(client, alice):
    log_in(client)
    stored = last_request_ago(client, timedelta(hours=1, minutes=59))
    assert client.get(TASKS).status_code == 200
    now = timezone.now().timestamp()
    assert stored < client.session[LAST_ACTIVITY_SESSION_KEY] <= now
    assert client.session[LAST_ACTIVITY_SESSION_KEY] > now - 5


def test_the_session_is_not_written_on_every_request(client, alice):
    log_in(client)
    stored = last_request_ago(client, timedelta(seconds=30))
    for _ in range(3):
        assert client.get(TASKS).status_code == 200
    assert client.session[LAST_ACTIVITY_SESSION_KEY] == stored


def test_the_idle_timeout_comes_from_the_settings(client, alice, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    log_in(client)
    last_request_ago(client, timedelta(minutes=31))
    response = client.get(TASKS, follow=True)
    assert "U bent uitgelogd na 30 minuten zonder activiteit." in response.content.decode()


def test_an_active_session_still_ends_at_its_absolute_age(client, alice, settings):
    """Writing the idle clock must not move the end of the session forward (Django would, on every write)."""
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    before = timezone.now()
    log_in(client)
    ends = stored_end(client)
    assert before + age <= ends <= timezone.now() + age
    last_request_ago(client, timedelta(minutes=5))
    assert client.get(TASKS).status_code == 200
    assert client.session[LAST_ACTIVITY_SESSION_KEY] > before.timestamp()  # the idle clock was written
    assert stored_end(client) == ends


def test_anonymous_visitors_get_no_session(client):
    assert client.get("/").status_code == 200
    assert not client.cookies.get("sessionid")
