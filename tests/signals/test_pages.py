"""The pages of signals: filing from the agenda, the ministry's forms, the public list with its filters, figures and
CSV, and what bad input does (an inline error, status 400, nothing changed)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from activity.models import Event
from signals import services
from signals.models import Signal
from tests.agendas.factories import make_agenda, make_priority
from tests.factories import make_coalition, make_user
from tests.signals.factories import answered_signal, file_signal, make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_ministry("testmin")


@pytest.fixture
def official(ministry):
    return make_official("ambtenaar", ministry)


@pytest.fixture
def agenda(coalition, alice):
    return signal_agenda(coalition, alice)


def form_data(agenda, addressed, **fields):
    data = {
        "ministry": str(addressed.pk),
        "title": "Leerlingenvervoer over de grens",
        "kind": "rule",
        "body": "De regeling voor leerlingenvervoer stopt aan de grens.",
        "blocks": f"p-{agenda.priorities.get().pk}",
        "region": agenda.region.code,
        "organisation": str(agenda.coalition.organisations.order_by("region__code").first().pk),
        "themes": ["gezondheid"],
        "is_public": "on",
        "not_public_reason": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


# --- filing -----------------------------------------------------------------------------------------------------


def test_the_agenda_page_offers_filing_to_members_who_may(client, agenda, alice, victor):
    client.force_login(alice)
    page = client.get(f"/agendas/{agenda.pk}/").content.decode()
    assert f'href="/signalen/nieuw/{agenda.pk}/"' in page and "/signalen/coalitie/oost-groningen/" in page
    client.force_login(victor)
    page = client.get(f"/agendas/{agenda.pk}/").content.decode()
    assert f'href="/signalen/nieuw/{agenda.pk}/"' not in page and "/signalen/coalitie/oost-groningen/" in page
    page = client.get("/coalities/oost-groningen/").content.decode()
    assert "/signalen/coalitie/oost-groningen/" in page


def test_a_coordinator_files_from_the_form(client, agenda, alice, ministry, official):
    client.force_login(alice)
    form = client.get(f"/signalen/nieuw/{agenda.pk}/").content.decode()
    assert ministry.name in form and agenda.priorities.get().title in form
    response = client.post(f"/signalen/nieuw/{agenda.pk}/", form_data(agenda, ministry))
    signal = Signal.objects.get()
    assert response.status_code == 302 and response.url == f"/signalen/{signal.pk}/"
    page = client.get(response.url).content.decode()
    assert signal.reference in page and "Leerlingenvervoer over de grens" in page
    assert f'href="/agendas/{agenda.pk}/#prioriteit-{signal.priority_id}"' in page
    assert alice.display_name in page  # the working page names who filed


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "  "}, "title", "Dit veld is vereist."),
        ({"body": ""}, "body", "Dit veld is vereist."),
        ({"ministry": "999999999"}, "ministry", "Kies een ministerie uit de lijst."),
        ({"ministry": "abc"}, "ministry", "Kies een ministerie uit de lijst."),
        ({"region": "GM0363"}, "region", "Selecteer een geldige keuze"),
        ({"blocks": ""}, "blocks", "Dit veld is vereist."),
        ({"blocks": "p-999999999"}, "blocks", "Selecteer een geldige keuze"),
        ({"is_public": None, "not_public_reason": "  "}, "not_public_reason", "openbaar is de norm"),
        ({"themes": ["geen-thema"]}, "themes", "Selecteer een geldige keuze"),
        ({"kind": "wet"}, "kind", "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_is_shown_at_its_field_and_changes_nothing(client, agenda, alice, ministry, fields, field, message):
    client.force_login(alice)
    response = client.post(f"/signalen/nieuw/{agenda.pk}/", form_data(agenda, ministry, **fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Signal.objects.exists() and not Event.objects.filter(verb__startswith="signal.").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"title": " \n "}, "title"), ({"body": ""}, "body"), ({"title": "x" * 201}, "title"), ({"kind": "wet"}, "kind"),
     ({"region_code": "GM0363"}, "region"), ({"theme_codes": ["geen"]}, "themes"),
     ({"is_public": False, "not_public_reason": ""}, "not_public_reason")],
)  # fmt: skip
def test_the_service_refuses_bad_input_at_its_field(agenda, alice, ministry, fields, field):
    with pytest.raises(services.ValidationError) as refused:
        file_signal(alice, agenda, ministry, **fields)
    assert list(refused.value.message_dict) == [field]
    assert not Signal.objects.exists()


def test_every_bad_field_is_reported_at_once(agenda, alice, ministry):
    with pytest.raises(services.ValidationError) as refused:
        file_signal(alice, agenda, ministry, title="", body="", kind="", region_code="XX", ministry_id=10**12)
    assert set(refused.value.message_dict) == {"ministry", "title", "body", "kind", "region"}


def test_a_priority_of_another_agenda_is_refused_by_the_service(agenda, alice, ministry):
    other = make_agenda(agenda.coalition, alice, title="Andere agenda")
    foreign = make_priority(other, alice, title="Van een andere agenda")
    with pytest.raises(services.ValidationError) as refused:
        file_signal(alice, agenda, ministry, priority_id=foreign.pk)
    assert list(refused.value.message_dict) == ["priority"]
    with pytest.raises(services.ValidationError) as refused:
        file_signal(alice, agenda, ministry, priority_id=None)
    assert list(refused.value.message_dict) == ["priority"]
    assert not Signal.objects.exists()


def test_an_inactive_ministry_is_not_offered_nor_accepted(client, agenda, alice, ministry):
    ministry.is_active = False
    ministry.save()
    client.force_login(alice)
    assert ministry.name not in client.get(f"/signalen/nieuw/{agenda.pk}/").content.decode()
    response = client.post(f"/signalen/nieuw/{agenda.pk}/", form_data(agenda, ministry))
    assert response.status_code == 400 and not Signal.objects.exists()


# --- the ministry's forms --------------------------------------------------------------------------------------


def test_the_official_answers_on_the_signal_page(client, agenda, alice, ministry, official):
    signal = file_signal(alice, agenda, ministry)
    client.force_login(official)
    page = client.get(f"/signalen/{signal.pk}/").content.decode()
    assert "Ontvangst bevestigen" in page and "Antwoord versturen" in page
    # The agenda is a draft of the coalition: not linked for the official.
    assert f"/agendas/{agenda.pk}/" not in page and agenda.priorities.get().title in page
    assert client.post(f"/signalen/{signal.pk}/ontvangst/").status_code == 302
    # Not possible without reasons: the error at the field, nothing changed.
    response = client.post(f"/signalen/{signal.pk}/antwoord/", {"outcome": "not_possible", "text": ""})
    assert response.status_code == 400 and "text" in response.context["answer_form"].errors
    assert Signal.objects.get().status == Signal.Status.ACKNOWLEDGED
    response = client.post(f"/signalen/{signal.pk}/antwoord/", {"outcome": "forwarded", "text": "Niet van ons."})
    assert response.status_code == 400 and "Kies het ministerie waarnaar u het signaal doorstuurt." in (
        response.content.decode()
    )
    response = client.post(
        f"/signalen/{signal.pk}/antwoord/", {"outcome": "accepted", "text": "We passen de regeling aan."}
    )
    assert response.status_code == 302
    page = client.get(f"/signalen/{signal.pk}/").content.decode()
    assert "We passen de regeling aan." in page and "Afsluiten" in page
    # Twice: the step is not in the table any more; a message, nothing changed.
    response = client.post(f"/signalen/{signal.pk}/antwoord/", {"outcome": "accepted", "text": "Nog eens."})
    assert response.status_code == 302
    assert Signal.objects.get().answer == "We passen de regeling aan."
    assert client.post(f"/signalen/{signal.pk}/afsluiten/").status_code == 302
    assert Signal.objects.get().status == Signal.Status.CLOSED


def test_a_forward_of_a_signal_that_is_not_public_leaves_the_official_on_their_list(
    client, agenda, alice, ministry, official
):
    other = make_ministry("anders")
    signal = file_signal(alice, agenda, ministry, is_public=False, not_public_reason="Gevoelig")
    client.force_login(official)
    response = client.post(
        f"/signalen/{signal.pk}/antwoord/",
        {"outcome": "forwarded", "text": "Dit hoort bij Anders.", "forward_to": str(other.pk)},
    )
    assert response.status_code == 302 and response.url == "/signalen/"
    assert client.get(f"/signalen/{signal.pk}/").status_code == 404


# --- the public list ------------------------------------------------------------------------------------------


@pytest.fixture
def public_world(coalition, alice, ministry, official):
    agenda = signal_agenda(coalition, alice)
    other_ministry = make_ministry("anders")
    answered = answered_signal(
        alice, agenda, ministry, official, title="Beantwoord signaal", theme_codes=["gezondheid"]
    )
    open_signal = file_signal(alice, agenda, other_ministry, title="Open signaal")
    hidden = file_signal(alice, agenda, ministry, title="Besloten signaal", is_public=False, not_public_reason="Nee")
    return {"answered": answered, "open": open_signal, "hidden": hidden, "other": other_ministry}


def test_the_public_list_shows_public_signals_with_their_answers(client, public_world, ministry):
    response = client.get("/openbaar/signalen/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Beantwoord signaal" in page and "Open signaal" in page and "Besloten signaal" not in page
    assert "2 openbare signalen voldoen aan het filter" in page
    detail = client.get(f"/openbaar/signalen/{public_world['answered'].pk}/").content.decode()
    assert "Het ministerie past de regel aan." in detail and "Overgenomen" in detail
    # No person is named on the public pages.
    assert "Ambtenaar" not in detail and "Alice" not in detail


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("ministry=testmin", {"Beantwoord signaal"}),
        ("ministry=anders", {"Open signaal"}),
        ("status=answered", {"Beantwoord signaal"}),
        ("status=filed", {"Open signaal"}),
        ("theme=gezondheid", {"Beantwoord signaal"}),
        ("region=CR01", {"Beantwoord signaal", "Open signaal"}),
    ],
)
def test_the_public_list_filters(client, public_world, query, titles):
    response = client.get(f"/openbaar/signalen/?{query}")
    assert response.status_code == 200
    assert {s.title for s in response.context["signals"]} == titles


@pytest.mark.parametrize(
    ("query", "field"),
    [("ministry=onbekend", "ministry"), ("status=weg", "status"), ("theme=x", "theme"), ("region=GM0363", "region")],
)
def test_a_wrong_filter_is_a_400_with_the_error_at_its_field(client, public_world, query, field):
    response = client.get(f"/openbaar/signalen/?{query}")
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    # The list without the wrong filter.
    assert len(response.context["signals"]) == 2
    assert client.get(f"/openbaar/signalen/export.csv?{query}").status_code == 400


def test_the_figures_per_ministry(client, public_world, ministry, official):
    late = public_world["open"]
    # The open one is past its answer date: it counts against the other ministry.
    Signal.objects.filter(pk=late.pk).update(
        acknowledge_due=timezone.localdate() - datetime.timedelta(days=30),
        answer_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    figures = {f.ministry.slug: f for f in client.get("/openbaar/signalen/").context["figures"]}
    assert (figures["testmin"].open, figures["testmin"].answers, figures["testmin"].median_days) == (0, 1, 0)
    assert figures["testmin"].share_in_time == 1
    assert (figures["anders"].open, figures["anders"].overdue, figures["anders"].answers) == (1, 1, 0)
    assert figures["anders"].share_in_time == 0
    # The signal that is not public counts nowhere on the public page.
    assert figures["testmin"].open == 0
    page = client.get("/openbaar/signalen/").content.decode()
    assert "100,0%" in page and "0,0%" in page


def test_the_csv_export(client, public_world):
    response = client.get("/openbaar/signalen/export.csv?ministry=testmin")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kenmerk", "Titel", "Soort"]
    assert [row[1] for row in rows[1:]] == ["Beantwoord signaal"]
    assert rows[1][-1] == "Het ministerie past de regel aan."


def test_a_formula_in_a_title_is_neutralised_in_the_csv(client, coalition, alice, ministry):
    agenda = signal_agenda(coalition, alice)
    file_signal(alice, agenda, ministry, title='=HYPERLINK("x")')
    rows = list(
        csv.reader(io.StringIO(client.get("/openbaar/signalen/export.csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[1][1].startswith("'=")


def test_user_text_is_escaped(client, coalition, alice, ministry):
    agenda = signal_agenda(coalition, alice)
    signal = file_signal(alice, agenda, ministry, title="<script>alert(1)</script>", body="<b>vet</b>")
    for url in ("/openbaar/signalen/", f"/openbaar/signalen/{signal.pk}/"):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_portal_links_the_public_signals(client):
    page = client.get("/openbaar/").content.decode()
    assert 'href="/openbaar/signalen/"' in page and 'href="/openbaar/signalen/export.csv"' in page


def test_another_coalition_sees_only_its_own(client, public_world, ministry):
    other_coordinator = make_user("olga")
    other = make_coalition(coordinator=other_coordinator, slug="twente", region_code="CR12")
    client.force_login(other_coordinator)
    assert client.get("/signalen/coalitie/oost-groningen/").status_code == 404
    assert client.get(f"/signalen/{public_world['hidden'].pk}/").status_code == 404
    page = client.get(f"/signalen/coalitie/{other.slug}/").content.decode()
    assert "Besloten signaal" not in page and "Beantwoord signaal" not in page
