"""The decision letter is a real beschikking: ministry, legal basis, signer, tranches and the objection clause, in
Dutch and English; letters of programmes and officials without those texts still render."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from accounts.models import User
from core.formatting import euro
from funding import amendments, letters, services
from funding.models import Decision, OfficialFunction
from tests.factories import make_user
from tests.funding.factories import approved_decision, make_programme

pytestmark = pytest.mark.django_db

TEXTS = {
    "ministry": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "ministry_en": "Ministry of the Interior and Kingdom Relations",
    "legal_basis": "Artikel 3 van de Regeling kansenagenda's",
    "legal_basis_en": "Article 3 of the Regulation on opportunity agendas",
}


@pytest.fixture
def programme_admin(db):
    return make_user("programmabeheer", role="programme_admin")


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver, programme_admin) -> Decision:
    programme = make_programme(proposer, envelope=500_000)
    services.programme_update(actor=programme_admin, programme_id=programme.pk, **TEXTS)
    services.official_function_set(
        actor=programme_admin, user=approver, function="Directeur Regio's", function_en="Director of Regions"
    )
    return letters_decision(approved_decision(coalition, alice, chair, proposer, approver, programme=programme))


def letters_decision(decision: Decision) -> Decision:
    """The decision as the letter task loads it."""
    return Decision.objects.select_related(*letters.DECISION_RELATED).get(pk=decision.pk)


def text_of(html: str) -> str:
    """The letter's words without tags and with single spaces (what a reader sees, near enough)."""
    words = re.sub(r"<[^>]+>", " ", html.split("<body>")[1]).replace("&#x27;", "'").replace("&quot;", '"')
    # Only ASCII white space: the no-break space inside "€ 100.000" stays.
    return re.sub(r"[ \t\r\n]+", " ", words).strip()


def tranche_rows(html: str) -> list[tuple[str, str]]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<tr><td>(\d{4})</td><td class="num">([^<]+)</td></tr>', body)


def test_the_dutch_letter_has_everything_a_beschikking_needs(decision, approver):
    html = letters.decision_letter_html(decision, language="nl")
    text = text_of(html)
    assert '<html lang="nl">' in html
    # Who decides and on what basis.
    assert text.startswith("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
    assert "Dit besluit berust op: Artikel 3 van de Regeling kansenagenda's" in text
    # The decision, its amounts and tranches (a table), and the conditions.
    with translation.override("nl"):
        awarded, first, second = euro(100_000), euro(60_000), euro(40_000)
    assert f"Wij kennen u een bijdrage toe van {awarded}" in text
    assert tranche_rows(html) == [("2026", first), ("2027", second)]
    assert f"Totaal {awarded}" in text and "Voorwaarden" in text
    # Signed on behalf of the minister, by name and function.
    assert f"Namens de minister, {approver.display_name} Directeur Regio's" in text
    # The objection clause: within six weeks, to whom, and how.
    assert "binnen zes weken na de datum van deze brief" in text
    assert "Stuur uw bezwaarschrift aan: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties." in text
    for must in ("uw naam en adres;", "de datum;", f"met het kenmerk {decision.reference};", "de redenen waarom"):
        assert must in text
    assert "Onderteken uw bezwaarschrift" in text
    # Dates as people write them.
    with translation.override("nl"):
        from django.utils.dateformat import format as date_format
        from django.utils.timezone import localtime

        assert date_format(localtime(decision.decided_at), "j F Y") in text


def test_the_english_letter_says_the_same_in_english(decision, approver):
    html = letters.decision_letter_html(decision, language="en")
    text = text_of(html)
    assert '<html lang="en">' in html
    assert text.startswith("Ministry of the Interior and Kingdom Relations")
    assert "This decision is based on: Article 3 of the Regulation on opportunity agendas" in text
    with translation.override("en"):
        awarded, first, second = euro(100_000), euro(60_000), euro(40_000)
    assert f"We award you a contribution of {awarded}" in text
    assert tranche_rows(html) == [("2026", first), ("2027", second)]
    assert f"Total {awarded}" in text and "Conditions" in text
    assert f"On behalf of the minister, {approver.display_name} Director of Regions" in text
    assert "within six weeks after the date of this letter" in text
    assert "Send your notice of objection to: Ministry of the Interior and Kingdom Relations." in text
    for must in ("your name and address;", "the date;", f"with its reference {decision.reference};", "the reasons"):
        assert must in text
    assert "Sign your notice of objection" in text
    # Nothing of the Dutch letter's own wording is left.
    for dutch in ("Bezwaar", "bezwaarschrift", "Namens de minister", "Besluit", "Grondslag", "Totaal"):
        assert dutch not in text, dutch


def test_the_letter_is_in_the_language_the_coordinator_chose(decision, alice):
    assert letters.letter_language(decision) == "nl"
    User.objects.filter(pk=alice.pk).update(language="en")
    assert letters.letter_language(decision) == "en"
    assert '<html lang="en">' in letters.decision_letter_html(decision)


def test_the_pdf_carries_the_objection_clause(decision):
    assert letters.make_letter(decision.pk) is True
    decision.refresh_from_db()
    with decision.letter.open("rb") as pdf:
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Bezwaar maken" in text and "binnen zes weken" in text
    assert "Ministerie van Binnenlandse Zaken" in text and "Directeur Regio's" in text


def test_a_letter_without_ministry_legal_basis_or_function_still_reads_well(
    coalition, alice, chair, proposer, approver
):
    """Decisions from before these fields: general wording in their place, never an empty gap."""
    decision = letters_decision(approved_decision(coalition, alice, chair, proposer, approver))
    assert not OfficialFunction.objects.exists()
    text = text_of(letters.decision_letter_html(decision, language="nl"))
    assert f"Dit besluit berust op de regels van het financieringsprogramma {decision.programme.name}." in text
    assert f"Namens de minister, {approver.display_name} Dit besluit is elektronisch vastgesteld" in text
    assert "aan de minister die dit besluit heeft genomen" in text
    assert "Stuur uw bezwaarschrift aan" not in text
    english = text_of(letters.decision_letter_html(decision, language="en"))
    assert f"This decision is based on the rules of the funding programme {decision.programme.name}." in english
    assert "to the minister who took this decision" in english


def test_an_english_letter_falls_back_to_the_dutch_texts(decision, programme_admin, approver):
    services.programme_update(
        actor=programme_admin, programme_id=decision.programme_id, ministry_en="", legal_basis_en=""
    )
    services.official_function_set(actor=programme_admin, user=approver, function="Directeur Regio's")
    text = text_of(letters.decision_letter_html(letters_decision(decision), language="en"))
    assert "Send your notice of objection to: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties." in text
    assert "This decision is based on: Artikel 3 van de Regeling kansenagenda's" in text
    assert "Directeur Regio's" in text


def test_the_amendment_letter_is_a_beschikking_too(decision, proposer, approver):
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 40_000}, reason="Bouw vertraagd"
    )
    amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
    amendment.refresh_from_db()
    for language, musts in {
        "nl": ("Ministerie van Binnenlandse Zaken", "Dit besluit berust op: Artikel 3", "binnen zes weken"),
        "en": ("Ministry of the Interior", "This decision is based on: Article 3", "within six weeks"),
    }.items():
        text = text_of(letters.amendment_letter_html(amendment, language=language))
        for must in (*musts, f"{amendment.reference};", "Director of Regions" if language == "en" else "Directeur"):
            assert must in text, (language, must)
