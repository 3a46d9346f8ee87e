"""The agenda API: /api/v1/agendas/, priorities/, measures/, goals/ and notifications/.

Happy paths, bad input (every case answers 400 naming the field and saves
nothing), edit conflicts (409) and query counts. Who may do what is in
test_agenda_api_permissions.py.
"""

from decimal import Decimal

import pytest

from activity.models import Notification
from agendas import services
from agendas.baselines import indicator_baseline
from agendas.comments import comment_create
from agendas.models import (
    DESCRIPTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Agenda,
    BudgetLine,
    Comment,
    Measure,
    Priority,
    Revision,
)
from goals.models import Goal
from regions.models import Indicator, Theme
from tests import helpers
from tests.agendas.factories import make_agenda, make_measure, make_priority, measure_input
from tests.factories import make_coalition, make_user
from tests.helpers import listing

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


@pytest.fixture
def priority(agenda, alice):
    return make_priority(agenda, alice)


@pytest.fixture
def measure(agenda, priority, alice):
    return make_measure(agenda, priority, alice)


@pytest.fixture
def editor(client, bob):
    client.force_login(bob)
    return client


def goal(catalogue: str, code: str) -> Goal:
    return Goal.objects.get(catalogue=catalogue, code=code)


def state(agenda: Agenda) -> tuple:
    """Everything a refused request must leave alone."""
    agenda.refresh_from_db()
    return (
        agenda.version,
        agenda.title,
        agenda.revision_count,
        Revision.objects.count(),
        list(Priority.objects.order_by("pk").values_list("pk", "version", "title")),
        list(Measure.objects.order_by("pk").values_list("pk", "version", "title")),
        list(BudgetLine.objects.order_by("pk").values_list("measure_id", "year", "source", "amount")),
        Comment.objects.count(),
    )


def measure_body(agenda, for_priority, **fields) -> dict:
    body = {
        "agenda": agenda.pk,
        "priority": for_priority.pk,
        "title": "Buurtsportcoach",
        "description": "Een coach per dorp.",
        "lead_organisation": agenda.coalition.organisations.order_by("name").first().pk,
        "start_year": 2026,
        "end_year": 2028,
        "status": "planned",
        "budget_lines": [
            {"year": 2026, "source": "rijk", "amount": 300_000},
            {"year": 2027, "source": "province", "amount": 100_000},
        ],
        "goal_links": [{"goal": goal("sdg", "3").pk, "contribution": "Meer bewegen", "strength": "indirect"}],
    }
    body.update(fields)
    return body


# --- agendas ----------------------------------------------------------------------------------


def test_it_lists_only_the_agendas_of_my_coalitions(editor, agenda, alice):
    other_coordinator = make_user("olga")
    other = make_coalition(coordinator=other_coordinator, slug="twente", region_code="CR15")
    make_agenda(other, other_coordinator, title="Twentse kansen")
    response = editor.get("/api/v1/agendas/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["title"] for row in rows] == [agenda.title]
    assert rows[0]["coalition"] == "oost-groningen"
    assert (rows[0]["priority_count"], rows[0]["measure_count"], rows[0]["version"]) == (0, 0, 1)


@pytest.mark.parametrize("reference", ["id", "slug"])
def test_it_creates_an_agenda(editor, coalition, bob, reference):
    organisation = coalition.organisations.order_by("name").first()
    body = {
        "coalition": coalition.pk if reference == "id" else coalition.slug,
        "title": "Nieuwe agenda",
        "summary": "Kort",
        "start_year": 2027,
        "end_year": 2036,
        "lead_partner": organisation.pk,
        "themes": list(Theme.objects.order_by("position").values_list("code", flat=True)[:2]),
    }
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 201, response.json()
    data = response.json()
    agenda = Agenda.objects.get(pk=data["id"])
    assert (agenda.title, agenda.coalition_id, agenda.start_year, agenda.end_year) == (
        "Nieuwe agenda",
        coalition.pk,
        2027,
        2036,
    )
    assert (data["version"], data["lead_partner"], data["lead_partner_name"]) == (1, organisation.pk, organisation.name)
    assert data["themes"] == body["themes"]
    assert data["vision"] == ""
    assert agenda.revisions.get().author == bob


def test_the_detail_is_the_whole_document(editor, agenda, priority, alice):
    make_measure(agenda, priority, alice, budget={(2026, "rijk"): 300, (2027, "eu_erdf"): 100})
    make_measure(agenda, priority, alice, title="Tweede", budget={(2027, "private"): 600, (2026, "rijk"): 1})
    second = make_priority(
        agenda, alice, title="Wonen", goal_links=[services.GoalLinkInput(goal_id=goal("eu", "PO1").pk)]
    )
    response = editor.get(f"/api/v1/agendas/{agenda.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["title"], data["version"], data["region"]) == (agenda.pk, agenda.title, 1, "CR01")
    assert [p["id"] for p in data["priorities"]] == [priority.pk, second.pk]
    first = data["priorities"][0]
    assert first["kind"] == "opgave"
    assert first["goal_links"] == [
        {
            "goal": goal("sdg", "3.4").pk,
            "label": "SDG 3.4",
            "title": goal("sdg", "3.4").title_nl,
            "contribution": "",
            "strength": "direct",
        }
    ]
    target = first["targets"][0]
    assert target["indicator"] == Indicator.objects.filter(in_profile=True).order_by("code").first().code
    assert (Decimal(target["target_value"]), target["target_year"], target["baseline_value"]) == (
        Decimal(50),
        2035,
        None,
    )
    measures = first["measures"]
    assert [m["title"] for m in measures] == ["Sportcoaches op school", "Tweede"]
    assert measures[0]["budget_lines"] == [
        {"year": 2026, "source": "rijk", "amount": 300},
        {"year": 2027, "source": "eu_erdf", "amount": 100},
    ]
    assert (measures[0]["budget_total"], measures[1]["budget_total"]) == (400, 601)
    assert measures[0]["lead_organisation_name"] == agenda.coalition.organisations.order_by("name").first().name
    budget = data["budget"]
    assert (budget["total"], budget["rijk_total"], budget["cofinancing_total"]) == (1001, 301, 700)
    # 301 / 1001 = 0.30069..., 700 / 1001 = 0.69930...: numbers rounded to four places
    assert (budget["rijk_share"], budget["cofinancing_ratio"]) == (0.3007, 0.6993)
    by_year = {row["year"]: row["amount"] for row in budget["by_year"]}
    assert list(by_year) == list(range(2026, 2036))
    assert (by_year[2026], by_year[2027], by_year[2028]) == (301, 700, 0)
    assert (budget["by_source"]["rijk"], budget["by_source"]["eu_erdf"], budget["by_source"]["private"]) == (
        301,
        100,
        600,
    )
    assert budget["by_group"] == {"rijk": 301, "region": 0, "eu": 100, "private": 600, "other": 0}
    # Goals: SDG 3 (from the target 3.4 of the first priority) and EU 1 (second priority, direct).
    goal_rows = {row["label"]: row["cells"] for row in data["goal_coverage"]["rows"]}
    assert data["goal_coverage"]["priorities"] == [priority.pk, second.pk]
    assert goal_rows == {"SDG 3": ["direct", None], "EU PO1": [None, "direct"]}
    theme_rows = {row["code"]: row["cells"] for row in data["theme_coverage"]["rows"]}
    first_theme = Theme.objects.order_by("position").first().code
    assert theme_rows[first_theme] == ["direct", "direct"]
    assert data["is_complete"] is False
    assert {
        "section": "priority",
        "part_id": second.pk,
        "message": "“Wonen”: voeg minstens één maatregel toe.",
    } in data["gaps"]


def test_shares_are_null_without_a_budget(editor, agenda):
    budget = editor.get(f"/api/v1/agendas/{agenda.pk}/").json()["budget"]
    assert (budget["total"], budget["rijk_share"], budget["cofinancing_ratio"]) == (0, None, None)


def test_it_saves_the_header_with_put(editor, agenda):
    body = {"version": 1, "title": "Nieuwe titel", "start_year": 2026, "end_year": 2035, "themes": ["gezondheid"]}
    if not Theme.objects.filter(code="gezondheid").exists():
        body["themes"] = [Theme.objects.order_by("position").first().code]
    response = editor.put(f"/api/v1/agendas/{agenda.pk}/", body, content_type=JSON)
    assert response.status_code == 200, response.json()
    agenda.refresh_from_db()
    # PUT replaces: what was left out is empty now.
    assert (agenda.title, agenda.version, agenda.summary, agenda.lead_partner_id) == ("Nieuwe titel", 2, "", None)
    assert list(agenda.themes.values_list("code", flat=True)) == body["themes"]
    assert response.json()["version"] == 2


def test_patch_keeps_what_it_does_not_name(editor, agenda):
    themes = sorted(agenda.themes.values_list("code", flat=True))
    summary, lead_partner = agenda.summary, agenda.lead_partner_id
    response = editor.patch(
        f"/api/v1/agendas/{agenda.pk}/", {"version": 1, "title": "Alleen de titel"}, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    agenda.refresh_from_db()
    assert (agenda.title, agenda.summary, agenda.lead_partner_id, agenda.version) == (
        "Alleen de titel",
        summary,
        lead_partner,
        2,
    )
    assert sorted(agenda.themes.values_list("code", flat=True)) == themes
    assert agenda.revisions.order_by("-number").first().changed_fields == ["title"]


def test_an_agenda_cannot_be_deleted(editor, agenda):
    assert editor.delete(f"/api/v1/agendas/{agenda.pk}/").status_code == 405
    assert Agenda.objects.filter(pk=agenda.pk).exists()


# --- priorities -------------------------------------------------------------------------------


def test_it_creates_a_priority_with_baselines_from_the_data(editor, agenda):
    with_data = Indicator.objects.get(code="jv-overgewicht")
    without_data = Indicator.objects.get(code="jeugdzorg-pct")
    typed = Indicator.objects.get(code="jv-rookt")
    cleared = Indicator.objects.get(code="jv-schulden")
    year, value = indicator_baseline(agenda.region, with_data)
    body = {
        "agenda": agenda.pk,
        "title": "Gezond gewicht",
        "kind": "kans",
        "description": "Minder overgewicht.",
        "themes": [Theme.objects.order_by("position").first().code],
        "goal_links": [{"goal": goal("sdg", "3").pk, "contribution": "Gezondheid", "strength": "direct"}],
        "targets": [
            {"indicator": with_data.code, "target_year": 2035, "target_value": "25.5"},
            {"indicator": without_data.code, "target_year": 2035, "target_value": "10"},
            {
                "indicator": typed.code,
                "baseline_year": 2020,
                "baseline_value": "31.25",
                "target_year": 2035,
                "target_value": 20,
            },
            {"indicator": cleared.code, "baseline_value": None, "target_year": 2035, "target_value": "9"},
        ],
    }
    response = editor.post("/api/v1/priorities/", body, content_type=JSON)
    assert response.status_code == 201, response.json()
    priority = Priority.objects.get(pk=response.json()["id"])
    targets = {t.indicator.code: t for t in priority.targets.select_related("indicator")}
    assert (targets[with_data.code].baseline_year, targets[with_data.code].baseline_value) == (year, value)
    assert targets[with_data.code].baseline_from_data is True
    assert (targets[without_data.code].baseline_value, targets[without_data.code].baseline_from_data) == (None, False)
    assert (targets[typed.code].baseline_year, targets[typed.code].baseline_value) == (2020, Decimal("31.25"))
    assert targets[typed.code].baseline_from_data is False
    assert (targets[cleared.code].baseline_value, targets[cleared.code].baseline_from_data) == (None, False)
    assert priority.goal_links.get().strength == "direct"
    returned = {t["indicator"]: t for t in response.json()["targets"]}
    assert returned[with_data.code]["baseline_from_data"] is True
    assert Decimal(returned[with_data.code]["baseline_value"]) == value


def test_a_baseline_from_the_data_survives_a_get_and_put(editor, agenda):
    indicator = Indicator.objects.get(code="jv-overgewicht")
    body = {
        "agenda": agenda.pk,
        "title": "Gezond gewicht",
        "kind": "kans",
        "targets": [{"indicator": indicator.code, "target_year": 2035, "target_value": "25"}],
    }
    created = editor.post("/api/v1/priorities/", body, content_type=JSON).json()
    back = {key: created[key] for key in ("title", "kind", "description", "themes", "targets", "version")}
    back["targets"] = [{k: v for k, v in t.items() if k != "indicator_name"} for t in back["targets"]]
    back["goal_links"] = []
    response = editor.put(f"/api/v1/priorities/{created['id']}/", back, content_type=JSON)
    assert response.status_code == 200, response.json()
    target = Priority.objects.get(pk=created["id"]).targets.get()
    assert (target.baseline_from_data, target.baseline_value) == (True, indicator_baseline(agenda.region, indicator)[1])


def test_it_reads_saves_and_deletes_a_priority(editor, agenda, priority, measure):
    response = editor.get(f"/api/v1/priorities/{priority.pk}/")
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["measures"]] == [measure.pk]

    goal_links_before = list(priority.goal_links.values_list("goal_id", flat=True))
    response = editor.patch(
        f"/api/v1/priorities/{priority.pk}/", {"version": 1, "description": "Nieuw"}, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    priority.refresh_from_db()
    assert (priority.description, priority.version, priority.title) == ("Nieuw", 2, "Gezonde jeugd")
    assert list(priority.goal_links.values_list("goal_id", flat=True)) == goal_links_before
    assert priority.targets.count() == 1

    response = editor.put(
        f"/api/v1/priorities/{priority.pk}/", {"version": 2, "title": "Anders", "kind": "kans"}, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    priority.refresh_from_db()
    assert (priority.title, priority.kind, priority.description, priority.version) == ("Anders", "kans", "", 3)
    assert (priority.goal_links.count(), priority.targets.count(), priority.themes.count()) == (0, 0, 0)

    response = editor.delete(f"/api/v1/priorities/{priority.pk}/?version=3")
    assert response.status_code == 204
    assert not Priority.objects.filter(pk=priority.pk).exists()
    assert not Measure.objects.filter(pk=measure.pk).exists()


# --- measures ---------------------------------------------------------------------------------


def test_it_creates_a_measure_with_its_budget(editor, agenda, priority):
    response = editor.post("/api/v1/measures/", measure_body(agenda, priority), content_type=JSON)
    assert response.status_code == 201, response.json()
    data = response.json()
    measure = Measure.objects.get(pk=data["id"])
    assert (measure.title, measure.priority_id, measure.status, measure.version) == (
        "Buurtsportcoach",
        priority.pk,
        "planned",
        1,
    )
    assert sorted(measure.budget_lines.values_list("year", "source", "amount")) == [
        (2026, "rijk", 300_000),
        (2027, "province", 100_000),
    ]
    assert data["budget_total"] == 400_000
    assert data["goal_links"][0]["strength"] == "indirect"
    assert editor.get(f"/api/v1/measures/{measure.pk}/").json() == data


def test_budget_lines_replace_the_whole_budget(editor, agenda, priority, measure):
    lines = [{"year": 2027, "source": "eu_erdf", "amount": 70}, {"year": 2026, "source": "rijk", "amount": 0}]
    response = editor.patch(f"/api/v1/measures/{measure.pk}/", {"version": 1, "budget_lines": lines}, content_type=JSON)
    assert response.status_code == 200, response.json()
    assert list(measure.budget_lines.values_list("year", "source", "amount")) == [(2027, "eu_erdf", 70)]
    measure.refresh_from_db()
    assert (measure.title, measure.version, measure.status) == ("Sportcoaches op school", 2, "planned")
    assert response.json()["budget_lines"] == [{"year": 2027, "source": "eu_erdf", "amount": 70}]


def test_patch_without_budget_lines_keeps_the_budget(editor, agenda, priority, measure):
    before = sorted(measure.budget_lines.values_list("year", "source", "amount"))
    response = editor.patch(
        f"/api/v1/measures/{measure.pk}/", {"version": 1, "title": "Andere titel"}, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    assert sorted(measure.budget_lines.values_list("year", "source", "amount")) == before


def test_put_replaces_a_measure(editor, agenda, priority, measure):
    body = measure_body(agenda, priority, version=1, budget_lines=[{"year": 2028, "source": "private", "amount": 5}])
    del body["agenda"], body["description"], body["status"], body["goal_links"]
    response = editor.put(f"/api/v1/measures/{measure.pk}/", body, content_type=JSON)
    assert response.status_code == 200, response.json()
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.status, measure.version) == ("Buurtsportcoach", "", "idea", 2)
    assert list(measure.budget_lines.values_list("year", "source", "amount")) == [(2028, "private", 5)]
    assert measure.goal_links.count() == 0


def test_it_deletes_a_measure(editor, agenda, measure):
    response = editor.delete(f"/api/v1/measures/{measure.pk}/?version=1")
    assert response.status_code == 204
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert agenda.revisions.order_by("-number").first().action == "deleted"


# --- bad input: 400 with the field, nothing saved -------------------------------------------


@pytest.mark.parametrize("amount", ["12.5", 12.5, "-1", -1, "abc", True, None, [], {"x": 1}, 10_000_000_001])
def test_a_bad_amount_is_refused(editor, agenda, priority, measure, amount):
    before = state(agenda)
    body = measure_body(agenda, priority, budget_lines=[{"year": 2026, "source": "rijk", "amount": amount}])
    response = editor.post("/api/v1/measures/", body, content_type=JSON)
    assert response.status_code == 400
    # Errors of list items are keyed by the item's index.
    assert "amount" in response.json()["budget_lines"]["0"]
    response = editor.patch(
        f"/api/v1/measures/{measure.pk}/", {"version": 1, "budget_lines": body["budget_lines"]}, content_type=JSON
    )
    assert response.status_code == 400
    assert "budget_lines" in response.json()
    assert state(agenda) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (
            "budget_lines",
            [{"year": 2026, "source": "rijk", "amount": 1}, {"year": 2026, "source": "rijk", "amount": 2}],
        ),
        ("budget_lines", [{"year": "2026.5", "source": "rijk", "amount": 1}]),
        ("budget_lines", [{"year": 2026.0, "source": "rijk", "amount": 1}]),
        ("budget_lines", [{"year": 2026, "source": "lottery", "amount": 1}]),
        ("budget_lines", [{"year": 2034, "source": "rijk", "amount": 1}]),
        ("budget_lines", "2026:rijk:1"),
        ("start_year", "abc"),
        ("start_year", True),
        ("end_year", 2045),
        ("title", ""),
        ("title", "x" * (TITLE_MAX + 1)),
        ("description", "x" * (DESCRIPTION_MAX + 1)),
        ("status", "done"),
        ("priority", 0),
        ("lead_organisation", None),
        ("goal_links", [{"goal": 999_999}]),
        ("goal_links", [{"goal": "abc"}]),
        ("goal_links", [{"contribution": "zonder doel"}]),
        ("goal_links", [{"goal": 1, "strength": "sterk"}]),
    ],
)
def test_bad_measure_input_is_refused(editor, agenda, priority, measure, field, value):
    if field == "goal_links" and value and value[0].get("goal") == 1:
        value = [{"goal": goal("sdg", "1").pk, "strength": "sterk"}]
    before = state(agenda)
    response = editor.post("/api/v1/measures/", measure_body(agenda, priority, **{field: value}), content_type=JSON)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    response = editor.patch(f"/api/v1/measures/{measure.pk}/", {"version": 1, field: value}, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert state(agenda) == before


def test_a_priority_of_another_agenda_is_refused_for_a_measure(editor, coalition, agenda, priority, alice):
    other_agenda = make_agenda(coalition, alice, title="Andere agenda")
    other_priority = make_priority(other_agenda, alice)
    before = state(agenda)
    response = editor.post("/api/v1/measures/", measure_body(agenda, other_priority), content_type=JSON)
    assert response.status_code == 400
    assert "priority" in response.json()
    assert state(agenda) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x" * (TITLE_MAX + 1)),
        ("title", "   "),
        ("kind", "wens"),
        ("description", "x" * (DESCRIPTION_MAX + 1)),
        ("themes", ["geen-thema"]),
        ("themes", "gezondheid"),
        ("goal_links", [{"goal": 999_999}]),
        ("goal_links", [{"goal": True}]),
        ("targets", [{"indicator": "onbekend", "target_year": 2035, "target_value": "1"}]),
        ("targets", [{"indicator": "jv-rookt", "target_year": 2035, "target_value": "abc"}]),
        ("targets", [{"indicator": "jv-rookt", "target_year": "2035.5", "target_value": "1"}]),
        ("targets", [{"indicator": "jv-rookt", "target_year": 2099, "target_value": "1"}]),
        ("targets", [{"indicator": "jv-rookt", "baseline_year": 2036, "target_year": 2035, "target_value": "1"}]),
        ("targets", [{"indicator": "jv-rookt", "target_year": 2035, "target_value": "1.00001"}]),
        ("targets", [{"indicator": "jv-rookt", "target_year": 2035, "target_value": "NaN"}]),
        ("targets", [{"indicator": "jv-rookt", "target_year": 2035}]),
    ],
)
def test_bad_priority_input_is_refused(editor, agenda, priority, field, value):
    before = state(agenda)
    body = {"agenda": agenda.pk, "title": "Wonen", "kind": "kans", field: value}
    response = editor.post("/api/v1/priorities/", body, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    response = editor.patch(f"/api/v1/priorities/{priority.pk}/", {"version": 1, field: value}, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert state(agenda) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * (TITLE_MAX + 1)),
        ("summary", "x" * (SUMMARY_MAX + 1)),
        ("start_year", "twintig"),
        ("end_year", 2027),
        ("end_year", 2026.5),
        ("lead_partner", 999_999),
        ("lead_partner", "abc"),
        ("themes", ["geen-thema"]),
    ],
)
def test_bad_header_input_is_refused(editor, agenda, field, value):
    before = state(agenda)
    response = editor.patch(f"/api/v1/agendas/{agenda.pk}/", {"version": 1, field: value}, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert state(agenda) == before


@pytest.mark.parametrize("coalition_value", [999_999, "bestaat-niet", None, True, "twente"])
def test_an_unknown_or_invisible_coalition_is_a_field_error(editor, coalition_value):
    other_coordinator = make_user("olga")
    make_coalition(coordinator=other_coordinator, slug="twente", region_code="CR15")
    body = {"coalition": coalition_value, "title": "X", "start_year": 2026, "end_year": 2035}
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 400
    assert "coalition" in response.json()
    assert Agenda.objects.count() == 0


def test_a_bad_new_agenda_is_refused(editor, coalition):
    body = {"coalition": coalition.pk, "title": "X", "start_year": 2026, "end_year": 2027}
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 400
    assert "end_year" in response.json()
    assert Agenda.objects.count() == 0


@pytest.mark.parametrize("body", [[], "tekst", 12, None])
def test_a_body_that_is_not_an_object_is_refused(editor, agenda, priority, body):
    before = state(agenda)
    for method, url in [
        (editor.post, "/api/v1/agendas/"),
        (editor.patch, f"/api/v1/agendas/{agenda.pk}/"),
        (editor.post, "/api/v1/priorities/"),
        (editor.put, f"/api/v1/priorities/{priority.pk}/"),
        (editor.post, "/api/v1/measures/"),
    ]:
        response = method(url, body, content_type=JSON)
        assert response.status_code == 400, url
    assert state(agenda) == before


def test_malformed_json_is_refused(editor, agenda):
    response = editor.patch(f"/api/v1/agendas/{agenda.pk}/", '{"version": 1, "title": ', content_type=JSON)
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_save_without_a_version_is_refused(editor, agenda, priority, measure, method):
    before = state(agenda)
    send = getattr(editor, method)
    for url, body in [
        (f"/api/v1/agendas/{agenda.pk}/", {"title": "X", "start_year": 2026, "end_year": 2035}),
        (f"/api/v1/priorities/{priority.pk}/", {"title": "X", "kind": "kans"}),
        (f"/api/v1/measures/{measure.pk}/", measure_body(agenda, priority)),
    ]:
        response = send(url, body, content_type=JSON)
        assert response.status_code == 400, url
        assert "version" in response.json()
        response = send(url, {**body, "version": "een"}, content_type=JSON)
        assert response.status_code == 400, url
        assert "version" in response.json()
    assert state(agenda) == before


@pytest.mark.parametrize("query", ["", "?version=", "?version=abc", "?version=0", "?version=-1", "?version=1.0"])
def test_a_delete_without_a_version_is_refused(editor, agenda, priority, measure, query):
    before = state(agenda)
    for url in (f"/api/v1/measures/{measure.pk}/", f"/api/v1/priorities/{priority.pk}/"):
        response = editor.delete(url + query)
        assert response.status_code == 400
        assert "version" in response.json()
    assert state(agenda) == before


# --- conflicts ----------------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_that_says_what_changed(client, editor, agenda, priority, measure, alice):
    first = editor.patch(f"/api/v1/measures/{measure.pk}/", {"version": 1, "title": "Door Bob"}, content_type=JSON)
    assert first.status_code == 200
    client.force_login(alice)
    before = state(agenda)
    response = client.patch(f"/api/v1/measures/{measure.pk}/", {"version": 1, "title": "Door Alice"}, content_type=JSON)
    assert response.status_code == 409
    data = response.json()
    assert data["current_version"] == 2
    assert data["changes"] == [{"field": "title", "before": "Sportcoaches op school", "after": "Door Bob"}]
    assert "versie 1" in data["detail"]
    assert state(agenda) == before
    # The same for a delete, a priority and the header.
    assert client.delete(f"/api/v1/measures/{measure.pk}/?version=1").status_code == 409
    editor.patch(f"/api/v1/priorities/{priority.pk}/", {"version": 1, "title": "P2"}, content_type=JSON)
    response = client.patch(f"/api/v1/priorities/{priority.pk}/", {"version": 1, "title": "P3"}, content_type=JSON)
    assert (response.status_code, response.json()["current_version"]) == (409, 2)
    editor.patch(f"/api/v1/agendas/{agenda.pk}/", {"version": 1, "title": "A2"}, content_type=JSON)
    response = client.patch(f"/api/v1/agendas/{agenda.pk}/", {"version": 1, "title": "A3"}, content_type=JSON)
    assert (response.status_code, response.json()["changes"]) == (
        409,
        [{"field": "title", "before": "Kansen voor Oost-Groningen", "after": "A2"}],
    )


def test_a_save_of_another_part_is_not_blocked(client, editor, agenda, priority, alice):
    other = make_priority(agenda, alice, title="Wonen")
    assert (
        editor.patch(
            f"/api/v1/priorities/{priority.pk}/", {"version": 1, "title": "Bob"}, content_type=JSON
        ).status_code
        == 200
    )
    client.force_login(alice)
    # Alice started from version 1 of the other priority, which nobody changed.
    response = client.patch(f"/api/v1/priorities/{other.pk}/", {"version": 1, "title": "Alice"}, content_type=JSON)
    assert response.status_code == 200
    assert list(Priority.objects.order_by("pk").values_list("title", "version")) == [("Bob", 2), ("Alice", 2)]


# --- history ------------------------------------------------------------------------------------


def test_it_lists_revisions_and_compares_them(editor, agenda, priority, measure, bob):
    editor.patch(f"/api/v1/measures/{measure.pk}/", {"version": 1, "title": "Nieuwe titel"}, content_type=JSON)
    response = editor.get(f"/api/v1/agendas/{agenda.pk}/revisions/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [4, 3, 2, 1]
    assert rows[0] == {
        "number": 4,
        "author": "Bob",
        "created_at": rows[0]["created_at"],
        "part_type": "measure",
        "part_id": measure.pk,
        "part_label": "Nieuwe titel",
        "part_version": 2,
        "action": "updated",
        "changed_fields": ["title"],
    }
    response = editor.get(f"/api/v1/agendas/{agenda.pk}/compare/?from=3&to=4")
    assert response.status_code == 200
    assert response.json() == {
        "from_revision": 3,
        "to_revision": 4,
        "parts": [
            {
                "part_type": "measure",
                "part_id": measure.pk,
                "label": "Nieuwe titel",
                "status": "changed",
                "changes": [{"field": "title", "before": "Sportcoaches op school", "after": "Nieuwe titel"}],
            }
        ],
    }
    parts = editor.get(f"/api/v1/agendas/{agenda.pk}/compare/?from=4&to=1").json()["parts"]
    assert [(p["part_type"], p["status"]) for p in parts] == [("priority", "added"), ("measure", "added")]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("", {"from", "to"}),
        ("?from=1", {"to"}),
        ("?from=abc&to=2", {"from"}),
        ("?from=0&to=2", {"from"}),
        ("?from=1&to=99", {"to"}),
        ("?from=-1&to=1.5", {"from", "to"}),
    ],
)
def test_compare_refuses_bad_numbers(editor, agenda, priority, query, fields):
    response = editor.get(f"/api/v1/agendas/{agenda.pk}/compare/{query}")
    assert response.status_code == 400
    assert set(response.json()) == fields


# --- comments ---------------------------------------------------------------------------------


def test_it_posts_and_lists_comments_and_notifies_mentions(editor, agenda, priority, alice, bob):
    response = editor.post(
        f"/api/v1/agendas/{agenda.pk}/comments/",
        {"body": "Klopt dit, @alice? **Zeker** <script>x</script>", "priority": priority.pk},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["author"], data["priority"], data["agenda"]) == ("Bob", priority.pk, agenda.pk)
    assert "<strong>Zeker</strong>" in data["body_html"]
    assert "<script>" not in data["body_html"]
    assert Notification.objects.get().recipient == alice
    response = editor.get(f"/api/v1/agendas/{agenda.pk}/comments/")
    assert [c["id"] for c in response.json()["results"]] == [data["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "Hoi", "priority": 999_999}, "priority"),
        ({"body": "Hoi", "priority": "abc"}, "priority"),
    ],
)
def test_bad_comments_are_refused(editor, agenda, body, field):
    response = editor.post(f"/api/v1/agendas/{agenda.pk}/comments/", body, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()
    assert Comment.objects.count() == 0


def test_a_comment_on_a_priority_of_another_agenda_is_refused(editor, coalition, agenda, alice):
    other = make_priority(make_agenda(coalition, alice, title="Andere"), alice)
    response = editor.post(
        f"/api/v1/agendas/{agenda.pk}/comments/", {"body": "Hoi", "priority": other.pk}, content_type=JSON
    )
    assert response.status_code == 400
    assert "priority" in response.json()
    assert Comment.objects.count() == 0


# --- goals ----------------------------------------------------------------------------------


def test_it_lists_and_filters_goals(editor):
    response = editor.get("/api/v1/goals/?catalogue=sdg&parent=" + str(goal("sdg", "3").pk))
    assert response.status_code == 200
    data = response.json()
    expected = list(
        Goal.objects.filter(parent=goal("sdg", "3"), is_active=True).order_by("position").values_list("code", flat=True)
    )
    assert [row["code"] for row in data["results"]] == expected[:50]
    assert data["count"] == len(expected) > 0
    first = data["results"][0]
    assert first["label"] == f"SDG {first['code']}"
    assert set(first) >= {"id", "label", "short", "title", "verified", "parent", "catalogue"}
    eu = editor.get("/api/v1/goals/?catalogue=eu").json()
    assert eu["count"] == Goal.objects.filter(catalogue="eu", is_active=True).count()
    assert {row["catalogue"] for row in eu["results"]} == {"eu"}


def test_it_searches_goals_in_code_and_titles(editor):
    sdg = goal("sdg", "3")
    word = sdg.short_en.split()[0] if sdg.short_en else sdg.title_en.split()[0]
    results = editor.get(f"/api/v1/goals/?search={word}").json()["results"]
    assert sdg.pk in [row["id"] for row in results]
    dutch = sdg.short_nl or sdg.title_nl
    results = editor.get(f"/api/v1/goals/?search={dutch[:12]}").json()["results"]
    assert sdg.pk in [row["id"] for row in results]
    assert editor.get("/api/v1/goals/?search=zzzgeenzzz").json()["count"] == 0
    assert editor.get("/api/v1/goals/?catalogue=onbekend").status_code == 400


# --- notifications ----------------------------------------------------------------------------


def mention(agenda, author, *, body: str):
    return comment_create(agenda=agenda, actor=author, body=body)


def test_it_lists_my_notifications_and_marks_them_read(client, agenda, alice, bob, victor):
    mention(agenda, bob, body="@alice kijk even")
    mention(agenda, bob, body="@alice en @victor")
    client.force_login(alice)
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 2
    assert rows[0]["text"] == f"Bob noemde u in een reactie op “{agenda.title}”."
    assert rows[0]["link"] == f"/agendas/{agenda.pk}/#reacties"
    assert (rows[0]["is_read"], rows[0]["actor"]) == (False, "Bob")

    response = client.post(f"/api/v1/notifications/{rows[1]['id']}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1

    victors = Notification.objects.get(recipient=victor)
    assert client.post(f"/api/v1/notifications/{victors.pk}/read/").status_code == 404
    response = client.post("/api/v1/notifications/read-all/")
    assert response.json() == {"marked": 1}
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 0
    # Victor's own stays unread, and is not in Alice's list.
    victors.refresh_from_db()
    assert victors.read_at is None
    assert victors.pk not in [row["id"] for row in client.get("/api/v1/notifications/").json()["results"]]


# --- query counts -----------------------------------------------------------------------------


def grow(agenda, actor, *, priorities: int, measures_each: int) -> None:
    """Priorities with measures that have several years of budget and goal links."""
    have = agenda.priorities.count()
    for i in range(have, have + priorities):
        priority = make_priority(agenda, actor, title=f"Prioriteit {i}")
        for j in range(measures_each):
            budget = {
                (year, source): 1000 * (j + 1)
                for year in range(2026, 2030)
                for source in ("rijk", "eu_erdf", "private")
            }
            services.measure_create(
                agenda=agenda,
                actor=actor,
                data=measure_input(
                    agenda,
                    priority,
                    title=f"Maatregel {i}.{j}",
                    budget=budget,
                    goal_links=[services.GoalLinkInput(goal_id=goal("sdg", "1").pk)],
                ),
            )


def count_queries(client, url: str) -> tuple[dict, list[str]]:
    response, queries = helpers.measure(client, url)
    return response.json(), queries


# session, user; the agenda (+coalition, region, lead partner) filtered to the
# visible ones (guardian's permission subquery inside it); its themes;
# priorities; their themes; their targets (+indicator); measures (+lead
# organisation); their budget lines; the goal links of priorities and measures
# together (+goal, +the goal of a linked target)
DETAIL_QUERIES = 10


def test_the_detail_runs_in_constant_queries(editor, agenda, alice, django_assert_num_queries):
    url = f"/api/v1/agendas/{agenda.pk}/"
    grow(agenda, alice, priorities=1, measures_each=1)
    editor.get(url)  # warm up process-wide caches (content types)
    with django_assert_num_queries(DETAIL_QUERIES):
        small = editor.get(url).json()
    grow(agenda, alice, priorities=3, measures_each=4)
    with django_assert_num_queries(DETAIL_QUERIES):
        large = editor.get(url).json()
    assert (len(small["priorities"]), len(large["priorities"])) == (1, 4)
    assert (sum(len(p["measures"]) for p in large["priorities"]), len(large["budget"]["by_year"])) == (13, 10)
    assert large["budget"]["total"] > small["budget"]["total"] > 0


def test_the_detail_stays_within_15_queries(editor, agenda, alice, django_assert_max_num_queries):
    grow(agenda, alice, priorities=4, measures_each=3)
    editor.get(f"/api/v1/agendas/{agenda.pk}/")
    with django_assert_max_num_queries(15):
        assert editor.get(f"/api/v1/agendas/{agenda.pk}/").status_code == 200


# session, user; count for the paginator; the page of agendas (+coalition,
# region, counts), each with guardian's permission subquery inside
LIST_QUERIES = 4


def test_the_list_runs_in_constant_queries(editor, coalition, alice):
    make_agenda(coalition, alice, title="Een")
    small, small_queries = count_queries(editor, "/api/v1/agendas/")
    for i in range(5):
        grow(make_agenda(coalition, alice, title=f"Agenda {i}"), alice, priorities=1, measures_each=2)
    large, large_queries = count_queries(editor, "/api/v1/agendas/")
    assert (small["count"], large["count"]) == (1, 6)
    assert len(small_queries) == len(large_queries) == LIST_QUERIES, listing("small", small_queries) + listing(
        "large", large_queries
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # session, user; the priority (+agenda, visible); themes; goal links; targets; measures;
        # their budget lines; their goal links
        ("/api/v1/priorities/{priority}/", 9),
        # session, user; the measure (visible); budget lines; goal links
        ("/api/v1/measures/{measure}/", 5),
        # session, user; the agenda (visible); count; page of revisions (+author)
        ("/api/v1/agendas/{agenda}/revisions/", 5),
    ],
)
def test_part_endpoints_run_in_constant_queries(editor, agenda, alice, url, expected):
    grow(agenda, alice, priorities=1, measures_each=1)
    priority = agenda.priorities.first()
    measure = priority.measures.first()
    url = url.format(agenda=agenda.pk, priority=priority.pk, measure=measure.pk)
    _, small_queries = count_queries(editor, url)
    grow(agenda, alice, priorities=2, measures_each=3)
    for i in range(3):
        make_measure(agenda, priority, alice, title=f"Extra {i}")
    services.measure_update(
        measure_id=measure.pk,
        actor=alice,
        base_version=1,
        data=measure_input(agenda, priority, budget={(y, "rijk"): 5 for y in range(2026, 2030)}),
    )
    _, large_queries = count_queries(editor, url)
    assert len(small_queries) == len(large_queries) == expected, listing("small", small_queries) + listing(
        "large", large_queries
    )


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/agendas/abc/"),
        ("get", "/api/v1/agendas/99999999999999999999999/"),
        ("get", "/api/v1/agendas/abc/revisions/"),
        ("get", "/api/v1/priorities/abc/"),
        ("patch", "/api/v1/priorities/abc/"),
        ("get", "/api/v1/measures/1e3/"),
        ("delete", "/api/v1/measures/abc/?version=1"),
        ("get", "/api/v1/goals/abc/"),
        ("post", "/api/v1/notifications/abc/read/"),
    ],
)
def test_an_id_that_is_not_a_number_is_not_found(editor, agenda, method, url):
    assert getattr(editor, method)(url).status_code == 404


def test_the_openapi_schema_describes_the_agenda_api(editor):
    response = editor.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for path in (
        "/api/v1/agendas/",
        "/api/v1/agendas/{id}/",
        "/api/v1/agendas/{id}/revisions/",
        "/api/v1/agendas/{id}/compare/",
        "/api/v1/agendas/{id}/comments/",
        "/api/v1/priorities/{id}/",
        "/api/v1/measures/{id}/",
        "/api/v1/goals/",
        "/api/v1/notifications/read-all/",
    ):
        assert path in schema["paths"], path
    assert "delete" not in schema["paths"]["/api/v1/agendas/{id}/"]
    assert "409" in schema["paths"]["/api/v1/measures/{id}/"]["patch"]["responses"]
    amount = schema["components"]["schemas"]["BudgetLineInputRequest"]["properties"]["amount"]
    assert (amount["type"], amount["minimum"]) == ("integer", 0)
    share = schema["components"]["schemas"]["BudgetSummary"]["properties"]["rijk_share"]
    assert (share["type"], share.get("nullable")) == ("number", True)
