"""Real browser: every role's main pages, and the pages with scripts of their own, run under the
Content-Security-Policy without a single violation (no inline script or style was left behind).

A violation shows up twice in Chromium: as a ``securitypolicyviolation`` event in the page and as a
console message naming the Content Security Policy. Both are collected; either one fails the test.
"""

import pytest
from playwright.sync_api import expect

from agendas.models import Agenda
from coalitions.models import Coalition
from kansenagenda.demo import load_demo
from reviews.models import Assignment
from tests.browser.helpers import DEMO_ROLES, demo_main_pages, log_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Added before any page script runs (Playwright injects it outside the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


def pages_with_scripts(username: str | None) -> list[str]:
    """Beyond the main pages: where our own JavaScript or the charts do their work."""
    if username is None:
        region = Coalition.objects.get(slug="veenkolonien").region
        return [f"/regios/{region.code}/", "/financiering/landelijk/"]
    if username == "coordinator":
        agenda = Agenda.objects.get(coalition__slug="veenkolonien")
        measure = agenda.measures.order_by("pk").first()
        return [f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", f"/agendas/{agenda.pk}/prioriteiten/nieuw/"]
    if username == "beoordelaar":
        assignment = Assignment.objects.filter(reviewer__username="beoordelaar").order_by("pk").first()
        return [f"/toetsing/beoordelingen/{assignment.pk}/"]
    return []


def open_mention_suggestions(page):
    box = page.get_by_label("Uw reactie")
    box.click()
    box.press_sequentially("@")
    expect(page.get_by_role("listbox", name="Leden van de coalitie")).to_be_visible()


def type_in_the_budget_grid(page):
    grand_total = page.locator("[data-grand-total]")
    before = grand_total.inner_text()
    page.locator(".ka-budget input").first.fill("123456789")
    expect(grand_total).not_to_have_text(before)


def interactions_of(username: str | None) -> dict:
    """What to do on a page once it is open, so scripts that only run on input run too."""
    if username == "coordinator":
        agenda = Agenda.objects.get(coalition__slug="veenkolonien")
        measure = agenda.measures.order_by("pk").first()
        return {
            f"/agendas/{agenda.pk}/": open_mention_suggestions,
            f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/": type_in_the_budget_grid,
        }
    return {}


class ViolationLog:
    def __init__(self, page):
        self.page = page
        self.console = []
        page.on("console", self.listen)

    def listen(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def take(self) -> list[str]:
        """Everything recorded since the last call, from both sources."""
        found = self.console + self.page.evaluate("window.__cspViolations.splice(0)")
        self.console = []
        return found


def test_no_page_breaks_the_content_security_policy(real_data, settings, live_server, browser):
    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    problems = {}
    for username in DEMO_ROLES:
        context = browser.new_context()
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        log = ViolationLog(page)
        if username:
            log_in_demo(page, live_server, username)
            if found := log.take():
                problems[f"{username} logging in"] = found
        interactions = interactions_of(username)
        for path in demo_main_pages(username) + pages_with_scripts(username):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            if path in interactions:
                interactions[path](page)
            page.wait_for_load_state("networkidle")
            if found := log.take():
                problems[f"{username or 'anonymous'} {path}"] = found
        context.close()
    assert problems == {}


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
    """The check above can fail: an inline style attribute on a page is reported both ways."""
    page.add_init_script(RECORD_VIOLATIONS)
    log = ViolationLog(page)
    page.goto(f"{live_server.url}/openbaar/")
    page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">inline</p>')""")
    page.wait_for_function("window.__cspViolations.length > 0")
    found = log.take()
    assert any(entry.startswith("style-src-attr blocked inline") for entry in found), found
    assert any("Content Security Policy" in entry for entry in found), found
