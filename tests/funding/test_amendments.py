"""Amending an approved decision: four eyes, mandate, second factor, envelopes, paid tranches fixed, history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Event, Notification
from funding import amendments, monitoring, services
from funding.models import Amendment, Decision, Envelope
from tests.factories import make_user
from tests.funding.factories import advised_submission, approved_decision, give_mandate, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(proposer):
    return make_programme(proposer, envelope=500_000)  # 350.000 open a year for a region that does not lag


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver, programme):
    return approved_decision(
        coalition,
        alice,
        chair,
        proposer,
        approver,
        programme=programme,
        tranches={2026: 60_000, 2027: 30_000},
        difference_explanation="Een deel van de coaches wordt door de provincie betaald.",
    )


def committed(programme):
    return dict(
        Envelope.objects.filter(programme=programme, committed_open__gt=0).values_list("year", "committed_open")
    )


def split(decision):
    return dict(decision.tranches.values_list("year", "amount"))


def test_money_moves_between_years_after_a_second_official_approves(decision, programme, proposer, approver, alice):
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 30_000}, reason="Bouw vertraagd"
    )
    # Proposing changes nothing yet.
    assert split(decision) == {2026: 60_000, 2027: 30_000}
    assert committed(programme) == {2026: 60_000, 2027: 30_000}

    amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
    assert split(decision) == {2026: 60_000, 2028: 30_000}
    assert committed(programme) == {2026: 60_000, 2028: 30_000}
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.APPROVED
    assert amendment.changes() == [(2026, 60_000, 60_000), (2027, 30_000, 0), (2028, 0, 30_000)]
    assert Event.objects.filter(verb="decision.amended", data__number=1).exists()
    assert Notification.objects.filter(recipient=alice, event__verb="decision.amended").exists()


def test_a_higher_total_up_to_what_was_asked_and_a_lower_one(decision, programme, proposer, approver):
    higher = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 70_000, 2027: 30_000}, reason="Extra school"
    )
    amendments.amendment_approve(actor=approver, amendment_id=higher.pk, verified=True)
    decision.refresh_from_db()
    assert decision.amount_awarded == 100_000
    with pytest.raises(ValidationError, match="meer dan gevraagd"):
        amendments.amendment_propose(
            actor=proposer, decision_id=decision.pk, tranches={2026: 70_000, 2027: 30_001}, reason="Nog meer"
        )
    lower = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 50_000}, reason="Minder"
    )
    amendments.amendment_approve(actor=approver, amendment_id=lower.pk, verified=True)
    decision.refresh_from_db()
    assert (decision.amount_awarded, split(decision)) == (50_000, {2026: 50_000})
    assert committed(programme) == {2026: 50_000}
    assert list(decision.amendments.values_list("number", "amount_before", "amount_after")) == [
        (1, 90_000, 100_000),
        (2, 100_000, 50_000),
    ]


def test_four_eyes_mandate_and_second_factor(decision, proposer, approver):
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 90_000}, reason="Alles in 2026"
    )
    give_mandate(proposer)
    with pytest.raises(ValidationError, match="Vier ogen"):
        amendments.amendment_approve(actor=proposer, amendment_id=amendment.pk, verified=True)
    with pytest.raises(ValidationError, match="Vier ogen"):
        amendments.amendment_reject(actor=proposer, amendment_id=amendment.pk, reason="Toch niet")
    low = make_user("low", role="rijk_official")
    give_mandate(low, 89_999)
    with pytest.raises(ValidationError, match="mandaat"):
        amendments.amendment_approve(actor=low, amendment_id=amendment.pk, verified=True)
    with pytest.raises(services.SecondFactorRequired):
        amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=False)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED
    assert split(decision) == {2026: 60_000, 2027: 30_000}


def test_a_rejected_amendment_changes_nothing_and_a_new_one_may_follow(decision, proposer, approver):
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 90_000}, reason="Alles in 2026"
    )
    with pytest.raises(ValidationError, match="al een wijziging"):
        amendments.amendment_propose(actor=proposer, decision_id=decision.pk, tranches={2027: 90_000}, reason="x")
    with pytest.raises(ValidationError) as error:
        amendments.amendment_reject(actor=approver, amendment_id=amendment.pk, reason=" ")
    assert "reason" in error.value.message_dict
    amendments.amendment_reject(actor=approver, amendment_id=amendment.pk, reason="Past niet in het budget")
    with pytest.raises(ValidationError, match="al afgewezen"):
        amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
    assert split(decision) == {2026: 60_000, 2027: 30_000}
    second = amendments.amendment_propose(actor=proposer, decision_id=decision.pk, tranches={2027: 90_000}, reason="y")
    assert second.number == 2


@pytest.mark.parametrize(
    ("tranches", "message"),
    [
        ({2026: 60_000, 2027: 30_000}, "gelijk aan de huidige"),
        ({2025: 90_000}, "buiten de looptijd"),
        ({2026: 60_000, 2027: 0}, "positief bedrag"),
        ({}, "minstens één jaar"),
        ({2026: 60_000, 2027: 400_000}, "meer dan gevraagd"),
    ],
)
def test_bad_amendments_are_refused_and_change_nothing(decision, proposer, tranches, message):
    with pytest.raises(ValidationError) as error:
        amendments.amendment_propose(actor=proposer, decision_id=decision.pk, tranches=tranches, reason="Reden")
    assert message in " ".join(error.value.message_dict["tranches"])
    assert not Amendment.objects.exists()


def test_an_amendment_needs_a_reason_an_approved_decision_and_an_official(decision, proposer, alice):
    with pytest.raises(ValidationError) as error:
        amendments.amendment_propose(actor=proposer, decision_id=decision.pk, tranches={2026: 90_000}, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        amendments.amendment_propose(actor=alice, decision_id=decision.pk, tranches={2026: 90_000}, reason="x")
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.REJECTED)
    with pytest.raises(ValidationError, match="vastgestelde"):
        amendments.amendment_propose(actor=proposer, decision_id=decision.pk, tranches={2026: 90_000}, reason="x")


def test_a_paid_tranche_cannot_change_and_a_pending_amendment_holds_payments(decision, proposer, approver):
    paid = decision.tranches.get(year=2026)
    monitoring.tranche_release(
        actor=approver, tranche_id=paid.pk, verified=True, note="Ok", today=datetime.date(2026, 2, 1)
    )
    with pytest.raises(ValidationError, match="al uitbetaald"):
        amendments.amendment_propose(actor=proposer, decision_id=decision.pk, tranches={2026: 90_000}, reason="x")
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 30_000}, reason="Later"
    )
    blockers = monitoring.release_blockers(decision, decision.tranches.get(year=2027), today=datetime.date(2027, 6, 1))
    assert any("wijziging" in b for b in blockers)
    amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
    assert split(decision) == {2026: 60_000, 2028: 30_000}


def test_approval_checks_the_envelope_again(decision, programme, proposer, approver, coalition, alice, chair):
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 30_000}, reason="Later"
    )
    # Meanwhile another decision takes almost all of 2028's open part (350.000).
    other = services.decision_propose(
        actor=proposer,
        submission_id=advised_submission(coalition, alice, chair).pk,
        programme_id=programme.pk,
        amount_awarded=100_000,
        tranches={2026: 50_000, 2027: 50_000},
    )
    services.decision_approve(actor=approver, decision_id=other.pk, verified=True)
    Envelope.objects.filter(programme=programme, year=2028).update(committed_open=330_000)
    with pytest.raises(ValidationError) as error:
        amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
    assert "2028: nog €\xa020.000 beschikbaar" in error.value.message_dict["tranches"][0]
    assert split(decision) == {2026: 60_000, 2027: 30_000}
    assert Envelope.objects.get(programme=programme, year=2027).committed_open == 80_000


def test_an_approved_amendment_gets_its_own_letter_once(decision, proposer, approver, client):
    from django.urls import reverse
    from pypdf import PdfReader

    from funding import letters

    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 30_000}, reason="Bouw vertraagd"
    )
    assert letters.make_amendment_letter(amendment.pk) is False  # not approved: no letter
    amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
    assert letters.make_amendment_letter(amendment.pk) is True
    assert letters.make_amendment_letter(amendment.pk) is False
    amendment.refresh_from_db()
    with amendment.letter.open("rb") as pdf:
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert f"Wijzigingsbesluit {decision.reference}-W1" in text
    assert "Bouw vertraagd" in text and "2028" in text
    response = client.get(reverse("funding:amendment-letter", args=[amendment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"%PDF"


def test_no_letter_for_a_proposed_amendment(decision, proposer, client):
    from django.urls import reverse

    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 90_000}, reason="x"
    )
    assert client.get(reverse("funding:amendment-letter", args=[amendment.pk])).status_code == 404
    assert client.get(f"/api/v1/amendments/{amendment.pk}/letter/").status_code == 404
