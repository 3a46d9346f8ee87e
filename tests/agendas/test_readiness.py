"""The completeness panel tells the truth about submitting (agendas.completeness.readiness, agendas.panels).

It says "de agenda kan worden ingediend" only when the content is complete *and* the app that takes
submissions (reviews, through ``agendas.panels.SUBMIT_CHECK``) has nothing against it; otherwise
"Inhoud compleet" with what is still needed, or, after submitting, "Ingediend op ...".
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agendas import completeness
from agendas.models import Agenda
from agendas.panels import SUBMIT_CHECK, SubmitState
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.reviews.factories import endorse_all, make_round

READY = "Alle onderdelen zijn ingevuld; de agenda kan worden ingediend."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def complete(coalition, alice):
    agenda = make_agenda(coalition, alice)
    make_measure(agenda, make_priority(agenda, alice), alice)
    return agenda


@pytest.fixture
def provide():
    """Register a provider for one test; the registry is global, so it is emptied again after."""
    registered = []

    def register(provider):
        SUBMIT_CHECK.register(provider)
        registered.append(provider)

    with SUBMIT_CHECK.emptied():
        yield register


def panel_of(client, agenda) -> str:
    content = client.get(f"/agendas/{agenda.pk}/").content.decode()
    return content.split('class="ka-panel ka-completeness"')[1].split("</section>")[0]


# --- the rule --------------------------------------------------------------------------------------

GAP = completeness.Gap("header", None, "Schrijf een samenvatting.")


@pytest.mark.parametrize(
    ("is_draft", "found", "blockers", "state"),
    [
        (False, [GAP], ["x"], "submitted"),
        (True, [GAP], [], "incomplete"),
        (True, [GAP], ["Niet onderschreven"], "incomplete"),
        (True, [], ["Niet onderschreven"], "blocked"),
        (True, [], [], "ready"),
        (True, [], None, "content_complete"),
    ],
)
def test_the_verdict(is_draft, found, blockers, state):
    assert completeness.readiness(is_draft=is_draft, found=found, blockers=blockers).state == state


def test_several_providers_are_merged(provide):
    when = timezone.now()
    provide(lambda agenda: SubmitState(blockers=["a"]))

    def other(agenda):
        return SubmitState(blockers=["b"], submitted_at=when)

    provide(other)
    assert SUBMIT_CHECK.state(None) == SubmitState(blockers=["a", "b"], submitted_at=when)


# --- the panel -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_anyone_who_knows_the_other_rules_it_never_says_it_can_be_submitted(client, bob, complete, provide):
    client.force_login(bob)
    panel = panel_of(client, complete)
    assert ">Inhoud compleet</h2>" in panel
    assert "kan worden ingediend" not in panel
    assert "Indienen kan pas als alle partners hebben ingestemd en er een beoordelingsronde open is." in panel


@pytest.mark.django_db
def test_complete_content_with_something_else_missing_says_what(client, bob, complete, provide):
    provide(lambda agenda: SubmitState(blockers=["Nog niet onderschreven door: Gemeente A.", "Geen ronde open."]))
    client.force_login(bob)
    panel = panel_of(client, complete)
    assert ">Inhoud compleet</h2>" in panel
    assert "Alle onderdelen zijn ingevuld. Nog nodig om in te dienen:" in panel
    assert "Nog niet onderschreven door: Gemeente A." in panel and "Geen ronde open." in panel
    assert "kan worden ingediend" not in panel


@pytest.mark.django_db
def test_only_with_nothing_against_it_it_says_it_can_be_submitted(client, bob, complete, provide):
    provide(lambda agenda: SubmitState())
    client.force_login(bob)
    panel = panel_of(client, complete)
    assert ">Compleet</h2>" in panel and READY in panel


@pytest.mark.django_db
def test_gaps_and_other_blockers_are_listed_together(client, bob, coalition, alice, provide):
    provide(lambda agenda: SubmitState(blockers=["Geen ronde open."]))
    agenda = make_agenda(coalition, alice, summary="")
    client.force_login(bob)
    panel = panel_of(client, agenda)
    assert ">Nog te doen voor indienen</h2>" in panel
    assert "Schrijf een samenvatting." in panel
    assert ">Indienen</h3>" in panel and "Geen ronde open." in panel


@pytest.mark.django_db
def test_a_submitted_agenda_says_when(client, bob, complete, provide):
    when = datetime.datetime(2027, 4, 6, 10, 30, tzinfo=datetime.UTC)
    provide(lambda agenda: SubmitState(blockers=["wordt niet getoond"], submitted_at=when))
    Agenda.objects.filter(pk=complete.pk).update(status=Agenda.Status.IN_REVIEW)
    client.force_login(bob)
    panel = panel_of(client, complete)
    assert ">Ingediend</h2>" in panel
    assert "Ingediend op 6 april 2027." in panel and "Status: In beoordeling." in panel
    assert "kan worden ingediend" not in panel and "wordt niet getoond" not in panel


@pytest.mark.django_db
def test_a_submitted_agenda_without_a_date_still_says_it_was_submitted(client, bob, complete, provide):
    Agenda.objects.filter(pk=complete.pk).update(status=Agenda.Status.SUBMITTED)
    client.force_login(bob)
    panel = panel_of(client, complete)
    assert "De agenda is ingediend." in panel and "kan worden ingediend" not in panel


# --- with the real submit rules ----------------------------------------------------------------------
# The provider the reviews app is asked to register (see the report of issue 14); written here against
# reviews.workflow's own guards, so the panel and the submit step cannot disagree.


def reviews_submit_state(agenda):
    from reviews import workflow
    from reviews.models import Submission

    if agenda.status != Agenda.Status.DRAFT:
        latest = Submission.objects.filter(agenda=agenda).order_by("-number").values_list("submitted_at", flat=True)
        return SubmitState(submitted_at=latest.first())
    ctx = workflow.Context(agenda=agenda, actor=None, comment="", round_id=None)
    guards = workflow.RULES[(Agenda.Status.DRAFT, "submit")].guards
    return SubmitState(blockers=[m for guard in guards if guard != "complete" for m in workflow.GUARDS[guard](ctx)])


@pytest.mark.django_db
def test_with_the_real_rules_endorsements_and_a_round_are_needed(client, alice, complete, provide):
    provide(reviews_submit_state)
    client.force_login(alice)
    panel = panel_of(client, complete)
    assert ">Inhoud compleet</h2>" in panel
    assert "Nog niet onderschreven in de huidige versie" in panel
    assert "Er is geen beoordelingsronde open voor indiening." in panel

    endorse_all(complete)
    make_round()
    panel = panel_of(client, complete)
    assert ">Compleet</h2>" in panel and READY in panel


@pytest.mark.django_db
def test_with_the_real_rules_a_submission_shows_its_date(client, alice, complete, provide):
    from reviews import workflow

    provide(reviews_submit_state)
    endorse_all(complete)
    make_round()
    submission = workflow.transition(agenda_id=complete.pk, action="submit", actor=alice)
    client.force_login(alice)
    panel = panel_of(client, complete)
    date = timezone.localtime(submission.submitted_at)
    assert f"Ingediend op {date.day} " in panel and f" {date.year}." in panel
    assert "kan worden ingediend" not in panel
