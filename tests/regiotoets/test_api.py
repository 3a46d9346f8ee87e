"""The register's API: the list with the page's filters, one entry, recording and changing (field errors as 400)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from regiotoets import services
from regiotoets.models import Entry
from tests.regiotoets.factories import effect, record
from tests.schema_check import answer_errors
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_ministry("vws")


@pytest.fixture
def official(ministry):
    return make_official("ambtenaar", ministry)


@pytest.fixture
def api(official):
    client = APIClient()
    client.force_authenticate(official)
    return client


def body(ministry, **fields) -> dict:
    data = {
        "title": "Sluiting van het station",
        "summary": "Het station sluit.",
        "ministry": ministry.pk,
        "decision_date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "kind": "closure",
        "status": "decision",
        "regions": ["GM0037"],
        "effects": [effect()],
    }
    data.update(fields)
    return data


def test_the_list_filters_as_the_page(official, ministry):
    record(official, ministry, title="Spoedpost dicht")
    record(official, ministry, title="Station open", region_codes=["CR17"], effects=[effect("wonen", "positive")])
    client = APIClient()

    def titles(query=""):
        response = client.get(f"/api/v1/regiotoets/{query}")
        assert response.status_code == 200, response.content
        return [row["title"] for row in response.json()["results"]]

    assert titles() == ["Station open", "Spoedpost dicht"]
    assert titles("?region=GM0037") == ["Spoedpost dicht"]
    assert titles("?region=PV26&theme=wonen&effect=positive") == ["Station open"]
    assert titles("?theme=wonen&effect=negative") == []
    assert titles("?ministry=vws&kind=closure&status=decision") == ["Station open", "Spoedpost dicht"]
    row = client.get("/api/v1/regiotoets/").json()["results"][1]
    assert row["regions"] == [{"code": "CR01", "name": "Oost-Groningen", "kind": "corop"}]
    assert row["effects"] == [
        {"theme": "gezondheid", "expected": "negative", "reason": "Reden voor gezondheid.", "evidence": ""}
    ]
    assert row["ministry"]["slug"] == "vws" and "recorded_by" not in row


@pytest.mark.parametrize("query", ["region=XX99", "theme=geen", "effect=slecht", "ministry=geen", "kind=sloop"])
def test_a_wrong_filter_is_a_400_at_its_parameter(query):
    response = APIClient().get(f"/api/v1/regiotoets/?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.json()


def test_an_official_records_and_gets_the_entry_back(api, ministry):
    response = api.post("/api/v1/regiotoets/", body(ministry), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"].startswith("RT-") and data["responses"] == []
    assert [r["code"] for r in data["regions"]] == ["GM0037"]


def test_field_errors_are_400_and_change_nothing(api, ministry):
    response = api.post(
        "/api/v1/regiotoets/",
        body(ministry, regions=[], effects=[effect("wonen", reason="")], decision_date="2999-01-01"),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"regions", "effect-wonen-reason", "decision_date"}
    response = api.post("/api/v1/regiotoets/", body(ministry, effects=[{"theme": "x"}], regions="CR01"), format="json")
    assert response.status_code == 400  # the shapes: DRF's own field errors
    response = api.post("/api/v1/regiotoets/", {**body(ministry), "ministry": 123456}, format="json")
    assert response.status_code == 400 and "ministry" in response.json()
    assert not Entry.objects.exists()


def test_a_patch_keeps_what_is_left_out_and_replaces_lists_as_a_whole(api, official, ministry):
    entry = record(official, ministry, region_codes=["CR01", "CR17"], effects=[effect(), effect("wonen", "positive")])
    response = api.patch(f"/api/v1/regiotoets/{entry.pk}/", {"title": "Nieuw"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "Nieuw" and len(data["regions"]) == 2 and len(data["effects"]) == 2
    response = api.patch(f"/api/v1/regiotoets/{entry.pk}/", {"regions": ["GM0014"]}, format="json")
    assert [r["code"] for r in response.json()["regions"]] == ["GM0014"]
    response = api.patch(f"/api/v1/regiotoets/{entry.pk}/", {"effects": []}, format="json")
    assert response.status_code == 400 and "effects" in response.json()
    assert api.put(f"/api/v1/regiotoets/{entry.pk}/", body(ministry), format="json").status_code == 405
    assert api.delete(f"/api/v1/regiotoets/{entry.pk}/").status_code == 405


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/regiotoets/" in schema and "/api/v1/regiotoets/{id}/" in schema


def test_the_answers_match_the_published_schema_strictly(official, ministry, coalition, alice):
    entry = record(official, ministry, source_url="https://example.org/besluit")
    agenda = signal_agenda(coalition, alice)
    services.entry_respond(
        actor=alice,
        entry_id=entry.pk,
        agenda_id=agenda.pk,
        title="Reactie",
        body="Tekst.",
        priority_id=agenda.priorities.get().pk,
    )
    client = APIClient()
    assert answer_errors("/api/v1/regiotoets/", client.get("/api/v1/regiotoets/").json()) == []
    detail = client.get(f"/api/v1/regiotoets/{entry.pk}/").json()
    assert len(detail["responses"]) == 1
    assert answer_errors("/api/v1/regiotoets/{id}/", detail) == []
