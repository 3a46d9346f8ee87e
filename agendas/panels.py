"""Where higher apps show something on the agenda page (see ``core.panels``), and what they say about submitting."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from core.panels import Slot

# provider(request, agenda, perms=<the user's coalition permissions>) -> Panel | None
AGENDA_PAGE = Slot("agenda page")


@dataclass(frozen=True)
class SubmitState:
    """What the app that takes submissions says about one agenda, besides its content.

    ``blockers``: why a draft cannot be submitted now, in the reader's words (endorsements
    missing, no round open, ...); ``submitted_at``: when the submission under way was made.
    """

    blockers: Sequence[str] = ()
    submitted_at: datetime | None = None


@dataclass
class SubmitCheck:
    """The submit rules that live above this app, asked by the completeness panel.

    The agenda page may only say "de agenda kan worden ingediend" when someone who knows the
    other rules said so: without a registered provider the panel says the content is complete,
    nothing more. A provider is registered once (in its ``AppConfig.ready()``); several are merged.
    """

    _providers: dict[str, Callable[..., SubmitState]] = field(default_factory=dict)

    def register(self, provider: Callable[..., SubmitState]) -> None:
        self._providers[f"{provider.__module__}.{provider.__qualname__}"] = provider

    def unregister(self, provider: Callable[..., SubmitState]) -> None:
        self._providers.pop(f"{provider.__module__}.{provider.__qualname__}", None)

    @contextmanager
    def emptied(self) -> Iterator[SubmitCheck]:
        """No providers for the duration (tests); those registered before come back after."""
        saved = dict(self._providers)
        self._providers.clear()
        try:
            yield self
        finally:
            self._providers.clear()
            self._providers.update(saved)

    def state(self, agenda) -> SubmitState | None:
        """The merged state of every provider, or None when no provider knows the rules."""
        if not self._providers:
            return None
        states = [provider(agenda) for provider in self._providers.values()]
        dates = [state.submitted_at for state in states if state.submitted_at is not None]
        return SubmitState(
            blockers=[blocker for state in states for blocker in state.blockers],
            submitted_at=max(dates) if dates else None,
        )


# provider(agenda) -> SubmitState; the agenda is loaded with agendas.selectors.agenda_queryset.
SUBMIT_CHECK = SubmitCheck()
