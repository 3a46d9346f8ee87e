"""The agenda editor pages under /agendas/.

Who may do what (a draft agenda exists only for its coalition):
- coordinator alice and editor bob read and edit;
- viewer victor reads (and comments), and gets a 403 on every editing page;
- outsider charlie and every global role (a Rijk official here) get a 404 on
  every agenda page, the same as for an agenda that does not exist;
- anonymous visitors are sent to the login page.
Forms go through the services: a save changes the data and writes a revision;
bad input is shown inline (status 200) and saves nothing; a stale version
keeps the user's input and shows what the other person changed.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.html import escape

from agendas import services
from agendas.baselines import indicator_baselines
from agendas.forms import AmountError, parse_amount
from agendas.models import Agenda, BudgetLine, GoalLink, Measure, Priority, Revision
from coalitions.models import Organisation
from regions.models import Indicator, Theme
from tests.agendas.factories import make_agenda, make_measure, make_priority, measure_input
from tests.factories import make_coalition, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rita(db):
    return make_user("rita", role="rijk_official")


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


@pytest.fixture
def priority(agenda, alice):
    return make_priority(agenda, alice)


@pytest.fixture
def measure(agenda, priority, alice):
    return make_measure(agenda, priority, alice)


def content_of(response) -> str:
    return response.content.decode()


def errors_in(content: str) -> list[str]:
    """The inline field messages on a page (without the screen-reader prefix)."""
    blocks = re.findall(r'<div class="utrecht-form-field-error-message[^"]*"[^>]*>(.*?)</div>', content, re.S)
    return [re.sub(r"<[^>]+>|Fout:", "", block).strip() for block in blocks]


def header_data(agenda: Agenda, **overrides) -> dict:
    data = {
        "version": agenda.version,
        "title": agenda.title,
        "summary": agenda.summary,
        "vision": agenda.vision,
        "start_year": agenda.start_year,
        "end_year": agenda.end_year,
        "lead_partner": agenda.lead_partner_id or "",
        "themes": list(agenda.themes.values_list("pk", flat=True)),
    }
    data.update(overrides)
    return data


def formset_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 100,
    }


def priority_data(*, version: int | None = None, goals=(), targets=(), **overrides) -> dict:
    data = {
        "title": "Werk in de regio",
        "kind": "kans",
        "description": "Nieuwe banen in de energietransitie.",
        "themes": list(Theme.objects.order_by("position").values_list("pk", flat=True)[:1]),
        **formset_management("doelen", len(goals)),
        **formset_management("indicatoren", len(targets)),
    }
    if version is not None:
        data["version"] = version
    for index, (goal, strength, contribution) in enumerate(goals):
        data.update(
            {
                f"doelen-{index}-goal": goal.pk,
                f"doelen-{index}-strength": strength,
                f"doelen-{index}-contribution": contribution,
            }
        )
    for index, target in enumerate(targets):
        data.update({f"indicatoren-{index}-{key}": value for key, value in target.items()})
    data.update(overrides)
    return data


def measure_data(agenda: Agenda, priority: Priority, *, version: int | None = None, budget=None, **overrides) -> dict:
    data = {
        "title": "Warmtenet",
        "priority": priority.pk,
        "description": "Een warmtenet voor 2.000 woningen.",
        "lead_organisation": agenda.coalition.organisations.order_by("name").first().pk,
        "start_year": agenda.start_year,
        "end_year": agenda.start_year + 2,
        "status": "planned",
        **formset_management("doelen", 0),
    }
    if version is not None:
        data["version"] = version
    for (year, source), amount in (budget or {}).items():
        data[f"budget-{year}-{source}"] = amount
    data.update(overrides)
    return data


def budget_of(measure: Measure) -> dict:
    return {(line.year, line.source): line.amount for line in BudgetLine.objects.filter(measure=measure)}


# --- access -------------------------------------------------------------------------------------

READ_PAGES = ["detail", "priority"]
EDIT_PAGES = [
    "header",
    "priority-create",
    "priority-edit",
    "priority-delete",
    "measure-create",
    "measure",
    "measure-delete",
]


def url_of(page: str, agenda: Agenda, priority: Priority, measure: Measure) -> str:
    base = f"/agendas/{agenda.pk}/"
    return {
        "detail": base,
        "priority": f"{base}prioriteiten/{priority.pk}/",
        "header": f"{base}bewerken/",
        "priority-create": f"{base}prioriteiten/nieuw/",
        "priority-edit": f"{base}prioriteiten/{priority.pk}/bewerken/",
        "priority-delete": f"{base}prioriteiten/{priority.pk}/verwijderen/",
        "measure-create": f"{base}maatregelen/nieuw/",
        "measure": f"{base}maatregelen/{measure.pk}/",
        "measure-delete": f"{base}maatregelen/{measure.pk}/verwijderen/",
    }[page]


@pytest.mark.parametrize("page_name", READ_PAGES + EDIT_PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client, agenda, priority, measure, page_name):
    url = url_of(page_name, agenda, priority, measure)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")


@pytest.mark.parametrize("page_name", READ_PAGES + EDIT_PAGES)
@pytest.mark.parametrize("who", ["charlie", "rita"])
def test_it_hides_the_agenda_from_outsiders_and_global_roles(
    client, request, agenda, priority, measure, page_name, who
):
    client.force_login(request.getfixturevalue(who))
    url = url_of(page_name, agenda, priority, measure)
    response = client.get(url)
    assert response.status_code == 404
    assert agenda.title not in content_of(response)
    assert client.post(url, {"version": 1}).status_code == 404
    # The same answer as for an agenda that does not exist.
    assert client.get(url.replace(f"/agendas/{agenda.pk}/", "/agendas/99999/")).status_code == 404


@pytest.mark.parametrize("page_name", READ_PAGES)
@pytest.mark.parametrize("who", ["victor", "bob", "alice"])
def test_members_read_the_agenda(client, request, agenda, priority, measure, page_name, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url_of(page_name, agenda, priority, measure))
    assert response.status_code == 200
    assert priority.title in content_of(response)


@pytest.mark.parametrize("page_name", EDIT_PAGES)
def test_viewers_may_not_edit(client, victor, agenda, priority, measure, page_name):
    client.force_login(victor)
    url = url_of(page_name, agenda, priority, measure)
    assert client.get(url).status_code == 403
    revisions = Revision.objects.count()
    assert client.post(url, {"version": 1, "title": "Overgenomen"}).status_code == 403
    assert Revision.objects.count() == revisions
    assert Priority.objects.filter(pk=priority.pk).exists()
    assert Measure.objects.filter(pk=measure.pk).exists()


@pytest.mark.parametrize("page_name", EDIT_PAGES)
@pytest.mark.parametrize("who", ["bob", "alice"])
def test_editors_and_coordinators_open_the_editing_pages(client, request, agenda, priority, measure, page_name, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url_of(page_name, agenda, priority, measure)).status_code == 200


@pytest.mark.parametrize("who", ["victor", "bob", "alice"])
def test_the_edit_links_show_for_editors_only(client, request, agenda, priority, measure, who):
    client.force_login(request.getfixturevalue(who))
    content = content_of(client.get(f"/agendas/{agenda.pk}/"))
    links = [
        f"/agendas/{agenda.pk}/bewerken/",
        f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/bewerken/",
        f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/",
        f"/agendas/{agenda.pk}/prioriteiten/nieuw/",
    ]
    shown = [link in content for link in links]
    assert shown == [who != "victor"] * len(links)


def test_a_measure_of_another_agenda_is_not_found_under_this_one(client, coalition, alice, agenda, measure):
    other = make_agenda(coalition, alice, title="Tweede agenda")
    client.force_login(alice)
    assert client.get(f"/agendas/{other.pk}/maatregelen/{measure.pk}/").status_code == 404
    assert client.get(f"/agendas/{other.pk}/prioriteiten/{measure.priority_id}/").status_code == 404


# --- list -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["victor", "bob", "alice"])
def test_the_list_shows_members_their_agendas(client, request, agenda, priority, measure, who):
    other = make_agenda(
        make_coalition(coordinator=make_user("dora"), slug="delfzijl", region_code="CR02"), None, title="Delfzijl"
    )
    client.force_login(request.getfixturevalue(who))
    response = client.get("/agendas/")
    assert response.status_code == 200
    assert [a.pk for a in response.context["agendas"]] == [agenda.pk]
    content = content_of(response)
    assert f'href="/agendas/{agenda.pk}/">{agenda.title}</a>' in content
    assert other.title not in content
    assert "2026–2035" in content


@pytest.mark.parametrize("who", ["charlie", "rita"])
def test_the_list_is_empty_for_outsiders_and_global_roles(client, request, agenda, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/agendas/")
    assert response.status_code == 200
    assert list(response.context["agendas"]) == []
    assert agenda.title not in content_of(response)


# --- the agenda document ----------------------------------------------------------------------------


def test_the_agenda_page_shows_the_document(client, bob, agenda, priority, measure):
    client.force_login(bob)
    response = client.get(f"/agendas/{agenda.pk}/")
    content = content_of(response)
    assert f'<h1 class="utrecht-heading-1" id="agenda-title">{agenda.title}</h1>' in content
    assert "<p>Samen werken aan brede welvaart.</p>" in content
    assert agenda.lead_partner.name in content
    # Priority: kind, goal link (label + title, strength), target with its baseline, measure with total.
    assert "Opgave" in content
    assert "<strong>SDG 3.4</strong>" in content
    assert "€\u00a0150.000" in content
    assert f'id="maatregel-{measure.pk}"' in content
    # The budget: 100.000 from the Rijk and 50.000 from the province in the first year.
    assert response.context["budget"].total == 150_000
    assert "data-grand-total>150.000</td>" in content
    assert 'data-col-total="rijk">100.000</td>' in content
    assert 'data-row-total="2026">150.000</td>' in content
    assert 'data-summary="rijk-share">66,7%</span>' in content
    assert 'data-summary="cofinancing-ratio">33,3%</span>' in content
    # History, exports and the comments' context.
    for name in ("geschiedenis/", "agenda.pdf", "begroting.csv", "begroting.xlsx"):
        assert f'href="/agendas/{agenda.pk}/{name}"' in content
    assert response.context["can_comment"] is True


def test_the_agenda_page_shows_the_region_profile(client, bob, agenda):
    from regions.selectors import region_profile

    client.force_login(bob)
    content = content_of(client.get(f"/agendas/{agenda.pk}/"))
    profile = region_profile(agenda.region)
    assert f"achterstand op <strong>{profile.accumulated_deficit}</strong> van de {profile.themes_with_data}" in content
    for theme in profile.lagging_themes:
        assert escape(theme.name) in content
    assert 'href="/regios/CR01/"' in content


def test_the_completeness_panel_lists_the_gaps_and_says_complete_when_none(client, bob, agenda, priority, measure):
    client.force_login(bob)
    content = content_of(client.get(f"/agendas/{agenda.pk}/"))
    # The factory's agenda is filled in except that its only priority has all parts and so has its measure.
    gaps = client.get(f"/agendas/{agenda.pk}/").context["gap_groups"]
    if gaps:
        assert "Nog te doen voor indienen" in content
    empty = make_agenda(agenda.coalition, bob, title="Leeg", summary="", vision="", lead_partner_id=None, theme_ids=[])
    response = client.get(f"/agendas/{empty.pk}/")
    content = content_of(response)
    assert "Nog te doen voor indienen" in content
    assert 'href="#algemeen">Schrijf een samenvatting.</a>' in content
    assert 'href="#prioriteiten">Voeg minstens één prioriteit toe.</a>' in content
    assert [label for label, _items in response.context["gap_groups"]] == ["Algemeen", "Prioriteiten"]


def test_a_complete_agenda_says_its_content_is_complete_but_not_that_it_can_be_submitted(
    client, bob, agenda, priority, measure
):
    # Nobody endorsed it and no round is open: submitting is not possible yet (tests/agendas/test_readiness.py).
    client.force_login(bob)
    response = client.get(f"/agendas/{agenda.pk}/")
    assert response.context["document"].gaps == []
    content = content_of(response)
    assert '<h2 class="utrecht-heading-3" id="completeness-heading">Inhoud compleet</h2>' in content
    assert "Nog te doen voor indienen" not in content
    assert "kan worden ingediend" not in content


def test_user_text_is_rendered_as_sanitised_markdown(client, bob, coalition):
    agenda = make_agenda(
        coalition, bob, summary="**Vet** <script>alert(1)</script>", vision="[klik](javascript:alert(1))"
    )
    client.force_login(bob)
    content = content_of(client.get(f"/agendas/{agenda.pk}/"))
    assert "<strong>Vet</strong>" in content
    assert "<script>alert(1)</script>" not in content
    assert "javascript:" not in content


def test_the_coverage_matrices_are_tables(client, bob, agenda, priority, measure):
    client.force_login(bob)
    content = content_of(client.get(f"/agendas/{agenda.pk}/"))
    assert 'id="theme-coverage-caption"' in content
    assert 'id="goal-coverage-caption"' in content
    assert '<span class="ka-cover ka-cover--direct">direct</span>' in content


def test_the_priority_page_shows_its_comments_context(client, victor, agenda, priority, measure):
    client.force_login(victor)
    response = client.get(f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/")
    assert response.context["priority"] == priority
    assert response.context["can_comment"] is True
    assert response.context["can_edit"] is False
    assert measure.title in content_of(response)


# --- create ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("charlie", 404), ("rita", 404), ("victor", 403)])
def test_only_editors_create_agendas(client, request, coalition, who, status):
    client.force_login(request.getfixturevalue(who))
    url = f"/agendas/nieuw/{coalition.slug}/"
    assert client.get(url).status_code == status
    assert client.post(url, {"title": "X", "start_year": 2026, "end_year": 2035}).status_code == status
    assert not Agenda.objects.exists()


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_it_creates_an_agenda_through_the_form(client, request, coalition, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    organisation = coalition.organisations.order_by("name").last()
    theme = Theme.objects.order_by("position").first()
    response = client.post(
        f"/agendas/nieuw/{coalition.slug}/",
        {
            "title": "Groen en gezond",
            "summary": "Kort",
            "vision": "Lang",
            "start_year": 2027,
            "end_year": 2040,
            "lead_partner": organisation.pk,
            "themes": [theme.pk],
        },
    )
    agenda = Agenda.objects.get()
    assert response.status_code == 302
    assert response.url == f"/agendas/{agenda.pk}/"
    assert (agenda.title, agenda.start_year, agenda.end_year, agenda.lead_partner) == (
        "Groen en gezond",
        2027,
        2040,
        organisation,
    )
    assert list(agenda.themes.all()) == [theme]
    assert list(agenda.revisions.values_list("author", "part_type")) == [(user.pk, "header")]


def test_creating_with_a_bad_period_shows_the_message(client, bob, coalition):
    client.force_login(bob)
    response = client.post(
        f"/agendas/nieuw/{coalition.slug}/", {"title": "Te kort", "start_year": 2030, "end_year": 2031}
    )
    assert response.status_code == 200
    assert not Agenda.objects.exists()
    assert any("minstens 4 en hoogstens 30 jaar" in message for message in errors_in(content_of(response)))


# --- header -------------------------------------------------------------------------------------


def test_it_saves_the_header_and_makes_a_revision(client, bob, agenda):
    client.force_login(bob)
    revisions = agenda.revisions.count()
    response = client.post(f"/agendas/{agenda.pk}/bewerken/", header_data(agenda, title="Nieuwe titel"))
    assert response.status_code == 302
    assert response.url == f"/agendas/{agenda.pk}/#algemeen"
    agenda.refresh_from_db()
    assert (agenda.title, agenda.version) == ("Nieuwe titel", 2)
    assert agenda.revisions.count() == revisions + 1
    assert agenda.revisions.order_by("-number").first().changed_fields == ["title"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_year": 2020}, "end_year", "Het eindjaar ligt vóór het beginjaar."),
        ({"title": "x" * 201}, "title", "200"),
        ({"title": ""}, "title", "vereist"),
        ({"start_year": "abc"}, "start_year", "geheel getal"),
        ({"lead_partner": "OTHER"}, "lead_partner", "De penvoerder moet een lid-organisatie van de coalitie zijn."),
    ],
)
def test_bad_header_input_is_shown_inline_and_changes_nothing(client, bob, agenda, overrides, field, message):
    if overrides.get("lead_partner") == "OTHER":
        overrides = {"lead_partner": Organisation.objects.create(name="Buitenstaander", kind="company").pk}
    client.force_login(bob)
    before = Revision.objects.count()
    response = client.post(f"/agendas/{agenda.pk}/bewerken/", header_data(agenda, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    content = content_of(response)
    assert f'id="id_{field}_error"' in content
    assert f'href="#id_{field}"' in content  # the error summary links to the field
    agenda.refresh_from_db()
    assert (agenda.version, Revision.objects.count()) == (1, before)
    assert agenda.title == "Kansen voor Oost-Groningen"


def test_a_header_conflict_keeps_the_input_and_shows_what_changed(client, alice, bob, agenda):
    # Alice saves first, from the same version bob started from.
    services.agenda_update_header(
        agenda_id=agenda.pk,
        actor=alice,
        base_version=1,
        title="Titel van Alice",
        summary=agenda.summary,
        vision=agenda.vision,
        start_year=agenda.start_year,
        end_year=agenda.end_year,
        lead_partner_id=agenda.lead_partner_id,
        theme_ids=list(agenda.themes.values_list("pk", flat=True)),
    )
    client.force_login(bob)
    data = header_data(agenda, version=1, title="Titel van Bob", vision="Bobs visie")
    response = client.post(f"/agendas/{agenda.pk}/bewerken/", data)
    assert response.status_code == 200
    content = content_of(response)
    assert "Iemand anders heeft dit onderdeel intussen gewijzigd" in content
    # The change: field, before and after.
    assert response.context["conflict_changes"] == [("Titel", "Kansen voor Oost-Groningen", "Titel van Alice")]
    # Bob's input is kept, and the next submit is based on the current version.
    assert 'value="Titel van Bob"' in content
    assert "Bobs visie</textarea>" in content
    assert '<input type="hidden" name="version" value="2"' in content
    agenda.refresh_from_db()
    assert agenda.title == "Titel van Alice"
    # A second submit overwrites consciously.
    data["version"] = 2
    assert client.post(f"/agendas/{agenda.pk}/bewerken/", data).status_code == 302
    agenda.refresh_from_db()
    assert (agenda.title, agenda.vision, agenda.version) == ("Titel van Bob", "Bobs visie", 3)


# --- priorities ---------------------------------------------------------------------------------


def test_it_creates_a_priority_with_goals_and_a_target_from_the_data(client, bob, agenda):
    from goals.models import Goal

    baselines = indicator_baselines(agenda.region)
    indicator = Indicator.objects.filter(in_profile=True, pk__in=baselines).order_by("code").first()
    baseline = baselines[indicator.pk]

    sdg = Goal.objects.get(catalogue="sdg", code="8")
    client.force_login(bob)
    data = priority_data(
        goals=[(sdg, "indirect", "Meer werk")],
        targets=[{"indicator": indicator.pk, "target_year": 2035, "target_value": "12,5"}],
    )
    response = client.post(f"/agendas/{agenda.pk}/prioriteiten/nieuw/", data)
    assert response.status_code == 302, errors_in(content_of(response))
    priority = Priority.objects.get(agenda=agenda)
    assert response.url == f"/agendas/{agenda.pk}/#prioriteit-{priority.pk}"
    assert (priority.title, priority.kind) == ("Werk in de regio", "kans")
    assert list(priority.goal_links.values_list("goal", "strength", "contribution")) == [
        (sdg.pk, "indirect", "Meer werk")
    ]
    target = priority.targets.get()
    assert (target.indicator, target.target_value, target.target_year) == (indicator, Decimal("12.5"), 2035)
    # Baseline left empty: taken from the region's CBS data, and marked so.
    assert (target.baseline_year, target.baseline_value, target.baseline_from_data) == (
        baseline.year,
        baseline.value,
        True,
    )
    assert agenda.revisions.filter(part_type="priority", part_id=priority.pk).count() == 1
    content = content_of(client.get(f"/agendas/{agenda.pk}/"))
    assert "uit CBS-gegevens" in content


def test_the_priority_form_offers_grouped_goals_with_unverified_marks(client, bob, agenda):
    from goals.models import Goal

    client.force_login(bob)
    content = content_of(client.get(f"/agendas/{agenda.pk}/prioriteiten/nieuw/"))
    assert '<optgroup label="Duurzame ontwikkelingsdoelen (SDG&#x27;s)">' in content
    assert '<optgroup label="EU-cohesiebeleid 2021–2027">' in content
    assert "data-goal-picker" in content
    assert "js/goal-picker" in content
    unverified = Goal.objects.filter(verified=False, is_active=True).first()
    if unverified is not None:
        assert f'<option value="{unverified.pk}">' in content
        assert re.search(rf'<option value="{unverified.pk}">[^<]*tekst niet gecontroleerd', content)


def test_it_edits_a_priority(client, bob, agenda, priority):
    client.force_login(bob)
    response = client.get(f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/bewerken/")
    assert 'value="Gezonde jeugd"' in content_of(response)
    data = priority_data(version=priority.version, title="Gezonde jongeren", kind="behoefte")
    response = client.post(f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/bewerken/", data)
    assert response.status_code == 302
    priority.refresh_from_db()
    assert (priority.title, priority.kind, priority.version) == ("Gezonde jongeren", "behoefte", 2)
    # The goal links and targets were not in the form any more: the priority now has none.
    assert not priority.goal_links.exists()
    assert not priority.targets.exists()


def test_a_priority_conflict_keeps_the_input(client, alice, bob, agenda, priority):
    services.priority_update(
        priority_id=priority.pk,
        actor=alice,
        base_version=1,
        title="Titel van Alice",
        kind="opgave",
        description=priority.description,
        theme_ids=[],
        goal_links=[],
        targets=[],
    )
    client.force_login(bob)
    response = client.post(
        f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/bewerken/", priority_data(version=1, title="Van Bob")
    )
    assert response.status_code == 200
    content = content_of(response)
    assert "Iemand anders heeft dit onderdeel intussen gewijzigd" in content
    assert 'value="Van Bob"' in content
    assert ("Titel", "Gezonde jeugd", "Titel van Alice") in response.context["conflict_changes"]
    priority.refresh_from_db()
    assert priority.title == "Titel van Alice"


def test_a_bad_target_row_is_shown_inline(client, bob, agenda, priority):
    indicator = Indicator.objects.filter(in_profile=True).order_by("code").first()
    client.force_login(bob)
    data = priority_data(version=1, targets=[{"indicator": indicator.pk, "target_year": 2099, "target_value": "abc"}])
    response = client.post(f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/bewerken/", data)
    assert response.status_code == 200
    assert response.context["targets"].forms[0].errors["target_value"]
    priority.refresh_from_db()
    assert priority.version == 1


def test_a_target_year_outside_the_range_comes_back_from_the_service(client, bob, agenda, priority):
    indicator = Indicator.objects.filter(in_profile=True).order_by("code").first()
    client.force_login(bob)
    data = priority_data(version=1, targets=[{"indicator": indicator.pk, "target_year": 2099, "target_value": "5"}])
    response = client.post(f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/bewerken/", data)
    assert response.status_code == 200
    assert response.context["sections"]["targets"] == ["Doelindicator 1: het doeljaar ligt niet tussen 2026 en 2045."]
    assert "het doeljaar ligt niet tussen 2026 en 2045" in content_of(response)
    priority.refresh_from_db()
    assert priority.version == 1


def test_it_deletes_a_priority_with_its_measures(client, bob, agenda, priority, measure):
    client.force_login(bob)
    url = f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/verwijderen/"
    content = content_of(client.get(url))
    assert measure.title in content
    response = client.post(url, {"version": priority.version})
    assert response.status_code == 302
    assert not Priority.objects.filter(pk=priority.pk).exists()
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert agenda.revisions.filter(action="deleted").count() == 2


def test_deleting_a_changed_priority_asks_again(client, alice, bob, agenda, priority):
    services.priority_update(
        priority_id=priority.pk,
        actor=alice,
        base_version=1,
        title="Gewijzigd",
        kind="opgave",
        description="",
        theme_ids=[],
        goal_links=[],
        targets=[],
    )
    client.force_login(bob)
    response = client.post(f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/verwijderen/", {"version": 1})
    assert response.status_code == 200
    assert "Iemand anders heeft dit onderdeel intussen gewijzigd" in content_of(response)
    assert '<input type="hidden" name="version" value="2"' in content_of(response)
    assert Priority.objects.filter(pk=priority.pk).exists()


# --- measures -------------------------------------------------------------------------------------


def test_the_measure_form_has_a_budget_input_per_year_and_source(client, bob, agenda, priority, measure):
    client.force_login(bob)
    response = client.get(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/")
    content = content_of(response)
    inputs = re.findall(r'<input class="[^"]*ka-budget__input[^"]*" type="text" id="(budget-\d+-\w+)"', content)
    assert len(inputs) == len(agenda.years) * 10
    assert 'name="budget-2026-rijk" value="100000" inputmode="numeric"' in content
    assert '<label class="visually-hidden" for="budget-2027-eu_erdf">2027, EU: EFRO</label>' in content
    assert '<th class="utrecht-table__header-cell ka-budget__group-header" scope="colgroup" colspan="3">Regio</th>' in (
        content
    )
    assert "data-grand-total>150.000</td>" in content
    assert "js/budget-table" in content


def test_the_measure_form_preselects_the_priority(client, bob, agenda, priority):
    client.force_login(bob)
    response = client.get(f"/agendas/{agenda.pk}/maatregelen/nieuw/?prioriteit={priority.pk}")
    assert f'<option value="{priority.pk}" selected>' in content_of(response)


def test_it_creates_a_measure_with_its_budget(client, bob, agenda, priority):
    client.force_login(bob)
    data = measure_data(
        agenda, priority, budget={(2026, "rijk"): "1.250.000", (2027, "eu_erdf"): "250 000", (2028, "private"): "7"}
    )
    response = client.post(f"/agendas/{agenda.pk}/maatregelen/nieuw/", data)
    assert response.status_code == 302, errors_in(content_of(response))
    measure = Measure.objects.get(agenda=agenda)
    assert response.url == f"/agendas/{agenda.pk}/#maatregel-{measure.pk}"
    assert budget_of(measure) == {(2026, "rijk"): 1_250_000, (2027, "eu_erdf"): 250_000, (2028, "private"): 7}
    assert agenda.revisions.filter(part_type="measure", part_id=measure.pk).count() == 1


@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [("nl", "1.250.000", 1_250_000), ("en", "1,250,000", 1_250_000), ("en", "1 250 000", 1_250_000)],
)
def test_thousands_are_typed_in_the_notation_of_the_language(language, typed, amount):
    with translation.override(language):
        assert parse_amount(typed) == amount


@pytest.mark.parametrize(("language", "typed"), [("nl", "1,250,000"), ("nl", "1,500"), ("en", "1.250.000")])
def test_the_other_languages_thousands_mark_is_refused(language, typed):
    # A Dutch "1,500" is one and a half: read as fifteen hundred, it would be a thousand times the amount.
    with translation.override(language), pytest.raises(AmountError):
        parse_amount(typed)


def test_it_edits_a_measure_and_its_budget(client, bob, agenda, priority, measure):
    client.force_login(bob)
    data = measure_data(
        agenda, priority, version=measure.version, title="Sportcoaches", budget={(2027, "municipalities"): "40000"}
    )
    response = client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Sportcoaches", 2)
    # The table replaces the whole budget: amounts left empty are gone.
    assert budget_of(measure) == {(2027, "municipalities"): 40_000}
    revision = agenda.revisions.filter(part_type="measure").order_by("-number").first()
    assert "budget" in revision.changed_fields


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "2027, Rijk (aanvraag): een bedrag kan niet negatief zijn."),
        ("abc", "2027, Rijk (aanvraag): vul een heel bedrag in euro's in"),
        ("1,5", "2027, Rijk (aanvraag): vul een heel bedrag in euro's in"),
        ("99999999999", "2027, Rijk (aanvraag): dit bedrag is onwaarschijnlijk hoog."),
    ],
)
def test_a_bad_amount_is_shown_on_its_row_and_saves_nothing(client, bob, agenda, priority, measure, amount, message):
    client.force_login(bob)
    before = budget_of(measure)
    data = measure_data(
        agenda, priority, version=1, title="Ander", budget={(2026, "rijk"): "5", (2027, "rijk"): amount}
    )
    response = client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", data)
    assert response.status_code == 200
    content = content_of(response)
    row_error = re.search(r'id="budget-row-2027-error">(.*?)</td>', content, re.S).group(1)
    assert message in escape(row_error) or escape(message) in row_error
    assert 'id="budget-2027-rijk" name="budget-2027-rijk" value="' in content
    assert 'aria-invalid="true" aria-describedby="budget-row-2027-error"' in content
    assert 'href="#budget-row-2027"' in content  # the error summary
    measure.refresh_from_db()
    assert (measure.title, measure.version, budget_of(measure)) == ("Sportcoaches op school", 1, before)


def test_an_amount_outside_the_measure_years_is_refused_naming_year_and_source(client, bob, agenda, priority, measure):
    client.force_login(bob)
    data = measure_data(agenda, priority, version=1, budget={(2026, "rijk"): "5", (2033, "province"): "10"})
    response = client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", data)
    assert response.status_code == 200
    assert response.context["table"].row_errors == {
        2033: ["2033, Provincie: dit jaar valt buiten de looptijd van de maatregel (2026–2028)."]
    }
    measure.refresh_from_db()
    assert measure.version == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_year": 2025}, "end_year", "Het eindjaar ligt vóór het beginjaar."),
        ({"end_year": 2040}, "end_year", "Kies een jaar binnen de looptijd van de agenda (2026–2035)."),
        ({"title": "y" * 201}, "title", "200"),
        (
            {"lead_organisation": "OTHER"},
            "lead_organisation",
            "De trekker moet een lid-organisatie van de coalitie zijn.",
        ),
        ({"start_year": "abc"}, "start_year", "geheel getal"),
    ],
)
def test_bad_measure_input_is_shown_inline_and_changes_nothing(
    client, bob, agenda, priority, measure, overrides, field, message
):
    if overrides.get("lead_organisation") == "OTHER":
        overrides = {"lead_organisation": Organisation.objects.create(name="Buitenstaander", kind="company").pk}
    client.force_login(bob)
    before = Revision.objects.count()
    data = measure_data(agenda, priority, version=1, budget={(2026, "rijk"): "5"}, **{"title": "Ander", **overrides})
    response = client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in content_of(response)
    # What was typed stays in the table.
    assert 'name="budget-2026-rijk" value="5"' in content_of(response)
    measure.refresh_from_db()
    assert (measure.title, measure.version, Revision.objects.count()) == ("Sportcoaches op school", 1, before)


def test_a_measure_conflict_keeps_the_typed_budget(client, alice, bob, agenda, priority, measure):
    services.measure_update(
        measure_id=measure.pk,
        actor=alice,
        base_version=1,
        data=measure_input(agenda, priority, budget={(2026, "rijk"): 999}),
    )
    client.force_login(bob)
    data = measure_data(agenda, priority, version=1, budget={(2026, "rijk"): "123.456"})
    response = client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", data)
    assert response.status_code == 200
    content = content_of(response)
    assert "Iemand anders heeft dit onderdeel intussen gewijzigd" in content
    assert 'name="budget-2026-rijk" value="123.456"' in content
    assert "data-grand-total>123.456</td>" in content
    labels = [label for label, _before, _after in response.context["conflict_changes"]]
    assert "Begroting" in labels
    assert budget_of(measure) == {(2026, "rijk"): 999}
    data["version"] = 2
    assert client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", data).status_code == 302
    assert budget_of(measure) == {(2026, "rijk"): 123_456}


def test_it_saves_goal_links_of_a_measure(client, bob, agenda, priority, measure):
    from goals.models import Goal

    eu = Goal.objects.filter(catalogue="eu", is_active=True).order_by("position").first()
    client.force_login(bob)
    data = measure_data(agenda, priority, version=1, budget={(2026, "rijk"): "5"})
    data.update(formset_management("doelen", 1))
    data.update({"doelen-0-goal": eu.pk, "doelen-0-strength": "direct", "doelen-0-contribution": "Innovatie"})
    assert client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/", data).status_code == 302
    assert list(GoalLink.objects.filter(measure=measure).values_list("goal", "contribution")) == [(eu.pk, "Innovatie")]


def test_it_deletes_a_measure(client, bob, agenda, priority, measure):
    client.force_login(bob)
    response = client.post(f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/verwijderen/", {"version": 1})
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert Priority.objects.filter(pk=priority.pk).exists()


# --- coalition page -------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "button"), [("alice", True), ("bob", True), ("victor", False)])
def test_the_coalition_page_lists_its_agendas_for_members(client, request, coalition, agenda, who, button):
    client.force_login(request.getfixturevalue(who))
    content = content_of(client.get(f"/coalities/{coalition.slug}/"))
    assert f'href="/agendas/{agenda.pk}/">{agenda.title}</a>' in content
    assert (f'href="/agendas/nieuw/{coalition.slug}/"' in content) is button


@pytest.mark.parametrize("role", ["rijk_official", "review_chair", "data_steward"])
def test_the_coalition_page_hides_agendas_from_global_roles(client, coalition, agenda, role):
    client.force_login(make_user("toezicht", role=role))
    response = client.get(f"/coalities/{coalition.slug}/")
    assert response.status_code == 200
    content = content_of(response)
    assert agenda.title not in content
    assert f'href="/agendas/{agenda.pk}/"' not in content
    assert f'href="/agendas/nieuw/{coalition.slug}/"' not in content
    assert "Nieuwe kansenagenda" not in content
