"""Demo data for the local default (`make run`): the report's five example regions.

The coalitions consist of real municipalities and provinces (CBS codes); which
organisations take part, and the people, are demo data and labelled as such.
Demo users with a known password exist only when DEBUG is on.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from kansenagenda import services
from kansenagenda.models import Affiliation, Coalition, CoalitionRole, GlobalRole, Organisation, User
from regions.models import Region
from regions.services import custom_region_save

DEMO_PASSWORD = "kansen-demo-2026"
DEMO_LABEL = "Demo-coalitie: de deelnemende organisaties en personen zijn voorbeeldgegevens."

# name, slug, region code (a COROP region or a custom region), municipalities
# for a custom region, provinces taking part.
COALITIONS = [
    (
        "Agenda voor de Veenkoloniën",
        "veenkolonien",
        "RG-VEENKOLONIEN",
        [
            "Aa en Hunze",
            "Borger-Odoorn",
            "Coevorden",
            "Emmen",
            "Midden-Drenthe",
            "Midden-Groningen",
            "Oldambt",
            "Pekela",
            "Stadskanaal",
            "Veendam",
            "Westerwolde",
        ],
        ["Groningen", "Drenthe"],
    ),
    (
        "Parkstad Limburg",
        "parkstad-limburg",
        "RG-PARKSTAD",
        ["Beekdaelen", "Brunssum", "Heerlen", "Kerkrade", "Landgraaf", "Simpelveld", "Voerendaal"],
        ["Limburg"],
    ),
    ("Regio Twente", "twente", "CR12", None, ["Overijssel"]),
    (
        "Kop van Noord-Holland",
        "kop-van-noord-holland",
        "RG-KOP-NH",
        ["Den Helder", "Hollands Kroon", "Schagen", "Texel"],
        ["Noord-Holland"],
    ),
    ("Zeeuws-Vlaanderen", "zeeuws-vlaanderen", "CR31", None, ["Zeeland"]),
]

# username, full name, global role, coalition slug and role, organisation name
USERS = [
    ("coordinator", "Anne de Vries (demo)", None, ("veenkolonien", CoalitionRole.COORDINATOR), "Gemeente Emmen"),
    ("redacteur", "Bram Jansen (demo)", None, ("veenkolonien", CoalitionRole.EDITOR), "Provincie Groningen"),
    ("lezer", "Chantal Bakker (demo)", None, ("veenkolonien", CoalitionRole.VIEWER), "Gemeente Stadskanaal"),
    ("parkstad", "Dirk Smeets (demo)", None, ("parkstad-limburg", CoalitionRole.COORDINATOR), "Gemeente Heerlen"),
    ("beoordelaar", "Esra Yilmaz (demo)", GlobalRole.REVIEWER, None, None),
    ("beoordelaar2", "Joost Peeters (demo)", GlobalRole.REVIEWER, None, None),
    ("beoordelaar3", "Karin Hendriks (demo)", GlobalRole.REVIEWER, None, None),
    ("voorzitter", "Frank Visser (demo)", GlobalRole.REVIEW_CHAIR, None, None),
    ("rijksambtenaar", "Gerda Mulder (demo)", GlobalRole.RIJK_OFFICIAL, None, None),
    ("rijksambtenaar2", "Hasan El Amrani (demo)", GlobalRole.RIJK_OFFICIAL, None, None),
    ("databeheerder", "Ilse de Boer (demo)", GlobalRole.DATA_STEWARD, None, None),
]


class DemoRefused(Exception):
    pass


@transaction.atomic
def load_demo() -> dict[str, int]:
    if not settings.DEBUG:
        # Known passwords must never exist outside the local default.
        raise DemoRefused("Demodata en demogebruikers alleen met DJANGO_DEBUG=true (lokale standaard).")
    if not Region.objects.filter(kind=Region.Kind.MUNICIPALITY).exists():
        raise DemoRefused("Importeer eerst de regio's (manage.py import_regions).")
    municipalities = {r.name: r for r in Region.objects.filter(kind=Region.Kind.MUNICIPALITY)}
    provinces = {r.name: r for r in Region.objects.filter(kind=Region.Kind.PROVINCE)}

    admin, _ = User.objects.get_or_create(
        username="admin", defaults={"email": "admin@demo.kansenagenda.localhost", "full_name": "Beheerder (demo)"}
    )
    admin.is_staff = admin.is_superuser = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()

    for name, slug, region_code, members, province_names in COALITIONS:
        if members is not None:
            region = custom_region_save(
                code=region_code,
                name=name.removeprefix("Agenda voor de "),
                municipality_codes=[municipalities[m].code for m in members],
                description="Samenwerkingsgebied uit het rapport 'Elke regio telt!' (Rli, ROB, RVS, 2023).",
            )
        else:
            region = Region.objects.get(code=region_code)
        coalition = Coalition.objects.filter(slug=slug).first() or services.coalition_create(
            name=name, slug=slug, region=region, actor=admin, description=DEMO_LABEL
        )
        member_regions = list(region.municipalities.all()) if members is None else [municipalities[m] for m in members]
        for municipality in member_regions:
            organisation, _ = Organisation.objects.get_or_create(
                name=f"Gemeente {municipality.name}",
                defaults={"kind": Organisation.Kind.MUNICIPALITY, "region": municipality},
            )
            services.coalition_add_organisation(coalition=coalition, organisation=organisation, actor=admin)
        for province_name in province_names:
            organisation, _ = Organisation.objects.get_or_create(
                name=f"Provincie {province_name}",
                defaults={"kind": Organisation.Kind.PROVINCE, "region": provinces[province_name]},
            )
            services.coalition_add_organisation(coalition=coalition, organisation=organisation, actor=admin)

    for username, full_name, global_role, membership, organisation_name in USERS:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.kansenagenda.localhost", "full_name": full_name}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if global_role:
            user.groups.add(Group.objects.get(name=global_role))
        if membership:
            organisation = Organisation.objects.get(name=organisation_name)
            Affiliation.objects.get_or_create(
                user=user, organisation=organisation, defaults={"start_date": datetime.date(2020, 1, 1)}
            )
            coalition = Coalition.objects.get(slug=membership[0])
            services.coalition_set_member(
                coalition=coalition, user=user, organisation=organisation, role=membership[1], actor=admin
            )
    veenkolonien = Coalition.objects.get(slug="veenkolonien")
    if not veenkolonien.agendas.exists():
        _demo_agenda(veenkolonien, User.objects.get(username="coordinator"), **VEENKOLONIEN)
    parkstad = Coalition.objects.get(slug="parkstad-limburg")
    if not parkstad.agendas.exists():
        from reviews.demo import load_review_demo

        agenda = _demo_agenda(parkstad, User.objects.get(username="parkstad"), **PARKSTAD)
        load_review_demo(agenda, admin=admin)
    from funding.demo import load_funding_demo

    load_funding_demo(admin=admin)
    return {"coalitions": Coalition.objects.count(), "users": User.objects.count()}


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


def _demo_agenda(coalition: Coalition, author: User, *, title: str, name: str, lead_partner: str, roles: dict):
    """One agenda with fictitious content for the demo; baselines are real CBS values."""
    from kansenagenda.models import Goal, Organisation
    from kansenagenda.selectors.baselines import indicator_baseline
    from regions.models import Indicator, Theme

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
