"""Who may do what with the register, on the pages and in the API: every role against every action.

The people: alice coordinates ``coalition`` (Oost-Groningen, CR01, which the entry affects) and victor views in
it; dora coordinates a coalition over Utrecht (CR17, not affected); charlie is outside; ``official`` records for
the entry's ministry, ``other_official`` for another one; ``programme_admin`` records for any; and an anonymous
visitor. The register is public: everyone reads it. 404 where a page does not exist for the person (a coalition
they are not in, a region the entry does not affect), 403 for who may see it but not act.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from regiotoets.models import Entry, EntryResponse
from tests.factories import make_coalition, make_user
from tests.regiotoets.factories import entry_fields, record
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db

ROLES = [
    "member_affected",
    "viewer_affected",
    "member_other",
    "outsider",
    "official",
    "other_official",
    "programme_admin",
    "anonymous",
]


def row(*codes) -> dict:
    """The expected answer of each role, in the order of ``ROLES``."""
    assert len(codes) == len(ROLES)
    return dict(zip(ROLES, codes, strict=True))


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(coalition, alice, victor, charlie):
    ministry = make_ministry("vws")
    dora = make_user("dora")
    utrecht = make_coalition(coordinator=dora, slug="utrecht", region_code="CR17")
    people = {
        "member_affected": alice,
        "viewer_affected": victor,
        "member_other": dora,
        "outsider": charlie,
        "official": make_official("ambtenaar", ministry),
        "other_official": make_official("ander", make_ministry("ienw")),
        "programme_admin": make_user("programmabeheer", role="programme_admin"),
        "anonymous": None,
    }
    entry = record(people["official"], ministry)
    signal_agenda(coalition, alice)
    signal_agenda(utrecht, dora)
    return {"people": people, "ministry": ministry, "entry": entry, "coalition": coalition, "utrecht": utrecht}


def page_client(world, role) -> Client:
    client = Client()
    if world["people"][role] is not None:
        client.force_login(world["people"][role])
    return client


def api_client(world, role) -> APIClient:
    client = APIClient()
    if world["people"][role] is not None:
        client.force_authenticate(world["people"][role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_register(world, role):
    entry = world["entry"]
    client, api = page_client(world, role), api_client(world, role)
    for url in ("/regiotoets/", f"/regiotoets/{entry.pk}/", "/regiotoets/export.csv", "/regiotoets/kaart.svg"):
        assert client.get(url).status_code == 200, url
    for url in ("/api/v1/regiotoets/", f"/api/v1/regiotoets/{entry.pk}/"):
        assert api.get(url).status_code == 200, url
    assert client.get("/regiotoets/999999/").status_code == 404
    assert api.get("/api/v1/regiotoets/999999/").status_code == 404


RECORD_PAGE = row(403, 403, 403, 403, 200, 200, 200, 302)
RECORD_API = row(403, 403, 403, 403, 201, 403, 201, 401)


def api_fields(world, **fields) -> dict:
    data = entry_fields(world["ministry"], **fields)
    return {
        "title": data["title"],
        "summary": data["summary"],
        "ministry": data["ministry_id"],
        "decision_date": data["decision_date"].isoformat(),
        "kind": data["kind"],
        "status": data["status"],
        "regions": data["region_codes"],
        "effects": data["effects"],
    }


@pytest.mark.parametrize("role", ROLES)
def test_record(world, role):
    response = page_client(world, role).get("/regiotoets/nieuw/")
    assert response.status_code == RECORD_PAGE[role]
    if role == "anonymous":
        assert response.url.startswith("/account/login/")
    before = Entry.objects.count()
    response = api_client(world, role).post("/api/v1/regiotoets/", api_fields(world), format="json")
    assert response.status_code == RECORD_API[role], response.content
    assert Entry.objects.count() == before + (1 if RECORD_API[role] == 201 else 0)


EDIT_PAGE = row(403, 403, 403, 403, 200, 403, 200, 302)
EDIT_API = row(403, 403, 403, 403, 200, 403, 200, 401)


@pytest.mark.parametrize("role", ROLES)
def test_edit(world, role):
    entry = world["entry"]
    assert page_client(world, role).get(f"/regiotoets/{entry.pk}/bewerken/").status_code == EDIT_PAGE[role]
    response = api_client(world, role).patch(f"/api/v1/regiotoets/{entry.pk}/", {"title": "Anders"}, format="json")
    assert response.status_code == EDIT_API[role], response.content
    entry.refresh_from_db()
    assert entry.title == ("Anders" if EDIT_API[role] == 200 else "Sluiting van de spoedpost")


# The coalition of the affected region; the Utrecht coalition (not affected).
RESPOND_AFFECTED = row(200, 403, 404, 404, 404, 404, 404, 302)
RESPOND_OTHER = row(404, 404, 404, 404, 404, 404, 404, 302)


@pytest.mark.parametrize("role", ROLES)
def test_respond(world, role):
    entry, client = world["entry"], page_client(world, role)
    affected = f"/regiotoets/{entry.pk}/reageren/{world['coalition'].slug}/"
    other = f"/regiotoets/{entry.pk}/reageren/{world['utrecht'].slug}/"
    assert client.get(affected).status_code == RESPOND_AFFECTED[role]
    assert client.get(other).status_code == RESPOND_OTHER[role]
    agenda = world["coalition"].agendas.get()
    response = client.post(
        affected,
        {
            "agenda": agenda.pk,
            "title": "Reactie",
            "kind": "decision",
            "body": "Dit raakt onze gezondheidsprioriteit.",
            "blocks": f"p-{agenda.priorities.get().pk}",
            "region": "CR01",
            "organisation": world["coalition"].organisations.order_by("region__code").first().pk,
            "is_public": "on",
        },
    )
    expected = 302 if role in ("member_affected", "anonymous") else RESPOND_AFFECTED[role]
    assert response.status_code == expected, response.content.decode()[:2000]
    assert EntryResponse.objects.count() == (1 if role == "member_affected" else 0)
    if role == "member_affected":
        assert response.url == f"/signalen/{EntryResponse.objects.get().signal_id}/"


def test_the_links_to_act_show_only_to_who_may(world):
    entry = world["entry"]
    detail = f"/regiotoets/{entry.pk}/"
    edit, respond = f"/regiotoets/{entry.pk}/bewerken/", f"/regiotoets/{entry.pk}/reageren/"
    for role in ROLES:
        html = page_client(world, role).get(detail).content.decode()
        assert (edit in html) == (EDIT_PAGE[role] == 200), role
        assert (respond in html) == (RESPOND_AFFECTED[role] == 200), role
        register = page_client(world, role).get("/regiotoets/").content.decode()
        assert ("/regiotoets/nieuw/" in register) == (RECORD_PAGE[role] == 200), role
