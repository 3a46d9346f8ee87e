"""In-app notifications: /meldingen/, marking them read, and the unread badge in the header.

A mention in a comment becomes a notification for the mentioned member;
people see and mark only their own notifications.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from activity.models import Notification
from agendas.comments import comment_create
from coalitions import services
from tests.agendas.factories import make_agenda, make_priority
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def nav_badge(html: str) -> str:
    """The text of the "Meldingen" link in the main menu."""
    match = re.search(r'<a [^>]*href="/meldingen/"[^>]*>(.*?)</a>', html, re.S)
    assert match, "no Meldingen link"
    return text(match.group(1)).strip()


def mention(agenda, author, body: str, priority=None):
    return comment_create(agenda=agenda, actor=author, body=body, priority=priority)


# --- access ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/meldingen/")
    assert response.status_code == 302 and response.url == "/account/login/?next=/meldingen/"
    response = client.post("/meldingen/gelezen/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")


@pytest.mark.django_db
def test_anonymous_pages_have_no_badge_and_no_notification_query(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get("/doelen/")
    assert response.status_code == 200
    assert 'href="/meldingen/"' not in response.content.decode()
    assert not [q for q in context.captured_queries if "activity_notification" in q["sql"]]


# --- the flow: mention -> notification -> listed -> read ---------------------------------


@pytest.mark.django_db
def test_a_mention_is_listed_and_can_be_marked_read(client, agenda, alice, bob, victor):
    priority = make_priority(agenda, alice, title="Gezonde jeugd")
    client.force_login(bob)
    client.post(f"/agendas/{agenda.pk}/reacties/", {"body": "@victor kijk je even?", "priority": priority.pk})

    client.force_login(victor)
    response = client.get("/meldingen/")
    assert response.status_code == 200
    content = response.content.decode()
    assert nav_badge(content) == "Meldingen (1 ongelezen)"
    assert "U hebt 1 ongelezen melding." in content
    assert escape("Bob noemde u in een reactie op “Gezonde jeugd”.") in content
    assert f'href="/agendas/{agenda.pk}/prioriteiten/{priority.pk}/#reacties"' in content
    assert "ka-notification--unread" in content and ">Nieuw<" in content
    notification = Notification.objects.get(recipient=victor)

    response = client.post("/meldingen/gelezen/", {"id": notification.pk})
    assert response.status_code == 302 and response.url == "/meldingen/"
    notification.refresh_from_db()
    assert notification.read_at is not None

    content = client.get("/meldingen/").content.decode()
    assert nav_badge(content) == "Meldingen"
    assert "U hebt geen ongelezen meldingen." in content
    assert "ka-notification--unread" not in content
    assert escape("Bob noemde u in een reactie op “Gezonde jeugd”.") in content


@pytest.mark.django_db
def test_the_author_and_others_get_nothing(client, agenda, alice, bob, victor):
    mention(agenda, bob, "@victor @bob")
    client.force_login(alice)
    content = client.get("/meldingen/").content.decode()
    assert "U hebt nog geen meldingen." in content
    assert nav_badge(content) == "Meldingen"
    assert not Notification.objects.filter(recipient=bob).exists()


@pytest.mark.django_db
def test_mark_all_read_touches_only_the_users_own_notifications(client, agenda, alice, bob, victor):
    mention(agenda, bob, "@victor en @alice")
    mention(agenda, bob, "nogmaals @victor")
    client.force_login(victor)
    assert nav_badge(client.get("/meldingen/").content.decode()) == "Meldingen (2 ongelezen)"
    client.post("/meldingen/gelezen/")
    assert not Notification.objects.filter(recipient=victor, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=alice).read_at is None


@pytest.mark.django_db
def test_someone_elses_notification_id_is_ignored(client, agenda, alice, bob, victor):
    mention(agenda, bob, "@alice")
    others = Notification.objects.get(recipient=alice)
    client.force_login(victor)
    response = client.post("/meldingen/gelezen/", {"id": others.pk})
    assert response.status_code == 302
    others.refresh_from_db()
    assert others.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["abc", "1;DROP", "", "-1"])
def test_a_bad_id_is_a_bad_request(client, agenda, bob, victor, bad):
    mention(agenda, bob, "@victor")
    client.force_login(victor)
    assert client.post("/meldingen/gelezen/", {"id": bad}).status_code == 400
    assert Notification.objects.get().read_at is None


@pytest.mark.django_db
def test_marking_read_is_post_only(client, victor):
    client.force_login(victor)
    assert client.get("/meldingen/gelezen/").status_code == 405


@pytest.mark.django_db
def test_the_badge_shows_on_other_pages_for_the_recipient(client, agenda, bob, victor, charlie):
    mention(agenda, bob, "@victor")
    client.force_login(victor)
    assert nav_badge(client.get("/doelen/").content.decode()) == "Meldingen (1 ongelezen)"
    client.force_login(charlie)
    assert nav_badge(client.get("/doelen/").content.decode()) == "Meldingen"


@pytest.mark.django_db
def test_a_former_member_no_longer_sees_the_notification(client, agenda, coalition, alice, bob):
    """Its text names a draft: after leaving the coalition it is gone from the list and the count."""
    outsider = make_user("dora")
    membership = services.coalition_set_member(
        coalition=coalition,
        user=outsider,
        organisation=coalition.organisations.first(),
        role="viewer",
        actor=alice,
    )
    mention(agenda, bob, "@dora")
    services.coalition_remove_member(membership=membership, actor=alice)
    client.force_login(outsider)
    content = client.get("/meldingen/").content.decode()
    assert f'href="/agendas/{agenda.pk}/#reacties"' not in content
    assert agenda.title not in content
    assert outsider.notifications.count() == 1  # kept, in case they rejoin
    assert client.get(f"/agendas/{agenda.pk}/geschiedenis/").status_code == 404


@pytest.mark.django_db
def test_notifications_are_paginated_newest_first(client, agenda, bob, victor):
    for n in range(27):
        mention(agenda, bob, f"@victor bericht {n}")
    client.force_login(victor)
    first = client.get("/meldingen/").content.decode()
    assert first.count('class="ka-notification ') == 25
    assert "Pagina 1 van 2" in first
    second = client.get("/meldingen/?page=2").content.decode()
    assert second.count('class="ka-notification ') == 2


# --- queries -----------------------------------------------------------------------------


def capture(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in context.captured_queries]


@pytest.mark.django_db
def test_the_list_uses_a_constant_number_of_queries(client, agenda, bob, victor):
    mention(agenda, bob, "@victor één")
    client.force_login(victor)
    small = capture(client, "/meldingen/")
    for n in range(20):
        mention(agenda, bob, f"@victor nog een {n}")
    first = Notification.objects.filter(recipient=victor).order_by("id").first()
    Notification.objects.filter(pk=first.pk).update(read_at="2026-01-01T00:00:00Z")
    large = capture(client, "/meldingen/")
    # session, user, groups (data-steward link), paginator count, the page of
    # notifications with event and actor, the unread count for the badge
    listing = "\n".join(small) + "\n\n" + "\n".join(large)
    assert len(small) == len(large) == 6, listing
    assert sum("activity_notification" in sql and "COUNT" in sql and "read_at" in sql for sql in large) == 1
