"""The API of signals: what each caller lists and reads, filing and the ministry's steps, bad input, and answers
that match the published schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from activity.models import Event
from signals.models import Signal
from tests.schema_check import answer_errors
from tests.signals.factories import answered_signal, file_signal, make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coalition, alice):
    ministry, other = make_ministry("testmin"), make_ministry("anders")
    official = make_official("ambtenaar", ministry)
    agenda = signal_agenda(coalition, alice)
    return {
        "ministry": ministry,
        "other": other,
        "official": official,
        "agenda": agenda,
        "answered": answered_signal(alice, agenda, ministry, official, title="Beantwoord", theme_codes=["gezondheid"]),
        "open": file_signal(alice, agenda, other, title="Open"),
        "hidden": file_signal(alice, agenda, ministry, title="Besloten", is_public=False, not_public_reason="Nee"),
    }


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_the_list_is_public_plus_what_the_caller_may_read(world, alice, charlie):
    assert titles(api().get("/api/v1/signals/")) == {"Beantwoord", "Open"}
    assert titles(api(charlie).get("/api/v1/signals/")) == {"Beantwoord", "Open"}
    assert titles(api(alice).get("/api/v1/signals/")) == {"Beantwoord", "Open", "Besloten"}
    assert titles(api(world["official"]).get("/api/v1/signals/")) == {"Beantwoord", "Open", "Besloten"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"ministry": "testmin"}, {"Beantwoord"}),
        ({"status": "filed"}, {"Open"}),
        ({"theme": "gezondheid"}, {"Beantwoord"}),
        ({"region": "CR01"}, {"Beantwoord", "Open"}),
    ],
)
def test_the_list_filters(world, query, expected):
    assert titles(api().get("/api/v1/signals/", query)) == expected


@pytest.mark.parametrize("query", [{"ministry": "onbekend"}, {"status": "weg"}, {"theme": "x"}, {"region": "XX99"}])
def test_a_wrong_filter_is_a_400_with_the_field(world, query):
    response = api().get("/api/v1/signals/", query)
    assert response.status_code == 400 and list(response.json()) == list(query)


def test_the_detail_has_the_history_and_names_nobody(world):
    signal = world["answered"]
    data = api().get(f"/api/v1/signals/{signal.pk}/").json()
    assert [step["kind"] for step in data["steps"]] == ["filed", "acknowledged", "answered"]
    assert data["outcome"] == "accepted" and data["answer"] == "Het ministerie past de regel aan."
    assert data["ministry"]["slug"] == "testmin" and data["themes"] == ["gezondheid"]
    assert world["official"].display_name not in str(data) and "Alice" not in str(data)
    assert answer_errors("/api/v1/signals/{id}/", data) == []
    assert answer_errors("/api/v1/signals/", api().get("/api/v1/signals/").json()) == []
    for missing in ("999999", "0", "abc", str(10**30)):
        assert api().get(f"/api/v1/signals/{missing}/").status_code == 404


def test_filing_through_the_api(world, alice, bob):
    agenda = world["agenda"]
    response = api(bob).post(
        "/api/v1/signals/",
        {
            "agenda": agenda.pk,
            "ministry": world["ministry"].pk,
            "title": "Via de API",
            "body": "Iets blokkeert.",
            "kind": "decision",
            "measure": agenda.measures.get().pk,
            "region": agenda.region.municipalities.order_by("code").first().code,
            "themes": ["gezondheid"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["kind"], data["is_public"], data["blocks_kind"], data["blocks_label"]) == (
        "filed",
        "decision",
        True,
        "measure",
        agenda.measures.get().title,
    )
    assert answer_errors("/api/v1/signals/", data, method="post", status="201") == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"title": ""}, ["title"]),
        ({"body": "  "}, ["body"]),
        ({"ministry": 999999}, ["ministry"]),
        ({"ministry": "BZK"}, ["ministry"]),
        ({"priority": None}, ["priority"]),
        ({"region": "GM0363"}, ["region"]),
        ({"kind": "wet"}, ["kind"]),
        ({"is_public": False}, ["not_public_reason"]),
        ({"themes": ["bestaat-niet"]}, ["themes"]),
        ({"agenda": 999999}, ["agenda"]),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_changes_nothing(world, alice, body, fields):
    agenda = world["agenda"]
    data = {
        "agenda": agenda.pk,
        "ministry": world["ministry"].pk,
        "title": "Titel",
        "body": "Tekst.",
        "kind": "rule",
        "priority": agenda.priorities.get().pk,
        **body,
    }
    before = Signal.objects.count(), Event.objects.count()
    response = api(alice).post("/api/v1/signals/", data, format="json")
    assert response.status_code == 400, response.content
    assert sorted(response.json()) == sorted(fields)
    assert (Signal.objects.count(), Event.objects.count()) == before


def test_the_ministry_steps_through_the_api(world, alice):
    official = world["official"]
    signal = file_signal(alice, world["agenda"], world["ministry"], title="Stappen")
    client = api(official)
    assert client.post(f"/api/v1/signals/{signal.pk}/acknowledge/").json()["status"] == "acknowledged"
    response = client.post(f"/api/v1/signals/{signal.pk}/acknowledge/")
    assert response.status_code == 409
    assert response.json()["allowed_actions"] == ["answer", "forward"]
    response = client.post(
        f"/api/v1/signals/{signal.pk}/answer/", {"outcome": "not_possible", "text": ""}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["text"]
    response = client.post(
        f"/api/v1/signals/{signal.pk}/answer/",
        {"outcome": "forwarded", "text": "Hoort bij anders.", "forward_to": world["ministry"].pk},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["forward_to"]
    response = client.post(
        f"/api/v1/signals/{signal.pk}/answer/",
        {"outcome": "forwarded", "text": "Hoort bij anders.", "forward_to": world["other"].pk},
        format="json",
    )
    # Public: still readable after the forward, now addressed to the other ministry.
    assert response.status_code == 200 and response.json()["ministry"]["slug"] == "anders"
    hidden = world["hidden"]
    response = client.post(
        f"/api/v1/signals/{hidden.pk}/answer/",
        {"outcome": "forwarded", "text": "Hoort bij anders.", "forward_to": world["other"].pk},
        format="json",
    )
    assert response.status_code == 204
    assert client.get(f"/api/v1/signals/{hidden.pk}/").status_code == 404


def test_the_ministries_with_their_figures(world):
    data = {row["slug"]: row for row in api().get("/api/v1/ministries/").json()}
    assert (data["testmin"]["open"], data["testmin"]["answers"], data["testmin"]["share_in_time"]) == (0, 1, 1.0)
    assert (data["anders"]["open"], data["anders"]["answers"], data["anders"]["median_days"]) == (1, 0, None)
    assert "vro" in data  # the catalogue's own ministries are there too
    assert answer_errors("/api/v1/ministries/", list(data.values())) == []
