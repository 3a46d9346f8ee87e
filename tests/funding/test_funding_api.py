"""The funding API (/api/v1/programmes/, /api/v1/decisions/): who sees what, the second factor, bad input."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agendas.models import Agenda
from funding import letters
from funding.models import Decision, Envelope, Programme, Tranche
from reviews.models import Assignment
from tests.factories import make_user
from tests.funding.factories import (
    advised_submission,
    client_for,
    confirmed_device,
    give_mandate,
    make_programme,
    verified_client,
)
from tests.helpers import api_token

pytestmark = pytest.mark.django_db

DECISIONS = "/api/v1/decisions/"
PROGRAMMES = "/api/v1/programmes/"
# complete_agenda asks the Rijk for 100.000 in 2026; the snapshot's title is the agenda's when submitted.
REQUESTED = 100_000
TITLE = "Kansen voor Oost-Groningen"
DRAFT_TITLE = "Geheime concepttitel na indiening"
REVIEWER = "revisor-geheim"


@pytest.fixture
def submission(coalition, alice, chair):
    return advised_submission(coalition, alice, chair)


@pytest.fixture
def programme(proposer):
    return make_programme(proposer, envelope=500_000)


def proposal(submission, programme, fields=None) -> dict:
    body = {
        "submission": submission.pk,
        "programme": programme.pk,
        "amount_awarded": REQUESTED,
        "tranches": [{"year": 2026, "amount": 60_000}, {"year": 2027, "amount": 40_000}],
        "conditions": "Jaarlijkse voortgangsrapportage.",
    }
    body.update(fields or {})
    return body


def propose(submission, programme, proposer, **fields) -> int:
    response = client_for(proposer).post(DECISIONS, proposal(submission, programme, fields), format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def approve(decision_id, approver):
    return verified_client(approver).post(f"{DECISIONS}{decision_id}/approve/")


def committed(programme) -> dict:
    return dict(Envelope.objects.filter(programme=programme).values_list("year", "committed_open"))


# --- the whole way: propose, approve, public ----------------------------------------------------------


def test_a_proposal_approved_in_a_verified_session_is_public_with_its_tranches(
    submission, programme, proposer, approver
):
    response = client_for(proposer).post(DECISIONS, proposal(submission, programme), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["amount_awarded"], created["proposed_by"]) == ("proposed", REQUESTED, "Proposer")
    decision_id = created["id"]

    response = approve(decision_id, approver)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decided_by"]) == ("approved", "Approver")
    assert Decision.objects.get(pk=decision_id).status == Decision.Status.APPROVED

    public = client_for().get(f"{DECISIONS}{decision_id}/")
    assert public.status_code == 200
    data = public.json()
    assert data["status"] == "approved"
    assert data["title"] == TITLE
    assert data["region"]["code"] == submission.snapshot["region"]["code"]
    assert data["lead_partner"]["name"] == submission.snapshot["lead_partner"]["name"]
    assert (data["amount_requested"], data["amount_awarded"]) == (REQUESTED, REQUESTED)
    assert data["conditions"] == "Jaarlijkse voortgangsrapportage."
    assert [(t["year"], t["amount"], t["status"]) for t in data["tranches"]] == [
        (2026, 60_000, "planned"),
        (2027, 40_000, "planned"),
    ]
    assert data["submission"] == {
        "id": submission.pk,
        "content_hash": submission.content_hash,
        "submitted_at": data["submission"]["submitted_at"],
    }
    assert data["advice"]["outcome"] == "positive"
    assert data["decided_at"] is not None
    # Anonymous readers do not learn which officials proposed and decided.
    assert (data["proposed_by"], data["decided_by"], data["rejection_reason"]) == (None, None, None)

    listed = client_for().get(DECISIONS).json()
    assert [row["id"] for row in listed["results"]] == [decision_id]
    assert listed["results"][0]["title"] == TITLE


def test_the_programme_shows_what_is_committed_and_available_after_approval(submission, programme, proposer, approver):
    decision_id = propose(submission, programme, proposer)
    before = client_for().get(f"{PROGRAMMES}{programme.pk}/").json()
    assert before["envelopes"][0]["committed"] == 0  # a proposal commits nothing

    assert approve(decision_id, approver).status_code == 200

    response = client_for().get(PROGRAMMES)
    assert response.status_code == 200
    (row,) = [p for p in response.json()["results"] if p["id"] == programme.pk]
    assert row["rules"] == {"min_cofinancing_percent": 30, "reserved_percent": 30, "lagging_min_themes": 30}
    assert row["years"] == list(range(2026, 2036))
    years = {e["year"]: e for e in row["envelopes"]}
    assert years[2026] == {
        "year": 2026,
        "amount": 500_000,
        "reserved": 150_000,
        "open": 350_000,
        "committed_reserved": 0,
        "committed_open": 60_000,
        "committed": 60_000,
        "available": 440_000,
        "available_reserved": 150_000,
        "available_open": 290_000,
    }
    assert (years[2027]["committed"], years[2027]["available"]) == (40_000, 460_000)
    assert (years[2028]["committed"], years[2028]["available"]) == (0, 500_000)
    assert row["totals"] == {"amount": 5_000_000, "reserved": 1_500_000, "committed": 100_000, "available": 4_900_000}


# --- who sees what -----------------------------------------------------------------------------


def test_proposed_and_rejected_decisions_exist_only_for_officials(
    submission, programme, proposer, approver, chair, alice, bob, victor
):
    reviewer = make_user(REVIEWER, role="reviewer")
    decision_id = propose(submission, programme, proposer)
    outsiders = [None, alice, bob, victor, reviewer, chair]

    def visible(user, decision_id) -> bool:
        client = client_for(user)
        detail = client.get(f"{DECISIONS}{decision_id}/")
        assert detail.status_code in (200, 404)
        listed = [row["id"] for row in client.get(DECISIONS).json()["results"]]
        assert (detail.status_code == 200) == (decision_id in listed)
        return detail.status_code == 200

    for user in outsiders:
        assert not visible(user, decision_id), user
        assert client_for(user).get(f"{DECISIONS}{decision_id}/letter/").status_code == 404
    for official in (proposer, approver):
        assert visible(official, decision_id)
        assert client_for(official).get(DECISIONS, {"status": "proposed"}).json()["count"] == 1

    response = client_for(approver).post(f"{DECISIONS}{decision_id}/reject/", {"reason": "Te duur."}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", "Te duur.")
    for user in outsiders:
        assert not visible(user, decision_id), user
    assert visible(proposer, decision_id)
    assert not Envelope.objects.filter(committed_open__gt=0).exists()


def test_non_officials_cannot_propose_approve_or_reject(submission, programme, proposer, approver, alice, chair):
    decision_id = propose(submission, programme, proposer)
    Decision.objects.filter(pk=decision_id).update(status=Decision.Status.APPROVED)  # visible to everyone
    other = advised_submission(submission.agenda.coalition, alice, chair)
    for user in (None, alice, chair):
        client = verified_client(user) if user else client_for()
        assert client.post(DECISIONS, proposal(other, programme), format="json").status_code in (401, 403)
        assert client.post(f"{DECISIONS}{decision_id}/reject/", {"reason": "Nee"}, format="json").status_code in (
            401,
            403,
        )
        assert client.post(f"{DECISIONS}{decision_id}/approve/").status_code in (401, 403)
        assert client.post(
            PROGRAMMES,
            {"name": "X", "start_year": 2026, "end_year": 2026, "envelopes": [{"year": 2026, "amount": 1}]},
            format="json",
        ).status_code in (401, 403)
    assert Decision.objects.count() == 1
    assert not Decision.objects.filter(submission=other).exists()
    assert not Programme.objects.filter(name="X").exists()


def test_no_reviewer_official_or_draft_title_in_any_public_payload(submission, programme, proposer, approver):
    reviewer = make_user(REVIEWER, role="reviewer")
    Assignment.objects.create(
        submission=submission,
        reviewer=reviewer,
        due_date=submission.round.review_deadline,
        status=Assignment.Status.SUBMITTED,
        summary="Sterk plan.",
    )
    # The live agenda changed after it was submitted: its draft is nobody's business.
    Agenda.objects.filter(pk=submission.agenda_id).update(title=DRAFT_TITLE)
    decision_id = propose(submission, programme, proposer)
    assert approve(decision_id, approver).status_code == 200
    letters.make_letter(decision_id)

    anonymous, outsider = client_for(), client_for(make_user("charlie"))
    for client in (anonymous, outsider):
        for url, query in (
            (DECISIONS, {}),
            (DECISIONS, {"year": 2026, "region": submission.snapshot["region"]["code"]}),
            (f"{DECISIONS}{decision_id}/", {}),
            (PROGRAMMES, {}),
            (f"{PROGRAMMES}{programme.pk}/", {}),
        ):
            response = client.get(url, query)
            assert response.status_code == 200, url
            raw = response.content.decode().lower()
            for secret in (REVIEWER, DRAFT_TITLE.lower(), "proposer", "approver", "sterk plan"):
                assert secret not in raw, (url, secret)
    assert TITLE in anonymous.get(f"{DECISIONS}{decision_id}/").content.decode()
    # Officials do see who proposed and approved.
    official = client_for(proposer).get(f"{DECISIONS}{decision_id}/").json()
    assert (official["proposed_by"], official["decided_by"]) == ("Proposer", "Approver")


def test_decisions_are_filtered_by_programme_region_year_and_status(submission, programme, proposer, approver):
    decision_id = propose(submission, programme, proposer)
    assert approve(decision_id, approver).status_code == 200
    region = submission.snapshot["region"]["code"]
    other_programme = make_programme(proposer, envelope=10)
    anonymous = client_for()

    def ids(**query) -> list[int]:
        response = anonymous.get(DECISIONS, query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [decision_id]
    assert ids(programme=programme.pk) == [decision_id]
    assert ids(programme=other_programme.pk) == []
    assert ids(region=region) == [decision_id]
    assert ids(region="GM9999") == []
    assert ids(year=2027) == [decision_id]
    assert ids(year=2028) == []
    assert ids(status="approved") == [decision_id]
    assert ids(status="proposed") == []
    for bad in ({"year": "twee"}, {"programme": "1.5"}, {"programme": "9" * 30}, {"status": "bogus"}):
        assert anonymous.get(DECISIONS, bad).status_code == 400, bad


def test_the_lists_do_not_query_per_decision_or_programme(submission, programme, proposer, approver, alice, chair):
    def queries(url) -> int:
        client = client_for(proposer)  # an official: the names of the officials are read too
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    approve(propose(submission, programme, proposer), approver)
    one = (queries(DECISIONS), queries(PROGRAMMES))
    other = advised_submission(submission.agenda.coalition, alice, chair)
    approve(propose(other, make_programme(proposer), proposer), approver)
    assert Decision.objects.filter(status="approved").count() == Programme.objects.count() == 2
    assert (queries(DECISIONS), queries(PROGRAMMES)) == one


# --- the second factor ---------------------------------------------------------------------------


def test_approving_without_a_verified_session_is_refused_and_changes_nothing(submission, programme, proposer, approver):
    decision_id = propose(submission, programme, proposer)
    confirmed_device(approver)  # has an app, but did not enter a code in this session
    response = client_for(approver).post(f"{DECISIONS}{decision_id}/approve/")
    assert response.status_code == 403
    assert "/account/tweestaps/" in response.json()["detail"]
    assert Decision.objects.get(pk=decision_id).status == Decision.Status.PROPOSED
    assert not Envelope.objects.filter(committed_open__gt=0).exists()
    # The same official in a verified session may.
    assert approve(decision_id, approver).status_code == 200


def test_a_token_never_approves_even_for_a_user_with_an_app(submission, programme, proposer, approver):
    decision_id = propose(submission, programme, proposer)
    confirmed_device(approver)
    token = api_token(approver)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"{DECISIONS}{decision_id}/").status_code == 200  # the token does authenticate an official
    response = client.post(f"{DECISIONS}{decision_id}/approve/")
    assert response.status_code == 403
    assert "/account/tweestaps/" in response.json()["detail"]
    decision = Decision.objects.get(pk=decision_id)
    assert (decision.status, decision.decided_by) == (Decision.Status.PROPOSED, None)
    assert committed(programme)[2026] == 0
    # A token can reject (no second factor needed), so the refusal above is about approving only.
    assert client.post(f"{DECISIONS}{decision_id}/reject/", {"reason": "Nee."}, format="json").status_code == 200


def test_four_eyes_through_the_api(submission, programme, proposer):
    give_mandate(proposer)
    decision_id = propose(submission, programme, proposer)
    client = verified_client(proposer)
    response = client.post(f"{DECISIONS}{decision_id}/approve/")
    assert response.status_code == 400
    assert "Vier ogen" in " ".join(response.json()["non_field_errors"])
    response = client.post(f"{DECISIONS}{decision_id}/reject/", {"reason": "Toch niet."}, format="json")
    assert response.status_code == 400
    assert "Vier ogen" in " ".join(response.json()["non_field_errors"])
    assert Decision.objects.get(pk=decision_id).status == Decision.Status.PROPOSED
    assert committed(programme)[2026] == 0


def test_approving_twice_or_rejecting_an_approved_decision_is_a_400(submission, programme, proposer, approver):
    decision_id = propose(submission, programme, proposer)
    assert approve(decision_id, approver).status_code == 200
    assert approve(decision_id, approver).status_code == 400
    response = client_for(approver).post(f"{DECISIONS}{decision_id}/reject/", {"reason": "Nee."}, format="json")
    assert response.status_code == 400
    assert committed(programme)[2026] == 60_000


def test_rejecting_needs_a_reason(submission, programme, proposer, approver):
    decision_id = propose(submission, programme, proposer)
    for body in ({}, {"reason": ""}, {"reason": "x" * 10_001}):
        response = client_for(approver).post(f"{DECISIONS}{decision_id}/reject/", body, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
    assert Decision.objects.get(pk=decision_id).status == Decision.Status.PROPOSED


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"submission": "abc"}, "submission"),
        ({"submission": 987_654}, "submission"),
        ({"submission": 10**30}, "submission"),
        ({"submission": None}, "submission"),
        ({"programme": "abc"}, "programme"),
        ({"programme": 987_654}, "programme"),
        ({"programme": 1.5}, "programme"),
        ({"amount_awarded": "veel"}, "amount_awarded"),
        ({"amount_awarded": 12.5}, "amount_awarded"),
        ({"amount_awarded": True}, "amount_awarded"),
        ({"amount_awarded": 10**40}, "amount_awarded"),
        ({"amount_awarded": -5}, "amount_awarded"),
        ({"amount_awarded": REQUESTED + 1}, "amount_awarded"),  # more than requested (the service)
        ({"tranches": "2026"}, "tranches"),
        ({"tranches": [{"year": "twee", "amount": 100_000}]}, "tranches"),
        ({"tranches": [{"year": 99_999, "amount": 100_000}]}, "tranches"),
        ({"tranches": [{"year": 2026, "amount": "veel"}]}, "tranches"),
        ({"tranches": [{"year": 2026, "amount": 10**40}]}, "tranches"),
        ({"tranches": [{"year": 2026, "amount": 50_000}, {"year": 2026, "amount": 50_000}]}, "tranches"),
        ({"tranches": [{"year": 2026, "amount": 60_000}]}, "tranches"),  # does not add up (the service)
        ({"tranches": [{"year": 2040, "amount": 100_000}]}, "tranches"),  # outside the period (the service)
        ({"tranches": []}, "tranches"),
        ({"conditions": "x" * 10_001}, "conditions"),
        ({"conditions": ["geen", "tekst"]}, "conditions"),
    ],
)
def test_bad_proposals_are_a_400_with_field_errors_and_create_nothing(submission, programme, proposer, change, field):
    response = client_for(proposer).post(DECISIONS, proposal(submission, programme, change), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Decision.objects.exists()
    assert not Tranche.objects.exists()


@pytest.mark.parametrize("missing", ["submission", "programme", "amount_awarded", "tranches"])
def test_a_proposal_missing_a_field_is_a_400(submission, programme, proposer, missing):
    body = proposal(submission, programme)
    del body[missing]
    response = client_for(proposer).post(DECISIONS, body, format="json")
    assert response.status_code == 400
    assert missing in response.json()
    assert not Decision.objects.exists()


def test_duplicate_tranche_years_say_at_most_one_tranche_per_year(submission, programme, proposer):
    tranches = [{"year": 2026, "amount": 50_000}, {"year": 2026, "amount": 50_000}]
    response = client_for(proposer).post(
        DECISIONS, proposal(submission, programme, {"tranches": tranches}), format="json"
    )
    assert response.status_code == 400
    assert "één tranche per jaar" in " ".join(response.json()["tranches"])
    assert not Decision.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(proposer):
    for body in ([1, 2], "tekst", 42):
        response = client_for(proposer).post(DECISIONS, body, format="json")
        assert response.status_code == 400, body
    assert not Decision.objects.exists()


def test_ids_that_are_not_ids_are_404_never_500(submission, programme, proposer, approver):
    decision_id = propose(submission, programme, proposer)
    Decision.objects.filter(pk=decision_id).update(status=Decision.Status.APPROVED)
    client = verified_client(approver)
    for bad in ("abc", "0", "9" * 30, "1.5", "-1", "987654"):
        for method, path in (
            ("get", f"{DECISIONS}{bad}/"),
            ("get", f"{DECISIONS}{bad}/letter/"),
            ("post", f"{DECISIONS}{bad}/approve/"),
            ("post", f"{DECISIONS}{bad}/reject/"),
            ("get", f"{PROGRAMMES}{bad}/"),
        ):
            assert getattr(client, method)(path).status_code == 404, (method, path)


# --- programmes ------------------------------------------------------------------------------------


def programme_body(**fields) -> dict:
    body = {
        "name": "Regiodeals 2027-2029",
        "description": "Drie jaar.",
        "start_year": 2027,
        "end_year": 2029,
        "min_cofinancing_percent": 40,
        "reserved_percent": 25,
        "lagging_min_themes": 4,
        "envelopes": [{"year": year, "amount": 1_000_000} for year in (2027, 2028, 2029)],
    }
    body.update(fields)
    return body


def test_an_official_creates_a_programme_that_everyone_can_read(proposer):
    response = client_for(proposer).post(PROGRAMMES, programme_body(), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["rules"] == {"min_cofinancing_percent": 40, "reserved_percent": 25, "lagging_min_themes": 4}
    assert [(e["year"], e["amount"], e["reserved"], e["available"]) for e in created["envelopes"]] == [
        (2027, 1_000_000, 250_000, 1_000_000),
        (2028, 1_000_000, 250_000, 1_000_000),
        (2029, 1_000_000, 250_000, 1_000_000),
    ]
    anonymous = client_for().get(f"{PROGRAMMES}{created['id']}/")
    assert anonymous.status_code == 200
    assert anonymous.json()["name"] == "Regiodeals 2027-2029"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"start_year": "twee"}, "start_year"),
        ({"end_year": 2026}, "end_year"),  # before the start (the service)
        ({"reserved_percent": 101}, "reserved_percent"),
        ({"min_cofinancing_percent": "veel"}, "min_cofinancing_percent"),
        ({"lagging_min_themes": 0}, "lagging_min_themes"),
        ({"envelopes": [{"year": 2027, "amount": 1}, {"year": 2027, "amount": 2}]}, "envelopes"),
        ({"envelopes": [{"year": 2027, "amount": 1}]}, "envelopes"),  # not every year (the service)
        ({"envelopes": [{"year": 2027, "amount": 10**40}]}, "envelopes"),
        ({"envelopes": "veel"}, "envelopes"),
    ],
)
def test_bad_programmes_are_a_400_and_create_nothing(proposer, change, field):
    response = client_for(proposer).post(PROGRAMMES, programme_body(**change), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Programme.objects.exists()


# --- the letter -------------------------------------------------------------------------------------


def test_the_letter_is_a_404_until_it_is_made_then_a_pdf_for_everyone(
    submission, programme, proposer, approver, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    decision_id = propose(submission, programme, proposer)
    letter = f"{DECISIONS}{decision_id}/letter/"
    assert client_for(proposer).get(letter).status_code == 404  # proposed: no letter yet
    assert approve(decision_id, approver).status_code == 200
    assert client_for().get(letter).status_code == 404  # approved, the letter not made yet
    assert client_for().get(f"{DECISIONS}{decision_id}/").json()["has_letter"] is False

    assert letters.make_letter(decision_id) is True
    name = Decision.objects.get(pk=decision_id).letter.name
    assert default_storage.exists(name)
    for client in (client_for(), client_for(proposer)):
        response = client.get(letter, HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for().get(f"{DECISIONS}{decision_id}/").json()["has_letter"] is True
