"""Real browser: the Content-Security-Policy without a single violation.

Every role's main pages and the pages with scripts of their own are checked in the one demo walk of
``test_roles_main_pages`` (loading the demo is the slow part); here the API docs, and proof that the
violation log used there can fail.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.csp import RECORD_VIOLATIONS, ViolationLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_run_under_the_policy(live_server, page):
    page.add_init_script(RECORD_VIOLATIONS)
    log = ViolationLog(page)
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    # Swagger UI drew the schema: its start-up script (a URL, not inline) ran and fetched it.
    # (The schema takes a few seconds to generate on a busy machine.)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kansenagenda API", timeout=30_000)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert log.take() == []


def test_the_log_catches_a_violation(live_server, page):
    """The walk's check can fail: an inline style attribute on a page is reported both ways."""
    page.add_init_script(RECORD_VIOLATIONS)
    log = ViolationLog(page)
    page.goto(f"{live_server.url}/openbaar/")
    page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">inline</p>')""")
    page.wait_for_function("window.__cspViolations.length > 0")
    found = log.take()
    assert any(entry.startswith("style-src-attr blocked inline") for entry in found), found
    assert any("Content Security Policy" in entry for entry in found), found
