"""Real browser: a reviewer's question is answered by the coordinator and appears in the review form and the advice.

The reviewer proposes a question beside the agenda; the chair sends it with a
deadline; the coordinator answers on the agenda page with a PDF; the reviewer
reads the answer in the review form and the chair in the advice form. axe-core
checks every page; at 390 px no page with the new sections is wider than the
screen.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reviews.models import Question
from tests.browser.conftest import browser_type_launch_args, serve_static_files  # noqa: F401 - fixtures
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user
from tests.reviews.factories import PDF_BYTES, in_review_with, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Hoe blijven de leerwerkplekken na 2034 betaald?"
ANSWER = "De zeven gemeenten nemen de kosten over; zie het dekkingsplan."


@pytest.fixture
def submission(real_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    alice = make_user("alice")
    chair = make_user("chair", role="review_chair")
    reviewer = make_user("reviewer", role="reviewer")
    coalition = make_coalition(coordinator=alice)
    return in_review_with(coalition, alice, chair, [reviewer], make_round(chair, theme_count=1))


def fits(page, width: int) -> None:
    """Nothing wider than the screen: the page does not scroll sideways, and every question stays inside it."""
    assert page.evaluate("document.documentElement.scrollWidth") == width
    for box in page.locator(".ka-question").all():
        bounds = box.bounding_box()
        if bounds is not None:  # None: in a tab that is not shown
            assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= width + 0.5


def as_phone(page, url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(url)
    fits(page, 390)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_reviewer_s_question_is_answered_and_shows_in_the_review_form_and_the_advice(
    live_server, page, submission, tmp_path
):
    assignment = submission.assignments.get()
    review_url = f"{live_server.url}/toetsing/beoordelingen/{assignment.pk}/"
    page.set_viewport_size({"width": 1280, "height": 900})

    # The reviewer proposes a question beside the agenda.
    log_in(page, live_server, "reviewer")
    page.goto(review_url)
    agenda_column = page.locator("#agenda-column")
    agenda_column.get_by_role("heading", name="Vragen aan de coalitie").wait_for()
    agenda_column.get_by_label("Uw vraag").fill(QUESTION)
    agenda_column.get_by_role("button", name="Voorstellen aan de voorzitter").click()
    page.get_by_text("Uw vraag is naar de voorzitter gestuurd.").wait_for()
    assert serious_violations(page) == []
    proposal = Question.objects.get()
    assert proposal.status == Question.Status.PROPOSED

    # The chair sends it with a deadline.
    page.context.clear_cookies()
    log_in(page, live_server, "chair")
    page.goto(f"{live_server.url}/toetsing/indieningen/{submission.pk}/#vragen")
    item = page.locator(f"#vraag-{proposal.pk}")
    item.get_by_text("Beoordelaar 1 vraagt").wait_for()
    assert serious_violations(page) == []
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    item.get_by_label("Antwoord uiterlijk").fill(deadline.isoformat())
    item.get_by_role("button", name="Versturen aan de coalitie").click()
    page.get_by_text("Vraag 1 is aan de coalitie gesteld.").wait_for()
    as_phone(page, f"{live_server.url}/toetsing/indieningen/{submission.pk}/")

    # The coordinator answers on the agenda page, with a PDF.
    page.context.clear_cookies()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/agendas/{submission.agenda_id}/")
    panel = page.locator("#vragen")
    panel.get_by_text(QUESTION).wait_for()
    assert "Reviewer" not in page.content()  # the reviewer's name (make_user: "Reviewer") is never shown
    assert serious_violations(page) == []
    as_phone(page, f"{live_server.url}/agendas/{submission.agenda_id}/")
    plan = tmp_path / "dekkingsplan.pdf"
    plan.write_bytes(PDF_BYTES)
    panel.get_by_label("Antwoord", exact=True).fill(ANSWER)
    panel.get_by_label("Bijlage").set_input_files(str(plan))
    panel.get_by_role("button", name="Antwoord versturen").click()
    page.get_by_text("Uw antwoord op vraag 1 is verstuurd.").wait_for()
    answered = Question.objects.get()
    assert (answered.status, answered.attachment_name) == ("answered", "dekkingsplan.pdf")

    # The reviewer reads the answer in the review form, beside the agenda.
    page.context.clear_cookies()
    log_in(page, live_server, "reviewer")
    page.goto(review_url)
    agenda_column = page.locator("#agenda-column")
    agenda_column.get_by_text(ANSWER).wait_for()
    agenda_column.get_by_role("link", name="Bijlage: dekkingsplan.pdf").wait_for()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(review_url)
    page.get_by_role("tab", name="De ingediende agenda").click()
    page.locator("#agenda-column").get_by_text(ANSWER).wait_for()
    fits(page, 390)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The chair reads it in the advice form.
    page.context.clear_cookies()
    log_in(page, live_server, "chair")
    page.goto(f"{live_server.url}/toetsing/indieningen/{submission.pk}/advies/")
    questions = page.locator("#vragen")
    questions.get_by_text(QUESTION).wait_for()
    questions.get_by_text(ANSWER).wait_for()
    assert serious_violations(page) == []
    as_phone(page, f"{live_server.url}/toetsing/indieningen/{submission.pk}/advies/")
