"""What the public reads of the register, and what it never reads.

One world: an entry recorded by an official with a distinctive name, affecting Oost-Groningen; the coalition
responds twice, once publicly and once not public (with a reason). An anonymous visitor and a logged-in outsider
(charlie) walk every page, export and API endpoint of the register, the region page and signals' public list:
the public response is there, the other one (its title, text and reason) and the official (name, username,
address) never are. The coalition's members and the ministry's officials do read the response that is not
public on the entry's page; an official of another ministry does not.

Public pages are cached per public data version (``core.public_cache``): a new entry or response shows at once.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from regiotoets import services
from tests.factories import make_user
from tests.regiotoets.factories import record
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db

PUBLIC_RESPONSE = "Openbare reactie over de ooievaar"
HIDDEN_RESPONSE = "Besloten reactie over de lepelaar"
HIDDEN_BODY = "Vertrouwelijke tekst over de roerdomp"
HIDDEN_REASON = "Geheime reden van de grutto"
OFFICIAL = ("ambtenaar-pj8", "Pieter Jolmerhuis")


@pytest.fixture
def world(coalition, alice):
    ministry = make_ministry("vws")
    official = make_official(OFFICIAL[0], ministry)
    official.full_name = OFFICIAL[1]
    official.save(update_fields=["full_name"])
    entry = record(official, ministry, title="Spoedpost dicht")
    agenda = signal_agenda(coalition, alice)
    priority = agenda.priorities.get().pk
    public = services.entry_respond(
        actor=alice,
        entry_id=entry.pk,
        agenda_id=agenda.pk,
        title=PUBLIC_RESPONSE,
        body="Openbaar.",
        priority_id=priority,
    )
    hidden = services.entry_respond(
        actor=alice,
        entry_id=entry.pk,
        agenda_id=agenda.pk,
        title=HIDDEN_RESPONSE,
        body=HIDDEN_BODY,
        priority_id=priority,
        is_public=False,
        not_public_reason=HIDDEN_REASON,
    )
    return {"entry": entry, "official": official, "ministry": ministry, "public": public, "hidden": hidden}


def secrets() -> list[str]:
    username, name = OFFICIAL
    return [s.lower() for s in (HIDDEN_RESPONSE, HIDDEN_BODY, HIDDEN_REASON, username, name, f"{username}@example.org")]


def readable(world) -> dict[str, list[str]]:
    entry = world["entry"]
    return {
        "/regiotoets/": [entry.title],
        "/regiotoets/?region=GM0037&effect=negative": [entry.title],
        f"/regiotoets/{entry.pk}/": [entry.title, PUBLIC_RESPONSE],
        "/regiotoets/export.csv": [entry.reference],
        "/regiotoets/kaart.svg": ["Stadskanaal: "],
        "/regios/CR01/": [entry.title],
        "/openbaar/signalen/": [PUBLIC_RESPONSE],
        "/api/v1/regiotoets/": [entry.title],
        f"/api/v1/regiotoets/{entry.pk}/": [entry.title, PUBLIC_RESPONSE],
        "/api/v1/signals/": [PUBLIC_RESPONSE],
    }


@pytest.mark.parametrize("who", ["anonymous", "charlie"])
def test_the_public_reads_the_register_and_no_response_that_is_not_public(world, charlie, who):
    page, api = Client(), APIClient()
    if who == "charlie":
        page.force_login(charlie)
        api.force_login(charlie)
    for url, expected in readable(world).items():
        response = (api if url.startswith("/api/") else page).get(url)
        assert response.status_code == 200, (who, url)
        text = response.content.decode("utf-8-sig")
        for item in expected:
            assert item in text, (who, url, item)
        lowered = text.lower()
        for secret in secrets():
            assert secret not in lowered, (who, url, secret)
    hidden = world["hidden"].signal
    assert page.get(f"/openbaar/signalen/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/signals/{hidden.pk}/").status_code == 404


@pytest.mark.parametrize(
    "who, reads", [("coordinator", True), ("official", True), ("other_official", False), ("admin", False)]
)
def test_a_response_that_is_not_public_is_for_the_coalition_and_the_ministry(world, alice, who, reads):
    user = {
        "coordinator": alice,
        "official": world["official"],
        "other_official": make_official("ander", make_ministry("ienw")),
        "admin": make_user("programmabeheer", role="programme_admin"),
    }[who]
    page, api = Client(), APIClient()
    page.force_login(user)
    api.force_authenticate(user)
    entry = world["entry"]
    assert (HIDDEN_RESPONSE in page.get(f"/regiotoets/{entry.pk}/").content.decode()) == reads
    titles = [r["title"] for r in api.get(f"/api/v1/regiotoets/{entry.pk}/").json()["responses"]]
    assert titles == ([PUBLIC_RESPONSE, HIDDEN_RESPONSE] if reads else [PUBLIC_RESPONSE])


@pytest.mark.postgres
def test_cached_public_pages_show_a_new_entry_and_a_new_response_at_once(world, alice, settings):
    anonymous = Client()
    entry = world["entry"]
    urls = ["/regiotoets/", f"/regiotoets/{entry.pk}/", "/regios/CR17/", "/api/v1/regiotoets/"]
    for url in urls:
        first = anonymous.get(url)
        assert first.status_code == 200 and first.has_header("ETag"), url
        assert anonymous.get(url)["ETag"] == first["ETag"], url  # served from the cache
    record(world["official"], world["ministry"], title="Station Utrecht dicht", region_codes=["CR17"])
    for url in ("/regiotoets/", "/regios/CR17/", "/api/v1/regiotoets/"):
        assert "Station Utrecht dicht" in anonymous.get(url).content.decode(), url
    agenda = world["public"].signal.agenda
    services.entry_respond(
        actor=alice,
        entry_id=entry.pk,
        agenda_id=agenda.pk,
        title="Nog een openbare reactie",
        body="Openbaar.",
        priority_id=agenda.priorities.get().pk,
    )
    assert "Nog een openbare reactie" in anonymous.get(f"/regiotoets/{entry.pk}/").content.decode()
