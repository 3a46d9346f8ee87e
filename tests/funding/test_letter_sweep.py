"""The letters' part of the sweep (funding.tasks.sweep_letters): an approved decision or amendment whose
task message was lost still gets its letter, once.

Issue 15: with the broker down at approval, the letter was never made. Here no on-commit
callback runs (the message is "lost"); ``eager`` runs the task the sweep sends in place.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from funding import amendments, tasks
from funding.models import Amendment, Decision
from tests.funding.factories import approved_decision, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver):
    return approved_decision(coalition, alice, chair, proposer, approver, programme=make_programme(proposer))


def long_ago(model, pk) -> None:
    model.objects.filter(pk=pk).update(decided_at=timezone.now() - tasks.SWEEP_AFTER - datetime.timedelta(seconds=1))


def test_a_decision_without_its_letter_gets_it_from_the_sweep_once(decision, eager):
    assert not decision.letter
    assert tasks.sweep_letters() == 0  # just approved: its own message may still come

    long_ago(Decision, decision.pk)
    assert tasks.sweep_letters() == 1
    decision.refresh_from_db()
    assert decision.letter.name.endswith(".pdf")
    first = decision.letter.name
    assert tasks.sweep_letters() == 0  # it has its letter: nothing more
    decision.refresh_from_db()
    assert decision.letter.name == first


def test_an_amendment_without_its_letter_gets_it_from_the_sweep(decision, proposer, approver, eager):
    long_ago(Decision, decision.pk)
    assert tasks.sweep_letters() == 1  # the decision's own letter first
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 40_000}, reason="Bouw vertraagd"
    )
    assert tasks.sweep_letters() == 0  # proposed, not approved: no letter due
    amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
    long_ago(Amendment, amendment.pk)

    assert tasks.sweep_letters() == 1
    amendment.refresh_from_db()
    assert amendment.letter.name.endswith(".pdf")
    assert tasks.sweep_letters() == 0


def test_what_the_sweep_sends(decision, monkeypatch):
    # Without running it: the task and the decision's id, nothing else.
    sent = []
    monkeypatch.setattr(tasks.make_decision_letter, "apply_async", lambda args, **options: sent.append(tuple(args)))
    long_ago(Decision, decision.pk)
    assert tasks.sweep_letters() == 1
    assert sent == [(decision.pk,)]
