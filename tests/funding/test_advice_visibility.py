"""An approved decision is public; the advice behind it (and the letter citing it) only when its round is public."""

import pytest
from django.urls import reverse

from funding import letters, services
from tests.funding.factories import advised_submission, client_for, make_programme
from tests.reviews.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round_decision(coalition, alice, chair, proposer, approver):
    review_round = make_round(chair, name="Besloten ronde", is_public=False)
    submission = advised_submission(coalition, alice, chair, outcome="conditional", review_round=review_round)
    decision = services.decision_propose(
        actor=proposer,
        submission_id=submission.pk,
        programme_id=make_programme(proposer).pk,
        amount_awarded=100_000,
        tranches={2026: 100_000},
    )
    services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
    letters.make_letter(decision.pk)
    return decision


def test_the_public_sees_the_decision_but_not_the_advice_of_a_closed_round(closed_round_decision, charlie):
    decision = closed_round_decision
    for user in (None, charlie):
        client = client_for(user)
        page = client.get(reverse("funding:decision", args=[decision.pk])).content.decode()
        assert decision.reference in page
        assert "Positief onder voorwaarden" not in page and "Beschikkingsbrief" not in page
        data = client.get(f"/api/v1/decisions/{decision.pk}/").json()
        assert (data["advice"], data["has_letter"]) == (None, False)
        assert client.get(reverse("funding:letter", args=[decision.pk])).status_code == 404
        assert client.get(f"/api/v1/decisions/{decision.pk}/letter/").status_code == 404


def test_the_coalition_and_officials_see_the_advice_and_the_letter(closed_round_decision, alice, proposer):
    decision = closed_round_decision
    for user in (alice, proposer):
        client = client_for(user)
        page = client.get(reverse("funding:decision", args=[decision.pk])).content.decode()
        assert "Positief onder voorwaarden" in page and "Beschikkingsbrief" in page
        assert client.get(reverse("funding:letter", args=[decision.pk])).status_code == 200
    assert client_for(proposer).get(f"/api/v1/decisions/{decision.pk}/").json()["advice"]["outcome"] == "conditional"
