"""The signal's workflow (signals.workflow) through its services (signals.services): each rule can fail.

alice coordinates ``coalition``, bob edits, victor views, charlie is outside;
``official`` answers for ``ministry``, ``other_official`` for ``other``.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from activity.models import Event, Notification
from coalitions import services as coalition_services
from signals import services, workflow
from signals.models import Signal, SignalStep
from signals.working_days import add_working_days
from tests.factories import make_organisation, make_user
from tests.signals.factories import answered_signal, file_signal, make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db

S = Signal.Status


@pytest.fixture
def ministry():
    return make_ministry("testmin", acknowledge_days=5, answer_days=20)


@pytest.fixture
def other():
    return make_ministry("anders", acknowledge_days=2, answer_days=10)


@pytest.fixture
def official(ministry):
    return make_official("ambtenaar", ministry)


@pytest.fixture
def other_official(other):
    return make_official("ander", other)


@pytest.fixture
def agenda(coalition, alice):
    return signal_agenda(coalition, alice)


# --- the table --------------------------------------------------------------------------------------------------


def test_the_table_has_one_actor_per_action_and_names_every_state():
    assert {t.action: t.who for t in workflow.TABLE} == {
        "file": workflow.MEMBER,
        "acknowledge": workflow.OFFICIAL,
        "answer": workflow.OFFICIAL,
        "forward": workflow.OFFICIAL,
        "close": workflow.OFFICIAL,
    }
    assert workflow.allowed_actions(S.FILED) == ["acknowledge", "answer", "forward"]
    assert workflow.allowed_actions(S.ACKNOWLEDGED) == ["answer", "forward"]
    assert workflow.allowed_actions(S.ANSWERED) == ["close"]
    assert workflow.allowed_actions(S.CLOSED) == []


@pytest.mark.parametrize(
    ("state", "action"),
    [(S.ACKNOWLEDGED, "acknowledge"), (S.ANSWERED, "acknowledge"), (S.ANSWERED, "answer"), (S.CLOSED, "answer"),
     (S.FILED, "close"), (S.ACKNOWLEDGED, "close"), (S.CLOSED, "close"), (S.ANSWERED, "forward")],
)  # fmt: skip
def test_a_step_not_in_the_table_is_refused_with_the_allowed_ones(state, action):
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.rule(state, action)
    assert refused.value.data()["allowed_actions"] == workflow.allowed_actions(state)


# --- filing ----------------------------------------------------------------------------------------------------


def test_a_coordinator_files_a_signal_with_due_dates_in_working_days(agenda, alice, ministry, official):
    signal = file_signal(alice, agenda, ministry, theme_codes=["gezondheid"])
    today = timezone.localdate()
    assert signal.status == S.FILED
    assert signal.reference == f"SIG-{today.year}-0001"
    assert signal.acknowledge_due == add_working_days(today, 5)
    assert signal.answer_due == add_working_days(today, 20)
    assert signal.region == agenda.region
    assert signal.organisation == alice.coalition_memberships.get().organisation
    assert (signal.blocks_kind, signal.blocks_label) == ("priority", agenda.priorities.get().title)
    assert signal.blocks_text == f"Prioriteit: {agenda.priorities.get().title}"
    with translation.override("en"):
        assert signal.blocks_text == f"Priority: {agenda.priorities.get().title}"
    assert [t.code for t in signal.themes.all()] == ["gezondheid"]
    assert list(signal.steps.values_list("kind", flat=True)) == ["filed"]
    event = Event.objects.get(verb="signal.filed")
    assert event.data["reference"] == signal.reference and event.coalition_id == agenda.coalition_id
    # The ministry's officials hear of it.
    assert list(Notification.objects.filter(event=event).values_list("recipient__username", flat=True)) == ["ambtenaar"]
    second = file_signal(alice, agenda, ministry)
    assert second.reference == f"SIG-{today.year}-0002"


def test_a_reference_taken_by_a_parallel_filing_is_retried_with_the_next(agenda, alice, ministry, monkeypatch):
    first = file_signal(alice, agenda, ministry)
    # What two filings at the same moment see: the same last number, so the second's first try clashes.
    offered = iter([first.reference, "SIG-2099-0042"])
    monkeypatch.setattr(services, "next_reference", lambda year: next(offered))
    second = file_signal(alice, agenda, ministry)
    assert second.reference == "SIG-2099-0042"
    assert Signal.objects.filter(reference=first.reference).get() == first


def test_a_measure_brings_its_priority_and_names_itself(agenda, alice, ministry):
    measure = agenda.measures.get()
    signal = file_signal(alice, agenda, ministry, priority_id=None, measure_id=measure.pk)
    assert (signal.priority_id, signal.measure_id) == (measure.priority_id, measure.pk)
    assert (signal.blocks_kind, signal.blocks_text) == ("measure", f"Maatregel: {measure.title}")


def test_a_municipality_of_the_agenda_region_may_be_named(agenda, alice, ministry):
    municipality = agenda.region.municipalities.order_by("code").first()
    signal = file_signal(alice, agenda, ministry, region_code=municipality.code)
    assert signal.region == municipality


def test_an_editor_files_for_the_organisation_they_represent_only(coalition, agenda, alice, bob, ministry):
    own = bob.coalition_memberships.get().organisation
    assert file_signal(bob, agenda, ministry).organisation == own
    another = coalition.organisations.exclude(pk=own.pk).first()
    with pytest.raises(ValidationError) as refused:
        file_signal(bob, agenda, ministry, organisation_id=another.pk)
    assert "organisation" in refused.value.message_dict
    # A coordinator files for any member organisation.
    assert file_signal(alice, agenda, ministry, organisation_id=another.pk).organisation == another


def test_an_organisation_outside_the_coalition_is_refused(agenda, alice, ministry):
    outside = make_organisation("GM0363")  # Amsterdam
    with pytest.raises(ValidationError) as refused:
        file_signal(alice, agenda, ministry, organisation_id=outside.pk)
    assert "organisation" in refused.value.message_dict


def test_a_viewer_may_not_file(agenda, victor, ministry):
    with pytest.raises(PermissionDenied):
        file_signal(victor, agenda, ministry)
    assert not Signal.objects.exists()


def test_an_outsider_is_told_of_no_agenda(agenda, charlie, official, ministry):
    for outsider in (charlie, official):
        with pytest.raises(ValidationError) as refused:
            file_signal(outsider, agenda, ministry)
        assert list(refused.value.message_dict) == ["agenda"]
    assert not Signal.objects.exists()


def test_a_viewer_promoted_to_editor_may_file(coalition, agenda, alice, victor, ministry):
    organisation = victor.coalition_memberships.get().organisation
    coalition_services.coalition_set_member(
        coalition=coalition, user=victor, organisation=organisation, role="editor", actor=alice
    )
    victor.__dict__.pop("_coalition_perms", None)
    assert file_signal(victor, agenda, ministry).filed_by == victor


# --- the ministry's steps --------------------------------------------------------------------------------------


def test_the_official_acknowledges_answers_and_closes(agenda, alice, bob, ministry, official):
    signal = file_signal(bob, agenda, ministry)
    signal = services.signal_acknowledge(actor=official, signal_id=signal.pk)
    assert signal.status == S.ACKNOWLEDGED and signal.acknowledged_at
    # The coalition's coordinator and the filer hear of it.
    event = Event.objects.get(verb="signal.acknowledged")
    assert set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True)) == {
        "alice",
        "bob",
    }
    signal = services.signal_answer(
        actor=official, signal_id=signal.pk, outcome="accepted", text="  We passen het aan. "
    )
    assert (signal.status, signal.outcome, signal.answer, signal.answered_by) == (
        S.ANSWERED,
        "accepted",
        "We passen het aan.",
        official,
    )
    step = signal.steps.get(kind=SignalStep.Kind.ANSWERED)
    assert (step.working_days, step.in_time, step.ministry) == (0, True, ministry)
    signal = services.signal_close(actor=official, signal_id=signal.pk)
    assert signal.status == S.CLOSED and signal.closed_at
    assert list(signal.steps.values_list("kind", flat=True)) == ["filed", "acknowledged", "answered", "closed"]
    assert set(Event.objects.filter(verb__startswith="signal.").values_list("verb", flat=True)) == {
        "signal.filed",
        "signal.acknowledged",
        "signal.answered",
        "signal.closed",
    }


def test_an_answer_without_acknowledging_first_acknowledges_too(agenda, alice, ministry, official):
    signal = file_signal(alice, agenda, ministry)
    signal = services.signal_answer(actor=official, signal_id=signal.pk, outcome="not_possible", text="Europees recht.")
    assert signal.status == S.ANSWERED and signal.acknowledged_at == signal.answered_at


def test_not_possible_needs_reasons(agenda, alice, ministry, official):
    signal = file_signal(alice, agenda, ministry)
    with pytest.raises(ValidationError) as refused:
        services.signal_answer(actor=official, signal_id=signal.pk, outcome="not_possible", text="   ")
    assert list(refused.value.message_dict) == ["text"]
    signal.refresh_from_db()
    assert signal.status == S.FILED and signal.steps.count() == 1


def test_an_unknown_outcome_is_refused(agenda, alice, ministry, official):
    signal = file_signal(alice, agenda, ministry)
    with pytest.raises(ValidationError) as refused:
        services.signal_answer(actor=official, signal_id=signal.pk, outcome="maybe", text="Misschien.")
    assert list(refused.value.message_dict) == ["outcome"]


@pytest.mark.parametrize("step", ["acknowledge", "answer", "close"])
def test_only_officials_of_the_addressed_ministry_act(
    agenda, alice, bob, charlie, ministry, official, other_official, step
):
    signal = file_signal(alice, agenda, ministry)
    if step == "close":
        services.signal_answer(actor=official, signal_id=signal.pk, outcome="accepted", text="Goed.")
    chair = make_user("programmabeheer", role="programme_admin")
    rijk_without_ministry = make_user("rijk", role="rijk_official")
    for actor in (alice, bob, charlie, other_official, chair, rijk_without_ministry):
        with pytest.raises(PermissionDenied):
            if step == "acknowledge":
                services.signal_acknowledge(actor=actor, signal_id=signal.pk)
            elif step == "answer":
                services.signal_answer(actor=actor, signal_id=signal.pk, outcome="accepted", text="Goed.")
            else:
                services.signal_close(actor=actor, signal_id=signal.pk)


def test_an_official_who_lost_the_role_acts_no_more(agenda, alice, ministry, official):
    signal = file_signal(alice, agenda, ministry)
    official.groups.clear()
    official.__dict__.pop("_global_roles", None)
    official.__dict__.pop("_signal_ministries", None)
    with pytest.raises(PermissionDenied):
        services.signal_acknowledge(actor=official, signal_id=signal.pk)


def test_a_step_out_of_order_is_a_conflict_and_changes_nothing(agenda, alice, ministry, official):
    signal = file_signal(alice, agenda, ministry)
    with pytest.raises(workflow.TransitionNotAllowed):
        services.signal_close(actor=official, signal_id=signal.pk)
    services.signal_acknowledge(actor=official, signal_id=signal.pk)
    with pytest.raises(workflow.TransitionNotAllowed):
        services.signal_acknowledge(actor=official, signal_id=signal.pk)
    assert Signal.objects.get().steps.count() == 2


# --- forwarding ------------------------------------------------------------------------------------------------


def test_a_forward_addresses_the_other_ministry_and_starts_its_clocks_again(
    agenda, alice, ministry, other, official, other_official
):
    signal = file_signal(alice, agenda, ministry)
    services.signal_acknowledge(actor=official, signal_id=signal.pk)
    # Sixty days ago, and escalated: the forward comes too late for this ministry's due date.
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Signal.objects.filter(pk=signal.pk).update(
        escalated_at=timezone.now(),
        addressed_at=long_ago,
        acknowledge_due=long_ago.date() + datetime.timedelta(days=7),
        answer_due=long_ago.date() + datetime.timedelta(days=28),
    )
    signal = services.signal_answer(
        actor=official,
        signal_id=signal.pk,
        outcome="forwarded",
        text="Dit is aan SZW.",
        forward_to_ministry_id=other.pk,
    )
    today = timezone.localdate()
    assert (signal.ministry, signal.status, signal.outcome, signal.acknowledged_at, signal.escalated_at) == (
        other,
        S.FILED,
        "",
        None,
        None,
    )
    assert (signal.acknowledge_due, signal.answer_due) == (add_working_days(today, 2), add_working_days(today, 10))
    step = signal.steps.get(kind=SignalStep.Kind.FORWARDED)
    assert (step.ministry, step.to_ministry, step.outcome, step.text, step.in_time) == (
        ministry,
        other,
        "forwarded",
        "Dit is aan SZW.",
        False,
    )
    assert step.working_days > 0
    # The new ministry's officials take it from here; the old one's no longer act.
    event = Event.objects.get(verb="signal.forwarded")
    assert "ander" in Notification.objects.filter(event=event).values_list("recipient__username", flat=True)
    with pytest.raises(PermissionDenied):
        services.signal_acknowledge(actor=official, signal_id=signal.pk)
    signal = services.signal_acknowledge(actor=other_official, signal_id=signal.pk)
    assert signal.status == S.ACKNOWLEDGED


@pytest.mark.parametrize("target", ["same", "unknown", "inactive", "none"])
def test_a_forward_goes_to_another_active_ministry(agenda, alice, ministry, other, official, target):
    signal = file_signal(alice, agenda, ministry)
    if target == "inactive":
        other.is_active = False
        other.save()
    forward_to = {"same": ministry.pk, "unknown": 10**9, "inactive": other.pk, "none": None}[target]
    with pytest.raises(ValidationError) as refused:
        services.signal_answer(
            actor=official,
            signal_id=signal.pk,
            outcome="forwarded",
            text="Niet van ons.",
            forward_to_ministry_id=forward_to,
        )
    assert list(refused.value.message_dict) == ["forward_to"]
    signal.refresh_from_db()
    assert (signal.ministry, signal.status) == (ministry, S.FILED)


# --- the tasks -------------------------------------------------------------------------------------------------


def test_the_officials_and_programme_administrators_tasks(agenda, alice, ministry, official, other_official):
    from core.worklist import tasks_for

    filed = file_signal(alice, agenda, ministry, title="Eerste")
    acknowledged = file_signal(alice, agenda, ministry, title="Tweede")
    services.signal_acknowledge(actor=official, signal_id=acknowledged.pk)
    answered = answered_signal(alice, agenda, ministry, official, title="Derde")
    kinds = {task.kind: task for task in tasks_for(official) if task.kind.startswith("signal.")}
    assert set(kinds) == {"signal.acknowledge", "signal.answer", "signal.close"}
    assert kinds["signal.acknowledge"].due == filed.acknowledge_due
    assert kinds["signal.answer"].due == acknowledged.answer_due
    assert kinds["signal.close"].url == f"/signalen/{answered.pk}/"
    assert not [task for task in tasks_for(other_official) if task.kind.startswith("signal.")]

    admin = make_user("programmabeheer", role="programme_admin")
    assert not [task for task in tasks_for(admin) if task.kind.startswith("signal.")]
    Signal.objects.filter(pk=filed.pk).update(
        acknowledge_due=datetime.date(2020, 1, 6), answer_due=datetime.date(2020, 2, 6)
    )
    assert services.signals_escalate_overdue() == 1
    tasks = [task for task in tasks_for(admin) if task.kind == "signal.escalated"]
    assert [task.url for task in tasks] == [f"/signalen/ministeries/{ministry.pk}/"]
    assert tasks[0].overdue
