"""Overdue signals escalate to the programme administrators once per addressing (the sweep of background work)."""

from __future__ import annotations

import datetime

import pytest

from activity.models import Event, Notification
from core import background
from signals import services
from signals.models import Signal, SignalStep
from tests.factories import make_user
from tests.signals.factories import file_signal, make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coalition, alice):
    ministry = make_ministry("testmin", acknowledge_days=5, answer_days=20)
    return {
        "ministry": ministry,
        "other": make_ministry("anders"),
        "official": make_official("ambtenaar", ministry),
        "agenda": signal_agenda(coalition, alice),
        "admin": make_user("programmabeheer", role="programme_admin"),
        "platform": make_user("platformbeheer", role="platform_admin"),
    }


def days_after_filing(signal: Signal, days: int) -> datetime.date:
    return signal.filed_at.date() + datetime.timedelta(days=days)


def test_a_signal_not_acknowledged_in_time_escalates_once(world, alice):
    signal = file_signal(alice, world["agenda"], world["ministry"], is_public=False, not_public_reason="Gevoelig.")
    # On the due date itself it is not late yet.
    assert services.signals_escalate_overdue(today=signal.acknowledge_due) == 0
    later = signal.acknowledge_due + datetime.timedelta(days=1)
    assert services.signals_escalate_overdue(today=later) == 1
    assert services.signals_escalate_overdue(today=later) == 0
    assert services.signals_escalate_overdue(today=later + datetime.timedelta(days=100)) == 0
    signal.refresh_from_db()
    assert signal.escalated_at is not None
    assert signal.steps.filter(kind=SignalStep.Kind.ESCALATED).count() == 1
    event = Event.objects.get(verb="signal.escalated")
    # Only the programme administrators hear of it, and not what the signal says: it is not public.
    assert list(Notification.objects.filter(event=event).values_list("recipient__username", flat=True)) == [
        "programmabeheer"
    ]
    assert "title" not in event.data and signal.title not in str(event.data)
    assert event.data["reference"] == signal.reference


def test_an_acknowledged_signal_escalates_when_its_answer_is_late(world, alice):
    signal = file_signal(alice, world["agenda"], world["ministry"])
    services.signal_acknowledge(actor=world["official"], signal_id=signal.pk)
    assert services.signals_escalate_overdue(today=signal.answer_due) == 0
    assert services.signals_escalate_overdue(today=signal.answer_due + datetime.timedelta(days=1)) == 1


def test_answered_and_closed_signals_never_escalate(world, alice):
    signal = file_signal(alice, world["agenda"], world["ministry"])
    services.signal_answer(actor=world["official"], signal_id=signal.pk, outcome="accepted", text="Komt goed.")
    assert services.signals_escalate_overdue(today=signal.answer_due + datetime.timedelta(days=365)) == 0


def test_a_forward_starts_a_new_addressing_that_may_escalate_again(world, alice):
    signal = file_signal(alice, world["agenda"], world["ministry"])
    late = signal.acknowledge_due + datetime.timedelta(days=1)
    assert services.signals_escalate_overdue(today=late) == 1
    signal = services.signal_answer(
        actor=world["official"],
        signal_id=signal.pk,
        outcome="forwarded",
        text="Hoort bij het andere ministerie.",
        forward_to_ministry_id=world["other"].pk,
    )
    assert signal.escalated_at is None
    assert services.signals_escalate_overdue(today=signal.acknowledge_due) == 0
    assert services.signals_escalate_overdue(today=signal.acknowledge_due + datetime.timedelta(days=1)) == 1
    assert Event.objects.filter(verb="signal.escalated").count() == 2


def test_the_escalation_is_a_registered_sweep(world, alice):
    signal = file_signal(alice, world["agenda"], world["ministry"])
    Signal.objects.filter(pk=signal.pk).update(
        acknowledge_due=datetime.date(2020, 1, 6), answer_due=datetime.date(2020, 2, 6)
    )
    assert "signals.escalation" in background.registered_sweeps()
    assert background.run_sweeps({"signals.escalation": background.registered_sweeps()["signals.escalation"]}) == {
        "signals.escalation": 1
    }
    assert background.run_sweeps({"signals.escalation": background.registered_sweeps()["signals.escalation"]}) == {
        "signals.escalation": 0
    }
