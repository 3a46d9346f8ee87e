"""Second factor (TOTP): setting up an app, verifying the session, and who counts as verified."""

import datetime
import time
from base64 import b32encode
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.utils.html import escape
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.api_tokens import ApiTokenAuthentication
from accounts.management.commands.demo_totp import DEMO_KEYS
from accounts.two_factor import VERIFIED_AT_SESSION_KEY, has_device, is_verified, verified_required
from tests.factories import PASSWORD, make_user
from tests.helpers import api_token

SETUP = "/account/tweestaps/instellen/"
VERIFY = "/account/tweestaps/bevestigen/"
PROTECTED = "/test-alleen-bevestigd/"


# --- a tiny URLconf: the real site plus a protected page and two API probes ----------------


@verified_required
def protected_page(request):
    return HttpResponse("geheim")


class SessionOrTokenProbe(APIView):
    authentication_classes = [SessionAuthentication, ApiTokenAuthentication]
    permission_classes = []

    def get(self, request):
        return Response({"user": request.user.get_username(), "verified": is_verified(request)})


class TokenProbe(SessionOrTokenProbe):
    authentication_classes = [ApiTokenAuthentication]


class TokenClaimingVerification(ApiTokenAuthentication):
    """An API key whose user object claims a verified device, as if it were the session's user."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        user.otp_device = TOTPDevice.objects.get(user=user)
        user.is_verified = lambda: True
        return user, token


class ClaimingTokenProbe(SessionOrTokenProbe):
    authentication_classes = [TokenClaimingVerification]


urlpatterns = [
    path("", include("kansenagenda.urls")),
    path(PROTECTED.strip("/") + "/", protected_page),
    path("test-api/probe/", SessionOrTokenProbe.as_view()),
    path("test-api/token-probe/", TokenProbe.as_view()),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


# --- helpers -------------------------------------------------------------------------------


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code no nearby time step accepts."""
    near = {code_for(device, steps) for steps in range(-3, 4)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in near)


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Telefoon", confirmed=True)


def session_verified(client) -> bool:
    return bool(client.session.get(DEVICE_ID_SESSION_KEY))


def unthrottle(device: TOTPDevice) -> None:
    """Let the throttle's waiting time pass without sleeping."""
    device.refresh_from_db()
    device.throttling_failure_timestamp -= datetime.timedelta(hours=1)
    device.save(update_fields=["throttling_failure_timestamp"])


# --- setting up an app ---------------------------------------------------------------------


def test_setup_and_verify_need_a_login(client):
    for url in (SETUP, VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/account/login/?next=")
    assert not TOTPDevice.objects.exists()


def test_setup_shows_a_qr_code_and_the_key_as_text_then_confirms_with_a_first_code(client, alice):
    client.force_login(alice)
    response = client.get(SETUP, {"next": "/coalities/"})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=alice)
    assert not device.confirmed
    assert not has_device(alice)

    content = response.content.decode()
    assert "<svg " in content and 'class="ka-totp-qr"' in content
    assert 'role="img"' in content and 'aria-labelledby="ka-totp-qr-title"' in content
    assert '<title id="ka-totp-qr-title">' in content
    secret = b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert len(grouped.split()) == 8
    assert grouped in content
    assert escape(device.config_url) in content
    assert device.config_url.startswith("otpauth://totp/Kansenagenda%3Aalice?secret=" + secret)
    assert 'inputmode="numeric"' in content and 'autocomplete="one-time-code"' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert '<input type="hidden" name="next" value="/coalities/">' in content

    # A second visit shows the same pending key, it does not make a new one.
    again = client.get(SETUP)
    assert grouped in again.content.decode()
    assert TOTPDevice.objects.filter(user=alice).count() == 1

    response = client.post(SETUP, {"code": code_for(device), "next": "/coalities/"})
    assert response.status_code == 302
    assert response.url == "/coalities/"
    device.refresh_from_db()
    assert device.confirmed
    assert has_device(alice)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(PROTECTED).content == b"geheim"

    # Set up: the key is never shown again and no new device is made.
    done = client.get(SETUP)
    assert done.status_code == 200
    assert secret not in done.content.decode() and grouped not in done.content.decode()
    assert "Tweestapsverificatie is ingesteld" in done.content.decode()
    assert client.post(SETUP, {"code": code_for(device, 1)}).status_code == 302
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_setup_refuses_a_wrong_code(client, alice):
    client.force_login(alice)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not session_verified(client)
    assert client.get(PROTECTED).url == f"{SETUP}?next=%2Ftest-alleen-bevestigd%2F"


def test_a_user_with_an_app_cannot_set_up_another_without_verifying(client, alice):
    """Otherwise the password alone would be enough to get a verified session."""
    confirmed_device(alice)
    client.force_login(alice)
    response = client.get(SETUP)
    assert 'href="/account/tweestaps/bevestigen/"' in response.content.decode()
    assert "otpauth://" not in response.content.decode()
    assert TOTPDevice.objects.filter(user=alice).count() == 1
    assert not session_verified(client)


# --- verifying a session -------------------------------------------------------------------


def test_verify_accepts_the_current_code_and_refuses_a_wrong_one_inline(client, alice):
    device = confirmed_device(alice)
    client.force_login(alice)
    form = client.get(VERIFY)
    assert form.status_code == 200
    assert 'autocomplete="one-time-code"' in form.content.decode()
    assert f'href="{SETUP}"' in form.content.decode()

    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_code_error"' in content
    assert 'aria-describedby="id_code_helptext id_code_error"' in content
    assert 'aria-invalid="true"' in content
    assert "Deze code klopt niet" in content
    assert not session_verified(client)
    assert client.get(PROTECTED).status_code == 302

    unthrottle(device)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302
    assert response.url == "/"
    assert session_verified(client)
    assert client.get(PROTECTED).content == b"geheim"
    # Already verified: the form is skipped.
    again = client.get(VERIFY, {"next": "/coalities/"})
    assert again.status_code == 302
    assert again.url == "/coalities/"


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456"])
def test_verify_refuses_what_is_not_six_digits_without_counting_a_try(client, alice, code):
    device = confirmed_device(alice)
    client.force_login(alice)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert not session_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_verify_accepts_a_code_typed_with_a_space(client, alice):
    device = confirmed_device(alice)
    client.force_login(alice)
    code = code_for(device)
    assert client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"}).status_code == 302
    assert session_verified(client)


def test_repeated_wrong_codes_are_throttled_even_when_the_next_code_is_right(client, alice):
    device = confirmed_device(alice)
    client.force_login(alice)
    assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
    unthrottle(device)
    assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 2

    # The wait after two failures is 2 seconds: the right code is refused now.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Te veel onjuiste codes. Wacht 2 seconden" in content
    assert 'id="id_code_error"' in content
    assert not session_verified(client)

    unthrottle(device)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert session_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_code_is_accepted_once(client, alice):
    device = confirmed_device(alice)
    client.force_login(alice)
    code = code_for(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    client.force_login(alice)
    assert client.post(VERIFY, {"code": code}).status_code == 400
    assert not session_verified(client)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/coalities/", "/coalities/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_verify_follows_a_local_next_only(client, alice, next_url, expected):
    device = confirmed_device(alice)
    client.force_login(alice)
    form = client.get(VERIFY, {"next": next_url}).content.decode()
    hidden = f'<input type="hidden" name="next" value="{escape(expected if expected != "/" else "")}">'
    assert hidden in form
    response = client.post(VERIFY, {"code": code_for(device), "next": next_url})
    assert response.status_code == 302
    assert response.url == expected


def test_setup_ignores_an_off_site_next(client, alice):
    client.force_login(alice)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(SETUP, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == "/"


def test_verify_sends_a_user_without_an_app_to_setup(client, alice):
    client.force_login(alice)
    response = client.get(VERIFY, {"next": "/coalities/"})
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fcoalities%2F"


def test_logging_out_ends_the_verification(client, alice):
    device = confirmed_device(alice)
    client.post("/account/login/", {"username": "alice", "password": PASSWORD})
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(PROTECTED).status_code == 200
    client.post("/account/logout/")
    client.post("/account/login/", {"username": "alice", "password": PASSWORD})
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Ftest-alleen-bevestigd%2F"


def test_a_device_id_in_the_session_counts_only_for_the_owner(client, alice, bob):
    bobs = confirmed_device(bob)
    confirmed_device(alice)
    client.force_login(alice)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = bobs.persistent_id
    session[VERIFIED_AT_SESSION_KEY] = timezone.now().timestamp()
    session.save()
    assert client.get(PROTECTED).status_code == 302


# --- verified_required ---------------------------------------------------------------------


def test_verified_required_sends_each_kind_of_user_to_the_right_page(client, alice):
    response = client.get(PROTECTED, {"x": "1"})
    assert response.status_code == 302
    assert response.url == "/account/login/?next=/test-alleen-bevestigd/%3Fx%3D1"

    client.force_login(alice)
    response = client.get(PROTECTED)
    assert response.url == f"{SETUP}?next=%2Ftest-alleen-bevestigd%2F"

    device = confirmed_device(alice)
    response = client.get(PROTECTED, {"x": "1"})
    assert response.url == f"{VERIFY}?next=%2Ftest-alleen-bevestigd%2F%3Fx%3D1"

    follow = client.post(VERIFY, {"code": code_for(device), "next": "/test-alleen-bevestigd/?x=1"})
    assert follow.url == "/test-alleen-bevestigd/?x=1"
    assert client.get(follow.url).content == b"geheim"


# --- API requests --------------------------------------------------------------------------


def test_a_token_request_is_never_verified_even_with_a_device(alice):
    confirmed_device(alice)
    token = api_token(alice)
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}")
    response = TokenProbe.as_view()(request)
    assert response.data == {"user": "alice", "verified": False}


def test_a_token_request_is_not_verified_even_when_its_user_object_claims_it(alice):
    """The authentication method decides, not what the user object says."""
    device = confirmed_device(alice)
    token = api_token(alice)
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}")
    request.session = {DEVICE_ID_SESSION_KEY: device.persistent_id, VERIFIED_AT_SESSION_KEY: timezone.now().timestamp()}
    response = ClaimingTokenProbe.as_view()(request)
    assert response.data == {"user": "alice", "verified": False}


def test_an_api_request_is_verified_only_through_a_verified_session(client, alice):
    device = confirmed_device(alice)
    token = api_token(alice)
    client.force_login(alice)
    assert client.get("/test-api/probe/").json() == {"user": "alice", "verified": False}

    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/test-api/probe/").json() == {"user": "alice", "verified": True}
    # The same browser, but the view authenticates the token: not verified.
    response = client.get("/test-api/token-probe/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.json() == {"user": "alice", "verified": False}


def test_a_plain_request_is_verified_only_when_its_session_names_the_device(rf, alice):
    """A user object that says it is verified is not enough without the session's device id."""
    device = confirmed_device(alice)
    alice.otp_device = device
    alice.is_verified = lambda: True
    request = rf.get("/")
    request.user = alice
    request.session = {}
    assert not is_verified(request)
    request.session = {DEVICE_ID_SESSION_KEY: device.persistent_id, VERIFIED_AT_SESSION_KEY: timezone.now().timestamp()}
    assert is_verified(request)


def test_anonymous_requests_are_not_verified(client):
    assert client.get("/test-api/probe/").json() == {"user": "", "verified": False}
    assert not has_device(None)


# --- the demo keys -------------------------------------------------------------------------


def test_demo_keys_refuse_production_mode(settings):
    settings.DEBUG = False
    make_user("rijksambtenaar")
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true"):
        call_command("demo_totp")
    assert not TOTPDevice.objects.exists()


def test_demo_keys_give_the_officials_a_confirmed_device_with_the_documented_key(settings):
    settings.DEBUG = True
    for username in DEMO_KEYS:
        make_user(username)
    out = StringIO()
    call_command("demo_totp", stdout=out)
    call_command("demo_totp", stdout=out)
    out = out.getvalue()
    assert "NNQW443FNYWWIZLNN4WXE2LKNMWTAMBR" in out  # base32 of b"kansen-demo-rijk-001", in README.md
    assert "NNQW443FNYWWIZLNN4WXE2LKNMWTAMBS" in out
    for username, raw in DEMO_KEYS.items():
        device = TOTPDevice.objects.get(user__username=username)
        assert device.confirmed
        assert device.bin_key == raw
        assert device.verify_token(code_for(device))
