"""Demo data for the local default (`make run`): the report's five example regions.

The coalitions consist of real municipalities and provinces (CBS codes); which
organisations take part, and the people, are demo data and labelled as such.
Demo users with a known password exist only when DEBUG is on.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.demo import DEMO_PASSWORD
from accounts.models import GlobalRole, User
from agendas.demo import PARKSTAD, VEENKOLONIEN, demo_agenda
from coalitions import services
from coalitions.demo import invite_missing_representatives
from coalitions.models import Affiliation, Coalition, CoalitionRole, Organisation
from funding.demo import load_funding_demo
from regions import examples
from regions.models import Region
from regions.services import custom_region_save
from regiotoets.demo import load_regiotoets_demo
from reviews.demo import load_review_demo
from reviews.pool_demo import load_pool_demo
from signals.demo import load_signal_demo

DEMO_LABEL = "Demo-coalitie: de deelnemende organisaties en personen zijn voorbeeldgegevens."

# coalition name, slug, its region (one of the report's example regions: a
# COROP region or a custom region), provinces taking part.
COALITIONS = [
    ("Agenda voor de Veenkoloniën", "veenkolonien", examples.VEENKOLONIEN, ["Groningen", "Drenthe"]),
    ("Parkstad Limburg", "parkstad-limburg", examples.PARKSTAD, ["Limburg"]),
    ("Regio Twente", "twente", examples.TWENTE, ["Overijssel"]),
    ("Kop van Noord-Holland", "kop-van-noord-holland", examples.KOP_VAN_NOORD_HOLLAND, ["Noord-Holland"]),
    ("Zeeuws-Vlaanderen", "zeeuws-vlaanderen", examples.ZEEUWS_VLAANDEREN, ["Zeeland"]),
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
    ("platformbeheer", "Mila Koster (demo)", GlobalRole.PLATFORM_ADMIN, None, None),
    ("programmabeheer", "Ruben de Wit (demo)", GlobalRole.PROGRAMME_ADMIN, None, None),
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

    for name, slug, example, province_names in COALITIONS:
        if example.is_custom:
            region = custom_region_save(
                code=example.code,
                name=example.name,
                municipality_codes=[municipalities[m].code for m in example.municipalities],
            )
        else:
            region = Region.objects.get(code=example.code)
        coalition = Coalition.objects.filter(slug=slug).first() or services.coalition_create(
            name=name, slug=slug, region=region, actor=admin, description=DEMO_LABEL
        )
        member_regions = (
            [municipalities[m] for m in example.municipalities]
            if example.is_custom
            else list(region.municipalities.all())
        )
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
    invite_missing_representatives(veenkolonien, User.objects.get(username="coordinator"))
    if not veenkolonien.agendas.exists():
        demo_agenda(veenkolonien, User.objects.get(username="coordinator"), **VEENKOLONIEN)
    parkstad = Coalition.objects.get(slug="parkstad-limburg")
    if not parkstad.agendas.exists():
        agenda = demo_agenda(parkstad, User.objects.get(username="parkstad"), **PARKSTAD)
        load_review_demo(agenda, admin=admin)
    load_funding_demo(admin=admin)
    load_pool_demo(chair=User.objects.get(username="voorzitter"))
    load_signal_demo(admin=admin)
    load_regiotoets_demo()
    return {"coalitions": Coalition.objects.count(), "users": User.objects.count()}
