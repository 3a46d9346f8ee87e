"""The page API-sleutels (/account/api-sleutels/): your own keys, making one (shown once), revoking one."""

import datetime

import pytest
from django.utils import timezone

from accounts.api_tokens import PREFIX_LENGTH
from accounts.models import ApiToken
from tests.factories import PASSWORD
from tests.helpers import api_token

pytestmark = pytest.mark.django_db

PAGE = "/account/api-sleutels/"
PROBE = "/api/v1/coalitions/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def revoke_url(key: str) -> str:
    return f"{PAGE}{key[:PREFIX_LENGTH]}/intrekken/"


def works(client, key: str) -> bool:
    return client.get(PROBE, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_it_sends_anonymous_visitors_to_the_login_page(client, alice):
    key = api_token(alice)
    for response in (client.get(PAGE), client.post(PAGE, {"password": PASSWORD}), client.post(revoke_url(key))):
        assert response.status_code == 302
        assert response.url.startswith("/account/login/")
    assert ApiToken.objects.count() == 1


def test_the_profile_links_to_it(client, alice):
    client.force_login(alice)
    assert f'href="{PAGE}"' in client.get("/account/").content.decode()


def test_it_lists_your_working_keys_and_nobody_elses(client, alice, bob):
    mine = api_token(alice)
    expired = api_token(alice)
    ApiToken.objects.filter(token_key=expired[:PREFIX_LENGTH]).update(expiry=timezone.now())
    theirs = api_token(bob)
    client.force_login(alice)
    response = client.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert [token.token_key for token in response.context["tokens"]] == [mine[:PREFIX_LENGTH]]
    assert mine[:PREFIX_LENGTH] in content
    for hidden in (mine, expired[:PREFIX_LENGTH], theirs[:PREFIX_LENGTH], ApiToken.objects.get(user=bob).digest):
        assert hidden not in content
    assert f'action="{revoke_url(mine)}"' in content


def test_it_makes_a_key_and_shows_it_once(client, alice):
    client.force_login(alice)
    response = client.post(PAGE, {"password": PASSWORD})
    assert response.status_code == 200
    key = response.context["new_key"]
    content = response.content.decode()
    assert f'value="{key}"' in content
    assert "wordt niet opnieuw getoond" in content
    token = ApiToken.objects.get(user=alice)
    assert token.token_key == key[:PREFIX_LENGTH]
    assert timezone.localtime(token.expiry).strftime("%Y") in content
    assert "no-store" in response["Cache-Control"]
    assert works(client, key)
    # Never again: not on the page, not in the session.
    again = client.get(PAGE).content.decode()
    assert key not in again and key[:PREFIX_LENGTH] in again
    assert key not in repr(dict(client.session))


def test_a_wrong_password_makes_no_key(client, alice):
    client.force_login(alice)
    for data in ({"password": "fout"}, {}):
        response = client.post(PAGE, data)
        assert response.status_code == 400
        assert response.context["new_key"] is None
        assert response.context["form"].errors["password"]
    assert "Dit wachtwoord klopt niet." in client.post(PAGE, {"password": "fout"}).content.decode()
    assert not ApiToken.objects.exists()


def test_the_password_must_be_the_users_own(client, alice, bob):
    client.force_login(alice)
    bob.set_password("ander-wachtwoord-123")
    bob.save()
    assert client.post(PAGE, {"password": "ander-wachtwoord-123"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_making_a_key_needs_the_form_token(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(PAGE, {"password": PASSWORD}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_revokes(client, alice):
    key, other = api_token(alice), api_token(alice)
    client.force_login(alice)
    asked = client.post(revoke_url(key))
    assert asked.status_code == 200
    assert "API-sleutel intrekken" in asked.content.decode()
    assert key[:PREFIX_LENGTH] in asked.content.decode()
    assert works(client, key)

    done = client.post(revoke_url(key), {"confirmed": "1"})
    assert done.status_code == 302 and done.url == PAGE
    assert not works(client, key)
    assert works(client, other)
    assert "is ingetrokken" in client.get(PAGE).content.decode()


def test_revoking_is_a_post(client, alice):
    key = api_token(alice)
    client.force_login(alice)
    assert client.get(revoke_url(key)).status_code == 405
    assert works(client, key)


def test_someone_elses_or_an_expired_key_is_404(client, alice, bob):
    theirs = api_token(bob)
    expired = api_token(alice)
    ApiToken.objects.filter(token_key=expired[:PREFIX_LENGTH]).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.force_login(alice)
    for url in (revoke_url(theirs), revoke_url(expired), f"{PAGE}bestaat-niet/intrekken/"):
        assert client.post(url, {"confirmed": "1"}).status_code == 404
    assert works(client, theirs)


def test_wrong_passwords_here_count_towards_a_lockout(client, alice, settings):
    """The page asks authenticate() with the request, so the brute-force guard (accounts.throttling) applies."""
    settings.AXES_FAILURE_LIMIT = 2
    client.force_login(alice)
    for _ in range(2):
        client.post(PAGE, {"password": "fout"})
    response = client.post(PAGE, {"password": PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.content.decode()
    assert not ApiToken.objects.exists()
