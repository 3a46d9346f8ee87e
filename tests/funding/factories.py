"""Advised submissions and programmes for the funding tests."""

from __future__ import annotations

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.two_factor import VERIFIED_AT_SESSION_KEY
from agendas.models import Agenda
from funding import services
from funding.models import Decision, Mandate, Programme
from reviews.models import Advice, Submission
from tests.factories import make_user
from tests.reviews.factories import complete_agenda, freeze, make_round


def advised_submission(coalition, coordinator, chair, *, outcome: str = "positive", review_round=None) -> Submission:
    """A submission with published advice (the review itself is tested in tests/reviews)."""
    agenda = complete_agenda(coalition, coordinator)
    submission = freeze(agenda, review_round or make_round(chair, name=f"Ronde {agenda.pk}"), coordinator)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.ADVISED)
    Agenda.objects.filter(pk=agenda.pk).update(status=Agenda.Status.ADVISED)
    Advice.objects.create(
        submission=submission,
        outcome=outcome,
        rationale="Goed plan.",
        published_at=timezone.now(),
        published_by=chair,
    )
    submission.refresh_from_db()
    return submission


def make_programme(official, *, envelope: int = 1_000_000, start: int = 2026, end: int = 2035, **fields) -> Programme:
    defaults = {"min_cofinancing_percent": 30, "reserved_percent": 30, "lagging_min_themes": 30}
    defaults.update(fields)
    return services.programme_create(
        actor=official,
        name=fields.pop("name", f"Programma {start}-{end} {Programme.objects.count() + 1}"),
        start_year=start,
        end_year=end,
        envelopes=dict.fromkeys(range(start, end + 1), envelope),
        **{k: v for k, v in defaults.items() if k != "name"},
    )


def give_mandate(user, limit: int = 10_000_000) -> Mandate:
    return Mandate.objects.update_or_create(user=user, defaults={"limit": limit})[0]


def approved_decision(
    coalition, coordinator, chair, proposer, approver, *, programme=None, tranches=None, **fields
) -> Decision:
    """A decision on a freshly advised submission (public round), proposed by ``proposer`` and approved by
    ``approver``: by default 100.000 from a programme of 500.000 a year, 60.000 in 2026 and 40.000 in 2027."""
    tranches = tranches or {2026: 60_000, 2027: 40_000}
    fields.setdefault("amount_awarded", sum(tranches.values()))
    decision = services.decision_propose(
        actor=proposer,
        submission_id=advised_submission(coalition, coordinator, chair).pk,
        programme_id=(programme or make_programme(proposer, envelope=500_000)).pk,
        tranches=tranches,
        **fields,
    )
    return services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)


def browser_world_decision() -> Decision:
    """For browser tests (a transactional database): alice's coalition with an approved decision.

    Users: ``alice`` (coordinator), ``chair``, ``proposer`` and ``approver`` (Rijk officials, the
    approver with a mandate).
    """
    from tests.factories import make_coalition

    alice, chair = make_user("alice"), make_user("chair", role="review_chair")
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)
    return approved_decision(make_coalition(coordinator=alice), alice, chair, proposer, approver)


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def verified_client(user) -> APIClient:
    """A browser session confirmed with a one-time code (what django_otp.login stores in the session)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or confirmed_device(user)
    client = client_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT_SESSION_KEY] = timezone.now().timestamp()
    session.save()
    return client


def propose(submission, programme, proposer, tranches=None, **fields):
    tranches = tranches if tranches is not None else {2026: 60_000, 2027: 40_000}
    return services.decision_propose(
        actor=proposer,
        submission_id=submission.pk,
        programme_id=programme.pk,
        amount_awarded=fields.pop("amount_awarded", sum(tranches.values())),
        tranches=tranches,
        **fields,
    )


def verify_session(client, user):
    """Log in with a session confirmed by a TOTP device, as after the second-factor page."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT_SESSION_KEY] = timezone.now().timestamp()
    session.save()
