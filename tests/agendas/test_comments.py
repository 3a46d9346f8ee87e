"""Comments on an agenda or a priority: POST /agendas/<pk>/reacties/ and the comments block.

Every member may comment (viewers too: a comment changes nothing in the
agenda); everyone else gets a 404. Mentioning a coalition member with
@username notifies them; mentioning anyone else notifies nobody.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.html import escape

from accounts.models import GlobalRole
from activity.models import Notification
from agendas import selectors
from agendas.models import COMMENT_MAX, Comment
from tests.agendas.factories import make_agenda, make_priority
from tests.factories import make_user

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


def comment_url(agenda) -> str:
    return f"/agendas/{agenda.pk}/reacties/"


def render_comments(agenda, user, *, priority=None, can_comment=True) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "agendas/includes/comments.html",
        {
            "agenda": agenda,
            "priority": priority,
            "comments": selectors.agenda_comments(agenda, priority),
            "can_comment": can_comment,
        },
        request=request,
    )


# --- access ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [None, GlobalRole.RIJK_OFFICIAL, GlobalRole.REVIEWER, GlobalRole.REVIEW_CHAIR, GlobalRole.DATA_STEWARD]
)
def test_it_answers_404_to_people_outside_the_coalition(client, agenda, role):
    client.force_login(make_user("outsider", role=role))
    response = client.post(comment_url(agenda), {"body": "Mag ik meepraten?"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_it_answers_404_to_charlie(client, agenda, charlie):
    client.force_login(charlie)
    assert client.post(comment_url(agenda), {"body": "Hallo"}).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, agenda):
    response = client.post(comment_url(agenda), {"body": "Hallo"})
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_it_only_accepts_post(client, agenda, alice):
    client.force_login(alice)
    assert client.get(comment_url(agenda)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["alice", "bob", "victor"])
def test_every_member_may_comment_on_the_agenda(client, agenda, member, alice, bob, victor):
    user = {"alice": alice, "bob": bob, "victor": victor}[member]
    client.force_login(user)
    response = client.post(comment_url(agenda), {"body": "Goed plan!"})
    assert response.status_code == 302
    assert response.url == f"/agendas/{agenda.pk}/#reacties"
    comment = Comment.objects.get()
    assert (comment.author, comment.body, comment.priority) == (user, "Goed plan!", None)
    assert [m.message for m in get_messages(response.wsgi_request)] == ["Uw reactie is geplaatst."]


@pytest.mark.django_db
def test_a_comment_on_a_priority_goes_back_to_the_priority(client, agenda, alice, victor):
    priority = make_priority(agenda, alice)
    client.force_login(victor)
    response = client.post(comment_url(agenda), {"body": "Ook ouderen?", "priority": str(priority.pk)})
    assert response.url == f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/#reacties"
    assert Comment.objects.get().priority == priority


@pytest.mark.django_db
def test_a_priority_of_another_agenda_is_not_found(client, coalition, agenda, alice):
    other = make_agenda(coalition, alice, title="Andere agenda")
    foreign = make_priority(other, alice)
    client.force_login(alice)
    assert client.post(comment_url(agenda), {"body": "Hallo", "priority": str(foreign.pk)}).status_code == 404
    assert client.post(comment_url(agenda), {"body": "Hallo", "priority": "abc"}).status_code == 404
    assert not Comment.objects.exists()


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Schrijf eerst een reactie."),
        ("   \n ", "Schrijf eerst een reactie."),
        ("@victor " + "x" * COMMENT_MAX, f"Maximaal {COMMENT_MAX} tekens."),
    ],
)
def test_it_saves_nothing_for_an_empty_or_too_long_comment_and_says_why_at_the_box(
    client, agenda, bob, victor, body, error
):
    client.force_login(bob)
    response = client.post(comment_url(agenda), {"body": body})
    # The agenda page again, with the message at the comment box and the text kept.
    assert response.status_code == 200
    assert response.templates[0].name == "agendas/agenda_detail.html"
    html = response.content.decode()
    box = html.split('id="reacties"')[1]
    assert f"</span>{error}</p>" in box
    assert 'aria-invalid="true"' in box and 'aria-describedby="id_comment_body_helptext id_comment_body_error"' in box
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


# --- mentions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_mentioning_a_member_notifies_them_and_only_them(client, agenda, alice, bob, victor, charlie):
    client.force_login(bob)
    client.post(comment_url(agenda), {"body": "Wat vind jij, @victor? En @Alice, wat vind jij? Mail bob@example.org."})
    notifications = list(Notification.objects.select_related("event").order_by("recipient__username"))
    assert [(n.recipient, n.event.verb) for n in notifications] == [
        (alice, "comment.mentioned"),
        (victor, "comment.mentioned"),
    ]
    assert notifications[0].read_at is None
    assert set(Comment.objects.get().mentions.all()) == {alice, victor}


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["@charlie kijk eens", "Vraag het @niemand", "@victor en @vicotr"])
def test_mentioning_anyone_but_a_member_is_an_error_at_the_box(client, agenda, bob, charlie, body):
    client.force_login(bob)
    response = client.post(comment_url(agenda), {"body": body})
    assert response.status_code == 200
    box = response.content.decode().split('id="reacties"')[1]
    assert "Onbekende vermelding: @" in box
    assert f">{escape(body)}</textarea>" in box  # kept, to correct
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_error_names_every_unknown_mention_once(client, agenda, bob):
    client.force_login(bob)
    response = client.post(comment_url(agenda), {"body": "@Onbekend, @onbekend en @ander; @victor"})
    assert "Onbekende vermelding: @onbekend, @ander. Noem alleen leden van de coalitie" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_comment_on_a_priority_shows_the_priority_page_again(client, agenda, alice, bob):
    priority = make_priority(agenda, alice, title="Werk")
    client.force_login(bob)
    response = client.post(comment_url(agenda), {"body": "@niemand?", "priority": priority.pk})
    assert response.status_code == 200
    assert response.templates[0].name == "agendas/priority_detail.html"
    assert "Onbekende vermelding: @niemand." in response.content.decode()
    assert f'<input type="hidden" name="priority" value="{priority.pk}">' in response.content.decode()


# --- the comments block ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_block_lists_comments_and_offers_the_form(agenda, alice, bob, victor, client):
    client.force_login(bob)
    client.post(comment_url(agenda), {"body": "Eerste **reactie**"})
    html = render_comments(agenda, victor)
    assert 'id="reacties"' in html
    assert "Bob" in html
    assert "Eerste <strong>reactie</strong>" in html
    assert '<label class="utrecht-form-label" for="id_comment_body">Uw reactie</label>' in html
    assert "Typ @ en een naam om iemand van de coalitie te noemen; die krijgt een melding." in html
    assert f'data-mentions-url="/agendas/{agenda.pk}/reacties/leden/"' in html
    assert f'action="/agendas/{agenda.pk}/reacties/"' in html
    assert 'name="priority"' not in html


@pytest.mark.django_db
def test_the_block_without_permission_to_comment_has_no_form(agenda, alice):
    html = render_comments(agenda, alice, can_comment=False)
    assert "Nog geen reacties." in html
    assert "<form" not in html


@pytest.mark.django_db
def test_the_block_of_a_priority_posts_the_priority(agenda, alice, client):
    priority = make_priority(agenda, alice, title="Werk")
    client.force_login(alice)
    client.post(comment_url(agenda), {"body": "Over werk", "priority": priority.pk})
    client.post(comment_url(agenda), {"body": "Over de hele agenda"})
    on_priority = render_comments(agenda, alice, priority=priority)
    assert f'<input type="hidden" name="priority" value="{priority.pk}">' in on_priority
    assert "Over werk" in on_priority and "Over de hele agenda" not in on_priority
    # On the agenda page, a comment on a priority says which one.
    on_agenda = render_comments(agenda, alice)
    assert "over prioriteit “Werk”" in on_agenda


@pytest.mark.django_db
def test_comment_bodies_are_sanitised(client, agenda, bob, alice):
    client.force_login(bob)
    client.post(comment_url(agenda), {"body": " ".join(XSS) + " [klik](javascript:alert(1))"})
    html = render_comments(agenda, alice)
    for attack in XSS:
        assert attack not in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    # the comment is stored as written; only the page is cleaned
    assert Comment.objects.get().body.startswith(XSS[0])


@pytest.mark.django_db
def test_author_names_are_escaped(client, agenda, bob, alice):
    bob.full_name = XSS[1]
    bob.save(update_fields=["full_name"])
    client.force_login(bob)
    client.post(comment_url(agenda), {"body": "Hallo"})
    html = render_comments(agenda, alice)
    assert XSS[1] not in html
    assert escape(XSS[1]) in html


@pytest.mark.django_db
def test_comments_on_the_agenda_and_priority_pages_end_to_end(client, agenda, alice, bob, victor):
    """Through the real pages: the comment is listed, sanitised, with the form and its hint."""
    priority = make_priority(agenda, alice)
    client.force_login(victor)
    client.post(comment_url(agenda), {"body": f"Agenda {XSS[0]}"})
    client.post(comment_url(agenda), {"body": f"Prioriteit {XSS[1]}", "priority": priority.pk})
    for url, text, other in (
        (f"/agendas/{agenda.pk}/", "Agenda", "Prioriteit "),
        (f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/", "Prioriteit", "Agenda "),
    ):
        content = client.get(url).content.decode()
        section = content.split('id="reacties"')[1]
        assert f"<p>{text}" in section and f"<p>{other}" not in section
        assert "Typ @ en een naam om iemand van de coalitie te noemen; die krijgt een melding." in section
        for attack in XSS:
            assert attack not in content
