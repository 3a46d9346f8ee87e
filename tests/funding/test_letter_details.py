"""What the letters say, kept where it is managed: a programme's ministry and legal basis on the programme form (the
programme administrator), an official's function on the officials page (programme and platform administrators)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activity.models import Event
from funding import services
from funding.models import OfficialFunction, Programme
from tests.conftest import GLOBAL_ROLE_PEOPLE
from tests.funding.factories import make_programme

pytestmark = pytest.mark.django_db

ROLES = list(GLOBAL_ROLE_PEOPLE)
MANAGERS = {"programme_admin", "platform_admin"}
TEXTS = {
    "description": "Voor de regio's.",
    "ministry": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "ministry_en": "Ministry of the Interior and Kingdom Relations",
    "legal_basis": "Artikel 3 van de Regeling kansenagenda's",
    "legal_basis_en": "Article 3 of the Regulation on opportunity agendas",
}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def programme(proposer) -> Programme:
    return make_programme(proposer, name="Kansen voor regio's")


def edit_url(programme: Programme) -> str:
    return reverse("funding:programme-edit", args=[programme.pk])


# --------------------------------------------------------------- the programme's texts


@pytest.mark.parametrize("role", ROLES)
def test_only_programme_and_platform_administrators_edit_a_programme(client, people, role, programme):
    client.force_login(people[role])
    assert client.get(edit_url(programme)).status_code == (200 if role in MANAGERS else 403)
    response = client.post(edit_url(programme), TEXTS)
    assert response.status_code == (302 if role in MANAGERS else 403)
    programme.refresh_from_db()
    assert (programme.ministry == TEXTS["ministry"]) is (role in MANAGERS)


def test_anonymous_visitors_are_sent_to_log_in(client, programme):
    response = client.get(edit_url(programme))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("funding:programme-edit", args=[programme.pk + 99])).status_code == 302


def test_the_programme_administrator_sets_ministry_and_legal_basis(client, people, programme):
    admin = people["programme_admin"]
    client.force_login(admin)
    page = client.get(edit_url(programme)).content.decode()
    for field in ("ministry", "ministry_en", "legal_basis", "legal_basis_en", "description"):
        assert f'name="{field}"' in page
    assert 'name="start_year"' not in page  # the period and the budgets are fixed once created

    response = client.post(edit_url(programme), TEXTS)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert {field: getattr(programme, field) for field in TEXTS} == TEXTS
    event = Event.objects.get(verb="programme.updated")
    assert event.actor == admin and set(event.data["fields"]) == set(TEXTS)

    # The programme list shows them (in the reader's language) and links to the form for the administrator.
    listing = client.get(reverse("funding:programmes")).content.decode()
    assert TEXTS["ministry"] in listing and edit_url(programme) in listing
    client.cookies["django_language"] = "en"
    assert TEXTS["ministry_en"] in client.get(reverse("funding:programmes")).content.decode()


def test_saving_the_same_texts_again_records_nothing(people, programme):
    services.programme_update(actor=people["programme_admin"], programme_id=programme.pk, **TEXTS)
    services.programme_update(actor=people["programme_admin"], programme_id=programme.pk, **TEXTS)
    assert Event.objects.filter(verb="programme.updated").count() == 1


def test_too_long_texts_are_shown_on_the_form_and_change_nothing(client, people, programme):
    client.force_login(people["programme_admin"])
    response = client.post(edit_url(programme), {**TEXTS, "ministry": "M" * 201})
    assert response.status_code == 400
    assert "Ministerie" not in Programme.objects.get(pk=programme.pk).ministry
    with pytest.raises(ValidationError) as error:
        services.programme_update(actor=people["programme_admin"], programme_id=programme.pk, legal_basis="x" * 2001)
    assert list(error.value.message_dict) == ["legal_basis"]


def test_an_official_may_create_a_programme_with_its_letter_texts(client, proposer):
    client.force_login(proposer)
    response = client.post(
        reverse("funding:programme-create"),
        {
            "name": "Nieuw programma",
            "start_year": 2027,
            "end_year": 2030,
            "amount_per_year": "1.000.000",
            "min_cofinancing_percent": 50,
            "reserved_percent": 30,
            "lagging_min_themes": 3,
            **TEXTS,
        },
    )
    assert response.status_code == 302
    created = Programme.objects.get(name="Nieuw programma")
    assert created.ministry == TEXTS["ministry"] and created.legal_basis_en == TEXTS["legal_basis_en"]


def test_the_api_shows_and_takes_the_letter_texts(people, programme, proposer):
    from tests.funding.factories import client_for

    services.programme_update(actor=people["programme_admin"], programme_id=programme.pk, **TEXTS)
    data = client_for().get(f"/api/v1/programmes/{programme.pk}/").json()
    assert {field: data[field] for field in TEXTS} == TEXTS
    response = client_for(proposer).post(
        "/api/v1/programmes/",
        {
            "name": "Via de API",
            "start_year": 2027,
            "end_year": 2027,
            "envelopes": [{"year": 2027, "amount": 1_000_000}],
            "ministry": "Ministerie van Financiën",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["ministry"] == "Ministerie van Financiën"


# --------------------------------------------------------------- an official's function


def function_url(user) -> str:
    return reverse("funding:function-set", args=[user.pk])


def form(user, function: str, function_en: str = "") -> dict:
    return {f"function-{user.pk}-function": function, f"function-{user.pk}-function_en": function_en}


@pytest.mark.parametrize("role", ROLES)
def test_only_programme_and_platform_administrators_set_a_function(client, people, role, approver):
    client.force_login(people[role])
    response = client.post(function_url(approver), form(approver, "Directeur"))
    assert response.status_code == (302 if role in MANAGERS else 403)
    assert OfficialFunction.objects.filter(user=approver).exists() is (role in MANAGERS)


def test_the_function_is_set_shown_changed_and_cleared_on_the_officials_page(client, people, approver):
    admin = people["programme_admin"]
    client.force_login(admin)
    page = client.get(reverse("funding:officials")).content.decode()
    assert f'name="function-{approver.pk}-function"' in page and f'name="function-{approver.pk}-function_en"' in page

    assert (
        client.post(function_url(approver), form(approver, " Directeur Regio ", "Director Regions")).status_code == 302
    )
    function = OfficialFunction.objects.get(user=approver)
    assert (function.function, function.function_en, function.updated_by) == (
        "Directeur Regio",
        "Director Regions",
        admin,
    )
    assert "Directeur Regio" in client.get(reverse("funding:officials")).content.decode()
    event = Event.objects.get(verb="official.function_set")
    assert event.data == {
        "user_id": approver.pk,
        "name": approver.display_name,
        "function": "Directeur Regio",
        "previous": "",
    }

    assert client.post(function_url(approver), form(approver, "")).status_code == 302
    assert not OfficialFunction.objects.filter(user=approver).exists()
    assert Event.objects.filter(verb="official.function_set").count() == 2


def test_a_function_is_only_for_officials_and_not_in_english_alone(client, people, approver, charlie):
    admin = people["programme_admin"]
    with pytest.raises(ValidationError):
        services.official_function_set(actor=admin, user=charlie, function="Directeur")
    client.force_login(admin)
    assert client.post(function_url(charlie), form(charlie, "Directeur")).status_code == 404
    response = client.post(function_url(approver), form(approver, "", "Director"))
    assert response.status_code == 400
    assert "Geef de functie ook in het Nederlands." in response.content.decode()
    response = client.post(function_url(approver), form(approver, "D" * 201))
    assert response.status_code == 400 and not OfficialFunction.objects.exists()
    with pytest.raises(PermissionDenied):
        services.official_function_set(actor=approver, user=approver, function="Baas")


def test_the_demo_labels_its_ministry_legal_basis_and_functions(settings):
    from kansenagenda.demo import load_demo

    settings.DEBUG = True
    load_demo()
    programme = Programme.objects.get(name__endswith="(demo)")
    assert "demo" in programme.ministry and "demo" in programme.legal_basis and "demo" in programme.legal_basis_en
    assert all("demo" in f.function for f in OfficialFunction.objects.all())
    assert OfficialFunction.objects.filter(user__username="rijksambtenaar2").exists()
