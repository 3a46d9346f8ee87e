"""The demo agendas (local default only): fictitious texts and amounts, real CBS baselines."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User
from agendas import services
from agendas.baselines import indicator_baseline
from coalitions.models import Coalition, Organisation
from goals.models import Goal
from regions.models import Indicator, Theme

DEMO_AGENDA_NOTE = (
    "*Voorbeeldagenda voor de demo: teksten, maatregelen, streefwaarden en bedragen zijn verzonnen. "
    "De basiswaarden van de doelindicatoren komen uit de CBS-gegevens.*"
)

# title, kind, theme codes, goals (catalogue, code, strength), target indicator codes, measures:
# (title, organisation role (a key of the region's ``organisations`` below), first year offset, years,
# {source: amount per year})
DEMO_PRIORITIES = [
    (
        "Gezond opgroeien en oud worden",
        "opgave",
        ["gezondheid", "subjectief-welzijn"],
        [("sdg", "3.4", "direct"), ("national", "gezondheid", "direct"), ("eu", "RSO4.5", "indirect")],
        ["jv-ervaren-gezondheid", "jv-sport-wekelijks"],
        [
            ("Sportcoach op elke school", "municipality", 0, 6, {"rijk": 400_000, "municipalities": 150_000}),
            ("Huisartsenposten in de kernen", "province", 1, 8, {"rijk": 600_000, "province": 300_000}),
        ],
    ),
    (
        "Werk en inkomen voor jongeren",
        "behoefte",
        ["materiele-welvaart", "arbeid-en-vrije-tijd", "menselijk-kapitaal"],
        [("sdg", "8.6", "direct"), ("eu", "ESO4.1", "direct"), ("national", "onderwijs-arbeidsmarkt", "direct")],
        ["jv-moeite-rondkomen", "bijstand-per-1000"],
        [
            (
                "Leerwerkplekken in de maakindustrie",
                "second_municipality",
                0,
                10,
                {"rijk": 250_000, "eu_esf": 200_000, "private": 100_000},
            ),
            ("Schuldhulp voor jongvolwassenen", "municipality", 0, 4, {"rijk": 120_000, "municipalities": 80_000}),
        ],
    ),
    (
        "Energie uit de regio, voor de regio",
        "kans",
        ["milieu", "economisch-kapitaal"],
        [("sdg", "7.2", "direct"), ("eu", "RSO2.2", "direct"), ("national", "energie", "direct")],
        # Energy poverty: lower energy bills should show in fewer households with a low income.
        ["huishoudens-laag-inkomen"],
        [
            (
                "Energiecoöperaties in de dorpen",
                "second_province",
                2,
                8,
                {"rijk": 500_000, "eu_jtf": 400_000, "private": 300_000},
            ),
        ],
    ),
]


VEENKOLONIEN = {
    "title": "Kansenagenda Veenkoloniën 2027–2040",
    "name": "de Veenkoloniën",
    "lead_partner": "Provincie Groningen",
    "roles": {
        "municipality": "Gemeente Emmen",
        "second_municipality": "Gemeente Stadskanaal",
        "province": "Provincie Groningen",
        "second_province": "Provincie Drenthe",
    },
}
PARKSTAD = {
    "title": "Kansenagenda Parkstad Limburg 2027–2040",
    "name": "Parkstad Limburg",
    "lead_partner": "Gemeente Heerlen",
    "roles": {
        "municipality": "Gemeente Heerlen",
        "second_municipality": "Gemeente Kerkrade",
        "province": "Provincie Limburg",
        "second_province": "Provincie Limburg",
    },
}


def demo_agenda(coalition: Coalition, author: User, *, title: str, name: str, lead_partner: str, roles: dict):
    """One agenda with fictitious content for the demo; baselines are real CBS values."""
    themes = dict(Theme.objects.values_list("code", "pk"))
    indicators = {i.code: i for i in Indicator.objects.all()}
    goals = {(g.catalogue, g.code): g.pk for g in Goal.objects.all()}
    organisations = dict(Organisation.objects.values_list("name", "pk"))
    start = 2027
    agenda = services.agenda_create(
        coalition=coalition,
        actor=author,
        title=title,
        start_year=start,
        end_year=2040,
        summary=DEMO_AGENDA_NOTE + f"\n\n{name[:1].upper()}{name[1:]} werken samen aan gezondheid, werk en energie.",
        vision=(
            f"In 2040 wonen, werken en leven inwoners van {name} **gezond en met perspectief**.\n\n"
            "- Gezond opgroeien en oud worden\n- Werk en inkomen voor jongeren\n- Energie uit de regio, voor de regio"
        ),
        lead_partner_id=organisations[lead_partner],
        theme_ids=[themes[c] for p in DEMO_PRIORITIES for c in p[2] if c in themes],
    )
    for title, kind, theme_codes, goal_links, indicator_codes, measures in DEMO_PRIORITIES:
        targets = []
        for code in indicator_codes:
            if code not in indicators:
                continue
            baseline = indicator_baseline(coalition.region, indicators[code])
            if baseline is None:
                continue
            year, value = baseline
            # A fictitious target: a tenth better than the real baseline.
            factor = Decimal("0.9") if indicators[code].direction == "lower" else Decimal("1.1")
            targets.append(
                services.TargetInput(
                    indicator_id=indicators[code].pk,
                    baseline_year=year,
                    baseline_value=value,
                    baseline_from_data=True,
                    target_year=2040,
                    target_value=(value * factor).quantize(Decimal("0.1")),
                )
            )
        priority = services.priority_create(
            agenda=agenda,
            actor=author,
            title=title,
            kind=kind,
            description=DEMO_AGENDA_NOTE,
            theme_ids=[themes[c] for c in theme_codes if c in themes],
            goal_links=[
                services.GoalLinkInput(goal_id=goals[(cat, code)], strength=strength)
                for cat, code, strength in goal_links
                if (cat, code) in goals
            ],
            targets=targets,
        )
        for measure_title, organisation, offset, years, per_year in measures:
            first = start + offset
            services.measure_create(
                agenda=agenda,
                actor=author,
                data=services.MeasureInput(
                    priority_id=priority.pk,
                    title=measure_title,
                    description=DEMO_AGENDA_NOTE,
                    lead_organisation_id=organisations[roles[organisation]],
                    start_year=first,
                    end_year=first + years - 1,
                    status="planned",
                    budget={
                        (year, source): amount
                        for year in range(first, first + years)
                        for source, amount in per_year.items()
                    },
                ),
            )
    return agenda
