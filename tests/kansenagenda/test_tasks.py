"""Mijn taken: per role the right tasks appear, and nobody sees anyone else's.

The tasks come from every app's provider (``core.worklist``); these tests go
through ``tasks_for`` for the rules and through the page and the API for what
a person sees. Every role has its outsider: charlie (logged in, no role)
sees nothing, a reviewer never sees another's assignment, an official never
their own proposal as awaiting a second official.
"""

from __future__ import annotations

import datetime

import pytest
from django.http import HttpRequest
from django.utils import timezone

from agendas.selectors import agenda_document, agenda_queryset
from coalitions.models import CoalitionMembership
from core.worklist import Task, group_by_role, tasks_for
from funding import amendments, monitoring
from funding import services as funding_services
from invitations import services as invitation_services
from invitations.models import Invitation
from regions.models import ImportJob
from reviews import services as review_services
from reviews import workflow
from reviews.models import Assignment
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.factories import PASSWORD, make_coalition, make_user
from tests.funding.factories import advised_submission, approved_decision, give_mandate, make_programme
from tests.reviews.factories import complete_agenda, endorse_all, full_scores, make_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def kinds(user) -> list[str]:
    return [task.kind for task in tasks_for(user)]


def of_kind(user, kind: str) -> list[Task]:
    return [task for task in tasks_for(user) if task.kind == kind]


def reviewer(name: str = "reviewer1"):
    return make_user(name, role="reviewer")


# --- the task itself -----------------------------------------------------------------------------


def task(due=None, role_label="Beoordelaar", title="T"):
    return Task(role="r", role_label=role_label, kind="k", title=title, url="/", due=due)


def test_a_task_says_how_many_days_are_left_or_how_late_it_is():
    today = timezone.localdate()
    assert task(today + datetime.timedelta(days=3)).due_label == "nog 3 dagen"
    assert task(today + datetime.timedelta(days=1)).due_label == "nog 1 dag"
    assert task(today).due_label == "vandaag"
    assert not task(today).overdue
    late = task(today - datetime.timedelta(days=2))
    assert (late.due_label, late.overdue, late.days_left) == ("2 dagen te laat", True, -2)
    assert (task().due_label, task().overdue, task().days_left) == ("", False, None)


def test_tasks_are_sorted_by_due_date_with_undated_ones_last_then_by_role():
    from core.worklist import sort_key

    today = timezone.localdate()
    later = task(today + datetime.timedelta(days=5), "A")
    soon_b, soon_a = task(today, "B"), task(today, "A")
    undated = task(None, "A")
    assert sorted([undated, later, soon_b, soon_a], key=sort_key) == [soon_a, soon_b, later, undated]
    assert [label for label, _ in group_by_role([soon_b, soon_a, later])] == ["B", "A"]


# --- login and the page --------------------------------------------------------------------------


def test_login_lands_on_my_tasks(client, alice):
    response = client.post("/account/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/mijn-taken/"


def test_the_page_needs_a_login_and_the_menu_shows_it_first(client, charlie):
    assert client.get("/mijn-taken/").url.startswith("/account/login/")
    assert client.get("/api/v1/me/tasks/").status_code in (401, 403)
    assert "Mijn taken" not in client.get("/").content.decode()
    client.force_login(charlie)
    content = client.get("/").content.decode()
    assert content.index('href="/mijn-taken/"') < content.index('href="/openbaar/"')


def test_someone_without_tasks_is_told_so_and_pointed_onward(client, charlie):
    client.force_login(charlie)
    response = client.get("/mijn-taken/")
    content = response.content.decode()
    assert response.context["tasks"] == []
    assert "Er wacht nu niets op u." in content
    assert 'href="/meldingen/"' in content
    assert 'aria-current="page">Mijn taken<' in content
    assert client.get("/api/v1/me/tasks/").json() == []


# --- coordinators ----------------------------------------------------------------------------------


def test_a_coordinator_without_an_agenda_is_asked_to_start_one(coalition, alice, bob, charlie):
    (start,) = of_kind(alice, "agenda.start")
    assert start.url == f"/agendas/nieuw/{coalition.slug}/"
    assert start.context == coalition.name
    assert "agenda.start" not in kinds(bob)  # an editor
    assert tasks_for(charlie) == []


def test_a_coordinator_sees_the_organisations_nobody_represents(coalition, alice, bob):
    organisations = list(coalition.organisations.order_by("name"))
    represented = {m.organisation_id for m in CoalitionMembership.objects.filter(coalition=coalition)}
    missing = [o for o in organisations if o.pk not in represented]
    assert missing  # the coalition has more member organisations than represented ones
    (found,) = of_kind(alice, "coalition.representatives")
    assert found.url == f"/coalities/{coalition.slug}/leden/"
    assert str(len(missing)) in found.title
    assert missing[0].name in found.detail
    assert "coalition.representatives" not in kinds(bob)


def test_a_draft_says_what_is_missing_before_submitting(coalition, alice, chair):
    review_round = make_round(chair)
    agenda = make_agenda(coalition, alice, summary="")
    make_priority(agenda, alice, title="Zonder maatregel", description="")
    with_measure = make_priority(agenda, alice, title="Met maatregel", goal_links=[], targets=[])
    make_measure(agenda, with_measure, alice, description="", budget={})
    (draft,) = of_kind(alice, "agenda.submit")
    # The same count as the editor's own list of what is missing.
    gaps = len(agenda_document(agenda_queryset().get(pk=agenda.pk)).gaps)
    assert gaps >= 7
    assert f"nog {gaps} punten onvolledig" in draft.detail
    assert "zonder vertegenwoordiger" in draft.detail
    assert "nog geen instemming van" in draft.detail
    assert draft.due == review_round.submission_deadline
    assert draft.url == f"/agendas/{agenda.pk}/#indienen"
    assert "niet klaar" in draft.title
    assert "agenda.start" not in kinds(alice)


def test_the_gap_count_is_the_editors_gap_count(coalition, alice, chair):
    agenda = complete_agenda(coalition, alice)
    (draft,) = of_kind(alice, "agenda.submit")
    assert "onvolledig" not in draft.detail
    assert agenda_document(agenda_queryset().get(pk=agenda.pk)).gaps == []


def test_a_complete_endorsed_draft_is_ready_to_submit(coalition, alice, chair):
    review_round = make_round(chair)
    agenda = complete_agenda(coalition, alice)
    endorse_all(agenda)
    (ready,) = of_kind(alice, "agenda.submit")
    assert ready.title == f"Dien “{agenda.title}” in"
    assert ready.action == "Indienen"
    assert ready.due == review_round.submission_deadline
    assert "coalition.representatives" not in kinds(alice)  # endorse_all made a representative for each


def test_without_an_open_round_the_draft_says_so(coalition, alice):
    agenda = complete_agenda(coalition, alice)
    endorse_all(agenda)
    (draft,) = of_kind(alice, "agenda.submit")
    assert "er is geen beoordelingsronde open" in draft.detail
    assert draft.due is None


def test_advice_to_revise_asks_the_coordinator_to_read_it_first(coalition, alice, chair):
    review_round = make_round(chair)
    agenda = complete_agenda(coalition, alice)
    submission = submit(agenda, alice, review_round)
    person = reviewer()
    assignment = review_services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=person.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    review_services.assignment_respond(actor=person, assignment_id=assignment.pk, accept=True, no_conflict=True)
    review_services.review_save(actor=person, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
    review_services.advice_save(actor=chair, submission_id=submission.pk, outcome="revise", rationale="Herzien.")
    review_services.advice_publish(actor=chair, submission_id=submission.pk)

    (revise,) = of_kind(alice, "agenda.revise")
    assert revise.url == f"/toetsing/indieningen/{submission.pk}/#advies"
    assert revise.due == review_round.submission_deadline
    assert "agenda.submit" not in kinds(alice)


def test_a_non_member_sees_nothing_of_a_coalitions_draft(coalition, alice, charlie, chair):
    make_round(chair)
    agenda = complete_agenda(coalition, alice)
    other = make_user("dora")
    make_coalition(coordinator=other, slug="andere", region_code="CR02")
    assert tasks_for(charlie) == []
    # The coordinator of another coalition has tasks of her own, none about this draft.
    theirs = tasks_for(other)
    assert "agenda.start" in {t.kind for t in theirs}
    assert not [t for t in theirs if str(agenda.pk) in t.url or agenda.title in t.title + t.detail]
    assert not [t for t in tasks_for(chair) if t.kind.startswith("agenda.")]


# --- representatives ---------------------------------------------------------------------------------


def test_representatives_are_asked_to_endorse_until_their_organisation_has(coalition, alice, bob, victor, charlie):
    agenda = complete_agenda(coalition, alice)
    organisation = CoalitionMembership.objects.get(coalition=coalition, user=bob).organisation
    for person in (alice, bob, victor):
        (endorse,) = of_kind(person, "agenda.endorse")
        assert endorse.role == "representative"
        assert organisation.name in endorse.detail
        assert endorse.url == f"/agendas/{agenda.pk}/#indienen"
    review_services.endorse(actor=bob, agenda_id=agenda.pk, organisation_id=organisation.pk)
    # One endorsement per organisation: victor represents the same one.
    assert "agenda.endorse" not in kinds(bob) + kinds(victor)
    assert "agenda.endorse" not in kinds(charlie)


def test_a_new_revision_asks_for_endorsement_again(coalition, alice, bob):
    from agendas import services as agenda_services

    agenda = complete_agenda(coalition, alice)
    organisation = CoalitionMembership.objects.get(coalition=coalition, user=bob).organisation
    review_services.endorse(actor=bob, agenda_id=agenda.pk, organisation_id=organisation.pk)
    assert "agenda.endorse" not in kinds(bob)
    agenda.refresh_from_db()
    agenda_services.agenda_update_header(
        agenda_id=agenda.pk,
        actor=alice,
        base_version=agenda.version,
        title=agenda.title,
        summary="Nieuwe samenvatting.",
        vision=agenda.vision,
        start_year=agenda.start_year,
        end_year=agenda.end_year,
        lead_partner_id=agenda.lead_partner_id,
        theme_ids=list(agenda.themes.values_list("pk", flat=True)),
    )
    assert "agenda.endorse" in kinds(bob)


def test_a_submitted_agenda_asks_nobody_to_endorse(coalition, alice, bob, chair):
    submit(complete_agenda(coalition, alice), alice, make_round(chair))
    assert not [k for k in kinds(bob) + kinds(alice) if k.startswith("agenda.")]


# --- reviewers -----------------------------------------------------------------------------------------


@pytest.fixture
def submitted(coalition, alice, chair):
    return submit(complete_agenda(coalition, alice), alice, make_round(chair))


def test_a_reviewer_answers_an_invitation_then_reviews_and_never_sees_another_s(submitted, chair, charlie):
    first, second = reviewer("reviewer1"), reviewer("reviewer2")
    mine = review_services.assignment_create(actor=chair, submission_id=submitted.pk, reviewer_id=first.pk)
    review_services.assignment_create(actor=chair, submission_id=submitted.pk, reviewer_id=second.pk)
    (respond,) = of_kind(first, "review.respond")
    assert respond.url == f"/toetsing/beoordelingen/{mine.pk}/"
    assert respond.due == mine.due_date
    assert submitted.title in respond.title
    assert respond.url not in [t.url for t in tasks_for(second)]

    review_services.assignment_respond(actor=first, assignment_id=mine.pk, accept=True, no_conflict=True)
    assert "review.respond" not in kinds(first)
    assert "review.write" not in kinds(first)  # the review has not started yet
    workflow.transition(agenda_id=submitted.agenda_id, action="start_review", actor=chair)
    (write,) = of_kind(first, "review.write")
    assert write.url == respond.url
    assert not write.overdue
    assert tasks_for(charlie) == []


def test_an_overdue_review_is_marked_for_the_reviewer_and_the_chair(submitted, chair):
    person = reviewer()
    mine = review_services.assignment_create(actor=chair, submission_id=submitted.pk, reviewer_id=person.pk)
    review_services.assignment_respond(actor=person, assignment_id=mine.pk, accept=True, no_conflict=True)
    workflow.transition(agenda_id=submitted.agenda_id, action="start_review", actor=chair)
    Assignment.objects.filter(pk=mine.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    (write,) = of_kind(person, "review.write")
    assert write.overdue and write.due_label == "2 dagen te laat"
    assert "verlenging" in write.detail
    (late,) = of_kind(chair, "review.overdue")
    assert person.display_name in late.detail
    assert submitted.title in late.title
    assert late.url == f"/toetsing/indieningen/{submitted.pk}/#beoordelaars"


def test_a_declined_or_submitted_review_is_no_task(submitted, chair):
    person = reviewer()
    mine = review_services.assignment_create(actor=chair, submission_id=submitted.pk, reviewer_id=person.pk)
    review_services.assignment_respond(actor=person, assignment_id=mine.pk, accept=False, reason="Geen tijd.")
    assert tasks_for(person) == []


# --- the chair -------------------------------------------------------------------------------------------


def test_the_chair_is_led_from_assigning_to_publishing(submitted, chair, alice):
    (assign,) = of_kind(chair, "review.assign")
    assert assign.url == f"/toetsing/indieningen/{submitted.pk}/#beoordelaars"
    assert assign.due == submitted.round.review_deadline

    person = reviewer()
    mine = review_services.assignment_create(actor=chair, submission_id=submitted.pk, reviewer_id=person.pk)
    assert "review.assign" not in kinds(chair)
    (start,) = of_kind(chair, "review.start")
    assert start.url == f"/toetsing/indieningen/{submitted.pk}/"

    workflow.transition(agenda_id=submitted.agenda_id, action="start_review", actor=chair)
    assert [k for k in kinds(chair) if k.startswith(("review.", "advice."))] == []  # waiting for the review
    review_services.assignment_respond(actor=person, assignment_id=mine.pk, accept=True, no_conflict=True)
    review_services.review_save(actor=person, assignment_id=mine.pk, scores=full_scores(submitted), submit=True)
    (write,) = of_kind(chair, "advice.write")
    assert write.url == f"/toetsing/indieningen/{submitted.pk}/advies/"
    assert "1 van 1" in write.detail

    review_services.advice_save(actor=chair, submission_id=submitted.pk, outcome="positive", rationale="Goed.")
    (publish,) = of_kind(chair, "advice.publish")
    assert publish.url == f"/toetsing/indieningen/{submitted.pk}/#advies"
    review_services.advice_publish(actor=chair, submission_id=submitted.pk)
    assert tasks_for(chair) == []
    assert not [k for k in kinds(alice) if k.startswith(("review.", "advice."))]


def test_all_reviewers_declining_asks_the_chair_for_new_ones(submitted, chair):
    person = reviewer()
    mine = review_services.assignment_create(actor=chair, submission_id=submitted.pk, reviewer_id=person.pk)
    workflow.transition(agenda_id=submitted.agenda_id, action="start_review", actor=chair)
    review_services.assignment_respond(actor=person, assignment_id=mine.pk, accept=False, reason="Geen tijd.")
    (assign,) = of_kind(chair, "review.assign")
    assert "afgewezen" in assign.detail


# --- Rijk officials --------------------------------------------------------------------------------------


@pytest.fixture
def officials(db):
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)
    return proposer, approver


def test_an_advised_submission_waits_for_a_proposal_then_for_a_second_official(
    coalition, alice, chair, officials, charlie
):
    proposer, approver = officials
    submission = advised_submission(coalition, alice, chair)
    for official in (proposer, approver):
        (propose,) = of_kind(official, "decision.propose")
        assert propose.url == f"/financiering/indieningen/{submission.pk}/voorstel/"
    decision = funding_services.decision_propose(
        actor=proposer,
        submission_id=submission.pk,
        programme_id=make_programme(proposer, envelope=500_000).pk,
        amount_awarded=100_000,
        tranches={2026: 60_000, 2027: 40_000},
    )
    assert "decision.propose" not in kinds(approver)
    # Four eyes: never one's own proposal.
    assert "decision.second" not in kinds(proposer)
    (second,) = of_kind(approver, "decision.second")
    assert second.url == f"/financiering/beschikkingen/{decision.pk}/"
    assert proposer.display_name in second.detail
    assert tasks_for(charlie) == []
    assert not [k for k in kinds(chair) if k.startswith("decision.")]


def test_a_negative_advice_needs_no_proposal(coalition, alice, chair, officials):
    advised_submission(coalition, alice, chair, outcome="negative")
    assert "decision.propose" not in kinds(officials[0])


@pytest.fixture
def decision(coalition, alice, chair, officials):
    proposer, approver = officials
    return approved_decision(coalition, alice, chair, proposer, approver)


def test_a_coordinator_files_a_report_for_every_year_under_way(decision, alice, bob, officials):
    today = timezone.localdate()
    due_years = [t.year for t in decision.tranches.all() if t.year <= today.year]
    reports = of_kind(alice, "report.file")
    assert [r.due for r in reports] == [datetime.date(year, 12, 31) for year in due_years]
    assert all(r.url == f"/financiering/beschikkingen/{decision.pk}/rapportages/nieuw/" for r in reports)
    assert "report.file" not in kinds(bob) + kinds(officials[0])


def test_a_filed_report_goes_to_the_officials_and_the_tranche_waits_for_release(decision, alice, officials):
    proposer, approver = officials
    (tranche,) = of_kind(approver, "tranche.release")
    assert tranche.url == f"/financiering/beschikkingen/{decision.pk}/#tranches"
    assert "uitbetaald" in tranche.detail
    target = monitoring.report_targets(decision)[0]
    measure = monitoring.report_measures(decision, 2026)[0]
    report = monitoring.progress_report_submit(
        actor=alice,
        decision_id=decision.pk,
        year=2026,
        indicators={target.key: "47,5"},
        spending={measure.key: 90_000},
        milestones="Tien scholen.",
    )
    assert "report.file" not in kinds(alice)
    for official in officials:
        (judge,) = of_kind(official, "report.judge")
        assert judge.url == f"/financiering/rapportages/{report.pk}/"


def test_an_amendment_waits_for_the_other_official_only(decision, officials):
    proposer, approver = officials
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 30_000}, reason="Bouw vertraagd"
    )
    assert "amendment.second" not in kinds(proposer)
    (second,) = of_kind(approver, "amendment.second")
    assert amendment.reference in second.title
    assert second.url == f"/financiering/beschikkingen/{decision.pk}/#wijzigingen"
    # The tranche cannot be paid while the amendment waits, and says so.
    assert all("wijziging" in t.detail for t in of_kind(approver, "tranche.release"))


# --- data stewards and platform administrators --------------------------------------------------------


def test_a_data_steward_sees_waiting_and_failed_imports_until_imported_again(charlie):
    steward = make_user("steward", role="data_steward")
    queued = ImportJob.objects.create(source_key="bron-a", file_path="a.csv", file_name="a.csv")
    failed = ImportJob.objects.create(
        source_key="bron-b", file_path="b.csv", file_name="b.csv", status=ImportJob.Status.FAILED, message="Kapot."
    )
    ImportJob.objects.create(source_key="bron-c", file_path="c.csv", file_name="c.csv", status="done")
    assert sorted((t.kind, t.url) for t in tasks_for(steward)) == [
        ("import.failed", f"/regios/importeren/{failed.pk}/"),
        ("import.waiting", f"/regios/importeren/{queued.pk}/"),
    ]
    assert of_kind(steward, "import.failed")[0].detail == "Kapot."
    ImportJob.objects.create(source_key="bron-b", file_path="b.csv", file_name="b2.csv", status="done")
    assert kinds(steward) == ["import.waiting"]
    assert tasks_for(charlie) == []


def test_a_platform_administrator_sees_expired_invitations(platform_admin, charlie):
    invitation = invitation_services.invitation_create(
        actor=platform_admin, kind="role", email="nieuw@example.org", name="Nieuw", payload={"role": "data_steward"}
    )
    assert tasks_for(platform_admin) == []
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=3))
    (expired,) = tasks_for(platform_admin)
    assert (expired.kind, expired.url) == ("invitation.expired", "/uitnodiging/?status=expired")
    assert "Nieuw" in expired.title
    assert expired.overdue
    assert tasks_for(charlie) == []


# --- the page and the API show the same ------------------------------------------------------------------


def test_the_page_groups_by_role_and_the_api_returns_the_same_list(client, coalition, alice, chair, submitted):
    make_agenda(coalition, alice, title="Tweede agenda")  # a draft beside the submitted one
    client.force_login(alice)
    response = client.get("/mijn-taken/")
    page_tasks = response.context["tasks"]
    assert {t.role for t in page_tasks} == {"coordinator", "representative"}
    content = response.content.decode()
    assert "Coördinator" in content and "Vertegenwoordiger" in content
    for t in page_tasks:
        assert f'href="{t.url}"' in content
    api = client.get("/api/v1/me/tasks/").json()
    assert [(t["kind"], t["title"], t["url"], t["due"], t["overdue"]) for t in api] == [
        (t.kind, t.title, t.url, t.due.isoformat() if t.due else None, t.overdue) for t in page_tasks
    ]
    assert api[0].keys() >= {"role", "role_label", "detail", "context", "action", "days_left", "due_label"}


def test_the_page_shows_due_dates_in_words(client, submitted, chair):
    person = reviewer()
    mine = review_services.assignment_create(actor=chair, submission_id=submitted.pk, reviewer_id=person.pk)
    Assignment.objects.filter(pk=mine.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(person)
    content = client.get("/mijn-taken/").content.decode()
    assert "nog 3 dagen" in content
    assert "Reageren<span" in content
    Assignment.objects.filter(pk=mine.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    content = client.get("/mijn-taken/").content.decode()
    assert "2 dagen te laat" in content
    assert "1 daarvan is te laat." in content


def test_the_api_is_documented(client, charlie):
    client.force_login(charlie)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/me/tasks/" in schema
    assert "Task" in schema


# --- many tasks ------------------------------------------------------------------------------------------


def test_per_role_the_page_shows_the_most_urgent_tasks_and_counts_the_rest():
    from kansenagenda.worklist_views import role_groups

    today = timezone.localdate()
    many = [task(due=today + datetime.timedelta(days=n), title=f"T{n}") for n in range(25)]
    other = [task(role_label="Coördinator", title="C")]
    (reviewing, coordinating) = role_groups(sorted(many + other, key=lambda t: (t.due is None, t.due)))
    assert [t.title for t in reviewing.tasks] == [f"T{n}" for n in range(20)]
    assert (reviewing.total, reviewing.hidden) == (25, 5)
    assert (coordinating.total, coordinating.hidden) == (1, 0)
    (expanded, _) = role_groups(many + other, expanded="r")
    assert (len(expanded.tasks), expanded.hidden) == (25, 0)


def test_the_chair_opens_the_tasks_the_page_left_out(client, submitted, chair, monkeypatch):
    monkeypatch.setattr("kansenagenda.worklist_views.TASKS_SHOWN_PER_ROLE", 0)
    client.login(request=HttpRequest(), username=chair.username, password=PASSWORD)
    page = client.get("/mijn-taken/").content.decode()
    assert "Wijs beoordelaars toe" not in page
    assert 'href="?rol=review_chair#taken-review_chair"' in page
    page = client.get("/mijn-taken/?rol=review_chair").content.decode()
    assert "Wijs beoordelaars toe" in page
