"""Real browser: the review form beside the agenda at 1280 px (the form stays in view), as tabs on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews import services, workflow
from tests.browser.conftest import browser_type_launch_args, serve_static_files  # noqa: F401 - fixtures
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user
from tests.reviews.factories import complete_agenda, make_round, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assignment(real_data):
    alice = make_user("alice")
    chair = make_user("chair", role="review_chair")
    reviewer = make_user("reviewer1", role="reviewer")
    agenda = complete_agenda(make_coalition(coordinator=alice), alice)
    submission = submit(agenda, alice, make_round(chair))
    assignment = services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    return assignment


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_at_1280_px_the_form_stays_in_view_beside_the_agenda(assignment, live_server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "reviewer1")
    page.goto(f"{live_server.url}/toetsing/beoordelingen/{assignment.pk}/")

    agenda, form = page.locator("#agenda-column"), page.locator("#review-column")
    expect(form.get_by_role("heading", name="Uw scores")).to_be_visible()
    assert page.get_by_role("tablist").is_hidden()
    assert agenda.bounding_box()["x"] < form.bounding_box()["x"]
    assert scroll_width(page) == 1280
    assert serious_violations(page) == []

    # Reading on in the agenda, the form column stays where it is.
    page.locator("#agenda-column h3", has_text="Begroting").last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 400
    box = form.bounding_box()
    assert 0 <= box["y"] < 100 and box["y"] + box["height"] <= 900 + 1
    expect(form.get_by_role("button", name="Tussentijds opslaan")).to_be_attached()


def test_on_a_phone_the_agenda_and_the_form_are_two_tabs(assignment, live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "reviewer1")
    page.goto(f"{live_server.url}/toetsing/beoordelingen/{assignment.pk}/")

    form_tab = page.get_by_role("tab", name="Uw scores")
    agenda_tab = page.get_by_role("tab", name="De ingediende agenda")
    expect(form_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#agenda-column")).to_be_hidden()
    assert scroll_width(page) == 390

    agenda_tab.click()
    expect(page.locator("#agenda-column")).to_be_visible()
    expect(page.locator("#review-column")).to_be_hidden()
    assert scroll_width(page) == 390
    assert serious_violations(page) == []

    # The arrow keys move between the tabs; the link at the top of the agenda opens the form.
    agenda_tab.press("ArrowRight")
    expect(form_tab).to_be_focused()
    expect(page.locator("#review-column")).to_be_visible()
    agenda_tab.click()
    page.get_by_role("link", name="Naar het beoordelingsformulier").click()
    expect(page.locator("#review-column")).to_be_visible()
