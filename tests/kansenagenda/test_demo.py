"""The demo data of `make run`: it loads, can be loaded again, and shows every review role something to do."""

import pytest

from funding.models import Mandate, Programme
from kansenagenda.demo import DemoRefused, load_demo
from kansenagenda.models import Agenda, User
from reviews.conflicts import conflicts
from reviews.models import Assignment, Submission

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_with_a_submission_in_review(settings):
    settings.DEBUG = True
    first = load_demo()
    assert load_demo() == first

    veenkolonien = Agenda.objects.get(coalition__slug="veenkolonien")
    assert veenkolonien.status == Agenda.Status.DRAFT
    submission = Submission.objects.get()
    assert submission.agenda.coalition.slug == "parkstad-limburg"
    assert submission.status == Submission.Status.IN_REVIEW
    statuses = dict(submission.assignments.values_list("reviewer__username", "status"))
    assert statuses == {"beoordelaar": Assignment.Status.INVITED, "beoordelaar2": Assignment.Status.SUBMITTED}
    tied = User.objects.get(username="beoordelaar3")
    assert conflicts(submission, [tied])[tied.pk] == ["werkt bij Gemeente Heerlen"]

    programme = Programme.objects.get()
    assert programme.envelopes.count() == 10
    limits = dict(Mandate.objects.values_list("user__username", "limit"))
    assert limits == {"rijksambtenaar": 5_000_000, "rijksambtenaar2": 50_000_000}


def test_the_demo_refuses_to_run_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(DemoRefused):
        load_demo()
