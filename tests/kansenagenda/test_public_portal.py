"""What the public reads, and what it never reads: every public page, API endpoint and export at once.

One world holds each kind of thing that must stay private next to the things
that are public:

* a draft agenda that was never submitted;
* a submission in a closed round that is not public, with published advice;
* a submission in a public round whose advice is drafted but not published;
* a submission in a public round with published advice and an approved decision (public);
* two more with published advice: one with a proposed decision, one with a rejected one;
* reviewers, a chair and officials with distinctive names;
* questions to the coalition with answers and attachments on the public,
  the closed-round and the unpublished submission, and a proposal never sent;
* signals to a ministry about the draft agenda: a public one with its answer, and one that is not public.

An anonymous visitor and a logged-in outsider (charlie: no coalition, no
role) walk every page, API endpoint and export. No response body may contain
a private title, advice text, review text, reviewer's or official's name, or
the reference or reasons of a decision that was not approved; the public items
must be there. The narrower rules are tested next to their views
(tests/reviews/test_review_api.py, tests/funding/test_funding_api.py, ...);
this is the sweep across all of them together.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from agendas.models import Agenda
from funding import services as funding_services
from funding.models import Programme
from funding.national import data_version
from reviews import services, workflow
from reviews.models import Assignment, Question, ReviewRound, Submission
from signals import services as signal_services
from signals.models import Ministry, MinistryOfficial
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.factories import make_user
from tests.funding.factories import give_mandate, make_programme
from tests.reviews.factories import answer, ask, full_scores, make_round, submit, upload
from tests.reviews.factories import propose as propose_question

pytestmark = pytest.mark.django_db

PUBLIC_TITLE = "Agenda Openbare Ooievaar"
PUBLIC_ADVICE = "Openbaar oordeel over de ooievaar"
PROPOSED_TITLE = "Agenda Openbare Zwaluw"
REJECTED_TITLE = "Agenda Openbare Merel"

# Never in any response to the public.
DRAFT_TITLE = "Conceptagenda Zilvermeeuw"
CLOSED_ROUND_TITLE = "Agenda Besloten Kraanvogel"
CLOSED_ROUND_ADVICE = "Oordeel besloten ronde lepelaar"
UNPUBLISHED_TITLE = "Agenda Wachtende Roerdomp"
UNPUBLISHED_ADVICE = "Conceptoordeel grutto nog geheim"
REVIEW_SUMMARY = "Beoordelingssamenvatting ijsvogel"
PROPOSAL_CONDITIONS = "Voorwaarde voorstel tureluur"
REJECTION_REASON = "Afwijzingsreden wulp"
# The review's questions to the coalition (reviews.questions): public with published advice in a public round.
PUBLIC_QUESTION = "Openbare vraag over de ooievaarsnesten"
PUBLIC_ANSWER = "Openbaar antwoord over de nesten"
QUESTIONS = {
    PUBLIC_TITLE: (PUBLIC_QUESTION, PUBLIC_ANSWER),
    CLOSED_ROUND_TITLE: ("Vraag besloten ronde scholekster", "Antwoord besloten ronde scholekster"),
    UNPUBLISHED_TITLE: ("Vraag wachtend advies tapuit", "Antwoord wachtend advies tapuit"),
}
# A reviewer's proposal the chair never sent: for nobody but the two of them, ever.
UNSENT_PROPOSAL = "Voorstel nooit verstuurd kwartelkoning"
# Signals: the public one with its answer is public; the other, its text and its reason never are.
PUBLIC_SIGNAL = "Signaal Openbare Grutto"
SIGNAL_ANSWER = "Antwoord over de grutto"
HIDDEN_SIGNAL = "Signaal Besloten Lepelaar"
HIDDEN_SIGNAL_REASON = "Reden besloten lepelaar"
PEOPLE = {
    # username: full name
    "recensent-zq7": "Quirina Zwaanswijk",
    "recensent-kx4": "Korneel Xanderbeek",
    "voorzitter-vq3": "Vera Quakkelaar",
    "ambtenaar-pj8": "Pieter Jolmerhuis",
    "ambtenaar-wy2": "Wanda Ypmaringen",
}


def person(username: str, role: str):
    user = make_user(username, role=role)
    user.full_name = PEOPLE[username]
    user.save(update_fields=["full_name"])
    return user


def agenda_titled(coalition, coordinator, title: str) -> Agenda:
    """An agenda that passes the completeness rules (asks the Rijk 100.000 in 2026)."""
    agenda = make_agenda(coalition, coordinator, title=title)
    make_measure(agenda, make_priority(agenda, coordinator), coordinator)
    return agenda


def reviewed(agenda, coordinator, review_round, *, chair, reviewers) -> Submission:
    """Submitted through the workflow, in review, with a submitted review by each reviewer."""
    submission = submit(agenda, coordinator, review_round)
    for reviewer in reviewers:
        services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    for reviewer in reviewers:
        assignment = submission.assignments.get(reviewer=reviewer)
        services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
        services.review_save(
            actor=reviewer,
            assignment_id=assignment.pk,
            scores=full_scores(submission),
            summary=f"{REVIEW_SUMMARY} ({reviewer.username})",
            submit=True,
        )
    if agenda.title in QUESTIONS:
        question, reply = QUESTIONS[agenda.title]
        asked = ask(chair, submission, question, days=0)
        answer(coordinator, asked, reply, attachment=upload(f"bijlage-{submission.pk}.pdf"))
        propose_question(reviewers[0], submission, UNSENT_PROPOSAL)
    return submission


def advised(agenda, coordinator, review_round, *, chair, reviewers, rationale: str) -> Submission:
    submission = reviewed(agenda, coordinator, review_round, chair=chair, reviewers=reviewers)
    services.advice_save(actor=chair, submission_id=submission.pk, outcome="positive", rationale=rationale)
    services.advice_publish(actor=chair, submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ADVISED
    return submission


def propose(submission, programme, proposer, **fields):
    return funding_services.decision_propose(
        actor=proposer,
        submission_id=submission.pk,
        programme_id=programme.pk,
        amount_awarded=100_000,
        tranches={2026: 60_000, 2027: 40_000},
        **fields,
    )


@pytest.fixture
def world(coalition, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    chair = person("voorzitter-vq3", "review_chair")
    reviewers = [person("recensent-zq7", "reviewer"), person("recensent-kx4", "reviewer")]
    proposer = person("ambtenaar-pj8", "rijk_official")
    approver = person("ambtenaar-wy2", "rijk_official")
    give_mandate(approver)
    programme = make_programme(proposer)
    public_round = make_round(chair, name="Openbare ronde 2027")
    closed_round = make_round(chair, name="Besloten ronde 2027", is_public=False)

    draft = agenda_titled(coalition, alice, DRAFT_TITLE)

    closed = advised(
        agenda_titled(coalition, alice, CLOSED_ROUND_TITLE),
        alice,
        closed_round,
        chair=chair,
        reviewers=reviewers,
        rationale=CLOSED_ROUND_ADVICE,
    )
    ReviewRound.objects.filter(pk=closed_round.pk).update(status=ReviewRound.Status.CLOSED)

    unpublished = reviewed(
        agenda_titled(coalition, alice, UNPUBLISHED_TITLE), alice, public_round, chair=chair, reviewers=reviewers
    )
    services.advice_save(actor=chair, submission_id=unpublished.pk, outcome="positive", rationale=UNPUBLISHED_ADVICE)

    def public(title: str) -> Submission:
        agenda = agenda_titled(coalition, alice, title)
        return advised(agenda, alice, public_round, chair=chair, reviewers=reviewers, rationale=PUBLIC_ADVICE)

    published = public(PUBLIC_TITLE)
    approved = propose(published, programme, proposer)
    funding_services.decision_approve(actor=approver, decision_id=approved.pk, verified=True)
    proposed = propose(public(PROPOSED_TITLE), programme, proposer, conditions=PROPOSAL_CONDITIONS)
    rejected = propose(public(REJECTED_TITLE), programme, proposer)
    funding_services.decision_reject(actor=approver, decision_id=rejected.pk, reason=REJECTION_REASON)

    assert Assignment.objects.filter(status=Assignment.Status.SUBMITTED).count() == 2 * 5

    # Signals about the draft agenda, answered by an official with a distinctive name.
    ministry = Ministry.objects.create(name="Ministerie van Openbaarheid", abbreviation="MvO", slug="mvo")
    MinistryOfficial.objects.create(ministry=ministry, user=proposer)
    public_signal, hidden_signal = (
        signal_services.signal_file(
            actor=alice,
            agenda_id=draft.pk,
            ministry_id=ministry.pk,
            title=title,
            body=f"{title}: wat blokkeert",
            kind="rule",
            priority_id=draft.priorities.get().pk,
            is_public=reason == "",
            not_public_reason=reason,
        )
        for title, reason in ((PUBLIC_SIGNAL, ""), (HIDDEN_SIGNAL, HIDDEN_SIGNAL_REASON))
    )
    signal_services.signal_answer(actor=proposer, signal_id=public_signal.pk, outcome="accepted", text=SIGNAL_ANSWER)
    signal_services.signal_acknowledge(actor=proposer, signal_id=hidden_signal.pk)
    return {
        "public_signal": public_signal,
        "hidden_signal": hidden_signal,
        "draft": draft,
        "closed": closed,
        "unpublished": unpublished,
        "published": published,
        "approved": approved,
        "proposed": proposed,
        "rejected": rejected,
        "coalition": coalition,
    }


def secrets(world) -> list[str]:
    private = [
        DRAFT_TITLE,
        CLOSED_ROUND_TITLE,
        CLOSED_ROUND_ADVICE,
        UNPUBLISHED_TITLE,
        UNPUBLISHED_ADVICE,
        REVIEW_SUMMARY,
        PROPOSAL_CONDITIONS,
        REJECTION_REASON,
        UNSENT_PROPOSAL,
        *QUESTIONS[CLOSED_ROUND_TITLE],
        *QUESTIONS[UNPUBLISHED_TITLE],
        world["proposed"].reference,
        world["rejected"].reference,
        HIDDEN_SIGNAL,
        HIDDEN_SIGNAL_REASON,
        world["hidden_signal"].reference,
    ]
    for username, full_name in PEOPLE.items():
        private += [username, full_name, f"{username}@example.org"]
    return [s.lower() for s in private]


def body_text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return "\n".join(cells)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8-sig", "replace")


def national_map_url() -> str:
    """The map of the national picture at its current address (funding.national_views.map_url)."""
    return f"{reverse('funding:national-map')}?v={data_version(Programme.objects.all())}&taal=nl"


def pages(world) -> dict[str, list[str]]:
    """Every page and export the public may open, with what must be on it."""
    published, approved = world["published"], world["approved"]
    region = published.snapshot["region"]["code"]
    return {
        reverse("home"): [],
        reverse("portal"): [PUBLIC_TITLE, PROPOSED_TITLE, REJECTED_TITLE, approved.reference],
        reverse("reviews:public-advice"): [PUBLIC_TITLE, PROPOSED_TITLE, REJECTED_TITLE],
        reverse("reviews:submission", args=[published.pk]): [
            PUBLIC_TITLE,
            PUBLIC_ADVICE,
            approved.reference,
            PUBLIC_QUESTION,
            PUBLIC_ANSWER,
        ],
        reverse("reviews:question-attachment", args=[question_of(published).pk]): ["%PDF-"],
        reverse("funding:decisions"): [approved.reference],
        reverse("funding:decision", args=[approved.pk]): [approved.reference, PUBLIC_TITLE],
        reverse("funding:programmes"): [],
        reverse("funding:national"): [],
        reverse("funding:national") + f"?theme=&goal=&programme={approved.programme_id}": [],
        # the national map (an SVG of its own, at the address the page names): every municipality by name
        national_map_url(): ["Groningen: ", "Pekela: "],
        reverse("funding:export-csv"): [approved.reference],
        reverse("funding:export-xlsx"): [approved.reference],
        # the region's public record: its published advice and approved decisions, nothing else
        reverse("regions:detail", args=[region]): [PUBLIC_TITLE, PROPOSED_TITLE, approved.reference],
        reverse("regions:list"): [],
        reverse("goals:list"): [],
        reverse("signals:public-list"): [PUBLIC_SIGNAL],
        reverse("signals:public-detail", args=[world["public_signal"].pk]): [PUBLIC_SIGNAL, SIGNAL_ANSWER],
        reverse("signals:export-csv"): [PUBLIC_SIGNAL, SIGNAL_ANSWER],
        # the regiotoets register (its own sweep with entries and responses: tests/regiotoets/test_public_leaks.py)
        reverse("regiotoets:list"): [],
        reverse("regiotoets:export-csv"): [],
        reverse("regiotoets:map"): [],
    }


def api_endpoints(world) -> dict[str, list[str]]:
    published, approved = world["published"], world["approved"]
    return {
        "/api/v1/submissions/": [PUBLIC_TITLE, PROPOSED_TITLE, REJECTED_TITLE],
        f"/api/v1/submissions/{published.pk}/": [PUBLIC_TITLE, PUBLIC_ADVICE],
        f"/api/v1/submissions/{published.pk}/advice/": [PUBLIC_ADVICE],
        f"/api/v1/submissions/{published.pk}/questions/": [PUBLIC_QUESTION, PUBLIC_ANSWER],
        f"/api/v1/questions/{question_of(published).pk}/": [PUBLIC_QUESTION],
        f"/api/v1/questions/{question_of(published).pk}/attachment/": ["%PDF-"],
        "/api/v1/decisions/": [approved.reference, PUBLIC_TITLE],
        f"/api/v1/decisions/{approved.pk}/": [approved.reference, PUBLIC_TITLE],
        "/api/v1/national/": [],
        f"/api/v1/national/?programme={approved.programme_id}": [],
        "/api/v1/programmes/": [],
        f"/api/v1/programmes/{approved.programme_id}/": [],
        "/api/v1/signals/": [PUBLIC_SIGNAL, SIGNAL_ANSWER],
        f"/api/v1/signals/{world['public_signal'].pk}/": [PUBLIC_SIGNAL, SIGNAL_ANSWER],
        "/api/v1/regiotoets/": [],
        "/api/v1/ministries/": [],
    }


def hidden(world) -> list[str]:
    """Pages and endpoints of private things: a 404 for the public (or a login for anonymous visitors)."""
    urls = []
    for key in ("closed", "unpublished"):
        pk = world[key].pk
        urls += [
            reverse("reviews:submission", args=[pk]),
            f"/api/v1/submissions/{pk}/",
            f"/api/v1/submissions/{pk}/advice/",
            f"/api/v1/submissions/{pk}/questions/",
        ]
    # Every question that is not public: those of the closed and unpublished ones, and every proposal.
    public_question = question_of(world["published"])
    for question in Question.objects.exclude(pk=public_question.pk):
        urls += [
            reverse("reviews:question-attachment", args=[question.pk]),
            f"/api/v1/questions/{question.pk}/",
            f"/api/v1/questions/{question.pk}/attachment/",
        ]
    for key in ("proposed", "rejected"):
        pk = world[key].pk
        urls += [
            reverse("funding:decision", args=[pk]),
            reverse("funding:letter", args=[pk]),
            f"/api/v1/decisions/{pk}/",
            f"/api/v1/decisions/{pk}/letter/",
        ]
    for agenda in (world["draft"], world["closed"].agenda, world["unpublished"].agenda):
        urls += [
            reverse("agendas:detail", args=[agenda.pk]),
            reverse("agendas:history", args=[agenda.pk]),
            reverse("agendas:export-pdf", args=[agenda.pk]),
            reverse("agendas:export-csv", args=[agenda.pk]),
            f"/api/v1/agendas/{agenda.pk}/",
            f"/api/v1/agendas/{agenda.pk}/revisions/",
        ]
    for assignment in Assignment.objects.all():
        urls += [reverse("reviews:assignment", args=[assignment.pk]), f"/api/v1/assignments/{assignment.pk}/"]
    hidden_signal = world["hidden_signal"].pk
    urls += [
        reverse("signals:public-detail", args=[hidden_signal]),
        reverse("signals:detail", args=[hidden_signal]),
        f"/api/v1/signals/{hidden_signal}/",
    ]
    return urls


def question_of(submission) -> Question:
    """The submission's sent (and answered) question."""
    return Question.objects.get(submission=submission, status=Question.Status.ANSWERED)


def for_outsider_only() -> dict[str, list[str]]:
    """Pages and endpoints that need a login: charlie sees them, with nothing of anyone else in them."""
    return {
        reverse("reviews:rounds"): [],
        reverse("reviews:my-assignments"): [],
        reverse("agendas:list"): [],
        reverse("coalitions:list"): [],
        reverse("notifications:list"): [],
        "/api/v1/agendas/": [],
        "/api/v1/rounds/": [],
        "/api/v1/assignments/": [],
        "/api/v1/notifications/": [],
        "/api/v1/coalitions/": [],
        "/api/v1/organisations/": [],
        reverse("signals:index"): [],
    }


def clients(charlie):
    anonymous_page, anonymous_api = Client(), APIClient()
    outsider_page, outsider_api = Client(), APIClient()
    outsider_page.force_login(charlie)
    outsider_api.force_login(charlie)
    return {"anonymous": (anonymous_page, anonymous_api), "charlie": (outsider_page, outsider_api)}


@pytest.mark.parametrize("who", ["anonymous", "charlie"])
def test_the_public_reads_what_is_public_and_nothing_private(world, charlie, who):
    page_client, api_client = clients(charlie)[who]
    private = secrets(world)
    readable = {**pages(world), **api_endpoints(world)}
    if who == "charlie":
        readable.update(for_outsider_only())
    for url, expected in readable.items():
        client = api_client if url.startswith("/api/") else page_client
        response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        text = body_text(response)
        for item in expected:
            assert item in text, (who, url, item)
        lowered = text.lower()
        for secret in private:
            assert secret not in lowered, (who, url, secret)


@pytest.mark.parametrize("who", ["anonymous", "charlie"])
def test_private_things_are_not_found_by_the_public(world, charlie, who):
    page_client, api_client = clients(charlie)[who]
    private = secrets(world)
    for url in hidden(world):
        client = api_client if url.startswith("/api/") else page_client
        response = client.get(url)
        if who == "anonymous":
            # Pages behind a login send the visitor there; the API answers 401/403 or 404.
            assert response.status_code in (302, 401, 403, 404), (url, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith(reverse("login")), url
        else:
            assert response.status_code in (403, 404), (url, response.status_code)
        lowered = body_text(response).lower()
        for secret in private:
            assert secret not in lowered, (who, url, secret)


def test_the_api_lists_only_the_public_submissions_and_the_approved_decision(world, charlie):
    for client in clients(charlie)["anonymous"][1], clients(charlie)["charlie"][1]:
        titles = {row["title"] for row in client.get("/api/v1/submissions/").json()["results"]}
        assert titles == {PUBLIC_TITLE, PROPOSED_TITLE, REJECTED_TITLE}
        decisions = client.get("/api/v1/decisions/").json()["results"]
        assert [row["reference"] for row in decisions] == [world["approved"].reference]
        # Asking for the hidden ones by status changes nothing for the public.
        for status in ("proposed", "rejected"):
            assert client.get("/api/v1/decisions/", {"status": status}).json()["results"] == []
        assert client.get("/api/v1/submissions/", {"status": "in_review"}).json()["results"] == []
