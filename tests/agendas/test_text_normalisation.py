"""One rule for an agenda's free text (agendas.text): applied before storing and before comparing.

A browser sends a textarea's line breaks as CRLF; the demo data and the API send LF. Saving the
header unchanged from the form used to record *Visie* as changed, and the compare view then showed
empty struck-out and underlined fragments.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from agendas import services
from agendas.comments import comment_create
from agendas.models import Revision
from agendas.revisions import diff_snapshots, text_diff
from agendas.text import normalise_text
from goals.models import Goal
from tests.agendas.factories import make_agenda, make_measure, make_priority, measure_input

VISION = "In 2035 is de regio gezond.\n\n- Werk\n- Zorg\n\nEn **welvarend**."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\u2028b", "a\nb"),
        ("a \r\nb\t\n", "a\nb"),
        ("\n\n  a\n\n", "a"),
        # Two or more spaces at the end of a line are Markdown's hard line break: kept, as two.
        ("a  \nb", "a  \nb"),
        ("a    \r\nb", "a  \nb"),
        ("  ingesprongen", "ingesprongen"),
        ("", ""),
    ],
)
def test_it_normalises_line_breaks_and_trailing_whitespace(text, expected):
    assert normalise_text(text) == expected
    assert normalise_text(expected) == expected  # stable


def test_snapshots_differing_only_in_line_endings_are_equal():
    before = {"vision": VISION.replace("\n", "\r\n"), "title": "T", "goal_links": [{"contribution": "x \r\ny"}]}
    after = {"vision": VISION, "title": "T", "goal_links": [{"contribution": "x\ny"}]}
    assert diff_snapshots(before, after) == []
    assert [c.field for c in diff_snapshots(before, {**after, "title": "U"})] == ["title"]


def test_the_word_diff_never_shows_an_empty_fragment():
    assert text_diff(VISION.replace("\n", "\r\n"), VISION) == [("=", VISION)]
    # A blank line more or less is no change of words.
    assert text_diff("a\n\nb", "a\nb") == [("=", "a\nb")]
    segments = text_diff("Gezond en welvarend.\r\n\r\nWerk voor iedereen.", "Gezond en groen.\n\nWerk voor iedereen!")
    assert all(text.strip() for op, text in segments if op != "=")
    assert ("-", "welvarend.") in segments and ("+", "groen.") in segments


# --- stored as normalised --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_services_store_normalised_text(coalition, alice):
    agenda = make_agenda(coalition, alice, summary="Samen.\r\n", vision=VISION.replace("\n", "\r\n"))
    assert (agenda.summary, agenda.vision) == ("Samen.", VISION)
    sdg_3_4 = Goal.objects.get(catalogue="sdg", code="3.4")
    priority = make_priority(
        agenda,
        alice,
        title="  Gezonde jeugd ",
        description="Eén\r\ntwee ",
        goal_links=[services.GoalLinkInput(goal_id=sdg_3_4.pk, contribution="Meer \r\nsport ")],
    )
    priority.refresh_from_db()
    assert (priority.title, priority.description) == ("Gezonde jeugd", "Eén\ntwee")
    assert priority.goal_links.get().contribution == "Meer\nsport"
    measure = make_measure(agenda, priority, alice, title="Sport ", description="a\r\nb")
    assert (measure.title, measure.description) == ("Sport", "a\nb")
    comment = comment_create(agenda=agenda, actor=alice, body="Goed\r\nplan ")
    assert comment.body == "Goed\nplan"


@pytest.mark.django_db
def test_saving_the_header_form_unchanged_records_no_changed_field(client, coalition, alice):
    agenda = make_agenda(coalition, alice, vision=VISION)
    client.force_login(alice)
    form = client.get(reverse("agendas:header", args=[agenda.pk])).context["form"]
    data = {
        "version": agenda.version,
        "title": agenda.title,
        "summary": agenda.summary,
        # What a browser sends for the unchanged textarea.
        "vision": form.initial["vision"].replace("\n", "\r\n"),
        "start_year": agenda.start_year,
        "end_year": agenda.end_year,
        "lead_partner": agenda.lead_partner_id,
        "themes": [t.pk for t in agenda.themes.all()],
    }
    response = client.post(reverse("agendas:header", args=[agenda.pk]), data)
    assert response.status_code == 302
    newest = Revision.objects.filter(agenda=agenda).order_by("-number").first()
    assert (newest.number, newest.changed_fields) == (2, [])
    agenda.refresh_from_db()
    assert agenda.vision == VISION

    # The compare view finds no difference, and shows no empty fragment.
    page = client.get(reverse("agendas:compare", args=[agenda.pk]) + "?van=1&tot=2").content.decode()
    assert "Tussen deze revisies is niets veranderd." in page
    assert "<del>" not in page and "<ins>" not in page


@pytest.mark.django_db
def test_an_older_revision_stored_with_crlf_compares_equal(client, coalition, alice):
    """Revisions written before the rule keep their CRLF; comparing normalises them too."""
    agenda = make_agenda(coalition, alice, vision=VISION)
    first = Revision.objects.get(agenda=agenda, number=1)
    first.snapshot = {**first.snapshot, "vision": VISION.replace("\n", "\r\n") + "\r\n"}
    first.save(update_fields=["snapshot"])
    services.agenda_update_header(
        agenda_id=agenda.pk,
        actor=alice,
        base_version=agenda.version,
        title="Nieuwe titel",
        summary=agenda.summary,
        vision=VISION,
        start_year=agenda.start_year,
        end_year=agenda.end_year,
        lead_partner_id=agenda.lead_partner_id,
        theme_ids=[t.pk for t in agenda.themes.all()],
    )
    assert Revision.objects.get(agenda=agenda, number=2).changed_fields == ["title"]
    client.force_login(alice)
    page = client.get(reverse("agendas:compare", args=[agenda.pk]) + "?van=1&tot=2").content.decode()
    assert "Nieuwe titel" in page
    assert ">Visie<" not in page
    assert "verwijderd: </span></del>" not in page and "toegevoegd: </span></ins>" not in page


@pytest.mark.django_db
def test_a_measure_saved_with_crlf_is_unchanged(coalition, alice):
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice)
    measure = make_measure(agenda, priority, alice, description="Eén\ntwee")
    data = measure_input(agenda, priority, description="Eén\r\ntwee\r\n")
    services.measure_update(measure_id=measure.pk, actor=alice, base_version=measure.version, data=data)
    newest = Revision.objects.filter(agenda=agenda).order_by("-number").first()
    assert newest.part_type == "measure" and newest.changed_fields == []
