"""Funding's irreversible steps ask first: approving a decision, releasing a tranche, reclaiming money.

The second factor comes before the question; without ``confirmed=1`` the page says who, what and how
much, and nothing changes (no row, no event, no letter); with it the step happens.
"""

import pytest
from django.urls import reverse

from activity.models import Event
from funding import monitoring
from funding.models import Decision, Envelope, Reclaim, Tranche
from tests.funding.factories import advised_submission, approved_decision, make_programme, propose, verify_session

pytestmark = pytest.mark.django_db


def test_approving_asks_for_the_code_then_shows_the_decision_in_words(
    client, coalition, alice, chair, proposer, approver, django_capture_on_commit_callbacks
):
    submission = advised_submission(coalition, alice, chair)
    decision = propose(submission, make_programme(proposer), proposer)
    url = reverse("funding:approve", args=[decision.pk])
    client.force_login(approver)
    response = client.post(url)
    assert reverse("two_factor:verify") in response.url  # the second factor first

    verify_session(client, approver)
    events = Event.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"U keurt het besluit goed: €\xa0100.000 over 2026–2027 voor ‘{submission.title}’ van {coalition.name}" in page
    )
    assert "de brief wordt gemaakt" in page
    assert "2026: €\xa060.000" in page and proposer.display_name in page and approver.display_name in page
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED
    assert Envelope.objects.get(programme=decision.programme, year=2026).committed_open == 0
    assert Event.objects.count() == events and callbacks == []  # no event, no letter task

    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPROVED


def test_a_refused_approval_is_shown_without_a_confirmation(client, coalition, alice, chair, proposer):
    decision = propose(advised_submission(coalition, alice, chair), make_programme(proposer), proposer)
    verify_session(client, proposer)  # four eyes: the proposer may not approve
    response = client.post(reverse("funding:approve", args=[decision.pk]), follow=True)
    assert "Vier ogen" in response.content.decode()
    assert "Beschikking vaststellen?" not in response.content.decode()


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver):
    return approved_decision(coalition, alice, chair, proposer, approver)


def test_releasing_shows_the_tranche_and_amount_first(client, decision, approver):
    first = decision.tranches.get(year=2026)
    url = reverse("funding:tranche-release", args=[first.pk])
    client.force_login(approver)
    assert reverse("two_factor:verify") in client.post(url, {"note": ""}).url

    verify_session(client, approver)
    events = Event.objects.count()
    response = client.post(url, {"note": "Alles op orde"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"U betaalt de tranche 2026 van €\xa060.000 uit aan {decision.lead_partner.name}" in page
    assert "Alles op orde" in page and 'name="note" value="Alles op orde"' in page
    first.refresh_from_db()
    assert first.status == Tranche.Status.PLANNED
    assert Event.objects.count() == events

    client.post(url, {"note": "Alles op orde", "confirmed": "1"})
    first.refresh_from_db()
    assert (first.status, first.release_note) == (Tranche.Status.RELEASED, "Alles op orde")


def test_reclaiming_shows_the_amount_first_and_back_keeps_the_input(client, decision, approver):
    first = decision.tranches.get(year=2026)
    monitoring.tranche_release(actor=approver, tranche_id=first.pk, verified=True)
    url = reverse("funding:tranche-reclaim", args=[first.pk])
    verify_session(client, approver)
    events = Event.objects.count()
    data = {"amount": "12.500", "reason": "Niet besteed"}

    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "U vordert €\xa012.500 terug van de tranche 2026" in page
    assert "nog €\xa047.500 worden teruggevorderd" in page
    assert not Reclaim.objects.exists() and Event.objects.count() == events

    response = client.post(url, {**data, "confirmed": "0"})
    assert response.status_code == 200
    assert "Niet besteed</textarea>" in response.content.decode()
    assert not Reclaim.objects.exists()

    # Bad input never reaches the question.
    response = client.post(url, {"amount": "70.000", "reason": "Niet besteed"})
    assert response.status_code == 400 and "Geld terugvorderen?" not in response.content.decode()

    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Reclaim.objects.get().amount == 12_500


def test_approving_an_amendment_shows_before_and_after_first(client, decision, proposer, approver):
    from funding import amendments
    from funding.models import Amendment

    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 40_000}, reason="Vertraging"
    )
    url = reverse("funding:amendment-approve", args=[amendment.pk])
    verify_session(client, approver)
    events = Event.objects.count()
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"U stelt wijziging 1 van beschikking {decision.reference} vast" in page
    assert "Vertraging" in page and "2028: €\xa040.000" in page
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED and Event.objects.count() == events

    client.post(url, {"confirmed": "1"})
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.APPROVED
