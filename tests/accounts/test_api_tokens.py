"""API keys through the API (accounts/api_tokens.py, accounts/api.py).

A key is shown once, in the answer that makes it; the database keeps its
SHA-512 digest and prefix only. It expires, using it extends nothing, its
owner lists and revokes their own keys (someone else's is 404), and a revoked
or expired key is refused at once with 401.
"""

import datetime
import hashlib
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.api_tokens import PREFIX_LENGTH
from accounts.models import ApiToken
from tests.factories import PASSWORD
from tests.helpers import api_token, listing

pytestmark = pytest.mark.django_db

OBTAIN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
# Any endpoint for logged-in callers will do to see whether a key works.
PROBE = "/api/v1/coalitions/"
JSON = "application/json"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def obtain(client, username="alice", password=PASSWORD):
    return client.post(OBTAIN, {"username": username, "password": password}, content_type=JSON)


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def works(client, key: str) -> bool:
    status = client.get(PROBE, **auth(key)).status_code
    assert status in (200, 401), status
    return status == 200


# --- making a key --------------------------------------------------------------------------


def test_it_issues_a_key_with_its_expiry_and_stores_only_a_digest(client, alice):
    before = timezone.now()
    response = obtain(client)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires"}
    key = body["token"]
    assert len(key) == 64
    assert response["Cache-Control"] == "no-store"

    row = ApiToken.objects.get(user=alice)
    assert row.digest == hashlib.sha512(key.encode()).hexdigest()
    assert row.token_key == key[:PREFIX_LENGTH]
    assert parse_datetime(body["expires"]) == row.expiry
    assert before + datetime.timedelta(days=30) <= row.expiry <= timezone.now() + datetime.timedelta(days=30)
    # Nowhere in the table, in no column: not even a longer piece of the key than the prefix.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = repr(cursor.fetchall())
    assert key not in stored
    assert key[: PREFIX_LENGTH + 1] not in stored
    assert works(client, key)


def test_a_key_is_shown_only_once(client, alice):
    key = obtain(client).json()["token"]
    response = client.get(TOKENS, **auth(key))
    assert response.status_code == 200
    assert key[:PREFIX_LENGTH] in response.content.decode()
    assert key not in response.content.decode()


def test_every_call_makes_another_key(client, alice):
    first, second = obtain(client).json()["token"], obtain(client).json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=alice).count() == 2
    assert works(client, first) and works(client, second)


def test_an_email_address_works_as_the_username(client, alice):
    assert obtain(client, username=alice.email).status_code == 200


def test_a_wrong_password_is_400_and_makes_no_key(client, alice):
    response = obtain(client, password="fout")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not ApiToken.objects.exists()


def test_an_inactive_account_gets_no_key(client, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert obtain(client).status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"username": "alice"}, {"password": PASSWORD}, {"username": "", "password": ""}, ["alice", PASSWORD]],
)
def test_bad_input_is_400_with_field_errors(client, alice, body):
    response = client.post(OBTAIN, body, content_type=JSON)
    assert response.status_code == 400
    assert response.json()
    assert not ApiToken.objects.exists()


def test_the_password_is_checked_with_the_request(client, alice):
    """authenticate() gets the request: the brute-force guard (accounts.throttling) counts per client with it."""
    with mock.patch("accounts.api.authenticate", return_value=None) as authenticate:
        assert obtain(client).status_code == 400
    assert authenticate.call_args.kwargs["request"] is not None
    assert authenticate.call_args.kwargs["username"] == "alice"


def test_a_browser_session_alone_gets_no_key(client, alice):
    client.force_login(alice)
    response = client.post(OBTAIN, {}, content_type=JSON)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


# --- expiry ---------------------------------------------------------------------------------


def test_a_key_is_refused_with_401_once_it_has_expired(client, alice):
    key = api_token(alice)
    assert works(client, key)
    ApiToken.objects.filter(user=alice).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(PROBE, **auth(key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    # It can never work again: gone.
    assert not ApiToken.objects.exists()


def test_the_lifetime_follows_the_setting(client, alice, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(days=2)}
    before = timezone.now()
    expires = parse_datetime(obtain(client).json()["expires"])
    assert before + datetime.timedelta(days=2) <= expires <= timezone.now() + datetime.timedelta(days=2)


def test_using_a_key_does_not_extend_it(client, alice):
    key = api_token(alice)
    expiry = ApiToken.objects.get().expiry
    for _ in range(3):
        assert works(client, key)
    assert ApiToken.objects.get().expiry == expiry


def test_making_a_key_removes_the_owners_expired_ones(client, alice, bob):
    api_token(alice)
    api_token(bob)
    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(days=1))
    api_token(alice)
    assert ApiToken.objects.filter(user=alice, expiry__gt=timezone.now()).count() == 1
    assert ApiToken.objects.filter(user=alice).count() == 1
    assert ApiToken.objects.filter(user=bob).count() == 1  # someone else's stay until they make one


# --- listing and revoking -----------------------------------------------------------------


def test_it_lists_your_working_keys_newest_first(client, alice, bob):
    old = api_token(alice)
    ApiToken.objects.filter(token_key=old[:PREFIX_LENGTH]).update(created=timezone.now() - datetime.timedelta(days=1))
    expired = api_token(alice)
    ApiToken.objects.filter(token_key=expired[:PREFIX_LENGTH]).update(expiry=timezone.now())
    new = api_token(alice)
    api_token(bob)
    response = client.get(TOKENS, **auth(new))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["prefix"] for row in rows] == [new[:PREFIX_LENGTH], old[:PREFIX_LENGTH]]
    assert set(rows[0]) == {"prefix", "created", "expires"}
    stored = ApiToken.objects.get(token_key=new[:PREFIX_LENGTH])
    assert parse_datetime(rows[0]["expires"]) == stored.expiry
    assert stored.digest not in response.content.decode()


def test_a_session_lists_its_users_keys_too(client, alice):
    key = api_token(alice)
    client.force_login(alice)
    assert [row["prefix"] for row in client.get(TOKENS).json()["results"]] == [key[:PREFIX_LENGTH]]


def test_revoking_a_key_stops_it_at_once(client, alice):
    kept, revoked = api_token(alice), api_token(alice)
    response = client.delete(f"{TOKENS}{revoked[:PREFIX_LENGTH]}/", **auth(kept))
    assert response.status_code == 204
    assert client.get(PROBE, **auth(revoked)).status_code == 401
    assert works(client, kept)
    assert [row["prefix"] for row in client.get(TOKENS, **auth(kept)).json()["results"]] == [kept[:PREFIX_LENGTH]]


def test_a_key_can_revoke_itself(client, alice):
    key = api_token(alice)
    assert client.delete(f"{TOKENS}{key[:PREFIX_LENGTH]}/", **auth(key)).status_code == 204
    assert client.get(PROBE, **auth(key)).status_code == 401


def test_someone_elses_key_is_404_and_keeps_working(client, alice, bob):
    mine, theirs = api_token(alice), api_token(bob)
    for url in (f"{TOKENS}{theirs[:PREFIX_LENGTH]}/", f"{TOKENS}bestaat-niet/"):
        response = client.delete(url, **auth(mine))
        assert response.status_code == 404
    assert works(client, theirs)
    assert theirs[:PREFIX_LENGTH] not in client.get(TOKENS, **auth(mine)).content.decode()


def test_anonymous_callers_are_refused(client, alice):
    key = api_token(alice)
    assert client.get(TOKENS).status_code == 401
    assert client.delete(f"{TOKENS}{key[:PREFIX_LENGTH]}/").status_code == 401
    assert works(client, key)


# --- the check ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Token 0123456789abcdef0123456789abcdef01234567",
        "Token ",
        "Token a b",
        "Token é",  # not ASCII: refused, not a server error
        "Token " + "f" * 500,
    ],
)
def test_a_wrong_or_malformed_key_is_401(client, alice, header):
    api_token(alice)
    response = client.get(PROBE, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_key_that_shares_a_prefix_must_still_match_in_full(client, alice):
    key = api_token(alice)
    forged = key[:PREFIX_LENGTH] + ("0" if key[PREFIX_LENGTH] != "0" else "1") + key[PREFIX_LENGTH + 1 :]
    assert client.get(PROBE, **auth(forged)).status_code == 401


def test_an_inactive_users_key_is_refused(client, alice):
    key = api_token(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(PROBE, **auth(key)).status_code == 401


def test_the_check_takes_one_query(client, alice):
    """The key's row with its user; knox's own check also read all the owner's other keys on every request."""
    key = api_token(alice)
    for _ in range(3):
        api_token(alice)
    with CaptureQueriesContext(connection) as context:
        response = client.get(TOKENS, **auth(key))
    assert response.status_code == 200
    queries = [query["sql"] for query in context.captured_queries]
    # 1. the key's row and its user  2. count of the user's keys  3. the page of keys
    assert len(queries) == 3, listing("queries", queries)
    assert "accounts_apitoken" in queries[0] and "accounts_user" in queries[0]


def test_wrong_passwords_lock_the_endpoint_out(client, alice, settings):
    """The brute-force guard (accounts.throttling) sees the attempts: then 429, also for the right password."""
    settings.AXES_FAILURE_LIMIT = 2
    assert obtain(client, password="fout").status_code == 400
    assert obtain(client, password="fout").status_code == 429  # the second failure reaches the limit
    response = obtain(client)
    assert response.status_code == 429
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()
