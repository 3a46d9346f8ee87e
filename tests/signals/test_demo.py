"""The demo's signals (signals.demo through kansenagenda.demo.load_demo): labelled, one answered, one open."""

from __future__ import annotations

import pytest

from accounts.models import User
from kansenagenda.demo import load_demo
from signals.demo import DEMO_NOTE
from signals.models import Signal
from signals.permissions import ministries_of

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_answered_and_an_open_signal_and_loads_twice(settings, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    load_demo()
    load_demo()
    settings.DEBUG = False
    signals = {s.status: s for s in Signal.objects.select_related("ministry")}
    assert set(signals) == {Signal.Status.ANSWERED, Signal.Status.FILED}
    assert all(DEMO_NOTE in s.body and "(demo)" in s.title for s in signals.values())
    assert signals[Signal.Status.ANSWERED].ministry.slug == "vws"
    assert signals[Signal.Status.FILED].ministry.slug == "ienw"
    official = User.objects.get(username="rijksambtenaar")
    assert len(ministries_of(official)) == 2
    page = client.get("/openbaar/signalen/").content.decode()
    assert all(s.title in page for s in signals.values())
