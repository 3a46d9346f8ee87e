"""5. A browser test (see ``tests/test_example.py`` for the other kinds).

Browser tests drive Debian's Chromium through Playwright against Django's
live server. They need the ``browser`` marker and a transactional database
(the live server runs in another thread), and the ``real_data`` fixture
brings back the CBS data that the transactional flush removed. Log in
through the form as a person would, act through labels and roles (what a
screen reader announces), and check every page with axe.
"""

import pytest

from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_finds_the_coalition_from_the_menu(page, live_server, real_data):
    alice = make_user("alice")
    coalition = make_coalition(coordinator=alice)
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="Coalities").first.click()
    page.get_by_role("link", name=coalition.name).click()
    assert page.get_by_role("heading", level=1).inner_text() == coalition.name
    assert serious_violations(page) == []
