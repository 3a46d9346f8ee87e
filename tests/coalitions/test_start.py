"""Starting a coalition at /coalities/nieuw/ (``coalitions.services.coalition_start``).

Regional partners and platform administrators start coalitions, and so may
any coordinator; editors, viewers, outsiders and the review chair may not
(a 403 on the page, PermissionDenied from the service, nothing made).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activity.models import Event
from coalitions import services
from coalitions.models import Affiliation, Coalition, CoalitionMembership, Organisation
from coalitions.permissions import can_start_coalition
from regions.models import Region
from regions.services import custom_region_save
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

# Who may start a coalition.
MAY_START = {
    "alice": True,  # coordinator (of another coalition)
    "bob": False,  # editor
    "victor": False,  # viewer
    "charlie": False,  # outsider
    "chair": False,  # review chair
    "platform_admin": True,
    "partner": True,  # regional partner
}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def partner(db):
    """A regional partner: invited by a platform administrator to start a coalition."""
    return make_user("partner", role="regional_partner")


def person(request, who):
    request.getfixturevalue("coalition")  # alice coordinates, bob edits, victor reads
    return request.getfixturevalue(who)


def form_data(**changes) -> dict:
    data = {
        "name": "Kansenagenda Achterhoek",
        "region_choice": "existing",
        "region": Region.objects.get(code="CR23").pk,  # COROP Achterhoek
        "organisation_choice": "existing",
        "organisation": make_organisation("GM0197").pk,  # Aalten
        "description": "Samen voor de brede welvaart.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def made() -> tuple[int, int, int]:
    return Coalition.objects.count(), Organisation.objects.count(), Region.objects.count()


@pytest.mark.parametrize("who", list(MAY_START))
def test_who_may_start_a_coalition(client, request, who):
    user = person(request, who)
    assert can_start_coalition(user) is MAY_START[who]
    client.force_login(user)
    assert client.get("/coalities/nieuw/").status_code == (200 if MAY_START[who] else 403)
    assert ('href="/coalities/nieuw/"' in client.get("/coalities/").content.decode()) is MAY_START[who]
    data = form_data()
    before = made()
    response = client.post("/coalities/nieuw/", data)
    if MAY_START[who]:
        assert response.status_code == 302
        assert Coalition.objects.filter(name="Kansenagenda Achterhoek").exists()
    else:
        assert response.status_code == 403
        assert made() == before


@pytest.mark.parametrize("who", list(MAY_START))
def test_the_service_checks_who_starts(request, who):
    user = person(request, who)
    before = made()
    start = lambda: services.coalition_start(  # noqa: E731
        actor=user,
        name="Kansenagenda Achterhoek",
        region=Region.objects.get(code="CR23"),
        organisation=make_organisation("GM0197"),
    )
    if MAY_START[who]:
        assert start().slug == "kansenagenda-achterhoek"
    else:
        with pytest.raises(PermissionDenied):
            start()
        assert made()[0] == before[0]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/coalities/nieuw/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")


def test_starting_makes_the_coalition_with_its_first_organisation_and_coordinator(client, partner):
    partner.full_name = "Petra Partner"
    partner.save(update_fields=["full_name"])
    client.force_login(partner)
    response = client.post("/coalities/nieuw/", form_data())
    coalition = Coalition.objects.get(name="Kansenagenda Achterhoek")
    assert response.status_code == 302 and response.url == f"/coalities/{coalition.slug}/leden/"
    assert (coalition.slug, coalition.region.code, coalition.description) == (
        "kansenagenda-achterhoek",
        "CR23",
        "Samen voor de brede welvaart.",
    )
    aalten = Organisation.objects.get(name="Gemeente Aalten")
    assert list(coalition.organisations.all()) == [aalten]
    membership = CoalitionMembership.objects.get(coalition=coalition)
    assert (membership.user, membership.organisation, membership.role) == (partner, aalten, "coordinator")
    assert Affiliation.objects.filter(user=partner, organisation=aalten, start_date=timezone.localdate()).exists()
    events = list(Event.objects.filter(coalition_id=coalition.pk).order_by("id").values_list("verb", "actor"))
    assert events == [
        ("coalition.created", partner.pk),
        ("coalition.organisation_added", partner.pk),
        ("coalition.member_added", partner.pk),
    ]
    assert Event.objects.get(verb="coalition.member_added").data["name"] == "Petra Partner"
    # She is now its coordinator: the members page with the forms.
    page = client.get(response.url)
    assert page.status_code == 200 and page.context["manager"]


def test_starting_with_a_new_organisation_and_a_region_of_ones_own(client, partner):
    client.force_login(partner)
    before = Region.objects.count()
    response = client.post(
        "/coalities/nieuw/",
        form_data(
            name="Grensregio Oost",
            region_choice="new",
            region=None,
            region_name="Grensregio",
            municipalities=["GM0197", "GM0294"],  # Aalten, Winterswijk
            organisation_choice="new",
            organisation=None,
            organisation_name="Stichting Grenswerk",
            organisation_kind="civil_society",
        ),
    )
    assert response.status_code == 302
    coalition = Coalition.objects.get(name="Grensregio Oost")
    region = coalition.region
    assert (region.kind, region.code, region.name) == (Region.Kind.CUSTOM, "RG-GRENSREGIO", "Grensregio")
    assert sorted(region.municipalities.values_list("code", flat=True)) == ["GM0197", "GM0294"]
    assert Region.objects.count() == before + 1
    organisation = Organisation.objects.get(name="Stichting Grenswerk")
    assert (organisation.kind, list(coalition.organisations.all())) == ("civil_society", [organisation])
    assert Event.objects.filter(
        verb="coalition.organisation_created", actor=partner, coalition_id=coalition.pk
    ).exists()


def test_a_region_of_ones_own_never_changes_an_existing_one(partner):
    existing = custom_region_save(code="RG-GRENSREGIO", name="Grensregio", municipality_codes=["GM0344"])
    coalition = services.coalition_start(
        actor=partner,
        name="Grensregio Oost",
        region=services.NewRegion(name="Grensregio", municipality_codes=("GM0197",)),
        organisation=make_organisation("GM0197"),
    )
    assert coalition.region.code == "RG-GRENSREGIO-2"
    assert list(existing.municipalities.values_list("code", flat=True)) == ["GM0344"]


def test_the_slug_is_free(partner, alice):
    Coalition.objects.create(name="Regio Achterhoek!", slug="regio-achterhoek", region=Region.objects.get(code="CR23"))
    coalition = services.coalition_start(
        actor=partner,
        name="Regio Achterhoek",
        region=Region.objects.get(code="CR23"),
        organisation=make_organisation("GM0197"),
    )
    assert coalition.slug == "regio-achterhoek-2"


# --- bad input: a clear message at its field, nothing made ---------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Dit veld is vereist."),
        ({"region": None}, "region", "Kies een regio."),
        ({"region_choice": "new", "region": None}, "municipalities", "Kies de gemeenten van de regio."),
        ({"region_choice": "new", "municipalities": ["GM9999"]}, "municipalities", "GM9999"),
        (
            {"organisation_choice": "new", "organisation": None},
            "organisation_name",
            "Vul de naam van de organisatie in.",
        ),
        (
            {"organisation_choice": "new", "organisation_name": "gemeente aalten", "organisation_kind": "municipality"},
            "organisation_name",
            "Er is al een",
        ),
        ({"organisation": None}, "organisation", "Kies een organisatie."),
        ({"name": "Coalitie oost-groningen"}, "name", "Er is al een coalitie met de naam"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_made(client, coalition, partner, changes, field, message):
    client.force_login(partner)
    data = form_data(**changes)
    before = made()
    response = client.post("/coalities/nieuw/", data)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert made() == before
    assert not Event.objects.filter(actor=partner).exists()


def test_the_whole_country_is_no_region_for_a_coalition(partner):
    with pytest.raises(ValidationError) as error:
        services.coalition_start(
            actor=partner,
            name="Heel Nederland",
            region=Region.objects.get(kind=Region.Kind.COUNTRY),
            organisation=make_organisation("GM0197"),
        )
    assert "region" in error.value.message_dict
    assert not Coalition.objects.filter(name="Heel Nederland").exists()
