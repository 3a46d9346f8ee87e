"""Review pages people read with ease (issue 14): the form beside the agenda, both languages, one notation, charts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from activity.models import Event
from reviews import jobs, services, workflow
from reviews.models import Criterion, EvidenceScore, Submission
from tests.reviews.factories import complete_agenda, full_scores, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(coalition, alice, chair, reviewers, review_round):
    agenda = complete_agenda(coalition, alice)
    submission = submit(agenda, alice, review_round)
    for reviewer in reviewers:
        services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    return submission


def accept(submission, reviewer):
    assignment = submission.assignments.get(reviewer=reviewer)
    services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    return assignment


def review(submission, reviewer, score: int):
    assignment = accept(submission, reviewer)
    scores = full_scores(submission, score)
    services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=scores, submit=True)
    return assignment


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


# --- the review form beside the agenda ------------------------------------------------------


def test_the_review_form_shows_the_submitted_agenda_its_budgets_and_the_region_beside_it(client, in_review, reviewers):
    assignment = accept(in_review, reviewers[0])
    client.force_login(reviewers[0])

    page = client.get(reverse("reviews:assignment", args=[assignment.pk])).content.decode()

    # Two columns (side by side from 1100 px, tabs below: reviews.css and review-tabs.js) ...
    layout = between(page, "data-review-tabs", "</main>")
    agenda, form = layout.index('id="agenda-column"'), layout.index('id="review-column"')
    assert agenda < form
    assert "reviews/review-tabs" in page and "reviews/reviews" in page and 'role="tablist"' in layout
    # ... the agenda column has the frozen agenda with each measure's budget per year and source ...
    agenda_column = layout[agenda:form]
    assert in_review.snapshot["title"] in page
    measure = in_review.snapshot["priorities"][0]["measures"][0]
    assert measure["title"] in agenda_column
    assert "Begroting van deze maatregel" in agenda_column
    for line in measure["budget"]:
        assert f'<th class="utrecht-table__header-cell" scope="row">{line["year"]}</th>' in agenda_column
    # ... and the region's profile in short: where it lags, and whether the agenda names that theme.
    assert "Brede welvaart in" in agenda_column
    assert reverse("regions:detail", args=[in_review.snapshot["region"]["code"]]) in agenda_column
    assert "Uw scores" in layout[form:]


def test_criteria_are_required_not_optional_and_show_no_error_before_a_submit(client, in_review, reviewers):
    assignment = accept(in_review, reviewers[0])
    client.force_login(reviewers[0])
    url = reverse("reviews:assignment", args=[assignment.pk])
    criteria = list(in_review.round.criteria.all())

    form = between(client.get(url).content.decode(), 'id="review-column"', "</form>")

    legends = re.findall(r"<legend[^>]*>(.*?)</legend>", form, re.S)
    assert len(legends) == len(criteria)
    assert all("optioneel" not in legend for legend in legends)
    # Only the summary is optional.
    assert form.count("(optioneel)") == 1
    assert "alle criteria zijn verplicht om in te dienen" in form
    # Nothing looks wrong before the reviewer answered: no error classes, no aria-invalid, and no
    # required attribute the browser would paint red from the first paint.
    assert "--invalid" not in form and "aria-invalid" not in form
    assert not re.search(r"<input[^>]*type=\"radio\"[^>]*\brequired\b", form)

    response = client.post(url, {"form": "review", "submit": "1"})

    assert response.status_code == 400
    form = between(response.content.decode(), 'id="review-column"', "</form>")
    assert form.count("utrecht-form-fieldset--invalid") == len(criteria)
    assert f"Geef een score voor “{criteria[0].title}”." in form
    # The error summary links to the first choice of each criterion.
    assert f'href="#id_score_{criteria[0].pk}_0"' in response.content.decode()


def test_the_review_form_in_english_names_criteria_indicators_and_goals_in_english(client, in_review, reviewers):
    assignment = accept(in_review, reviewers[0])
    client.force_login(reviewers[0])
    in_english(client)

    page = client.get(reverse("reviews:assignment", args=[assignment.pk])).content.decode()

    for criterion in in_review.round.criteria.all():
        assert criterion.title_en and criterion.title_en in page
    assert "Feasibility" in page and "Uitvoerbaarheid" not in page
    target = in_review.snapshot["priorities"][0]["targets"][0]
    from goals.models import Goal
    from regions.models import Indicator

    indicator = Indicator.objects.get(code=target["indicator"])
    assert indicator.name_en in page
    goal = Goal.objects.get(catalogue="sdg", code="3.4")
    assert f"SDG 3.4 {goal.short_en or goal.title_en}" in page


# --- criteria in both languages: the chair corrects them --------------------------------------


def test_the_chair_corrects_criterion_texts_in_both_languages(client, chair, review_round):
    criterion = review_round.criteria.get(code="feasibility")
    client.force_login(chair)
    url = reverse("reviews:round-criteria", args=[review_round.pk])
    assert client.get(url).status_code == 200
    data = {}
    for c in review_round.criteria.all():
        data |= {
            f"c{c.pk}-title": c.title,
            f"c{c.pk}-title_en": c.title_en,
            f"c{c.pk}-description": c.description,
            f"c{c.pk}-description_en": c.description_en,
        }
    data |= {f"c{criterion.pk}-title": "", f"c{criterion.pk}-title_en": "Feasible plan"}

    response = client.post(url, data)

    assert response.status_code == 400
    assert "Geef “Uitvoerbaarheid” een Nederlandse titel." in response.content.decode()

    data[f"c{criterion.pk}-title"] = "  Haalbaar plan "
    assert client.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.title, criterion.title_en) == ("Haalbaar plan", "Feasible plan")
    assert Event.objects.filter(verb="round.criteria_edited").get().data["criteria"] == ["feasibility"]

    in_english(client)
    assert "Feasible plan" in client.get(reverse("reviews:round", args=[review_round.pk])).content.decode()


@pytest.mark.parametrize("who", ["alice", "reviewer", "official"])
def test_only_the_chair_edits_criterion_texts(client, review_round, alice, reviewers, official, who):
    client.force_login({"alice": alice, "reviewer": reviewers[0], "official": official}[who])
    url = reverse("reviews:round-criteria", args=[review_round.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_the_service_refuses_criteria_of_another_round_and_a_missing_dutch_title(chair, review_round):
    from django.core.exceptions import ValidationError

    from tests.reviews.factories import make_round

    other = make_round(chair, name="Andere ronde").criteria.first()
    mine = review_round.criteria.first()

    with pytest.raises(ValidationError) as refused:
        services.criteria_texts_update(
            actor=chair,
            round_id=review_round.pk,
            texts={other.pk: services.CriterionTexts("X"), mine.pk: services.CriterionTexts(" ")},
        )

    assert set(refused.value.message_dict) == {"criteria", f"c{mine.pk}-title"}
    mine.refresh_from_db()
    assert mine.title != " "


def test_the_migration_fills_in_the_english_of_existing_criteria(review_round):
    import importlib

    from django.apps import apps

    Criterion.objects.filter(round=review_round).update(title_en="", description_en="")

    importlib.import_module("reviews.migrations.0003_criterion_english").fill_english(apps, None)

    by_code = {c.code: c for c in review_round.criteria.all()}
    assert by_code["feasibility"].title_en == "Feasibility"
    assert by_code["durability"].description_en.startswith("Will the effects")
    theme = next(c for c in by_code.values() if c.theme_id)
    assert theme.title_en == theme.theme.name_en


# --- scores: one notation, the reader's language, charts ---------------------------------------


def test_the_chair_s_page_writes_scores_and_explanations_in_one_notation_per_language(
    client, in_review, chair, reviewers
):
    review(in_review, reviewers[0], 4)
    review(in_review, reviewers[1], 2)
    jobs.score_evidence(in_review)
    jobs.aggregate_reviews(in_review)
    client.force_login(chair)
    url = reverse("reviews:submission", args=[in_review.pk])
    score = EvidenceScore.objects.get(submission=in_review)
    total = score.total.quantize(Decimal("0.1"))

    dutch = between(client.get(url).content.decode(), 'id="scores"', 'id="beoordelaars"')
    in_english(client)
    english = between(client.get(url).content.decode(), 'id="scores"', 'id="beoordelaars"')

    assert f'<strong class="ka-big-number">{str(total).replace(".", ",")}</strong>' in dutch
    assert f'<strong class="ka-big-number">{total}</strong>' in english
    # The weighted total with one decimal: (4 + 2) / 2 on every criterion.
    assert '<strong class="ka-big-number">3,0</strong>' in dutch
    assert '<strong class="ka-big-number">3.0</strong>' in english
    # Every percentage in the English explanations is in English notation, and so is every "x / weight".
    assert re.findall(r"\d+\.\d%", english) and not re.findall(r"\d+,\d%", english)
    assert re.findall(r"\d+,\d%", dutch) and not re.findall(r"\d+\.\d%", dutch)
    assert "Focus on lagging themes" in english and "The region lags behind" in english


def test_the_chair_sees_charts_of_the_evidence_and_of_each_reviewer_without_names(client, in_review, chair, reviewers):
    review(in_review, reviewers[0], 5)
    review(in_review, reviewers[1], 2)
    jobs.score_evidence(in_review)
    jobs.aggregate_reviews(in_review)
    client.force_login(chair)

    page = client.get(reverse("reviews:submission", args=[in_review.pk])).content.decode()

    figures = re.findall(r"<figure.*?</figure>", between(page, 'id="scores"', 'id="beoordelaars"'), re.S)
    assert len(figures) == 2
    reviewers_figure = next(f for f in figures if "ka-dots" in f)
    evidence_figure = next(f for f in figures if "bw-chart" in f)
    # One row per criterion, one dot per reviewer, the range marked as a disagreement (5 against 2).
    assert reviewers_figure.count('class="ka-dots__row"') == in_review.round.criteria.count()
    assert "Beoordelaar 1" in reviewers_figure and "Beoordelaar 2" in reviewers_figure
    assert "verschil van mening" in reviewers_figure
    for reviewer in reviewers:
        assert reviewer.display_name not in reviewers_figure
    # The evidence score's four components, each its points of its weight, with a table alternative.
    assert evidence_figure.count('class="bw-chart__row"') == 4
    assert "/ 40" in evidence_figure and "Tabel bij deze grafiek" in evidence_figure


def test_published_advice_shows_its_frozen_figures_and_charts_in_the_reader_s_language(
    client, in_review, chair, reviewers, alice
):
    review(in_review, reviewers[0], 4)
    services.advice_save(actor=chair, submission_id=in_review.pk, outcome="positive", rationale="Sterk plan.")
    services.advice_publish(actor=chair, submission_id=in_review.pk)
    in_review.refresh_from_db()
    assert in_review.status == Submission.Status.ADVISED
    client.force_login(alice)
    in_english(client)

    advice = between(
        client.get(reverse("reviews:submission", args=[in_review.pk])).content.decode(),
        'id="advies"',
        "</section>\n</div>",
    )

    assert "Focus on lagging themes" in advice and "Reviewer 1" in advice
    for reviewer in reviewers:
        assert reviewer.display_name not in advice


def test_an_advice_frozen_before_the_facts_keeps_its_dutch_sentence_marked_as_dutch(
    client, in_review, chair, reviewers, alice
):
    review(in_review, reviewers[0], 4)
    services.advice_save(actor=chair, submission_id=in_review.pk, outcome="positive", rationale="Sterk plan.")
    services.advice_publish(actor=chair, submission_id=in_review.pk)
    advice = in_review.advice
    for component in advice.evidence["components"]:
        del component["facts"]
    for row in advice.aggregate["criteria"]:
        del row["by_review"]
    advice.save(update_fields=["evidence", "aggregate"])
    client.force_login(alice)
    in_english(client)

    page = client.get(reverse("reviews:submission", args=[in_review.pk])).content.decode()

    first = advice.evidence["components"][0]["explanation"]
    assert f'<span lang="nl">{first}' in page.replace("&#x27;", "'")
    # Titles come from the code; the chart of reviewers needs the per-review scores, the table does not.
    assert "Focus on lagging themes" in page and "Scores per criterion" in page
    assert "ka-dots" not in between(page, 'id="advies"', "</section>\n</div>")


# --- e-mails of the review in the recipient's language -----------------------------------------


def test_a_reviewer_who_reads_english_gets_the_invitation_mail_in_english(coalition, alice, chair, reviewers):
    import datetime

    from django.core import mail

    from activity import tasks
    from tests.reviews.factories import make_round

    reviewer = reviewers[0]
    reviewer.language = "en"
    reviewer.save(update_fields=["language"])
    submission = submit(complete_agenda(coalition, alice), alice, make_round(chair))

    services.assignment_create(
        actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk, due_date=datetime.date(2027, 4, 6)
    )
    tasks.send_event_deliveries(Event.objects.get(verb="review.assigned").pk)

    (message,) = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert f"You have been invited to review “{submission.title}” by 6 April 2027." in message.body


# --- queries -----------------------------------------------------------------------------------


def test_the_review_form_costs_the_same_queries_for_a_small_and_a_large_agenda(
    client, coalition, alice, chair, reviewers, review_round
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.agendas.factories import make_measure, make_priority
    from tests.factories import make_coalition, make_user

    small = complete_agenda(coalition, alice)
    coordinator = make_user("coordinator2")
    large = complete_agenda(make_coalition(coordinator=coordinator, slug="tweede", region_code="CR01"), coordinator)
    for n in range(3):
        priority = make_priority(large, coordinator, title=f"Prioriteit {n}")
        make_measure(large, priority, coordinator, title=f"Maatregel {n}")
    pages = []
    for agenda, coordinator_of in ((small, alice), (large, coordinator)):
        submission = submit(agenda, coordinator_of, review_round)
        services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewers[0].pk)
        workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
        pages.append(reverse("reviews:assignment", args=[accept(submission, reviewers[0]).pk]))
    client.force_login(reviewers[0])
    client.get(pages[0])  # the region's profile is computed once and cached

    counts = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], "\n".join(q["sql"] for q in queries.captured_queries)
