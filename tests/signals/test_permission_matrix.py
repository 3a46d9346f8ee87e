"""Who may do what with signals, on the pages and in the API: every role against every action.

The people: alice coordinates ``coalition``, bob edits for its first organisation, ``representative`` edits
for its second one, victor views; charlie is outside; ``official`` answers for the ministry a signal is
addressed to, ``other_official`` for another ministry; ``programme_admin`` keeps the catalogue; and an
anonymous visitor. Expected answers: a status code per role, or ``OK`` for the action's success code.

404 for who may not know a signal exists (one that is not public); 403 for who may read it but not act.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from coalitions import services as coalition_services
from signals.models import Signal
from tests.factories import make_user
from tests.signals.factories import file_signal, make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator",
    "editor",
    "representative",
    "viewer",
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


#            coordinator editor representative viewer outsider official other_official programme_admin anonymous


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(coalition, alice, bob, victor, charlie):
    ministry, other = make_ministry("testmin"), make_ministry("anders")
    representative = make_user("vertegenwoordiger")
    second = coalition.organisations.order_by("region__code")[1]
    coalition_services.coalition_set_member(
        coalition=coalition, user=representative, organisation=second, role="editor", actor=alice
    )
    people = {
        "coordinator": alice,
        "editor": bob,
        "representative": representative,
        "viewer": victor,
        "outsider": charlie,
        "official": make_official("ambtenaar", ministry),
        "other_official": make_official("ander", other),
        "programme_admin": make_user("programmabeheer", role="programme_admin"),
        "anonymous": None,
    }
    agenda = signal_agenda(coalition, alice)
    public = file_signal(alice, agenda, ministry, title="Openbaar signaal")
    hidden = file_signal(
        alice, agenda, ministry, title="Besloten signaal", is_public=False, not_public_reason="Gevoelig"
    )
    return {"people": people, "ministry": ministry, "agenda": agenda, "public": public, "hidden": hidden}


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


# --- filing -----------------------------------------------------------------------------------------------------

FILE_PAGE = row(200, 200, 200, 403, 404, 404, 404, 404, 302)
FILE_API = row(201, 201, 201, 403, 400, 400, 400, 400, 401)


@pytest.mark.parametrize("role", ROLES)
def test_file(world, role):
    agenda = world["agenda"]
    assert page_client(world, role).get(f"/signalen/nieuw/{agenda.pk}/").status_code == FILE_PAGE[role]
    before = Signal.objects.count()
    response = api_client(world, role).post(
        "/api/v1/signals/",
        {
            "agenda": agenda.pk,
            "ministry": world["ministry"].pk,
            "title": "Nog een signaal",
            "body": "Iets blokkeert iets.",
            "kind": "rule",
            "priority": agenda.priorities.get().pk,
        },
        format="json",
    )
    assert response.status_code == FILE_API[role], response.content
    assert Signal.objects.count() == before + (1 if FILE_API[role] == 201 else 0)
    if role == "representative":
        # The organisation they represent, not the coordinator's.
        assert response.json()["organisation"] == world["people"][role].coalition_memberships.get().organisation.name
    if FILE_API[role] == 400:
        assert list(response.json()) == ["agenda"]


# --- reading ----------------------------------------------------------------------------------------------------

WORKING_PUBLIC = row(200, 200, 200, 200, 302, 200, 302, 302, 302)
WORKING_HIDDEN = row(200, 200, 200, 200, 404, 200, 404, 404, 302)


@pytest.mark.parametrize("role", ROLES)
def test_read_a_public_signal(world, role):
    signal = world["public"]
    assert page_client(world, role).get(f"/openbaar/signalen/{signal.pk}/").status_code == 200
    response = page_client(world, role).get(f"/signalen/{signal.pk}/")
    assert response.status_code == WORKING_PUBLIC[role]
    if role == "anonymous":
        assert response.url.startswith("/account/login/")
    elif response.status_code == 302:
        # Someone not involved reads the public page, without names.
        assert response.url == f"/openbaar/signalen/{signal.pk}/"
    assert api_client(world, role).get(f"/api/v1/signals/{signal.pk}/").status_code == 200
    assert signal.reference in page_client(world, role).get("/openbaar/signalen/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_read_a_signal_that_is_not_public(world, role):
    signal = world["hidden"]
    # Never on the public pages, whoever asks.
    assert page_client(world, role).get(f"/openbaar/signalen/{signal.pk}/").status_code == 404
    assert signal.reference not in page_client(world, role).get("/openbaar/signalen/").content.decode()
    response = page_client(world, role).get(f"/signalen/{signal.pk}/")
    assert response.status_code == WORKING_HIDDEN[role]
    if role == "anonymous":
        assert response.url.startswith("/account/login/")
    api = 200 if WORKING_HIDDEN[role] == 200 else 404
    assert api_client(world, role).get(f"/api/v1/signals/{signal.pk}/").status_code == api
    listed = {row["reference"] for row in api_client(world, role).get("/api/v1/signals/").json()["results"]}
    assert (signal.reference in listed) == (api == 200)


# --- the ministry's steps ----------------------------------------------------------------------------------------

# A public signal: who may read it but not act gets a 403; a signal that is not public: 404 for who may not read it.
STEP_PUBLIC = row(403, 403, 403, 403, 403, "OK", 403, 403, 302)
STEP_HIDDEN = row(403, 403, 403, 403, 404, "OK", 404, 404, 302)
API_ANONYMOUS = 401


def prepare(signal, action, official):
    from signals import services

    if action == "close":
        services.signal_answer(actor=official, signal_id=signal.pk, outcome="accepted", text="Wij doen het.")


STEPS = {
    # action: (page path, page data, API path, API data, status after)
    "acknowledge": ("ontvangst", {}, "acknowledge", {}, Signal.Status.ACKNOWLEDGED),
    "answer": (
        "antwoord",
        {"outcome": "not_possible", "text": "Europese regels."},
        "answer",
        {"outcome": "not_possible", "text": "Europese regels."},
        Signal.Status.ANSWERED,
    ),
    "close": ("afsluiten", {}, "close", {}, Signal.Status.CLOSED),
}


@pytest.mark.parametrize("which", ["public", "hidden"])
@pytest.mark.parametrize("action", list(STEPS))
@pytest.mark.parametrize("role", ROLES)
def test_the_ministry_steps(world, role, action, which):
    signal = world[which]
    prepare(signal, action, world["people"]["official"])
    page_path, page_data, api_path, api_data, after = STEPS[action]
    before = Signal.objects.get(pk=signal.pk).status
    expected = (STEP_PUBLIC if which == "public" else STEP_HIDDEN)[role]

    response = page_client(world, role).post(f"/signalen/{signal.pk}/{page_path}/", page_data)
    if expected == "OK":
        assert response.status_code == 302 and response.url == f"/signalen/{signal.pk}/"
        assert Signal.objects.get(pk=signal.pk).status == after
        return
    assert response.status_code == expected
    assert Signal.objects.get(pk=signal.pk).status == before

    response = api_client(world, role).post(f"/api/v1/signals/{signal.pk}/{api_path}/", api_data, format="json")
    assert response.status_code == (API_ANONYMOUS if role == "anonymous" else expected)
    assert Signal.objects.get(pk=signal.pk).status == before


@pytest.mark.parametrize("action", list(STEPS))
def test_the_official_steps_through_the_api(world, action):
    signal = world["hidden"]
    prepare(signal, action, world["people"]["official"])
    _page, _data, api_path, api_data, after = STEPS[action]
    response = api_client(world, "official").post(f"/api/v1/signals/{signal.pk}/{api_path}/", api_data, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == after


# --- the catalogue ------------------------------------------------------------------------------------------------

CATALOGUE = row(403, 403, 403, 403, 403, 403, 403, 200, 302)


@pytest.mark.parametrize("role", ROLES)
def test_manage_the_catalogue(world, role):
    ministry = world["ministry"]
    client = page_client(world, role)
    for url in ("/signalen/ministeries/", f"/signalen/ministeries/{ministry.pk}/"):
        assert client.get(url).status_code == CATALOGUE[role]
    response = client.post(
        f"/signalen/ministeries/{ministry.pk}/",
        {"name": ministry.name, "abbreviation": "X", "acknowledge_days": "5", "answer_days": "30", "is_active": "on"},
    )
    assert response.status_code == (302 if CATALOGUE[role] == 200 else CATALOGUE[role])
    ministry.refresh_from_db()
    assert (ministry.abbreviation == "X") == (CATALOGUE[role] == 200)


# --- the people's own lists ---------------------------------------------------------------------------------------

COALITION_LIST = row(200, 200, 200, 200, 404, 404, 404, 404, 302)
MINISTRY_LIST = row(404, 404, 404, 404, 404, 200, 404, 404, 302)


@pytest.mark.parametrize("role", ROLES)
def test_the_coalition_and_ministry_lists(world, role, coalition):
    client = page_client(world, role)
    response = client.get(f"/signalen/coalitie/{coalition.slug}/")
    assert response.status_code == COALITION_LIST[role]
    if response.status_code == 200:
        assert world["hidden"].reference in response.content.decode()
    response = client.get(f"/signalen/ministerie/{world['ministry'].slug}/")
    assert response.status_code == MINISTRY_LIST[role]
    if response.status_code == 200:
        assert world["hidden"].reference in response.content.decode()
    assert client.get("/signalen/").status_code == (302 if role == "anonymous" else 200)
