"""Every role's main pages on the demo, in a real browser at 1280 px and on a 390 px phone:
no page wider than the screen, no serious or critical axe-core violations, and no
Content-Security-Policy violation there or on the pages with scripts of their own."""

import pytest

from kansenagenda.demo import load_demo
from tests.browser.csp import RECORD_VIOLATIONS, ViolationLog, interactions_of, pages_with_scripts
from tests.browser.helpers import DEMO_ROLES, demo_main_pages, log_in_demo, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def test_every_roles_main_pages_fit_the_screen_pass_axe_and_the_policy(real_data, settings, live_server, browser):
    """One demo for all roles (loading it is the slow part); each role in its own browser context."""
    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    problems = {}
    for username in DEMO_ROLES:
        who = username or "anonymous"
        context = browser.new_context()
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        log = ViolationLog(page)
        if username:
            log_in_demo(page, live_server, username)
            if found := log.take():
                problems[f"{who} logging in"] = {"csp": found}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in demo_main_pages(username):
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, (username, path)
                assert "script-src 'self'" in response.headers["content-security-policy"]
                overflow = page.evaluate("document.documentElement.scrollWidth") - width
                violations = [f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in serious_violations(page)]
                found = log.take()
                if overflow > 0 or violations or found:
                    problems[f"{who} {path} @ {width}px"] = {"wider by px": overflow, "axe": violations, "csp": found}
        # Where scripts run on input or after loading: once more, waiting until the network is quiet.
        interactions = interactions_of(username)
        for path in dict.fromkeys([*pages_with_scripts(username), *interactions]):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path)
            if path in interactions:
                interactions[path](page)
            page.wait_for_load_state("networkidle")
            if found := log.take():
                problems[f"{who} {path}"] = {"csp": found}
        context.close()
    assert problems == {}
