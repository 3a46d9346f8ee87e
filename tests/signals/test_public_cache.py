"""The public signal pages and API per public data version (core.public_cache): every public step shows at once,
a signal that is not public leaves the version (and so the ETag) alone, and a signed-in reader is never served the
public's stored answer nor stores one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from signals import services
from tests.signals.factories import file_signal, make_ministry, make_official, signal_agenda

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PAGES = ["/openbaar/signalen/", "/api/v1/signals/", "/api/v1/ministries/"]


@pytest.fixture
def world(coalition, alice):
    ministry = make_ministry("testmin")
    return {
        "ministry": ministry,
        "official": make_official("ambtenaar", ministry),
        "agenda": signal_agenda(coalition, alice),
    }


def etags(client) -> dict[str, str]:
    found = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response["ETag"]
    return found


def test_a_public_step_shows_at_once_and_a_private_signal_changes_nothing(world, alice):
    client = Client()
    before = etags(client)
    # Served from the store: no query but the version.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/openbaar/signalen/").status_code == 200
    assert len(queries) == 1

    hidden = file_signal(
        alice, world["agenda"], world["ministry"], title="Besloten", is_public=False, not_public_reason="Nee"
    )
    services.signal_acknowledge(actor=world["official"], signal_id=hidden.pk)
    # Nothing public changed: the same version, so the ETags say nothing about it.
    assert etags(client) == before

    public = file_signal(alice, world["agenda"], world["ministry"], title="Openbaar over de kievit")
    after_filing = etags(client)
    assert all(after_filing[url] != before[url] for url in PAGES)
    assert "Openbaar over de kievit" in client.get("/openbaar/signalen/").content.decode()
    detail = f"/openbaar/signalen/{public.pk}/"
    first = client.get(detail)["ETag"]
    services.signal_answer(actor=world["official"], signal_id=public.pk, outcome="accepted", text="Het komt goed.")
    assert client.get(detail)["ETag"] != first
    assert "Het komt goed." in client.get(detail).content.decode()


def test_a_signed_in_member_gets_their_own_rendering(world, alice):
    file_signal(alice, world["agenda"], world["ministry"], title="Besloten", is_public=False, not_public_reason="Nee")
    anonymous = Client()
    assert anonymous.get("/api/v1/signals/").json()["count"] == 0
    member = Client()
    member.force_login(alice)
    response = member.get("/api/v1/signals/")
    assert response.json()["count"] == 1 and "ETag" not in response
    # What the member saw was not stored for the public.
    assert anonymous.get("/api/v1/signals/").json()["count"] == 0
