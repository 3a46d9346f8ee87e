"""User text never becomes markup: no script, event handler or javascript: link reaches a page.

Every text field of an agenda (and a comment) holds a payload; every page
that shows the agenda is parsed as HTML and checked for what the browser
would execute. Checking the parsed tags, not the raw string, matters: the
escaped payload legitimately contains the letters "onerror=alert".
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from agendas import services
from agendas.comments import comment_create
from goals.models import Goal
from tests.agendas.factories import make_agenda, make_measure, make_priority

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(1)">klik</a><svg onload=alert(1)></svg>'
    '[md-link](javascript:alert(1)) <iframe src="https://example.com"></iframe>'
)


class ActiveContent(HTMLParser):
    """Collects what a browser would run: inline scripts, handlers, javascript: URLs, frames."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append(f"inline script {attrs}")
        if tag in {"iframe", "object", "embed"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.fixture
def hostile_agenda(coalition, alice):
    agenda = make_agenda(coalition, alice, title="Agenda " + PAYLOAD[:150], summary=PAYLOAD, vision=PAYLOAD)
    goal = Goal.objects.get(catalogue="sdg", code="3")
    link = services.GoalLinkInput(goal_id=goal.pk, contribution=PAYLOAD[:400])
    priority = make_priority(agenda, alice, title="Prio " + PAYLOAD[:150], description=PAYLOAD, goal_links=[link])
    measure = make_measure(agenda, priority, alice, title="Maatregel " + PAYLOAD[:150], description=PAYLOAD)
    services.measure_update(
        measure_id=measure.pk,
        actor=alice,
        base_version=measure.version,
        data=services.MeasureInput(
            priority_id=priority.pk,
            title="Gewijzigd " + PAYLOAD[:150],
            description=PAYLOAD + " gewijzigd",
            lead_organisation_id=measure.lead_organisation_id,
            start_year=measure.start_year,
            end_year=measure.end_year,
            budget={(measure.start_year, "rijk"): 1},
            goal_links=[link],
        ),
    )
    comment_create(agenda=agenda, actor=alice, body=PAYLOAD + " @bob")
    comment_create(agenda=agenda, actor=alice, body=PAYLOAD, priority=priority)
    return agenda, priority, measure


def test_no_page_runs_user_text(client, alice, bob, hostile_agenda):
    agenda, priority, measure = hostile_agenda
    last = agenda.revisions.order_by("-number").first().number
    urls = [
        reverse("agendas:list"),
        reverse("agendas:detail", args=[agenda.pk]),
        reverse("agendas:header", args=[agenda.pk]),
        reverse("agendas:priority", args=[agenda.pk, priority.pk]),
        reverse("agendas:priority-edit", args=[agenda.pk, priority.pk]),
        reverse("agendas:measure", args=[agenda.pk, measure.pk]),
        reverse("agendas:history", args=[agenda.pk]),
        reverse("agendas:compare", args=[agenda.pk]) + f"?van=1&tot={last}",
        reverse("coalitions:detail", args=[agenda.coalition.slug]),
    ]
    for user in (alice,):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert active_content(response.content.decode()) == [], url
    client.force_login(bob)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert active_content(response.content.decode()) == []


def test_the_api_returns_text_as_written(client, alice, hostile_agenda):
    """The API is not a page: it returns the text as stored; clients escape it."""
    agenda, _, _ = hostile_agenda
    client.force_login(alice)
    data = client.get(f"/api/v1/agendas/{agenda.pk}/").json()
    assert data["vision"] == PAYLOAD


def test_the_parser_would_catch_markup(client):
    """The check above can fail: unescaped payload is reported."""
    assert len(active_content(PAYLOAD)) >= 4
