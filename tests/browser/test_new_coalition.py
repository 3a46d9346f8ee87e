"""Real browser: a brand-new coalition runs itself, from the first invitation to an assigned reviewer.

A platform administrator invites a regional partner; the partner starts a
coalition, adds two organisations, invites their representatives and an
editor (every link read from the sent mail); they accept; the agenda is
endorsed and submitted; the chair invites a reviewer into the pool and
assigns them. Nobody uses the Django admin. axe-core checks every new page.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import User
from coalitions.models import Coalition, CoalitionMembership, CoalitionRole
from regions.models import Region
from reviews.models import Assignment, Submission
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_organisation, make_user
from tests.reviews.factories import complete_agenda, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2027"


@pytest.fixture(autouse=True)
def _mail(settings, live_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url


def link_for(address: str) -> str:
    """The invitation link in the last mail to ``address``."""
    message = [m for m in mail.outbox if m.to == [address]][-1]
    return re.search(r"(https?://\S+/uitnodiging/\S+/)", message.body).group(1)


def accept_as_new_person(page, live_server, address: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(link_for(address))
    assert serious_violations(page) == []
    page.get_by_label("Uw naam").fill(name)
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken en accepteren").click()
    page.wait_for_url(f"{live_server.url}/mijn-taken/")
    page.get_by_text("Welkom!").wait_for()


def log_in_by_email(page, live_server, address: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("E-mailadres of gebruikersnaam").fill(address)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-taken/")


def test_a_new_coalition_from_the_first_invitation_to_an_assigned_reviewer(real_data, eager, live_server, page):
    make_user("beheer", role="platform_admin")
    chair = make_user("chair", role="review_chair")
    make_round(chair)
    region = Region.objects.get(code="CR17")  # a COROP area (Utrecht) without a coalition
    first, second, third = (make_organisation(m.code) for m in region.municipalities.order_by("code")[:3])

    # The platform administrator invites the first regional partner.
    log_in(page, live_server, "beheer")
    page.goto(f"{live_server.url}/uitnodiging/")
    assert serious_violations(page) == []
    page.get_by_label("Naam").first.fill("Paula Partner")
    page.get_by_label("E-mailadres").fill("paula@partner.example")
    page.get_by_label("Rol").select_option(label="Regionale partner")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("Uitnodiging verstuurd naar paula@partner.example").wait_for()

    # The partner creates her account from the link and starts a coalition for her region.
    accept_as_new_person(page, live_server, "paula@partner.example", "Paula Partner")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/coalities/nieuw/")
    assert serious_violations(page) == []
    page.get_by_label("Naam van de coalitie").fill("Kansen voor de Stedendriehoek")
    page.get_by_label("Bestaande regio", exact=True).select_option(label=region.name)
    page.get_by_label("Een bestaande organisatie").check()
    page.get_by_label("Bestaande organisatie", exact=True).select_option(label=first.name)
    page.get_by_role("button", name="Coalitie starten").click()
    page.get_by_role("heading", name="Iemand uitnodigen").wait_for()
    coalition = Coalition.objects.get(name="Kansen voor de Stedendriehoek")
    paula = User.objects.get(email="paula@partner.example")
    assert CoalitionMembership.objects.get(coalition=coalition, user=paula).role == CoalitionRole.COORDINATOR
    assert serious_violations(page) == []

    # Two more organisations, their representatives and an editor.
    add = page.locator("form", has=page.get_by_role("button", name="Organisatie toevoegen"))
    for organisation in (second, third):
        add.get_by_label("Een bestaande organisatie").check()
        add.get_by_label("Bestaande organisatie", exact=True).select_option(label=organisation.name)
        add.get_by_role("button", name="Organisatie toevoegen").click()
        page.get_by_text(organisation.name).first.wait_for()
    invite = page.locator("form", has=page.get_by_role("button", name="Uitnodiging versturen"))
    people = [
        ("Rob Vertegenwoordiger", "rob@gemeente.example", second, "Lezer"),
        ("Rita Vertegenwoordiger", "rita@gemeente.example", third, "Lezer"),
        ("Eddie Redacteur", "eddie@gemeente.example", first, "Redacteur"),
    ]
    for name, address, organisation, role in people:
        invite.get_by_label("Naam").fill(name)
        invite.get_by_label("E-mailadres").fill(address)
        invite.get_by_label("Namens organisatie").select_option(label=organisation.name)
        invite.get_by_label("Rol").select_option(label=role)
        invite.get_by_role("button", name="Uitnodiging versturen").click()
        page.get_by_text(address).first.wait_for()
    assert serious_violations(page) == []

    for name, address, _organisation, _role in people:
        accept_as_new_person(page, live_server, address, name)
    assert {m.user.display_name: m.role for m in coalition.memberships.select_related("user")} == {
        "Paula Partner": "coordinator",
        "Rob Vertegenwoordiger": "viewer",
        "Rita Vertegenwoordiger": "viewer",
        "Eddie Redacteur": "editor",
    }

    # The agenda is written (the editor's own browser test walks the editor), endorsed by every
    # organisation's representative and submitted by the coordinator, who confirms first.
    agenda = complete_agenda(coalition, paula)
    for address, organisation in (
        ("paula@partner.example", first),
        ("rob@gemeente.example", second),
        ("rita@gemeente.example", third),
    ):
        log_in_by_email(page, live_server, address)
        page.get_by_role("link", name=agenda.title).first.click()  # Mijn taken: an endorsement to give
        page.get_by_role("button", name=f"Instemmen namens {organisation.name}").click()
        page.get_by_text("ingestemd", exact=False).first.wait_for()
    log_in_by_email(page, live_server, "paula@partner.example")
    page.goto(f"{live_server.url}/agendas/{agenda.pk}/")
    page.get_by_role("button", name="Indienen voor de toets").click()
    assert serious_violations(page) == []
    assert not Submission.objects.exists()  # asked first
    page.locator('button[name="confirmed"][value="1"]').click()
    page.get_by_text("ingediend", exact=False).first.wait_for()
    submission = Submission.objects.get(agenda=agenda)

    # The chair invites a reviewer into the pool; the reviewer accepts; the chair assigns them.
    log_in(page, live_server, "chair")
    page.goto(f"{live_server.url}/toetsing/pool/")
    assert serious_violations(page) == []
    pool = page.locator("form", has=page.get_by_role("button", name="Uitnodiging versturen"))
    pool.get_by_label("Naam").fill("Bea Beoordelaar")
    pool.get_by_label("E-mailadres").fill("bea@universiteit.example")
    pool.locator('input[name$="expertise"]').first.check()
    pool.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("bea@universiteit.example").first.wait_for()
    accept_as_new_person(page, live_server, "bea@universiteit.example", "Bea Beoordelaar")
    bea = User.objects.get(email="bea@universiteit.example")

    log_in(page, live_server, "chair")
    page.goto(f"{live_server.url}/toetsing/indieningen/{submission.pk}/")
    assert serious_violations(page) == []
    choice = page.get_by_label("Beoordelaar", exact=True)
    choice.select_option(value=choice.locator("option", has_text="Bea Beoordelaar").get_attribute("value"))
    page.get_by_role("button", name="Uitnodigen").click()
    page.get_by_text("Bea Beoordelaar").first.wait_for()
    assert Assignment.objects.get(submission=submission).reviewer == bea
