"""Small helpers that build test data through the services."""

from __future__ import annotations

from django.contrib.auth.models import Group

from accounts.models import User
from coalitions import services
from coalitions.models import Coalition, CoalitionRole, Organisation
from regions.models import Region

PASSWORD = "test-wachtwoord-123"


def make_user(username: str, *, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD)
    user.full_name = username.capitalize()
    user.save(update_fields=["full_name"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_organisation(municipality_code: str) -> Organisation:
    region = Region.objects.get(code=municipality_code)
    organisation, _ = Organisation.objects.get_or_create(
        name=f"Gemeente {region.name}", defaults={"kind": Organisation.Kind.MUNICIPALITY, "region": region}
    )
    return organisation


def make_coalition(
    *,
    coordinator: User,
    editor: User | None = None,
    viewer: User | None = None,
    slug: str = "oost-groningen",
    region_code: str = "CR01",
) -> Coalition:
    region = Region.objects.get(code=region_code)
    coalition = services.coalition_create(name=f"Coalitie {slug}", slug=slug, region=region, actor=coordinator)
    municipalities = list(region.municipalities.order_by("code"))
    organisations = [make_organisation(m.code) for m in municipalities]
    for organisation in organisations:
        services.coalition_add_organisation(coalition=coalition, organisation=organisation, actor=coordinator)
    for user, role in (
        (coordinator, CoalitionRole.COORDINATOR),
        (editor, CoalitionRole.EDITOR),
        (viewer, CoalitionRole.VIEWER),
    ):
        if user is not None:
            services.coalition_set_member(
                coalition=coalition, user=user, organisation=organisations[0], role=role, actor=coordinator
            )
    return coalition
