"""What the public reads of signals, and what it never reads: every public page, API endpoint and export.

One world: a coalition with a public signal (answered, then forwarded once) and one that is not public, about a
draft agenda whose priority was renamed after filing; a second coalition with its own member; officials and
filers with distinctive names. An anonymous visitor, a logged-in outsider and the other coalition's member walk
every public page, API endpoint and export: no response may contain the text of the signal that is not public,
its reason, the draft agenda's title or its priority's later title, or any person's name; the public signal and
its answer must be there. tests/kansenagenda/test_public_portal.py has signals in its sweep too.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agendas.models import Priority
from signals import services
from signals.models import MinistryOfficial
from tests.factories import make_coalition, make_user
from tests.signals.factories import file_signal, make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db

PUBLIC_TITLE = "Openbaar signaal over de kievit"
PUBLIC_ANSWER = "Het ministerie regelt de kievit"
FORWARD_REASON = "Doorgestuurd want de kievit is van EZ"
SECRETS = [
    "Besloten signaal over de tapuit",
    "Besloten uitleg over de tapuit",
    "Reden tapuit blijft geheim",
    "Conceptagenda Goudplevier",
    "Later hernoemde prioriteit Wielewaal",
    "Zoë Zeldzaamhuis",  # the coordinator who filed
    "Ulrike Uithoornstra",  # the ministry's official
]


def named(username: str, full_name: str, role: str | None = None):
    user = make_user(username, role=role)
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def world(db):
    coordinator = named("zoe", "Zoë Zeldzaamhuis")
    coalition = make_coalition(coordinator=coordinator)
    agenda = signal_agenda(coalition, coordinator, title="Conceptagenda Goudplevier")
    ministry, other = make_ministry("testmin"), make_ministry("anders")
    official = named("ulrike", "Ulrike Uithoornstra", role="rijk_official")
    MinistryOfficial.objects.create(ministry=ministry, user=official)
    public = file_signal(coordinator, agenda, ministry, title=PUBLIC_TITLE)
    services.signal_answer(
        actor=official, signal_id=public.pk, outcome="forwarded", text=FORWARD_REASON, forward_to_ministry_id=other.pk
    )
    services.signal_answer(
        actor=make_official("tweede", other), signal_id=public.pk, outcome="accepted", text=PUBLIC_ANSWER
    )
    hidden = file_signal(
        coordinator,
        agenda,
        ministry,
        title=SECRETS[0],
        body=SECRETS[1],
        is_public=False,
        not_public_reason=SECRETS[2],
    )
    services.signal_acknowledge(actor=official, signal_id=hidden.pk)
    # The draft's priority renamed after filing: the public sees the title the coalition filed, not the live one.
    Priority.objects.filter(agenda=agenda).update(title=SECRETS[4])
    outsider_coordinator = named("olaf", "Olaf Onbekendkamp")
    make_coalition(coordinator=outsider_coordinator, slug="elders", region_code="CR12")
    return {"public": public, "hidden": hidden, "ministry": ministry, "other_member": outsider_coordinator}


def clients(world) -> dict[str, tuple[Client, APIClient]]:
    found = {"anonymous": (Client(), APIClient())}
    for name, user in (("outsider", make_user("charlie")), ("other coalition", world["other_member"])):
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        found[name] = (page, api)
    return found


def readable(world) -> dict[str, list[str]]:
    public = world["public"]
    return {
        "/openbaar/signalen/": [PUBLIC_TITLE],
        "/openbaar/signalen/?status=answered": [PUBLIC_TITLE],
        "/openbaar/signalen/?ministry=testmin": [],
        f"/openbaar/signalen/{public.pk}/": [PUBLIC_TITLE, PUBLIC_ANSWER, FORWARD_REASON],
        "/openbaar/signalen/export.csv": [PUBLIC_TITLE, PUBLIC_ANSWER],
        "/openbaar/": [],
        "/api/v1/signals/": [PUBLIC_TITLE, PUBLIC_ANSWER],
        "/api/v1/signals/?ministry=testmin": [],
        f"/api/v1/signals/{public.pk}/": [PUBLIC_TITLE, PUBLIC_ANSWER, FORWARD_REASON],
        "/api/v1/ministries/": [],
    }


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other coalition"])
def test_the_public_reads_public_signals_and_nothing_private(world, who):
    page, api = clients(world)[who]
    for url, expected in readable(world).items():
        response = (api if url.startswith("/api/") else page).get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        text = response.content.decode("utf-8-sig")
        for item in expected:
            assert item in text, (who, url, item)
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), (who, url, secret)
    assert world["hidden"].reference not in page.get("/openbaar/signalen/").content.decode()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other coalition"])
def test_a_signal_that_is_not_public_is_not_found(world, who):
    page, api = clients(world)[who]
    hidden = world["hidden"]
    for url in (f"/openbaar/signalen/{hidden.pk}/", f"/signalen/{hidden.pk}/"):
        response = page.get(url)
        if who == "anonymous" and url.startswith("/signalen/"):
            assert response.status_code == 302 and response.url.startswith("/account/login/")
        else:
            assert response.status_code == 404, (who, url)
    for action in ("ontvangst", "antwoord", "afsluiten"):
        assert page.post(f"/signalen/{hidden.pk}/{action}/").status_code in (302, 404)
    assert api.get(f"/api/v1/signals/{hidden.pk}/").status_code == 404
    for action in ("acknowledge", "answer", "close"):
        assert api.post(f"/api/v1/signals/{hidden.pk}/{action}/", {}, format="json").status_code in (401, 404)
    listed = {row["reference"] for row in api.get("/api/v1/signals/").json()["results"]}
    assert hidden.reference not in listed and world["public"].reference in listed
