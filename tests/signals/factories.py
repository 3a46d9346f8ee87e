"""Ministries, their officials, agendas to signal about and signals, built through the services."""

from __future__ import annotations

from accounts.models import User
from agendas.models import Agenda
from signals import permissions, services
from signals.models import Ministry, MinistryOfficial, Signal
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.factories import make_user


def make_ministry(slug: str = "testmin", *, acknowledge_days: int = 5, answer_days: int = 30, **fields) -> Ministry:
    """A ministry of its own (the catalogue's real ones come from a migration and are not there after a flush)."""
    defaults = {
        "name": f"Ministerie van Tests {slug}",
        "name_en": f"Ministry of Tests {slug}",
        "abbreviation": slug.upper()[:20],
        "acknowledge_days": acknowledge_days,
        "answer_days": answer_days,
        **fields,
    }
    ministry, _created = Ministry.objects.update_or_create(slug=slug, defaults=defaults)
    return ministry


def make_official(username: str, *ministries: Ministry) -> User:
    """A Rijk official who answers for ``ministries``."""
    user = make_user(username, role="rijk_official")
    for ministry in ministries:
        MinistryOfficial.objects.get_or_create(ministry=ministry, user=user)
    permissions.forget(user)
    return user


def signal_agenda(coalition, coordinator, **fields) -> Agenda:
    """An agenda with one priority and one measure under it."""
    agenda = make_agenda(coalition, coordinator, **fields)
    make_measure(agenda, make_priority(agenda, coordinator), coordinator)
    return agenda


def file_signal(actor: User, agenda: Agenda, ministry: Ministry, **fields) -> Signal:
    """A signal about the agenda's first priority (unless the fields say otherwise)."""
    arguments = {
        "ministry_id": ministry.pk,
        "title": "Grenswerkers mogen niet invallen",
        "body": "De regel voor grensoverschrijdend werken blokkeert de huisartsenposten.",
        "kind": Signal.Kind.RULE,
        "priority_id": agenda.priorities.order_by("pk").first().pk,
        **fields,
    }
    return services.signal_file(actor=actor, agenda_id=agenda.pk, **arguments)


def answered_signal(actor: User, agenda: Agenda, ministry: Ministry, official: User, **fields) -> Signal:
    signal = file_signal(actor, agenda, ministry, **fields)
    services.signal_acknowledge(actor=official, signal_id=signal.pk)
    return services.signal_answer(
        actor=official, signal_id=signal.pk, outcome="accepted", text="Het ministerie past de regel aan."
    )
