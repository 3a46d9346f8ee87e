"""Recording Content-Security-Policy violations in a real browser.

A violation shows up twice in Chromium: as a ``securitypolicyviolation`` event in the page and as a
console message naming the Content Security Policy. Both are collected; either one counts.
"""

from playwright.sync_api import expect

from agendas.models import Agenda
from coalitions.models import Coalition
from reviews.models import Assignment

# Added before any page script runs (Playwright injects it outside the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


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


def pages_with_scripts(username: str | None) -> list[str]:
    """Beyond the main pages: where our own JavaScript or the charts do their work."""
    if username is None:
        region = Coalition.objects.get(slug="veenkolonien").region
        return [f"/regios/{region.code}/", "/financiering/landelijk/", "/regiotoets/"]
    if username == "coordinator":
        agenda = Agenda.objects.get(coalition__slug="veenkolonien")
        measure = agenda.measures.order_by("pk").first()
        return [f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", f"/agendas/{agenda.pk}/prioriteiten/nieuw/"]
    if username == "rijksambtenaar":
        return ["/regiotoets/nieuw/"]  # the region picker's search box (regiotoets.js)
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
