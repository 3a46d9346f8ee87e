"""The catalogue of ministries, kept by the programme administrators (signals.services, /signalen/ministeries/)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Event
from signals import permissions, services
from signals.models import Ministry, MinistryOfficial
from tests.factories import make_user
from tests.signals.factories import make_ministry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return make_user("programmabeheer", role="programme_admin")


def test_the_migration_loads_the_ministries_of_the_government():
    names = set(Ministry.objects.values_list("abbreviation", flat=True))
    assert {"BZK", "OCW", "IenW", "EZ", "SZW", "VWS", "LVVN", "Fin", "JenV", "KGG", "VRO", "Def", "BZ", "AenM"} <= names
    assert Ministry.objects.get(slug="vro").name_en == "Ministry of Housing and Spatial Planning"


def test_a_programme_administrator_adds_and_changes_a_ministry(admin):
    ministry = services.ministry_save(
        actor=admin, name="Ministerie van Proeven", name_en="Ministry of Trials", abbreviation="MvP", answer_days=40
    )
    assert (ministry.slug, ministry.acknowledge_days, ministry.answer_days, ministry.is_active) == ("mvp", 5, 40, True)
    ministry = services.ministry_save(
        actor=admin,
        ministry_id=ministry.pk,
        name="Ministerie van Proeven",
        abbreviation="MvP",
        acknowledge_days=3,
        answer_days=15,
        is_active=False,
    )
    ministry.refresh_from_db()
    assert (ministry.acknowledge_days, ministry.answer_days, ministry.is_active, ministry.slug) == (3, 15, False, "mvp")
    assert Event.objects.filter(verb="ministry.saved").count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "ministerie van binnenlandse zaken en koninkrijksrelaties"}, "name"),
        ({"abbreviation": ""}, "abbreviation"),
        ({"acknowledge_days": 0}, "acknowledge_days"),
        ({"acknowledge_days": 61}, "acknowledge_days"),
        ({"answer_days": 251}, "answer_days"),
        ({"acknowledge_days": 10, "answer_days": 5}, "answer_days"),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(admin, fields, field):
    before = Ministry.objects.count()
    arguments = {"name": "Ministerie van Proeven", "abbreviation": "MvP", **fields}
    with pytest.raises(ValidationError) as refused:
        services.ministry_save(actor=admin, **arguments)
    assert field in refused.value.message_dict
    assert Ministry.objects.count() == before
    assert not Event.objects.filter(verb="ministry.saved").exists()


def test_only_programme_and_platform_administrators_keep_the_catalogue(alice, admin):
    official = make_user("rijk", role="rijk_official")
    for person in (alice, official, make_user("chair", role="review_chair")):
        with pytest.raises(PermissionDenied):
            services.ministry_save(actor=person, name="Ministerie van Proeven", abbreviation="MvP")
    platform = make_user("platform", role="platform_admin")
    assert services.ministry_save(actor=platform, name="Ministerie van Proeven", abbreviation="MvP").pk


def test_officials_are_named_and_taken_off(admin):
    ministry = make_ministry()
    official = make_user("rijk", role="rijk_official")
    assert permissions.ministries_of(official) == []
    services.ministry_official_set(actor=admin, ministry_id=ministry.pk, user_id=official.pk)
    services.ministry_official_set(actor=admin, ministry_id=ministry.pk, user_id=official.pk)  # idempotent
    assert MinistryOfficial.objects.filter(ministry=ministry, user=official).count() == 1
    # Remembered per user object, as for a request: a new request reads them again.
    permissions.forget(official)
    assert permissions.ministries_of(official) == [ministry.pk]
    assert services.ministry_official_remove(actor=admin, ministry_id=ministry.pk, user_id=official.pk)
    assert not services.ministry_official_remove(actor=admin, ministry_id=ministry.pk, user_id=official.pk)
    permissions.forget(official)
    assert permissions.ministries_of(official) == []
    assert Event.objects.filter(verb__in=["ministry.official_added", "ministry.official_removed"]).count() == 2


def test_only_rijk_officials_can_be_named(admin, alice):
    ministry = make_ministry()
    for user_id in (alice.pk, 10**9):
        with pytest.raises(ValidationError) as refused:
            services.ministry_official_set(actor=admin, ministry_id=ministry.pk, user_id=user_id)
        assert list(refused.value.message_dict) == ["user"]
    assert not MinistryOfficial.objects.exists()


def test_the_catalogue_pages(client, admin, alice):
    ministry = make_ministry()
    official = make_user("rijk", role="rijk_official")
    client.force_login(admin)
    assert client.get("/signalen/ministeries/").status_code == 200
    response = client.post(
        "/signalen/ministeries/",
        {"name": "Ministerie van Proeven", "abbreviation": "MvP", "acknowledge_days": "5", "answer_days": "3"},
    )
    assert response.status_code == 400
    assert "Antwoorden kan niet eerder dan de ontvangst bevestigen." in response.content.decode()
    response = client.post(
        "/signalen/ministeries/",
        {"name": "Ministerie van Proeven", "abbreviation": "MvP", "acknowledge_days": "5", "answer_days": "30"},
    )
    created = Ministry.objects.get(slug="mvp")
    assert response.status_code == 302 and response.url == f"/signalen/ministeries/{created.pk}/"
    response = client.post(f"/signalen/ministeries/{ministry.pk}/ambtenaren/", {"user": str(alice.pk)})
    assert response.status_code == 400 and "Kies een rijksambtenaar uit de lijst." in response.content.decode()
    response = client.post(f"/signalen/ministeries/{ministry.pk}/ambtenaren/", {"user": str(official.pk)})
    assert response.status_code == 302
    page = client.get(f"/signalen/ministeries/{ministry.pk}/").content.decode()
    assert official.display_name in page
    response = client.post(f"/signalen/ministeries/{ministry.pk}/ambtenaren/{official.pk}/weghalen/")
    assert response.status_code == 302 and not MinistryOfficial.objects.exists()
    client.force_login(alice)
    for url in ("/signalen/ministeries/", f"/signalen/ministeries/{ministry.pk}/"):
        assert client.get(url).status_code == 403
    assert (
        client.post(f"/signalen/ministeries/{ministry.pk}/ambtenaren/", {"user": str(official.pk)}).status_code == 403
    )
