"""Asking before a step that cannot be undone: submitting, publishing, approving, paying out.

A view of such a step hands the step and a description of it to
``confirm_or_run``. A POST without ``confirmed=1`` runs the step in a
transaction that is always rolled back (``dry_run``) and, when nothing was
refused, answers with a page that says in words what will happen and re-posts
the same fields with ``confirmed=1``. With ``confirmed=1`` the step runs for real.

Why a dry run and not a separate check: the service is the one home of a
step's rules (four eyes, guards, envelopes, deadlines). Running it and
rolling it back checks exactly what the real step checks, so the page never
asks to confirm a step that would then be refused, and a refusal reaches the
form exactly as it did before there was a confirmation. Nothing of the dry
run survives: its rows are rolled back, and the callbacks it registered with
``transaction.on_commit`` (tasks, e-mail) are discarded with them, as Django
does for a rolled-back atomic block. Services therefore must not have effects
outside the database other than through ``on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

T = TypeVar("T")

FIELD = "confirmed"
YES = "1"
BACK = "0"
# Not re-posted: Django's form token (the page has its own) and our own field.
NOT_REPOSTED = frozenset({"csrfmiddlewaretoken", FIELD})


@dataclass(frozen=True)
class Confirmation:
    """What the page shows: a heading, what will happen in one or two sentences, and the details.

    ``back`` is where "Terug" leads (a page, nothing is posted). Leave it empty
    when the step has input worth keeping (scores, a reason): "Terug" then
    posts the fields back with ``confirmed=0`` and the view shows its form
    with them (see ``is_going_back``).
    """

    title: str
    sentence: str
    rows: Sequence[tuple[str, str]] = ()
    back: str = ""
    button: str = gettext_lazy("Bevestigen")


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(FIELD) == YES


def is_going_back(request: HttpRequest) -> bool:
    """The user chose "Terug" on a confirmation page without a ``back`` page: show the form with the input."""
    return request.POST.get(FIELD) == BACK


class _Undo(Exception):
    """Raised at the end of a dry run to roll its transaction back."""

    def __init__(self, result: Any):
        self.result = result


def dry_run(step: Callable[[], T]) -> T:
    """Run ``step`` and undo everything it wrote; returns what it returned (objects no longer saved).

    What the step raises (``ValidationError``, ``PermissionDenied``, ...)
    propagates as from the real step, after its rollback.
    """
    try:
        with transaction.atomic():
            raise _Undo(step())
    except _Undo as undone:
        return undone.result


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The page that asks; it changes nothing, and its button posts the same fields with ``confirmed=1``."""
    fields = [(name, value) for name, values in request.POST.lists() if name not in NOT_REPOSTED for value in values]
    return render(
        request,
        "core/confirm.html",
        {"confirmation": confirmation, "fields": fields, "action": request.get_full_path()},
    )


def confirm_or_run(
    request: HttpRequest, step: Callable[[], T], describe: Callable[[T], Confirmation]
) -> tuple[T | None, HttpResponse | None]:
    """``(result, None)`` after running ``step`` when the POST says ``confirmed=1``; else ``(None, page)``.

    Without confirmation the step is dry-run first, so what it refuses raises
    here exactly as the real step would (the view shows it as it always did),
    and ``describe`` gets the dry run's result to say what will happen.
    """
    if is_confirmed(request):
        return step(), None
    return None, confirmation_page(request, describe(dry_run(step)))
