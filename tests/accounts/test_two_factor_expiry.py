"""A code verifies the session for TWO_FACTOR_VERIFICATION_AGE (30 minutes); then the pages ask for a new one."""

import time
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import VERIFIED_AT_SESSION_KEY, is_verified

pytestmark = pytest.mark.django_db

VERIFY = "/account/tweestaps/bevestigen/"
NEXT = "/coalities/"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def verified(client) -> bool:
    """The verify page sends a verified session straight on to ``next`` and shows the form otherwise."""
    response = client.get(VERIFY, {"next": NEXT})
    return response.status_code == 302 and response.url == NEXT


def verified_ago(client, ago: timedelta) -> None:
    session = client.session
    session[VERIFIED_AT_SESSION_KEY] = (timezone.now() - ago).timestamp()
    session.save()


@pytest.fixture
def device(alice):
    return TOTPDevice.objects.create(user=alice, name="app", confirmed=True)


def test_the_default_is_thirty_minutes(settings):
    assert settings.TWO_FACTOR_VERIFICATION_AGE.total_seconds() == 30 * 60


def test_a_code_verifies_the_session_for_thirty_minutes_then_a_new_one_is_asked(client, alice, device):
    client.force_login(alice)
    assert not verified(client)
    before = timezone.now().timestamp()
    client.post(VERIFY, {"code": code_for(device)})
    assert before <= client.session[VERIFIED_AT_SESSION_KEY] <= timezone.now().timestamp()
    assert verified(client)

    verified_ago(client, timedelta(minutes=29))
    assert verified(client)

    verified_ago(client, timedelta(minutes=30, seconds=1))
    response = client.get(VERIFY, {"next": NEXT})
    assert response.status_code == 200 and 'name="code"' in response.content.decode()

    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert verified(client)


def test_the_age_comes_from_the_settings(client, alice, device, settings):
    settings.TWO_FACTOR_VERIFICATION_AGE = timedelta(minutes=5)
    client.force_login(alice)
    client.post(VERIFY, {"code": code_for(device)})
    verified_ago(client, timedelta(minutes=6))
    assert not verified(client)


def test_a_session_verified_before_the_time_was_kept_is_not_verified(alice, device):
    alice.otp_device = device
    alice.is_verified = lambda: True
    request = RequestFactory().get("/")
    request.user = alice
    request.session = {DEVICE_ID_SESSION_KEY: device.persistent_id}
    assert not is_verified(request)
    request.session[VERIFIED_AT_SESSION_KEY] = timezone.now().timestamp()
    assert is_verified(request)
