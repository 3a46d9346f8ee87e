"""Helpers shared by the tests of this folder."""

from axe_playwright_python.sync_playwright import Axe

from accounts.demo import DEMO_PASSWORD
from agendas.models import Agenda
from tests.factories import PASSWORD

# The demo's roles (kansenagenda.demo.load_demo), None for an anonymous visitor, and each one's main
# pages: walked for layout and axe (test_roles_main_pages) and for the Content-Security-Policy.
DEMO_ROLES = [None, "coordinator", "voorzitter", "beoordelaar", "rijksambtenaar", "programmabeheer"]
DEMO_ROLES += ["platformbeheer", "databeheerder"]


def serious_violations(page) -> list[dict]:
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-taken/")


def assert_no_axe_violations(page):
    results = Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def demo_main_pages(username: str | None) -> list[str]:
    if username is None:
        return ["/", "/openbaar/", "/regios/"]
    own = {
        "coordinator": [f"/agendas/{Agenda.objects.get(coalition__slug='veenkolonien').pk}/"],
        "voorzitter": ["/toetsing/"],
        "beoordelaar": ["/toetsing/mijn-beoordelingen/"],
        "rijksambtenaar": ["/financiering/"],
        "programmabeheer": ["/financiering/programmas/"],
        "platformbeheer": ["/uitnodiging/"],
        "databeheerder": ["/gegevens/"],
    }
    return ["/mijn-taken/", *own[username]]


def log_in_demo(page, live_server, username):
    """Log in as a demo user (their password is DEMO_PASSWORD, not the factories' PASSWORD)."""
    page.goto(f"{live_server.url}/account/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/mijn-taken/")
