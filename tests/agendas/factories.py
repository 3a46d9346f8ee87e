"""Agendas built through the services, for tests and benchmarks."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User
from agendas import services
from agendas.models import Agenda
from coalitions.models import Coalition
from goals.models import Goal
from regions.models import Indicator, Theme


def make_agenda(coalition: Coalition, actor: User, *, start_year: int = 2026, end_year: int = 2035, **fields) -> Agenda:
    defaults = {
        "title": "Kansen voor Oost-Groningen",
        "summary": "Samen werken aan brede welvaart.",
        "vision": "In 2035 is de regio gezond en welvarend.",
        "lead_partner_id": coalition.organisations.order_by("name").first().pk,
        "theme_ids": list(Theme.objects.order_by("position").values_list("pk", flat=True)[:2]),
    }
    defaults.update(fields)
    return services.agenda_create(
        coalition=coalition, actor=actor, start_year=start_year, end_year=end_year, **defaults
    )


def make_priority(agenda: Agenda, actor: User, *, title: str = "Gezonde jeugd", **fields):
    indicator = Indicator.objects.filter(in_profile=True).order_by("code").first()
    defaults = {
        "kind": "opgave",
        "description": "Jongvolwassenen voelen zich minder gezond dan elders.",
        "theme_ids": list(Theme.objects.order_by("position").values_list("pk", flat=True)[:1]),
        "goal_links": [services.GoalLinkInput(goal_id=Goal.objects.get(catalogue="sdg", code="3.4").pk)],
        "targets": [
            services.TargetInput(indicator_id=indicator.pk, target_year=agenda.end_year, target_value=Decimal("50"))
        ],
    }
    defaults.update(fields)
    return services.priority_create(agenda=agenda, actor=actor, title=title, **defaults)


def measure_input(agenda: Agenda, priority, *, title: str = "Sportcoaches op school", budget=None, **fields):
    defaults = {
        "priority_id": priority.pk,
        "title": title,
        "description": "Elke school een sportcoach.",
        "lead_organisation_id": agenda.coalition.organisations.order_by("name").first().pk,
        "start_year": agenda.start_year,
        "end_year": agenda.start_year + 3,
        "status": "planned",
        "budget": budget
        if budget is not None
        else {(agenda.start_year, "rijk"): 100_000, (agenda.start_year, "province"): 50_000},
    }
    defaults.update(fields)
    return services.MeasureInput(**defaults)


def make_measure(agenda: Agenda, priority, actor: User, **fields):
    return services.measure_create(agenda=agenda, actor=actor, data=measure_input(agenda, priority, **fields))
