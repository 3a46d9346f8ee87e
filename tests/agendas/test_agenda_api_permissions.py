"""Who may do what in the agenda API, endpoint by endpoint.

A draft agenda is for the members of its coalition only: everyone else gets
404 on every endpoint (also reviewers, the review chair, Rijk officials, a superuser and
data stewards: drafts never leak). Viewers may read and comment but get 403
on every save; editors and coordinators may save. Refused requests change
nothing.
"""

from dataclasses import dataclass

import pytest

from accounts.models import GlobalRole, User
from activity.models import Notification
from agendas.comments import comment_create
from agendas.models import Agenda, BudgetLine, Comment, Measure, Priority, Revision
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.factories import PASSWORD, make_user
from tests.helpers import api_token

pytestmark = pytest.mark.django_db

JSON = "application/json"
MEMBERS = ["viewer", "editor", "coordinator"]
NON_MEMBERS = [
    "outsider",
    "reviewer",
    "review_chair",
    "rijk_official",
    "data_steward",
    "regional_partner",
    "programme_admin",
    "platform_admin",
    # Not a member either: has_perm() is true for every superuser, the drafts' rules never ask it.
    "superuser",
]
ROLES = NON_MEMBERS + MEMBERS


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    agenda: Agenda
    priority: Priority
    measure: Measure


@pytest.fixture
def world(coalition, alice, bob):
    agenda = make_agenda(coalition, alice, title="Geheim concept")
    priority = make_priority(agenda, alice)
    measure = make_measure(agenda, priority, bob)
    return World(agenda, priority, measure)


@pytest.fixture
def user_for(alice, bob, victor, charlie):
    def build(role: str):
        if role == "superuser":
            return User.objects.create_superuser("root", "root@example.org", PASSWORD)
        return {
            "outsider": charlie,
            "viewer": victor,
            "editor": bob,
            "coordinator": alice,
        }.get(role) or make_user(f"user-{role.replace('_', '-')}", role=role)

    return build


def state() -> tuple:
    return (
        list(Agenda.objects.order_by("pk").values_list("pk", "version", "title")),
        list(Priority.objects.order_by("pk").values_list("pk", "version", "title")),
        list(Measure.objects.order_by("pk").values_list("pk", "version", "title")),
        list(BudgetLine.objects.order_by("pk").values_list("measure_id", "year", "source", "amount")),
        Revision.objects.count(),
        Comment.objects.count(),
    )


def organisation_id(world: World) -> int:
    return world.agenda.coalition.organisations.order_by("name").first().pk


READS = {
    "agenda detail": lambda w: ("get", f"/api/v1/agendas/{w.agenda.pk}/", None),
    "revisions": lambda w: ("get", f"/api/v1/agendas/{w.agenda.pk}/revisions/", None),
    "compare": lambda w: ("get", f"/api/v1/agendas/{w.agenda.pk}/compare/?from=1&to=3", None),
    "comments": lambda w: ("get", f"/api/v1/agendas/{w.agenda.pk}/comments/", None),
    "priority": lambda w: ("get", f"/api/v1/priorities/{w.priority.pk}/", None),
    "measure": lambda w: ("get", f"/api/v1/measures/{w.measure.pk}/", None),
}

WRITES = {
    "put header": lambda w: (
        "put",
        f"/api/v1/agendas/{w.agenda.pk}/",
        {"version": 1, "title": "Nieuw", "start_year": 2026, "end_year": 2035},
    ),
    "patch header": lambda w: ("patch", f"/api/v1/agendas/{w.agenda.pk}/", {"version": 1, "title": "Nieuw"}),
    "create priority": lambda w: (
        "post",
        "/api/v1/priorities/",
        {"agenda": w.agenda.pk, "title": "Nieuw", "kind": "kans"},
    ),
    "put priority": lambda w: (
        "put",
        f"/api/v1/priorities/{w.priority.pk}/",
        {"version": 1, "title": "Nieuw", "kind": "kans"},
    ),
    "patch priority": lambda w: ("patch", f"/api/v1/priorities/{w.priority.pk}/", {"version": 1, "title": "Nieuw"}),
    "delete priority": lambda w: ("delete", f"/api/v1/priorities/{w.priority.pk}/?version=1", None),
    "create measure": lambda w: (
        "post",
        "/api/v1/measures/",
        {
            "agenda": w.agenda.pk,
            "priority": w.priority.pk,
            "title": "Nieuw",
            "lead_organisation": organisation_id(w),
            "start_year": 2026,
            "end_year": 2027,
            "budget_lines": [{"year": 2026, "source": "rijk", "amount": 10}],
        },
    ),
    "put measure": lambda w: (
        "put",
        f"/api/v1/measures/{w.measure.pk}/",
        {
            "version": 1,
            "priority": w.priority.pk,
            "title": "Nieuw",
            "lead_organisation": organisation_id(w),
            "start_year": 2026,
            "end_year": 2027,
        },
    ),
    "patch measure": lambda w: ("patch", f"/api/v1/measures/{w.measure.pk}/", {"version": 1, "title": "Nieuw"}),
    "delete measure": lambda w: ("delete", f"/api/v1/measures/{w.measure.pk}/?version=1", None),
}
WRITE_SUCCESS = {"post": 201, "put": 200, "patch": 200, "delete": 204}

COMMENT = lambda w: ("post", f"/api/v1/agendas/{w.agenda.pk}/comments/", {"body": "Mooi plan"})  # noqa: E731


def send(client, world: World, endpoint):
    method, url, body = endpoint(world)
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type=JSON)


def expected(role: str, success: int) -> int:
    if role in NON_MEMBERS:
        return 404
    return success


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(READS))
def test_reads_are_for_members_only(client, world, user_for, role, name):
    client.force_login(user_for(role))
    response = send(client, world, READS[name])
    assert response.status_code == expected(role, 200)
    if role in NON_MEMBERS:
        assert world.agenda.title.encode() not in response.content
        assert world.priority.title.encode() not in response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITES))
def test_writes_are_for_editors_and_coordinators(client, world, user_for, role, name):
    client.force_login(user_for(role))
    before = state()
    method = WRITES[name](world)[0]
    response = send(client, world, WRITES[name])
    if role in ("editor", "coordinator"):
        assert response.status_code == WRITE_SUCCESS[method], response.content
        assert state() != before
    else:
        assert response.status_code == (403 if role == "viewer" else 404)
        assert state() == before


@pytest.mark.parametrize("name", list(WRITES))
def test_refusal_comes_before_validation(client, world, victor, charlie, name):
    """A viewer's invalid save is still 403 and an outsider's still 404: the answer says nothing about the input."""
    method, url, body = WRITES[name](world)
    if method == "delete":
        url = url.split("?")[0]
    else:
        body = {**body, "title": "", "start_year": "abc"}
    for user, status_code in ((victor, 403), (charlie, 404)):
        client.force_login(user)
        response = getattr(client, method)(url, body, content_type=JSON) if body else getattr(client, method)(url)
        assert response.status_code == status_code


@pytest.mark.parametrize("role", ROLES)
def test_members_and_only_members_may_comment(client, world, user_for, role):
    client.force_login(user_for(role))
    before = Comment.objects.count()
    response = send(client, world, COMMENT)
    assert response.status_code == expected(role, 201)
    assert Comment.objects.count() == before + (role in MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_drafts_to_members_only(client, world, user_for, role):
    client.force_login(user_for(role))
    response = client.get("/api/v1/agendas/")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == ([world.agenda.pk] if role in MEMBERS else [])


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        # They cannot see the coalition: to them it does not exist.
        ("outsider", 400),
        ("reviewer", 400),
        # Oversight roles see coalitions, but may not write their agendas.
        ("review_chair", 403),
        ("rijk_official", 403),
        ("data_steward", 403),
        ("superuser", 403),
        ("viewer", 403),
        ("editor", 201),
        ("coordinator", 201),
    ],
)
def test_only_editors_and_coordinators_create_agendas(client, coalition, user_for, role, status_code):
    client.force_login(user_for(role))
    body = {"coalition": coalition.pk, "title": "Nieuw", "start_year": 2026, "end_year": 2035}
    response = client.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == status_code
    assert Agenda.objects.count() == (1 if status_code == 201 else 0)
    if status_code == 400:
        assert "coalition" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_goals_are_for_every_signed_in_user(client, user_for, role):
    client.force_login(user_for(role))
    response = client.get("/api/v1/goals/?catalogue=sdg")
    assert response.status_code == 200
    assert response.json()["count"] > 0


@pytest.mark.parametrize("role", ROLES)
def test_notifications_are_your_own(client, world, user_for, alice, bob, role):
    user = user_for(role)
    comment_create(agenda=world.agenda, actor=bob, body="@alice en @victor: kijk even")
    client.force_login(user)
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 200
    mine = list(Notification.objects.filter(recipient=user).values_list("pk", flat=True))
    assert [row["id"] for row in response.json()["results"]] == mine
    others = Notification.objects.exclude(recipient=user)
    for notification in others:
        assert client.post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404
    client.post("/api/v1/notifications/read-all/")
    assert not others.filter(read_at__isnull=False).exists()


def test_the_comment_list_of_another_coalition_is_hidden(client, world, alice):
    """Members of one coalition are outsiders to another coalition's agenda."""
    from tests.factories import make_coalition

    olga = make_user("olga")
    other = make_agenda(make_coalition(coordinator=olga, slug="twente", region_code="CR15"), olga, title="Twente")
    client.force_login(alice)
    for url in (f"/api/v1/agendas/{other.pk}/", f"/api/v1/agendas/{other.pk}/comments/"):
        assert client.get(url).status_code == 404
    assert (
        client.patch(f"/api/v1/agendas/{other.pk}/", {"version": 1, "title": "X"}, content_type=JSON).status_code == 404
    )
    body = {"agenda": other.pk, "title": "Nieuw", "kind": "kans"}
    assert client.post("/api/v1/priorities/", body, content_type=JSON).status_code == 404


ALL_ENDPOINTS = [
    ("get", "/api/v1/agendas/"),
    ("post", "/api/v1/agendas/"),
    ("get", "/api/v1/agendas/{agenda}/"),
    ("patch", "/api/v1/agendas/{agenda}/"),
    ("get", "/api/v1/agendas/{agenda}/revisions/"),
    ("get", "/api/v1/agendas/{agenda}/compare/?from=1&to=2"),
    ("get", "/api/v1/agendas/{agenda}/comments/"),
    ("post", "/api/v1/agendas/{agenda}/comments/"),
    ("post", "/api/v1/priorities/"),
    ("get", "/api/v1/priorities/{priority}/"),
    ("patch", "/api/v1/priorities/{priority}/"),
    ("delete", "/api/v1/priorities/{priority}/?version=1"),
    ("post", "/api/v1/measures/"),
    ("get", "/api/v1/measures/{measure}/"),
    ("patch", "/api/v1/measures/{measure}/"),
    ("delete", "/api/v1/measures/{measure}/?version=1"),
    ("get", "/api/v1/goals/"),
    ("get", "/api/v1/notifications/"),
    ("post", "/api/v1/notifications/read-all/"),
]


@pytest.mark.parametrize(("method", "url"), ALL_ENDPOINTS)
def test_anonymous_callers_are_refused(client, world, method, url):
    before = state()
    url = url.format(agenda=world.agenda.pk, priority=world.priority.pk, measure=world.measure.pk)
    response = getattr(client, method)(url, {"version": 1}, content_type=JSON)
    assert response.status_code in (401, 403)
    assert world.agenda.title.encode() not in response.content
    assert state() == before


@pytest.mark.parametrize(("method", "url"), ALL_ENDPOINTS)
def test_a_wrong_token_is_refused(client, world, method, url):
    url = url.format(agenda=world.agenda.pk, priority=world.priority.pk, measure=world.measure.pk)
    response = getattr(client, method)(url, HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert response.status_code in (401, 403)


def test_a_token_works_like_a_session(client, world, bob):
    token = api_token(bob)
    response = client.patch(
        f"/api/v1/measures/{world.measure.pk}/",
        {"version": 1, "title": "Met token"},
        content_type=JSON,
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200
    world.measure.refresh_from_db()
    assert world.measure.title == "Met token"
    assert world.agenda.revisions.order_by("-number").first().author == bob


def test_global_roles_are_the_expected_groups():
    """The roles used above are real global roles (a renamed role would make the tests above vacuous)."""
    assert set(NON_MEMBERS) - {"outsider", "superuser"} == set(GlobalRole.values)
