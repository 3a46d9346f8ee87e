"""A broker that does not answer never turns a committed write into an error; the sweep sends the work later.

What issue 15 saw: a review submitted with ``submit: true`` answered 500 although it
was saved and locked, a confirmed import answered 500 and stayed "queued" for ever,
an approved decision never got its letter. The cause: the message was published
after the commit (robust=True caught errors) over a connection without timeouts,
so a broker that accepts the connection but never answers (a stalled Redis, a
half-open connection after a failover) held the request until gunicorn killed
its worker: a 500 after 30 s. Here the broker is ``silent_broker`` (see
conftest.py); each request must answer, quickly, with success, the work must be
recorded as waiting, a log line must name the task, and once the broker is back
the sweep (core.background) must put the message on the queue.

The requests run in a thread with a deadline, so a request that hangs fails the
test instead of hanging it.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from agendas.models import Agenda
from core import background
from funding import letters
from funding.models import Decision
from regions.models import ImportJob
from reviews import jobs, services
from reviews.models import Assignment, ScoringJob
from tests.factories import make_coalition, make_user
from tests.funding.factories import advised_submission, give_mandate, make_programme, propose, verified_client
from tests.reviews.factories import bring_to, make_round

# A request must answer well within a web server's timeout (gunicorn: 30 s); the silent
# broker costs one publish timeout (core.background.PUBLISH_TIMEOUT), then the pause.
ANSWER_WITHIN = 15
KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def answered(request, *, within: float = ANSWER_WITHIN):
    """``request()`` in a thread: its response, or a failed test if it takes longer than ``within`` seconds."""
    outcome: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            outcome["response"] = request()
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            outcome["error"] = error
        finally:
            outcome["seconds"] = time.monotonic() - started
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=within)
    assert not thread.is_alive(), f"no answer within {within} s: the request waits for the broker"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def not_sent_lines(caplog, task_name: str) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "core.background" and record.getMessage().startswith(f"Not sent: {task_name}(")
    ]


@pytest.fixture
def world(real_data):
    coordinator = make_user("alice")
    return {
        "coalition": make_coalition(coordinator=coordinator),
        "coordinator": coordinator,
        "chair": make_user("chair", role="review_chair"),
        "reviewer": make_user("reviewer1", role="reviewer"),
    }


def test_submitting_a_review_answers_200_and_the_sweep_sends_its_scoring_job_later(
    world, silent_broker, private_queue, caplog
):
    agenda = bring_to(Agenda.Status.IN_REVIEW, review_round=make_round(world["chair"]), **world)
    assignment = Assignment.objects.get(submission__agenda=agenda)
    services.assignment_respond(actor=world["reviewer"], assignment_id=assignment.pk, accept=True, no_conflict=True)
    submission = assignment.submission
    scores = [{"criterion": c.pk, "score": 4, "motivation": "Goed."} for c in submission.round.criteria.all()]
    body = {"scores": scores, "summary": "Een sterke agenda.", "submit": True}
    client = APIClient()
    client.force_authenticate(world["reviewer"])
    private_queue.clear()

    silent_broker.silence()
    with caplog.at_level(logging.ERROR, logger="core.background"):
        response = answered(lambda: client.put(f"/api/v1/assignments/{assignment.pk}/review/", body, format="json"))

    assert response.status_code == 200, response.content
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    job = ScoringJob.objects.get(submission=submission, kind=ScoringJob.Kind.AGGREGATE)
    assert job.status == ScoringJob.Status.QUEUED  # recorded, waiting for a worker
    assert silent_broker.connections  # it really tried the broker...
    assert f"Not sent: reviews.tasks.run_scoring_job({job.pk}, None)" in " ".join(
        not_sent_lines(caplog, "reviews.tasks.run_scoring_job")
    )  # ...and says what it could not send
    assert private_queue.messages() == []

    silent_broker.restore()
    # A minute or two later: the job has not been touched since.
    ScoringJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - jobs.stale_after() * 2)
    assert background.run_sweeps()["reviews.scoring_jobs"] == 1
    assert ("reviews.tasks.run_scoring_job", [job.pk, None]) in private_queue.messages()


def test_confirming_an_import_answers_with_its_job_page_and_the_sweep_sends_the_job_later(
    real_data, silent_broker, private_queue, caplog
):
    text = KWB_FILE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("GM0114,"))
    fields = row.split(",")
    fields[26] = "9.9"
    client = Client()
    client.force_login(make_user("steward", role="data_steward"))
    file = SimpleUploadedFile("kwb.csv", text.replace(row, ",".join(fields)).encode())
    dry_run = client.post("/regios/importeren/", {"source": "cbs-85618-kwb-2023", "file": file})
    token = dry_run.context["token"]
    assert token

    silent_broker.silence()
    with caplog.at_level(logging.ERROR, logger="core.background"):
        response = answered(lambda: client.post("/regios/importeren/", {"token": token}))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/regios/importeren/{job.pk}/"
    assert job.status == ImportJob.Status.QUEUED
    (line,) = not_sent_lines(caplog, "regions.tasks.run_import_job")
    assert line.startswith(f"Not sent: regions.tasks.run_import_job({job.pk},)")
    page = answered(lambda: client.get(response.url))
    assert page.status_code == 200 and "In de wachtrij" in page.content.decode()
    assert private_queue.messages() == []

    silent_broker.restore()
    assert background.run_sweeps()["regions.import_jobs"] == 0  # too soon: its message may still come
    ImportJob.objects.filter(pk=job.pk).update(sent_at=timezone.now() - datetime.timedelta(minutes=2))
    assert background.run_sweeps()["regions.import_jobs"] == 1
    assert private_queue.messages() == [("regions.tasks.run_import_job", [job.pk])]


def test_approving_a_decision_answers_200_and_the_sweep_sends_its_letter_later(
    world, silent_broker, private_queue, caplog
):
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)
    submission = advised_submission(world["coalition"], world["coordinator"], world["chair"])
    decision = propose(submission, make_programme(proposer, envelope=500_000), proposer)
    client = verified_client(approver)
    private_queue.clear()

    silent_broker.silence()
    with caplog.at_level(logging.ERROR, logger="core.background"):
        response = answered(lambda: client.post(f"/api/v1/decisions/{decision.pk}/approve/"))

    assert response.status_code == 200, response.content
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPROVED and not decision.letter
    assert f"funding.tasks.make_decision_letter({decision.pk},)" in " ".join(
        not_sent_lines(caplog, "funding.tasks.make_decision_letter")
    )

    silent_broker.restore()
    assert background.run_sweeps()["funding.letters"] == 0  # too soon: its message may still come
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - datetime.timedelta(minutes=5))
    assert background.run_sweeps()["funding.letters"] == 1
    assert ("funding.tasks.make_decision_letter", [decision.pk]) in private_queue.messages()

    # What the worker then does; a letter that exists is not asked for again.
    assert letters.make_letter(decision.pk) is True
    assert background.run_sweeps()["funding.letters"] == 0


def test_sending_to_a_silent_broker_gives_up_within_the_timeout_and_then_does_not_wait_again(silent_broker, caplog):
    from regions.tasks import warm_profiles

    silent_broker.silence()
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="core.background"):
        assert background.send(warm_profiles) is False
    first = time.monotonic() - started
    assert first < background.PUBLISH_TIMEOUT * 3, first
    started = time.monotonic()
    assert background.send(warm_profiles) is False
    assert time.monotonic() - started < 0.5  # the pause: no second wait
    assert len(not_sent_lines(caplog, "regions.tasks.warm_profiles")) == 2


def test_sending_to_a_broker_that_is_not_there_fails_at_once(private_queue, caplog):
    from kansenagenda.celery import app
    from regions.tasks import warm_profiles

    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        started = time.monotonic()
        with caplog.at_level(logging.ERROR, logger="core.background"):
            assert background.send(warm_profiles) is False
        assert time.monotonic() - started < background.PUBLISH_TIMEOUT * 2
        assert "regions.tasks.warm_profiles()" in caplog.text
    finally:
        app.conf.broker_write_url = None
    # The real broker was never paused by that failure.
    assert background.send(warm_profiles) is True
    assert private_queue.messages() == [("regions.tasks.warm_profiles", [])]
