"""The chair's pages follow scoring jobs by themselves while one is queued or running (core/static/js/live.js)."""

import pytest

from reviews.models import ScoringJob
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.reviews.factories import freeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(coalition, alice, review_round):
    agenda = make_agenda(coalition, alice, title="Kansen voor Oost-Groningen")
    make_measure(agenda, make_priority(agenda, alice), alice)
    return freeze(agenda, review_round, alice)


def test_the_submission_page_follows_a_running_job_and_stops_when_it_is_done(client, chair, submission):
    job = ScoringJob.objects.create(kind=ScoringJob.Kind.EVIDENCE, submission=submission)
    client.force_login(chair)
    page = client.get(f"/toetsing/indieningen/{submission.pk}/").content.decode()
    assert 'id="scoring-jobs" aria-live="polite" data-live="3000"' in page and "data-live-reload" in page
    ScoringJob.objects.filter(pk=job.pk).update(status=ScoringJob.Status.DONE)
    page = client.get(f"/toetsing/indieningen/{submission.pk}/").content.decode()
    assert 'id="scoring-jobs" aria-live="polite">' in page and "data-live-reload" not in page
