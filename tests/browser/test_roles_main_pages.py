"""Every role's main pages on the demo, in a real browser at 1280 px and on a 390 px phone:
no page wider than the screen, and no serious or critical axe-core violations."""

import pytest

from kansenagenda.demo import load_demo
from tests.browser.helpers import DEMO_ROLES, demo_main_pages, log_in_demo, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def test_every_roles_main_pages_fit_the_screen_and_pass_axe(real_data, settings, live_server, browser):
    """One demo for all roles (loading it is the slow part); each role in its own browser context."""
    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    problems = {}
    for username in DEMO_ROLES:
        context = browser.new_context()
        page = context.new_page()
        if username:
            log_in_demo(page, live_server, username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in demo_main_pages(username):
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, (username, path)
                overflow = page.evaluate("document.documentElement.scrollWidth") - width
                violations = [f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in serious_violations(page)]
                if overflow > 0 or violations:
                    problems[f"{username or 'anonymous'} {path} @ {width}px"] = {
                        "wider by px": overflow,
                        "axe": violations,
                    }
        context.close()
    assert problems == {}
