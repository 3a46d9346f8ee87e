"""A signal's workflow: one table, read by the services (``signals.services``).

    state         action        target        who
    (new)         file          filed         a coordinator or editor of the coalition
    filed         acknowledge   acknowledged  an official of the addressed ministry
    filed         answer        answered      an official of the addressed ministry (acknowledges too)
    acknowledged  answer        answered      an official of the addressed ministry
    filed         forward       filed         an official of the addressed ministry: the signal is
    acknowledged  forward       filed           addressed to another ministry, whose clocks start again
    answered      close         closed        an official of the addressed ministry

"answer" gives the outcome *accepted* (being worked on) or *not possible*
(with reasons); "forward" is the third outcome of the answer form, forwarded
to another ministry. Who may act is checked before the state, so nobody else
learns a signal's state from the answer; a step not in the table is refused
(``TransitionNotAllowed``: HTTP 409 with the allowed actions).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ServiceConflict
from signals.models import Signal

S = Signal.Status
NEW = ""
MEMBER = "member"
OFFICIAL = "official"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    who: str


# fmt: off
TABLE: tuple[Transition, ...] = (
    #          state           action         target          who
    Transition(NEW,            "file",        S.FILED,        MEMBER),
    Transition(S.FILED,        "acknowledge", S.ACKNOWLEDGED, OFFICIAL),
    Transition(S.FILED,        "answer",      S.ANSWERED,     OFFICIAL),
    Transition(S.ACKNOWLEDGED, "answer",      S.ANSWERED,     OFFICIAL),
    Transition(S.FILED,        "forward",     S.FILED,        OFFICIAL),
    Transition(S.ACKNOWLEDGED, "forward",     S.FILED,        OFFICIAL),
    Transition(S.ANSWERED,     "close",       S.CLOSED,       OFFICIAL),
)
# fmt: on
RULES: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TABLE}
WHO: dict[str, str] = {t.action: t.who for t in TABLE}
assert all(WHO[t.action] == t.who for t in TABLE), "an action's actor must not depend on the state"
ACTION_LABELS = {
    "file": gettext_lazy("Indienen"),
    "acknowledge": gettext_lazy("Ontvangst bevestigen"),
    "answer": gettext_lazy("Beantwoorden"),
    "forward": gettext_lazy("Doorsturen"),
    "close": gettext_lazy("Afsluiten"),
}


class TransitionNotAllowed(ServiceConflict):
    """The action is not in the table for the signal's current state (HTTP 409)."""

    def __init__(self, state: str, action: str):
        self.state, self.action, self.allowed = state, action, allowed_actions(state)
        super().__init__(
            _("“%(action)s” kan niet bij een signaal met de status “%(state)s”.")
            % {"action": ACTION_LABELS.get(action, action), "state": S(state).label if state in S.values else state}
        )

    def data(self) -> dict:
        """The API's 409 body: ``{detail, state, action, allowed_actions}``."""
        return {"detail": str(self), "state": self.state, "action": self.action, "allowed_actions": self.allowed}


def allowed_actions(state: str) -> list[str]:
    return [t.action for t in TABLE if t.source == state]


def rule(state: str, action: str) -> Transition:
    """The row for (state, action); ``TransitionNotAllowed`` when there is none."""
    found = RULES.get((state, action))
    if found is None:
        raise TransitionNotAllowed(state, action)
    return found
