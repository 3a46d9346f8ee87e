"""The monitoring API: progress reports, releases and reclaims, amendments; who sees what, tokens, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from funding import amendments, monitoring, services
from funding.models import Amendment, ProgressReport, Tranche
from tests.funding.factories import advised_submission, approved_decision, client_for, confirmed_device, verified_client
from tests.helpers import api_token

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/progress-reports/"
AMENDMENTS = "/api/v1/amendments/"
SECRET = "Interne afweging: nog niet openbaar"


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver):
    return approved_decision(coalition, alice, chair, proposer, approver)


def report_body(decision, overrides=None):
    target = monitoring.report_targets(decision)[0]
    measure = monitoring.report_measures(decision, 2026)[0]
    body = {
        "decision": decision.pk,
        "year": 2026,
        "indicators": {target.key: "47.5"},
        "spending": {str(measure.measure_id): 90_000},
        "milestones": "Tien scholen hebben een sportcoach.",
    }
    body.update(overrides or {})
    return body


def test_the_coalition_files_a_report_and_an_official_accepts_it(decision, bob, proposer):
    client = client_for(bob)
    targets = client.get(f"/api/v1/decisions/{decision.pk}/targets/").json()
    assert [t["key"] for t in targets] == [monitoring.report_targets(decision)[0].key]
    response = client.post(REPORTS, report_body(decision), format="json")
    assert response.status_code == 201, response.json()
    report = response.json()
    assert (report["status"], report["indicators"][0]["actual_value"], report["spending"][0]["spent"]) == (
        "submitted",
        "47.5",
        90_000,
    )
    assert client.post(f"{REPORTS}{report['id']}/accept/", {}, format="json").status_code == 403
    response = client_for(proposer).post(f"{REPORTS}{report['id']}/accept/", {"comment": "Helder"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"year": 2031}, "year"),
        ({"year": "twee"}, "year"),
        ({"milestones": ""}, "milestones"),
        ({"spending": {"1": -5}}, "spending"),
        ({"spending": {"1": 10**20}}, "spending"),
        ({"indicators": ["47"]}, "indicators"),
        ({"decision": 10**30}, "decision"),
    ],
)
def test_bad_reports_are_400_with_field_errors(decision, bob, overrides, field):
    response = client_for(bob).post(REPORTS, report_body(decision, overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ProgressReport.objects.exists()


def test_reports_are_not_for_outsiders_or_the_public(decision, bob, charlie):
    report = monitoring.progress_report_submit(
        actor=bob, decision_id=decision.pk, year=2026, indicators={}, spending={}, milestones="x", explanation=SECRET
    )
    assert client_for(charlie).get(f"{REPORTS}{report.pk}/").status_code == 404
    assert client_for(charlie).get(REPORTS).json()["results"] == []
    assert client_for(charlie).get(f"/api/v1/decisions/{decision.pk}/targets/").status_code == 404
    assert client_for(charlie).post(REPORTS, report_body(decision), format="json").status_code == 403
    assert client_for().get(REPORTS).status_code in (401, 403)
    assert SECRET in str(client_for(bob).get(f"{REPORTS}{report.pk}/").json())


def test_a_token_never_releases_or_reclaims(decision, approver):
    first = decision.tranches.get(year=2026)
    confirmed_device(approver)
    token = api_token(approver)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(f"/api/v1/tranches/{first.pk}/release/", {}, format="json")
    assert response.status_code == 403 and "/account/tweestaps/" in response.json()["detail"]
    first.refresh_from_db()
    assert first.status == Tranche.Status.PLANNED

    client = verified_client(approver)
    response = client.post(f"/api/v1/tranches/{first.pk}/release/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "released"
    second = decision.tranches.get(year=2027)
    response = client.post(f"/api/v1/tranches/{second.pk}/release/", {}, format="json")
    assert response.status_code == 400
    assert any("eerdere jaren" in m or "rapportage" in m for m in response.json()["release"])

    response = client.post(f"/api/v1/tranches/{first.pk}/reclaim/", {"amount": 60_001, "reason": "x"}, format="json")
    assert response.status_code == 400 and "amount" in response.json()
    response = client.post(f"/api/v1/tranches/{first.pk}/reclaim/", {"amount": 5_000, "reason": "x"}, format="json")
    assert response.status_code == 201 and response.json()["reclaimed_amount"] == 5_000


def test_amendments_through_the_api_and_who_sees_them(decision, proposer, approver, alice):
    body = {"decision": decision.pk, "tranches": [{"year": 2026, "amount": 100_000}], "reason": SECRET}
    assert client_for(alice).post(AMENDMENTS, body, format="json").status_code == 403
    bad = {**body, "tranches": [{"year": 2026, "amount": 1}, {"year": 2026, "amount": 2}]}
    assert client_for(proposer).post(AMENDMENTS, bad, format="json").status_code == 400
    response = client_for(proposer).post(AMENDMENTS, body, format="json")
    assert response.status_code == 201, response.json()
    amendment_id = response.json()["id"]
    # Proposed: officials only.
    assert client_for().get(f"{AMENDMENTS}{amendment_id}/").status_code == 404
    assert client_for(alice).get(f"/api/v1/decisions/{decision.pk}/").json()["amendments"] == []
    assert client_for(approver).post(f"{AMENDMENTS}{amendment_id}/approve/").status_code == 403  # not verified
    assert client_for(proposer).get(f"/api/v1/decisions/{decision.pk}/").json()["amendments"][0]["status"] == "proposed"

    response = verified_client(approver).post(f"{AMENDMENTS}{amendment_id}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    public = client_for().get(f"/api/v1/decisions/{decision.pk}/").json()
    assert public["amount_awarded"] == 100_000
    assert [(t["year"], t["amount"]) for t in public["tranches"]] == [(2026, 100_000)]
    [history] = public["amendments"]
    assert (history["tranches_before"], history["tranches_after"]) == (
        {"2026": 60_000, "2027": 40_000},
        {"2026": 100_000},
    )
    assert history["proposed_by"] is None and history["decided_by"] is None
    assert client_for().get(f"{AMENDMENTS}{amendment_id}/").status_code == 200


def test_a_rejected_amendment_is_for_officials_only(decision, proposer, approver):
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 100_000}, reason=SECRET
    )
    response = client_for(approver).post(f"{AMENDMENTS}{amendment.pk}/reject/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client_for(approver).post(f"{AMENDMENTS}{amendment.pk}/reject/", {"reason": "Nee"}, format="json")
    assert response.status_code == 200
    assert Amendment.objects.get().status == Amendment.Status.REJECTED
    assert client_for().get(f"{AMENDMENTS}{amendment.pk}/").status_code == 404
    assert SECRET not in str(client_for().get("/api/v1/decisions/").json())


def test_the_decision_list_stays_at_a_constant_number_of_queries(decision, coalition, alice, chair, proposer, approver):
    amendments.amendment_approve(
        actor=approver,
        amendment_id=amendments.amendment_propose(
            actor=proposer, decision_id=decision.pk, tranches={2026: 100_000}, reason="x"
        ).pk,
        verified=True,
    )
    client = client_for()
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/decisions/").status_code == 200
    programme = decision.programme
    for _ in range(3):
        other = services.decision_propose(
            actor=proposer,
            submission_id=advised_submission(coalition, alice, chair).pk,
            programme_id=programme.pk,
            amount_awarded=100_000,
            tranches={2026: 100_000},
        )
        services.decision_approve(actor=approver, decision_id=other.pk, verified=True)
        amendments.amendment_approve(
            actor=approver,
            amendment_id=amendments.amendment_propose(
                actor=proposer, decision_id=other.pk, tranches={2027: 100_000}, reason="y"
            ).pk,
            verified=True,
        )
    with CaptureQueriesContext(connection) as four:
        assert len(client.get("/api/v1/decisions/").json()["results"]) == 4
    assert len(four) == len(one)
