"""Real browser: a reviewer accepts and scores a submission, the chair publishes advice, the coalition reads it."""

import pytest

from reviews import services, workflow
from reviews.models import Assignment, Submission
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user
from tests.reviews.factories import complete_agenda, make_round, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submission_in_review(real_data):
    alice = make_user("alice")
    chair = make_user("chair", role="review_chair")
    reviewer = make_user("reviewer", role="reviewer")
    coalition = make_coalition(coordinator=alice)
    review_round = make_round(chair, theme_count=1)
    submission = submit(complete_agenda(coalition, alice), alice, review_round)
    services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=submission.agenda_id, action="start_review", actor=chair)
    return submission


def test_a_reviewer_scores_and_the_chair_publishes_advice(live_server, page, submission_in_review):
    submission = submission_in_review
    criteria = list(submission.round.criteria.all())

    log_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/toetsing/mijn-beoordelingen/")
    page.get_by_role("link", name=submission.title).click()
    assert serious_violations(page) == []
    page.get_by_label("Ik accepteer").check()
    page.get_by_label("Ik verklaar dat ik geen belangenconflict heb", exact=False).check()
    page.get_by_role("button", name="Antwoord versturen").click()
    page.get_by_text("Dank u; uw antwoord is opgeslagen.").wait_for()

    # A 2 without a motivation is refused inline; nothing is saved.
    for criterion in criteria:
        page.get_by_role("group", name=criterion.title).get_by_label("4", exact=True).check()
    page.get_by_role("group", name=criteria[0].title).get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Beoordeling indienen").click()
    page.get_by_text("Motiveer een score van 1 of 2", exact=False).first.wait_for()
    assert serious_violations(page) == []
    assert not Assignment.objects.get().scores.exists()

    page.get_by_label(f"Motivering bij “{criteria[0].title}”").fill("De aanpak van gezondheid is te vaag.")
    page.get_by_role("button", name="Beoordeling indienen").click()
    # The confirmation page says what handing in means; nothing is saved until it is confirmed.
    page.get_by_role("heading", name="Beoordeling indienen?").wait_for()
    assert serious_violations(page) == []
    assert not Assignment.objects.get().scores.exists()
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_text("Uw beoordeling is ingediend.").wait_for()
    assert Assignment.objects.get().status == Assignment.Status.SUBMITTED

    page.context.clear_cookies()
    log_in(page, live_server, "chair")
    page.goto(f"{live_server.url}/toetsing/indieningen/{submission.pk}/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Advies schrijven").click()
    page.get_by_label("Positief onder voorwaarden").check()
    page.get_by_role("textbox", name="Onderbouwing").fill("Een sterke agenda met een duidelijke focus.")
    page.get_by_role("textbox", name="Voorwaarden").fill("Werk de gezondheidsaanpak uit voor 1 juli.")
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_role("button", name="Advies publiceren").click()
    page.get_by_role("heading", name="Advies publiceren?").wait_for()
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_text("Het advies is gepubliceerd.").wait_for()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ADVISED

    page.context.clear_cookies()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/toetsing/indieningen/{submission.pk}/")
    page.get_by_text("Werk de gezondheidsaanpak uit voor 1 juli.").wait_for()
    assert "Reviewer" not in page.content()
    assert serious_violations(page) == []
