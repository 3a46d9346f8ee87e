"""Advised submissions and programmes for the funding tests."""

from __future__ import annotations

from django.utils import timezone

from funding import services
from funding.models import Mandate, Programme
from kansenagenda.models import Agenda
from reviews.models import Advice, Submission
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
