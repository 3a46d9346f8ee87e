"""The demo data of `make run`: it loads, can be loaded again, and shows every review role something to do."""

import pytest

from accounts.models import User
from agendas.models import Agenda
from funding.models import Decision, Mandate, Programme
from kansenagenda.demo import DemoRefused, load_demo
from reviews.conflicts import conflicts
from reviews.models import Assignment, Submission

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_with_a_submission_in_review(settings):
    settings.DEBUG = True
    first = load_demo()
    assert load_demo() == first

    veenkolonien = Agenda.objects.get(coalition__slug="veenkolonien")
    assert veenkolonien.status == Agenda.Status.DRAFT
    submission = Submission.objects.get(agenda__coalition__slug="parkstad-limburg")
    assert submission.status == Submission.Status.IN_REVIEW
    statuses = dict(submission.assignments.values_list("reviewer__username", "status"))
    assert statuses == {"beoordelaar": Assignment.Status.INVITED, "beoordelaar2": Assignment.Status.SUBMITTED}
    tied = User.objects.get(username="beoordelaar3")
    assert conflicts(submission, [tied])[tied.pk] == ["werkt bij Gemeente Heerlen"]

    programme = Programme.objects.get()
    assert programme.envelopes.count() == 10
    limits = dict(Mandate.objects.values_list("user__username", "limit"))
    assert limits == {"rijksambtenaar": 5_000_000, "rijksambtenaar2": 50_000_000}


def test_the_demo_has_an_advised_agenda_with_an_approved_decision_on_the_public_pages(settings, client):
    settings.DEBUG = True
    load_demo()
    load_demo()

    advised = Submission.objects.get(agenda__coalition__slug="zeeuws-vlaanderen")
    assert advised.status == Submission.Status.ADVISED
    assert advised.round.is_public
    assert (advised.advice.outcome, advised.advice.published_at is not None) == ("positive", True)
    assert advised.advice.aggregate["review_count"] == 2
    assert set(advised.assignments.values_list("reviewer__username", flat=True)) == {"beoordelaar2", "beoordelaar3"}

    decision = Decision.objects.get()
    assert (decision.submission, decision.status) == (advised, Decision.Status.APPROVED)
    assert (decision.proposed_by.username, decision.decided_by.username) == ("rijksambtenaar", "rijksambtenaar2")
    tranches = dict(decision.tranches.values_list("year", "amount"))
    assert sum(tranches.values()) == decision.amount_awarded > 0
    assert set(tranches) <= set(range(2027, 2037))
    assert decision.cofinancing_percent >= decision.programme.min_cofinancing_percent
    committed = sum(e.committed for e in decision.programme.envelopes.all())
    assert committed == decision.amount_awarded

    # Without logging in: the advice with its agenda, the decision, the portal.
    page = client.get(f"/toetsing/indieningen/{advised.pk}/").content.decode()
    assert "Kansenagenda Zeeuws-Vlaanderen 2027–2040" in page and "(demo-advies)" in page
    assert decision.reference in client.get(f"/financiering/beschikkingen/{decision.pk}/").content.decode()
    portal = client.get("/openbaar/").content.decode()
    assert decision.reference in portal and "Kansenagenda Zeeuws-Vlaanderen 2027–2040" in portal


def test_the_demo_refuses_to_run_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(DemoRefused):
        load_demo()
