"""People are shown by name, never by username: on the pages, in the API, in e-mails and in letters.

One world with every role at work (a comment with a mention, a submitted review, published advice,
an approved decision with a released tranche and a progress report). Every username starts with
``gbn-`` and no e-mail address contains it, so any ``gbn-`` in what people see is a username shown.
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import GlobalRole, User
from activity.models import Delivery
from activity.notifications import delivery_send
from agendas import comments
from agendas.models import Comment
from funding import letters, monitoring
from reviews import services, workflow
from tests.factories import make_coalition
from tests.funding.factories import approved_decision, give_mandate
from tests.reviews.factories import complete_agenda, full_scores, make_round, submit

pytestmark = pytest.mark.django_db

TOKEN = "gbn-"


def person(username: str, full_name: str, role: str | None = None) -> User:
    user = User.objects.create_user(
        username=TOKEN + username, email=f"{full_name.split()[0].lower()}@example.org", full_name=full_name
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def world():
    people = {
        "coordinator": person("coord", "Anne de Vries"),
        "editor": person("editor", "Bram Jansen"),
        "viewer": person("viewer", "Chantal Bakker"),
        "chair": person("chair", "Frank Visser", GlobalRole.REVIEW_CHAIR),
        "reviewer": person("reviewer", "Esra Yilmaz", GlobalRole.REVIEWER),
        "proposer": person("proposer", "Gerda Mulder", GlobalRole.RIJK_OFFICIAL),
        "approver": person("approver", "Hasan El Amrani", GlobalRole.RIJK_OFFICIAL),
    }
    give_mandate(people["approver"])
    coordinator, chair, reviewer = people["coordinator"], people["chair"], people["reviewer"]
    coalition = make_coalition(coordinator=coordinator, editor=people["editor"], viewer=people["viewer"])

    agenda = complete_agenda(coalition, coordinator)
    comment = comments.comment_create(
        agenda=agenda, actor=coordinator, body=f"@{TOKEN}editor kijk jij naar de begroting?"
    )
    assert list(comment.mentions.all()) == [people["editor"]]
    submission = submit(agenda, coordinator, make_round(chair))
    assignment = services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
    services.advice_save(
        actor=chair, submission_id=submission.pk, outcome="positive", rationale="Goed plan.", conditions=""
    )

    decision = approved_decision(coalition, coordinator, chair, people["proposer"], people["approver"])
    first = decision.tranches.order_by("year").first()
    monitoring.tranche_release(actor=people["approver"], tranche_id=first.pk, verified=True)
    report = monitoring.progress_report_submit(
        actor=people["editor"],
        decision_id=decision.pk,
        year=first.year,
        indicators={},
        spending={},
        milestones="Gestart",
        explanation="Nog geen metingen.",
    )
    return {
        **people,
        "coalition": coalition,
        "agenda": agenda,
        "submission": submission,
        "assignment": assignment,
        "decision": decision,
        "report": report,
    }


def pages(world) -> dict[str, list[str]]:
    agenda, submission, decision = world["agenda"], world["submission"], world["decision"]
    slug, report = world["coalition"].slug, world["report"]
    coalition_pages = [
        reverse("agendas:detail", args=[agenda.pk]),
        reverse("agendas:history", args=[agenda.pk]),
        reverse("coalitions:detail", args=[slug]),
        reverse("coalitions:members", args=[slug]),
        reverse("reviews:submission", args=[submission.pk]),
        reverse("funding:decision", args=[decision.pk]),
        reverse("funding:report", args=[report.pk]),
        reverse("notifications:list"),
        reverse("tasks"),
        f"/api/v1/agendas/{agenda.pk}/revisions/",
        f"/api/v1/agendas/{agenda.pk}/endorsements/",
        f"/api/v1/decisions/{decision.pk}/",
        f"/api/v1/coalitions/{slug}/",
        "/api/v1/notifications/",
    ]
    return {
        "coordinator": coalition_pages,
        "editor": [
            reverse("agendas:detail", args=[agenda.pk]),
            reverse("notifications:list"),
            "/api/v1/notifications/",
        ],
        "chair": [
            reverse("reviews:submission", args=[submission.pk]),
            reverse("reviews:assignment", args=[world["assignment"].pk]),
            reverse("reviews:round", args=[submission.round_id]),
            reverse("reviews:advice", args=[submission.pk]),
            reverse("reviews:pool"),
            reverse("notifications:list"),
            reverse("tasks"),
            f"/api/v1/submissions/{submission.pk}/",
            "/api/v1/assignments/",
        ],
        "reviewer": [
            reverse("reviews:my-assignments"),
            reverse("reviews:assignment", args=[world["assignment"].pk]),
            reverse("notifications:list"),
            "/api/v1/assignments/",
        ],
        "approver": [
            reverse("funding:decision", args=[decision.pk]),
            reverse("funding:decisions"),
            reverse("funding:report", args=[report.pk]),
            reverse("notifications:list"),
            f"/api/v1/decisions/{decision.pk}/",
        ],
    }


def without_comment_sources(content: str) -> str:
    """The API's comment ``body`` is the text as written (for editing); ``body_html`` is what is shown."""
    data = json.loads(content)
    for item in data.get("results", data if isinstance(data, list) else []):
        if isinstance(item, dict):
            item.pop("body", None)
    return json.dumps(data, ensure_ascii=False)


def test_no_page_or_api_answer_shows_a_username(client, world):
    for role, urls in pages(world).items():
        client.force_login(world[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            content = response.content.decode()
            assert TOKEN not in content, f"{role} sees a username on {url}"
    client.logout()
    for url in (
        reverse("portal"),
        reverse("reviews:public-advice"),
        reverse("funding:decision", args=[world["decision"].pk]),
    ):
        assert TOKEN not in client.get(url).content.decode(), url


def test_a_mention_is_shown_by_name_on_the_page_and_in_the_api(client, world):
    client.force_login(world["viewer"])
    page = client.get(reverse("agendas:detail", args=[world["agenda"].pk])).content.decode()
    assert '<span class="ka-mention">@Bram Jansen</span> kijk jij naar de begroting?' in page
    assert f"@{TOKEN}editor" not in page
    data = client.get(f"/api/v1/agendas/{world['agenda'].pk}/comments/").json()
    (comment,) = data["results"] if isinstance(data, dict) else data
    assert "@Bram Jansen" in comment["body_html"] and TOKEN not in comment["body_html"]
    assert comment["body"] == f"@{TOKEN}editor kijk jij naar de begroting?"  # as written
    assert comment["author"] == "Anne de Vries"


def test_a_mention_of_somebody_outside_the_coalition_stays_as_written(world):
    # The service refuses an unknown mention now (tests/agendas/test_mentions.py); an older comment keeps it.
    comment = Comment.objects.create(agenda=world["agenda"], author=world["editor"], body="Vraag het @onbekend *nu*")
    assert comments.body_with_names(comment) == "Vraag het @onbekend *nu*"


def test_no_e_mail_shows_a_username(world):
    mail.outbox.clear()
    for delivery_id in Delivery.objects.values_list("pk", flat=True):
        delivery_send(delivery_id=delivery_id)
    assert len(mail.outbox) >= 5
    for message in mail.outbox:
        assert TOKEN not in message.subject + message.body, message.subject


def test_the_letters_name_the_officials_not_their_usernames(client, world, monkeypatch):
    html: list[str] = []
    monkeypatch.setattr(letters, "html_to_pdf", lambda text: html.append(text) or b"%PDF-")
    letters.letter_pdf(world["decision"])
    assert "Gerda Mulder" in html[0] and "Hasan El Amrani" in html[0]
    assert TOKEN not in html[0]


def test_every_demo_account_has_a_name(settings):
    from kansenagenda.demo import load_demo

    settings.DEBUG = True
    load_demo()
    assert User.objects.count() > 10
    assert list(User.objects.filter(full_name="").values_list("username", flat=True)) == []


def test_createsuperuser_asks_for_the_name():
    assert "full_name" in User.REQUIRED_FIELDS
