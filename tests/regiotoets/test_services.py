"""The register's services: recording, editing and responding; every refusal changes nothing.

``coalition`` (alice coordinates, bob edits, victor views) is over Oost-Groningen (CR01), which lags on
Gezondheid by its real profile; ``utrecht`` (dora coordinates) is over Utrecht (CR17), which does not.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activity.models import Event, Notification
from regiotoets import services
from regiotoets.models import Effect, Entry, EntryRegion, EntryResponse
from signals.models import Signal
from tests.factories import make_coalition, make_user
from tests.regiotoets.factories import effect, entry_fields, record
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_ministry("vws")


@pytest.fixture
def official(ministry):
    return make_official("ambtenaar", ministry)


@pytest.fixture
def utrecht(db):
    dora = make_user("dora")
    return make_coalition(coordinator=dora, slug="utrecht", region_code="CR17")


def rows() -> tuple[int, int, int, int]:
    return Entry.objects.count(), EntryRegion.objects.count(), Effect.objects.count(), Event.objects.count()


def refused(actor, ministry, **fields) -> dict[str, list[str]]:
    """The field errors of a recording that must change nothing."""
    before = rows()
    with pytest.raises(ValidationError) as caught:
        record(actor, ministry, **fields)
    assert rows() == before
    return caught.value.message_dict


# --- recording ---------------------------------------------------------------------------------------------------


def test_it_records_an_entry_with_its_reference_regions_effects_and_event(official, ministry):
    entry = record(official, ministry, region_codes=["CR01", "GM0014"], effects=[effect(), effect("wonen", "positive")])
    assert entry.reference == f"RT-{timezone.localdate().year}-0001"
    assert sorted(entry.regions.values_list("code", flat=True)) == ["CR01", "GM0014"]
    assert list(entry.effects.values_list("theme__code", "expected")) == [
        ("gezondheid", "negative"),
        ("wonen", "positive"),
    ]
    assert entry.recorded_by == official
    assert Event.objects.filter(verb="regiotoets.recorded", data__entry_id=entry.pk).exists()
    assert record(official, ministry).reference == f"RT-{timezone.localdate().year}-0002"


def test_the_coordinators_of_flagged_coalitions_are_notified(official, ministry, coalition, alice, bob, utrecht):
    entry = record(official, ministry, region_codes=["PV20", "CR17"])  # both coalitions' regions affected
    events = Event.objects.filter(verb="regiotoets.flagged")
    assert [(e.coalition_id, e.data["name"]) for e in events] == [(coalition.pk, "Gezondheid")]
    assert list(Notification.objects.filter(event__in=events).values_list("recipient__username", flat=True)) == [
        "alice"
    ]
    assert events.get().data["entry_id"] == entry.pk


def test_no_notification_without_a_negative_effect_on_a_lagging_theme(official, ministry, coalition):
    record(official, ministry, effects=[effect("gezondheid", "positive"), effect("veiligheid", "negative")])
    assert not Event.objects.filter(verb="regiotoets.flagged").exists()


def test_a_programme_administrator_records_for_any_ministry(ministry):
    admin = make_user("programmabeheer", role="programme_admin")
    assert record(admin, ministry).ministry == ministry


def test_an_official_of_another_ministry_is_refused_and_nothing_changes(ministry):
    other = make_official("ander", make_ministry("ienw"))
    before = rows()
    with pytest.raises(PermissionDenied):
        record(other, ministry)
    assert rows() == before


@pytest.mark.parametrize("who", ["outsider", "coordinator", "official_without_ministry"])
def test_who_records_for_no_ministry_is_refused(ministry, alice, charlie, who):
    actor = {
        "outsider": charlie,
        "coordinator": alice,
        "official_without_ministry": make_user("losse-ambtenaar", role="rijk_official"),
    }[who]
    before = rows()
    with pytest.raises(PermissionDenied):
        record(actor, ministry)
    assert rows() == before


def test_no_regions_and_no_effects_are_field_errors(official, ministry):
    errors = refused(official, ministry, region_codes=[], effects=[])
    assert "regio" in errors["regions"][0] and "thema" in errors["effects"][0]


def test_unknown_regions_themes_and_ministries_are_field_errors(official, ministry):
    errors = refused(
        official,
        ministry,
        ministry_id=999_999,
        region_codes=["CR01", "XX99", "GG0111"],  # a GGD region is not one to name either
        effects=[effect("geen-thema")],
    )
    assert "XX99" in errors["regions"][0] and "GG0111" in errors["regions"][0]
    assert "geen-thema" in errors["effects"][0]
    assert errors["ministry"] == ["Kies een ministerie uit de lijst."]


def test_an_inactive_ministry_takes_no_new_entries(official, ministry):
    ministry.is_active = False
    ministry.save(update_fields=["is_active"])
    assert "ministry" in refused(official, ministry)


def test_a_missing_reason_a_missing_choice_and_a_repeated_theme_are_errors_at_the_theme(official, ministry):
    errors = refused(
        official,
        ministry,
        effects=[effect("gezondheid", reason="  "), effect("wonen", "zeer negatief"), effect("gezondheid")],
    )
    assert errors["effect-gezondheid-reason"] == ["Geef in een korte zin de reden voor dit effect."]
    assert "positief, negatief of onbekend" in errors["effect-wonen-expected"][0]
    assert "twee keer" in errors["effects"][0]


def test_empty_texts_and_unknown_choices_are_field_errors(official, ministry):
    errors = refused(official, ministry, title=" ", summary="", kind="sloop", status="misschien")
    assert set(errors) >= {"title", "summary", "kind", "status"}


def test_a_decision_is_taken_and_a_proposal_is_still_to_come(official, ministry):
    today = timezone.localdate()
    tomorrow, yesterday = today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    assert "decision_date" in refused(official, ministry, status="decision", decision_date=tomorrow)
    assert "verleden" in refused(official, ministry, status="proposal", decision_date=yesterday)["decision_date"][0]
    assert "2000" in refused(official, ministry, decision_date=datetime.date(1999, 12, 31))["decision_date"][0]
    assert record(official, ministry, status="proposal", decision_date=today).status == "proposal"
    assert record(official, ministry, status="decision", decision_date=today).status == "decision"


def test_a_bad_source_url_is_a_field_error(official, ministry):
    assert "source_url" in refused(official, ministry, source_url="javascript:alert(1)")


# --- editing ------------------------------------------------------------------------------------------------------


def update(actor, entry, **fields):
    return services.entry_update(actor=actor, entry_id=entry.pk, **entry_fields(entry.ministry, **fields))


def test_an_update_replaces_the_regions_and_effects_and_notifies_the_newly_flagged(
    official, ministry, coalition, utrecht
):
    entry = record(official, ministry, region_codes=["CR17"])
    assert not Event.objects.filter(verb="regiotoets.flagged").exists()  # Utrecht does not lag on Gezondheid
    update(official, entry, title="Nieuwe titel", region_codes=["CR01", "CR17"], effects=[effect(), effect("milieu")])
    entry.refresh_from_db()
    assert entry.title == "Nieuwe titel"
    assert sorted(entry.regions.values_list("code", flat=True)) == ["CR01", "CR17"]
    assert entry.effects.count() == 2
    assert Event.objects.filter(verb="regiotoets.flagged").count() == 1
    update(official, entry, summary="Nog eens")  # flagged before already: nobody is told again
    assert Event.objects.filter(verb="regiotoets.flagged").count() == 1
    assert Event.objects.filter(verb="regiotoets.updated").count() == 2


def test_an_update_by_an_official_of_another_ministry_is_refused(official, ministry):
    entry = record(official, ministry)
    other = make_official("ander", make_ministry("ienw"))
    with pytest.raises(PermissionDenied):
        update(other, entry, title="Overgenomen")
    # Nor may the entry's own official move it to a ministry they do not record for.
    with pytest.raises(PermissionDenied):
        update(official, entry, ministry_id=make_ministry("def").pk)
    entry.refresh_from_db()
    assert entry.title == "Sluiting van de spoedpost" and entry.ministry == ministry


def test_a_bad_update_changes_nothing(official, ministry):
    entry = record(official, ministry)
    with pytest.raises(ValidationError) as caught:
        update(official, entry, title="Anders", region_codes=[], effects=[])
    assert set(caught.value.message_dict) == {"regions", "effects"}
    entry.refresh_from_db()
    assert entry.title == "Sluiting van de spoedpost"
    assert entry.regions.count() == 1 and entry.effects.count() == 1


def test_a_proposal_whose_day_has_passed_can_still_be_corrected(official, ministry):
    today = timezone.localdate()
    entry = record(official, ministry, status="proposal", decision_date=today)
    Entry.objects.filter(pk=entry.pk).update(decision_date=today - datetime.timedelta(days=3))
    entry.refresh_from_db()
    update(official, entry, status="proposal", decision_date=entry.decision_date, title="Gecorrigeerd")
    entry.refresh_from_db()
    assert entry.title == "Gecorrigeerd"


# --- responding ---------------------------------------------------------------------------------------------------


def respond(actor, entry, agenda, **fields):
    arguments = {
        "title": "Reactie op de sluiting",
        "body": "De sluiting raakt onze prioriteit voor gezonde inwoners.",
        "priority_id": agenda.priorities.order_by("pk").first().pk,
        **fields,
    }
    return services.entry_respond(actor=actor, entry_id=entry.pk, agenda_id=agenda.pk, **arguments)


def test_a_response_is_a_signal_to_the_entrys_ministry(official, ministry, coalition, alice):
    entry = record(official, ministry)
    agenda = signal_agenda(coalition, alice)
    response = respond(alice, entry, agenda, theme_codes=["gezondheid"])
    signal = response.signal
    assert (response.entry, signal.ministry, signal.coalition, signal.kind) == (entry, ministry, coalition, "decision")
    assert list(signal.themes.values_list("code", flat=True)) == ["gezondheid"]
    assert Notification.objects.filter(event__verb="signal.filed", recipient=official).exists()
    assert Event.objects.filter(verb="regiotoets.responded", data__signal_reference=signal.reference).exists()


def test_a_response_for_a_region_the_entry_does_not_affect_is_refused(official, ministry, utrecht):
    entry = record(official, ministry)  # CR01
    dora = utrecht.memberships.get().user
    agenda = signal_agenda(utrecht, dora)
    with pytest.raises(ValidationError) as caught:
        respond(dora, entry, agenda)
    assert "raakt de regio van uw coalitie niet" in caught.value.message_dict["entry"][0]
    assert not Signal.objects.exists() and not EntryResponse.objects.exists()


def test_a_viewer_and_an_outsider_cannot_respond(official, ministry, coalition, alice, victor, charlie):
    entry = record(official, ministry)
    agenda = signal_agenda(coalition, alice)
    with pytest.raises(PermissionDenied):
        respond(victor, entry, agenda)
    with pytest.raises(ValidationError) as caught:
        respond(charlie, entry, agenda)
    assert "agenda" in caught.value.message_dict
    assert not Signal.objects.exists() and not EntryResponse.objects.exists()


def test_signals_refusals_come_back_at_their_fields_and_nothing_is_filed(official, ministry, coalition, alice):
    entry = record(official, ministry)
    agenda = signal_agenda(coalition, alice)
    with pytest.raises(ValidationError) as caught:
        respond(alice, entry, agenda, title="", is_public=False, not_public_reason="")
    assert {"title", "not_public_reason"} <= set(caught.value.message_dict)
    assert not Signal.objects.exists() and not EntryResponse.objects.exists()
