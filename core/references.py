"""Rows with a numbered reference ("SIG-2027-0001", "RT-2027-0001"): saved with the next free number."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, models, transaction

ATTEMPTS = 5


def save_with_reference(instance: models.Model, next_reference: Callable[[], str]) -> None:
    """Save the new ``instance`` with ``instance.reference = next_reference()``.

    Two people filing at the same moment read the same last number: the
    reference's unique constraint refuses the second save, which then tries the
    next number (each try is a savepoint, so the caller's transaction goes on).
    Before: ``instance`` is valid apart from its reference and not yet saved.
    After: it is saved with a reference no other row has; after ``ATTEMPTS``
    refusals the last ``IntegrityError`` is raised.
    """
    for attempt in range(ATTEMPTS):
        instance.reference = next_reference()
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
            instance.pk = None
