"""The reviewer pool: who manages it, inviting into it, a member's own profile, the chair's choice of reviewer."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import GlobalRole, User
from activity.models import Event
from activity.notifications import describe as describe_event
from coalitions.models import Affiliation, CoalitionMembership, Organisation
from invitations import services as invitations
from invitations.models import Invitation
from reviews import pool
from reviews.models import Assignment, ReviewerProfile, Submission
from tests.conftest import GLOBAL_ROLE_PEOPLE
from tests.factories import make_coalition, make_user
from tests.helpers import assert_counts, measure
from tests.reviews.factories import complete_agenda, freeze

pytestmark = pytest.mark.django_db

ROLES = list(GLOBAL_ROLE_PEOPLE)

# make_agenda's themes are the first two by position, make_priority's the first.
AGENDA_THEMES = ["subjectief-welzijn", "materiele-welvaart"]
MANAGERS = {"chair", "platform_admin"}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def member(username: str, expertise=("gezondheid",), organisations=()) -> User:
    """Someone in the pool, as accepting an invitation leaves them."""
    user = make_user(username)
    pool.grant(user, {"expertise": list(expertise), "affiliations": [o.pk for o in organisations]}, None)
    return user


def invite_payload(**extra):
    return {"name": "Nina Nieuw", "email": "nina@universiteit.nl", "expertise": ["gezondheid", "wonen"], **extra}


# --------------------------------------------------------------- who may


@pytest.mark.parametrize("role", ROLES)
def test_only_the_chair_and_a_platform_administrator_see_the_pool(client, people, role):
    client.force_login(people[role])
    response = client.get(reverse("reviews:pool"))
    assert response.status_code == (200 if role in MANAGERS else 403)


def test_the_pool_page_needs_a_login(client):
    response = client.get(reverse("reviews:pool"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_chair_and_a_platform_administrator_invite_reviewers(client, people, role):
    client.force_login(people[role])
    response = client.post(reverse("reviews:pool"), invite_payload())
    if role in MANAGERS:
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert (invitation.kind, invitation.email, invitation.invited_by) == (
            "reviewer",
            "nina@universiteit.nl",
            people[role],
        )
        assert invitation.payload == {"expertise": ["gezondheid", "wonen"], "affiliations": []}
    else:
        assert response.status_code == 403
        assert not Invitation.objects.exists()
    # The service refuses the same people, whatever page they come from.
    if role not in MANAGERS:
        with pytest.raises(PermissionDenied):
            invitations.invitation_create(
                actor=people[role], kind="reviewer", email="x@y.nl", payload={"expertise": ["wonen"]}
            )


@pytest.mark.parametrize("role", ROLES)
def test_only_the_chair_and_a_platform_administrator_edit_a_members_affiliations(client, people, role, coalition):
    reviewer = member("rev")
    organisation = coalition.organisations.first()
    client.force_login(people[role])
    url = reverse("reviews:pool-member", args=[reviewer.pk])
    assert client.get(url).status_code == (200 if role in MANAGERS else 403)
    response = client.post(url, {"expertise": ["wonen"], "affiliations": [organisation.pk]})
    profile = ReviewerProfile.objects.get(user=reviewer)
    if role in MANAGERS:
        assert response.status_code == 302
        assert profile.expertise == ["wonen"]
        assert list(reviewer.affiliations.values_list("organisation", flat=True)) == [organisation.pk]
    else:
        assert response.status_code == 403
        assert profile.expertise == ["gezondheid"]
        assert not reviewer.affiliations.exists()


def test_a_member_page_of_someone_not_in_the_pool_is_a_404(client, chair, charlie):
    client.force_login(chair)
    assert client.get(reverse("reviews:pool-member", args=[charlie.pk])).status_code == 404
    assert client.post(reverse("reviews:pool-member-remove", args=[charlie.pk])).status_code == 404


# --------------------------------------------------------------- inviting and accepting


def test_accepting_gives_the_pool_role_the_expertise_and_the_affiliations_and_nothing_else(chair, coalition):
    organisations = list(coalition.organisations.order_by("pk")[:2])
    invitation = invitations.invitation_create(
        actor=chair,
        kind="reviewer",
        email="nina@universiteit.nl",
        name="Nina",
        payload={"expertise": ["wonen", "gezondheid"], "affiliations": [o.pk for o in organisations]},
    )
    assert invitations.describe(invitation) == "Beoordelaar in de pool (expertise: Gezondheid, Wonen)"
    nina = make_user("nina")
    User.objects.filter(pk=nina.pk).update(email="nina@universiteit.nl")
    nina.refresh_from_db()

    invitations.invitation_accept(user=nina, token=invitations.link_token(invitation))

    assert list(nina.groups.values_list("name", flat=True)) == [GlobalRole.REVIEWER]
    assert not nina.is_staff and not nina.is_superuser
    # In the themes' order, whatever order they were declared in.
    assert ReviewerProfile.objects.get(user=nina).expertise == ["gezondheid", "wonen"]
    affiliations = list(nina.affiliations.order_by("organisation_id"))
    assert [(a.organisation_id, a.start_date, a.end_date) for a in affiliations] == [
        (o.pk, timezone.localdate(), None) for o in organisations
    ]
    assert not CoalitionMembership.objects.filter(user=nina).exists()


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"expertise": ["bestaat-niet"]}, "expertise", "Onbekend thema"),
        ({"expertise": []}, "expertise", "minstens één thema"),
    ],
)
def test_a_bad_invitation_gives_a_clear_message_and_changes_nothing(client, chair, payload, field, words):
    client.force_login(chair)
    response = client.post(reverse("reviews:pool"), invite_payload(**payload))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert field in response.context["form"].errors
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"expertise": ["bestaat-niet"]}, "expertise"),
        ({"expertise": "gezondheid"}, "expertise"),
        ({"expertise": ["wonen"], "affiliations": [999_999]}, "affiliations"),
        ({"expertise": ["wonen"], "affiliations": ["1"]}, "affiliations"),
    ],
)
def test_the_service_refuses_a_bad_payload_whatever_the_page(chair, payload, field):
    with pytest.raises(ValidationError) as error:
        invitations.invitation_create(actor=chair, kind="reviewer", email="nina@universiteit.nl", payload=payload)
    assert field in error.value.message_dict
    assert not Invitation.objects.exists()


def test_someone_already_in_the_pool_is_not_invited_again(client, chair):
    reviewer = member("rev")
    client.force_login(chair)
    response = client.post(reverse("reviews:pool"), invite_payload(email=reviewer.email.upper()))
    assert response.status_code == 400
    assert "zit al in de beoordelaarspool" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_pool_page_lists_members_and_open_invitations(client, chair, coalition):
    organisation = coalition.organisations.first()
    reviewer = member("rev", expertise=["gezondheid", "wonen"], organisations=[organisation])
    past = Organisation.objects.exclude(pk=organisation.pk).first()
    Affiliation.objects.create(
        user=reviewer, organisation=past, start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2012, 1, 1)
    )
    invitations.invitation_create(
        actor=chair, kind="reviewer", email="nina@universiteit.nl", name="Nina", payload={"expertise": ["milieu"]}
    )
    client.force_login(chair)
    page = client.get(reverse("reviews:pool")).content.decode()
    assert reviewer.display_name in page and "Gezondheid, Wonen" in page
    assert organisation.name in page
    assert past.name not in page.split("invite-heading")[0]  # only current affiliations in the table
    assert "nina@universiteit.nl" in page and "Beoordelaar in de pool (expertise: Milieu)" in page
    assert reverse("invitations:revoke", args=[Invitation.objects.get().pk]) in page


# --------------------------------------------------------------- the chair's changes


def test_the_chair_corrects_a_member_dropped_organisations_end_today_and_still_tie(chair, coalition):
    first, second = coalition.organisations.order_by("pk")[:2]
    reviewer = member("rev", organisations=[first])
    pool.pool_member_update(actor=chair, user_id=reviewer.pk, expertise=["milieu"], organisation_ids=[second.pk])
    ties = {a.organisation_id: a.end_date for a in reviewer.affiliations.all()}
    assert ties == {first.pk: timezone.localdate(), second.pk: None}
    assert ReviewerProfile.objects.get(user=reviewer).expertise == ["milieu"]
    event = Event.objects.get(verb="pool.member_updated")
    assert (
        describe_event(event)
        == f"{chair.display_name} heeft de gegevens van {reviewer.display_name} in de pool bijgewerkt."
    )


def test_a_bad_correction_changes_nothing(client, chair, coalition):
    reviewer = member("rev")
    client.force_login(chair)
    url = reverse("reviews:pool-member", args=[reviewer.pk])
    response = client.post(url, {"expertise": ["bestaat-niet"], "affiliations": [coalition.organisations.first().pk]})
    assert response.status_code == 400 and "Onbekend thema" in response.content.decode()
    response = client.post(url, {"expertise": ["wonen"], "affiliations": ["999999"]})
    assert response.status_code == 400 and "Kies organisaties uit de lijst" in response.content.decode()
    assert ReviewerProfile.objects.get(user=reviewer).expertise == ["gezondheid"]
    assert not reviewer.affiliations.exists()
    assert not Event.objects.filter(verb__startswith="pool.").exists()


def test_nobody_leaves_the_pool_with_an_open_assignment(client, chair, coalition, alice, review_round):
    reviewer = member("rev")
    submission = freeze(complete_agenda(coalition, alice), review_round, alice)
    assignment = Assignment.objects.create(submission=submission, reviewer=reviewer, due_date=timezone.localdate())
    client.force_login(chair)
    url = reverse("reviews:pool-member-remove", args=[reviewer.pk])
    page = client.post(url, follow=True).content.decode()
    assert "nog 1 openstaande beoordeling(en)" in page
    assert reviewer.groups.filter(name=GlobalRole.REVIEWER).exists()

    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    assert client.post(url).status_code == 302
    assert not reviewer.groups.filter(name=GlobalRole.REVIEWER).exists()
    assert Event.objects.filter(verb="pool.member_removed", target_id=str(reviewer.pk)).exists()
    # Their past review is untouched, and they are not offered any more.
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_unanswered_invitation_on_a_finished_submission_does_not_keep_anyone_in_the_pool(
    client, chair, coalition, alice, review_round
):
    reviewer = member("rev")
    submission = freeze(complete_agenda(coalition, alice), review_round, alice)
    Assignment.objects.create(submission=submission, reviewer=reviewer, due_date=timezone.localdate())
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.WITHDRAWN)
    client.force_login(chair)
    assert client.get(reverse("reviews:pool")).context["rows"][0].open_count == 0
    pool.pool_member_remove(actor=chair, user_id=reviewer.pk)
    assert not reviewer.groups.filter(name=GlobalRole.REVIEWER).exists()


# --------------------------------------------------------------- a reviewer's own profile


def test_only_people_in_the_pool_have_a_profile_page(client, people):
    for role, user in people.items():
        client.force_login(user)
        assert client.get(reverse("reviews:my-profile")).status_code == (200 if role == "reviewer" else 403), role


def test_a_reviewer_keeps_their_own_expertise_and_affiliations(client, coalition):
    reviewer = member("rev")
    organisation = coalition.organisations.first()
    client.force_login(reviewer)
    url = reverse("reviews:my-profile")
    assert client.post(url, {"form": "expertise", "expertise-expertise": ["wonen", "milieu"]}).status_code == 302
    assert ReviewerProfile.objects.get(user=reviewer).expertise == ["wonen", "milieu"]

    response = client.post(
        url,
        {
            "form": "affiliation",
            "affiliation-organisation": organisation.pk,
            "affiliation-role_title": "Wethouder",
            "affiliation-start_date": "2019-05-01",
        },
    )
    assert response.status_code == 302
    affiliation = reviewer.affiliations.get()
    assert (affiliation.role_title, affiliation.start_date, affiliation.end_date) == (
        "Wethouder",
        datetime.date(2019, 5, 1),
        None,
    )
    assert organisation.name in client.get(url).content.decode()

    assert client.post(reverse("reviews:my-affiliation-end", args=[affiliation.pk])).status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.end_date == timezone.localdate()
    verbs = list(Event.objects.filter(actor=reviewer).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["pool.expertise_set", "pool.affiliation_added", "pool.affiliation_ended"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"affiliation-start_date": "2030-01-01"}, "in de toekomst"),
        ({"affiliation-start_date": "2020-01-01", "affiliation-end_date": "2019-01-01"}, "vóór het begin"),
        ({"affiliation-start_date": "gisteren"}, "geldige datum"),
        ({"affiliation-organisation": "999999", "affiliation-start_date": "2020-01-01"}, "Kies een organisatie"),
    ],
)
def test_a_bad_affiliation_gives_an_inline_error_and_changes_nothing(client, coalition, fields, words):
    reviewer = member("rev")
    client.force_login(reviewer)
    data = {"form": "affiliation", "affiliation-organisation": coalition.organisations.first().pk, **fields}
    response = client.post(reverse("reviews:my-profile"), data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not reviewer.affiliations.exists()


def test_a_reviewer_cannot_end_someone_elses_affiliation(client, coalition):
    reviewer, other = member("rev"), member("other", organisations=[coalition.organisations.first()])
    client.force_login(reviewer)
    affiliation = other.affiliations.get()
    assert client.post(reverse("reviews:my-affiliation-end", args=[affiliation.pk])).status_code == 404
    affiliation.refresh_from_db()
    assert affiliation.end_date is None


# --------------------------------------------------------------- the chair's choice of reviewer


def reviewer_options(page: str) -> list[tuple[str, bool, str]]:
    """(value, disabled, label) of each option of the reviewer select, in order, without the placeholder."""
    select = re.search(r'<select name="reviewer".*?</select>', page, re.S).group(0)
    return [
        (value, " disabled" in attrs, label)
        for value, attrs, label in re.findall(r'<option value="(\d+)"([^>]*)>([^<]*)</option>', select)
    ]


def test_the_pool_is_ranked_by_matching_expertise_with_tied_and_invited_ones_greyed_out(
    client, chair, coalition, alice, review_round
):
    submission = freeze(complete_agenda(coalition, alice), review_round, alice)
    both = member("both", expertise=AGENDA_THEMES)
    one = member("one", expertise=["materiele-welvaart", "wonen"])
    busy = member("busy", expertise=["subjectief-welzijn"])
    none = member("none", expertise=["wonen"])
    tied = member("tied", expertise=AGENDA_THEMES, organisations=[coalition.organisations.first()])
    invited = member("invited", expertise=AGENDA_THEMES)
    Assignment.objects.create(submission=submission, reviewer=invited, due_date=timezone.localdate())
    # ``busy`` has an open assignment on another coalition's agenda.
    other_coordinator = make_user("other-coordinator")
    other = freeze(
        complete_agenda(
            make_coalition(coordinator=other_coordinator, slug="ander", region_code="CR02"), other_coordinator
        ),
        review_round,
    )
    Assignment.objects.create(submission=other, reviewer=busy, due_date=timezone.localdate())

    client.force_login(chair)
    page = client.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    options = reviewer_options(page)
    assert [(value, disabled) for value, disabled, _label in options] == [
        (str(both.pk), False),
        (str(one.pk), False),
        (str(busy.pk), False),
        (str(none.pk), False),
        (str(invited.pk), True),
        (str(tied.pk), True),
    ]
    labels = [label for _v, _d, label in options]
    assert "expertise: Subjectief welzijn, Materiële welvaart · 0 lopend" in labels[0]
    assert "1 lopend" in labels[2]
    assert "geen expertise op de thema" in labels[3]
    assert "al uitgenodigd (uitgenodigd)" in labels[4]
    assert f"belangenconflict: werkt bij {coalition.organisations.first().name}" in labels[5]
    assert "Niet beschikbaar wegens een belangenconflict" in page and f"{tied.display_name}: werkt bij" in page


def test_when_nobody_is_available_the_chair_is_sent_to_the_pool(client, chair, coalition, alice, review_round):
    submission = freeze(complete_agenda(coalition, alice), review_round, alice)
    member("tied", organisations=[coalition.organisations.first()])
    client.force_login(chair)
    page = client.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    assert "Er is niemand in de pool beschikbaar" in page
    assert f'href="{reverse("reviews:pool")}"' in page
    assert 'name="reviewer"' not in page


# --------------------------------------------------------------- queries

SMALL, LARGE = 1, 5


def grow_pool(n: int, chair, organisations) -> None:
    """``n`` more members, each with a profile, an affiliation, an open invitation beside them."""
    start = User.objects.filter(groups__name=GlobalRole.REVIEWER).count()
    for i in range(start, start + n):
        member(f"lid{i}", expertise=["wonen", "milieu"], organisations=[organisations[i % len(organisations)]])
        invitations.invitation_create(
            actor=chair, kind="reviewer", email=f"nieuw{i}@example.org", payload={"expertise": ["gezondheid"]}
        )


def test_the_pool_page_has_a_constant_number_of_queries(client, chair, coalition):
    organisations = list(coalition.organisations.all())
    client.force_login(chair)
    url = reverse("reviews:pool")
    grow_pool(SMALL, chair, organisations)
    small_response, small = measure(client, url)
    grow_pool(LARGE - SMALL, chair, organisations)
    large_response, large = measure(client, url)
    assert (len(small_response.context["rows"]), len(large_response.context["rows"])) == (SMALL, LARGE)
    assert len(large_response.context["pending"]) == LARGE
    # session, user, groups (may_manage_pool); the form's themes and organisations; the pool with
    # profiles and open counts, their current affiliations; the open invitations; the menu's unread count
    assert_counts(small, large, 9)


def test_the_choice_of_reviewer_has_a_constant_number_of_queries(client, chair, coalition, alice, review_round):
    submission = freeze(complete_agenda(coalition, alice), review_round, alice)
    organisations = list(coalition.organisations.all())
    client.force_login(chair)
    url = reverse("reviews:submission", args=[submission.pk])
    grow_pool(SMALL, chair, organisations)
    _response, small = measure(client, url)
    grow_pool(LARGE - SMALL, chair, organisations)
    response, large = measure(client, url)
    assert len(response.context["assign_form"].fields["reviewer"].choices) == LARGE + 1
    assert len(small) == len(large), "the choice of reviewer grows with the pool"


# --------------------------------------------------------------- the demo


def test_the_demo_has_the_two_administrators_and_an_open_pool_invitation(settings):
    from kansenagenda.demo import load_demo
    from reviews.pool_demo import INVITED_EMAIL

    settings.DEBUG = True
    load_demo()
    load_demo()
    roles = {
        username: list(User.objects.get(username=username).groups.values_list("name", flat=True))
        for username in ("platformbeheer", "programmabeheer")
    }
    assert roles == {"platformbeheer": [GlobalRole.PLATFORM_ADMIN], "programmabeheer": [GlobalRole.PROGRAMME_ADMIN]}
    invitation = Invitation.objects.get(kind="reviewer")
    assert (invitation.email, invitation.invited_by.username, invitation.status) == (
        INVITED_EMAIL,
        "voorzitter",
        Invitation.Status.PENDING,
    )
    assert "(demo)" in invitation.name
    assert ReviewerProfile.objects.filter(user__username__startswith="beoordelaar").count() == 3
