"""Signals in the synthetic national data set (signals.national_data through funding.national_data.generate)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from funding.national_data import LABEL, generate
from signals.models import Signal, SignalStep
from signals.working_days import working_days_between

pytestmark = pytest.mark.django_db

SCALE = 0.05  # 5 coalitions


@pytest.fixture
def generated():
    return generate(scale=SCALE, seed=7)


def test_three_signals_per_coalition_labelled_and_consistent(generated):
    signals = list(Signal.objects.prefetch_related("steps", "themes").select_related("agenda", "priority"))
    assert generated["signals"] == len(signals) == 5 * 3
    assert generated["signal_steps"] == SignalStep.objects.count()
    assert len({s.reference for s in signals}) == len(signals)
    today = timezone.localdate()
    for signal in signals:
        assert LABEL in signal.title and signal.filed_by.full_name.endswith(LABEL)
        assert signal.agenda.coalition_id == signal.coalition_id and signal.priority.agenda_id == signal.agenda_id
        assert signal.themes.count() == 2
        steps = list(signal.steps.all())
        assert steps[0].kind == SignalStep.Kind.FILED and all(step.at >= signal.filed_at for step in steps)
        for step in steps:
            if step.kind in SignalStep.ANSWERS:
                # Every generated answer is the first addressing's: counted from the filing.
                start, day = timezone.localdate(signal.filed_at), timezone.localdate(step.at)
                assert step.working_days == working_days_between(start, day)
        # Late and open: escalated, once.
        escalations = [step for step in steps if step.kind == SignalStep.Kind.ESCALATED]
        assert len(escalations) == (1 if signal.is_overdue(today) else 0)
        assert (signal.escalated_at is not None) == bool(escalations)
    statuses = {s.status for s in signals}
    assert Signal.Status.FILED in statuses and {Signal.Status.ANSWERED, Signal.Status.CLOSED} & statuses
    assert all(s.not_public_reason for s in signals if not s.is_public)


def test_the_public_list_reads_the_generated_signals(client, generated):
    response = client.get("/openbaar/signalen/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == Signal.objects.filter(is_public=True).count()
