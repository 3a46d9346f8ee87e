"""The history of an agenda (/agendas/<pk>/geschiedenis/) and the comparison of two revisions (…/vergelijk/).

Who sees what: the coalition's members (coordinator alice, editor bob, viewer
victor) read both pages; everyone else gets a 404, global roles included
(drafts never leak); anonymous visitors go to the login page.
"""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from accounts.models import GlobalRole
from agendas import services
from agendas.models import Revision
from regions.models import Indicator
from tests.agendas.factories import make_agenda, make_measure, make_priority, measure_input
from tests.factories import make_user
from tests.helpers import listing, measure

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


def history_url(agenda) -> str:
    return f"/agendas/{agenda.pk}/geschiedenis/"


def compare_url(agenda, van=None, tot=None) -> str:
    url = f"/agendas/{agenda.pk}/geschiedenis/vergelijk/"
    params = [f"{name}={value}" for name, value in (("van", van), ("tot", tot)) if value is not None]
    return url + ("?" + "&".join(params) if params else "")


def update_priority(priority, actor, **changes):
    """priority_update with the priority's current values, except ``changes``."""
    priority.refresh_from_db()
    values = {
        "title": priority.title,
        "kind": priority.kind,
        "description": priority.description,
        "theme_ids": list(priority.themes.values_list("pk", flat=True)),
        "goal_links": [
            services.GoalLinkInput(goal_id=link.goal_id, contribution=link.contribution, strength=link.strength)
            for link in priority.goal_links.all()
        ],
        "targets": [
            services.TargetInput(
                indicator_id=t.indicator_id,
                target_year=t.target_year,
                target_value=t.target_value,
                baseline_year=t.baseline_year,
                baseline_value=t.baseline_value,
            )
            for t in priority.targets.all()
        ],
    }
    values.update(changes)
    return services.priority_update(priority_id=priority.pk, actor=actor, base_version=priority.version, **values)


def update_header(agenda, actor, **changes):
    agenda.refresh_from_db()
    values = {
        "title": agenda.title,
        "summary": agenda.summary,
        "vision": agenda.vision,
        "start_year": agenda.start_year,
        "end_year": agenda.end_year,
        "lead_partner_id": agenda.lead_partner_id,
        "theme_ids": list(agenda.themes.values_list("pk", flat=True)),
    }
    values.update(changes)
    return services.agenda_update_header(agenda_id=agenda.pk, actor=actor, base_version=agenda.version, **values)


def history_rows(content: str) -> list[str]:
    """The revision numbers in the order the table shows them."""
    return re.findall(r'<th class="[^"]*numeric-column" scope="row">(\d+)</th>', content)


# --- access ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["history", "compare"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, agenda, page_name):
    url = history_url(agenda) if page_name == "history" else compare_url(agenda, 1, 1)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/account/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [None, GlobalRole.RIJK_OFFICIAL, GlobalRole.REVIEWER, GlobalRole.REVIEW_CHAIR, GlobalRole.DATA_STEWARD]
)
def test_it_answers_404_to_people_outside_the_coalition(client, agenda, role):
    client.force_login(make_user("outsider", role=role))
    assert client.get(history_url(agenda)).status_code == 404
    assert client.get(compare_url(agenda, 1, 1)).status_code == 404


@pytest.mark.django_db
def test_it_answers_404_to_charlie_and_for_an_unknown_agenda(client, agenda, charlie, alice):
    client.force_login(charlie)
    assert client.get(history_url(agenda)).status_code == 404
    client.force_login(alice)
    assert client.get(f"/agendas/{agenda.pk + 1000}/geschiedenis/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["alice", "bob", "victor"])
def test_it_shows_the_history_to_every_member(client, agenda, member, alice, bob, victor):
    client.force_login({"alice": alice, "bob": bob, "victor": victor}[member])
    response = client.get(history_url(agenda))
    assert response.status_code == 200
    content = response.content.decode()
    assert agenda.title in content
    assert history_rows(content) == ["1"]
    assert client.get(compare_url(agenda, 1, 1)).status_code == 200


# --- the history -------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_revisions_newest_first_with_who_what_and_which_fields(client, agenda, alice, bob):
    priority = make_priority(agenda, alice)
    update_priority(priority, bob, description="Een nieuwe toelichting.", title="Gezonde jeugd en ouderen")
    update_header(agenda, alice, vision="Een andere visie.")

    client.force_login(bob)
    response = client.get(history_url(agenda))
    content = response.content.decode()
    assert history_rows(content) == ["4", "3", "2", "1"]
    rows = content.split('scope="row">')[1:]
    newest, priority_update_row = rows[0], rows[1]
    assert "Alice" in newest and "Algemeen" in newest and "gewijzigd" in newest and "Visie" in newest.title()
    assert "visie" in newest and "vision" not in newest
    assert "Bob" in priority_update_row
    assert "Prioriteit" in priority_update_row and "Gezonde jeugd en ouderen" in priority_update_row
    assert "titel, toelichting" in priority_update_row
    assert "description" not in priority_update_row
    # "vergelijk met vorige" compares each revision with the one before it.
    assert f"{compare_url(agenda)}?van=3&amp;tot=4" in content
    assert f"{compare_url(agenda)}?van=1&amp;tot=2" in content
    assert "?van=0" not in content


@pytest.mark.django_db
def test_it_shows_local_time(client, agenda, alice):
    revision = Revision.objects.get(agenda=agenda, number=1)
    Revision.objects.filter(pk=revision.pk).update(created_at="2026-01-15T23:30:00+00:00")
    client.force_login(alice)
    content = client.get(history_url(agenda)).content.decode()
    # 23:30 UTC is 00:30 the next day in Amsterdam (winter time).
    assert "16 januari 2026, 00:30" in content


@pytest.mark.django_db
def test_it_paginates_the_history(client, agenda, alice):
    for n in range(30):
        update_header(agenda, alice, summary=f"Samenvatting {n}")
    client.force_login(alice)
    first = client.get(history_url(agenda)).content.decode()
    assert history_rows(first) == [str(n) for n in range(31, 6, -1)]
    assert "Pagina 1 van 2" in first
    second = client.get(history_url(agenda) + "?page=2").content.decode()
    assert history_rows(second) == ["6", "5", "4", "3", "2", "1"]


# --- the comparison ----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_compares_a_budget_and_a_text_change_end_to_end(client, agenda, alice, bob, victor):
    priority = make_priority(agenda, alice, description="Jongeren sporten te weinig in de regio.")
    measure = make_measure(agenda, priority, alice)  # revision 3
    start = agenda.start_year
    services.measure_update(
        measure_id=measure.pk,
        actor=bob,
        base_version=measure.version,
        data=measure_input(agenda, priority, budget={(start, "rijk"): 150_000, (start + 1, "eu_erdf"): 25_000}),
    )  # revision 4
    update_priority(priority, bob, description="Jongeren en ouderen sporten te weinig in de regio.")  # revision 5

    client.force_login(victor)
    response = client.get(compare_url(agenda, 3, 5))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Revisie 3 en 5 vergeleken" in content
    sections = content.split('<section class="ka-diff-part"')[1:]
    assert len(sections) == 2
    priority_section, measure_section = sections
    assert "Prioriteit: Gezonde jeugd" in priority_section and "gewijzigd" in priority_section
    assert "Toelichting" in priority_section
    assert '<ins><span class="visually-hidden">toegevoegd: </span> en ouderen</ins>' in priority_section
    assert "Jongeren<ins>" in priority_section
    assert "Maatregel: Sportcoaches op school" in measure_section
    assert "Begroting" in measure_section
    # province 50.000 in the first year is gone, Rijk went from 100.000 to 150.000, EFRO is new.
    assert "€\xa0100.000</del>" in measure_section and "€\xa0150.000</ins>" in measure_section
    assert "Provincie" in measure_section and "€\xa050.000</del>" in measure_section
    assert "EU: EFRO" in measure_section and "€\xa025.000</ins>" in measure_section
    assert "budget" not in measure_section.lower().replace("ka-diff-budget", "")
    added = client.get(compare_url(agenda, 2, 3)).content.decode()
    assert "Maatregel: Sportcoaches op school" in added
    # A measure without goal links: "nothing" to "nothing" is not shown as a change.
    assert "Gekoppelde doelen" not in added
    # The order of the two numbers does not matter.
    assert client.get(compare_url(agenda, 5, 3)).content.decode().count('<section class="ka-diff-part"') == 2


@pytest.mark.django_db
def test_it_shows_added_and_removed_parts_and_readable_lists(client, agenda, alice):
    priority = make_priority(agenda, alice, title="Wonen")  # revision 2
    services.priority_delete(priority_id=priority.pk, actor=alice, base_version=priority.version)  # 3
    client.force_login(alice)
    added = client.get(compare_url(agenda, 1, 2)).content.decode()
    assert "Prioriteit: Wonen" in added and "toegevoegd" in added
    # Goal links, targets and themes are readable (names, not codes; "50", not "5E+1").
    assert "SDG 3.4 (direct)" in added
    indicator = Indicator.objects.filter(in_profile=True).order_by("code").first()
    # A value with the precision of its unit (km: one decimal), not as stored ("5E+1").
    assert escape(f"{indicator.name_nl}: 50,0 in {agenda.end_year}") in added
    assert "5E+1" not in added
    # Fields in the order of the form, whatever order the database keeps the snapshot in.
    labels = re.findall(r'<th class="utrecht-table__header-cell" scope="row">([^<]+)</th>', added)
    assert labels == ["Titel", "Soort", "Toelichting", "Thema&#x27;s", "Gekoppelde doelen", "Doelindicatoren"]
    removed = client.get(compare_url(agenda, 2, 3)).content.decode()
    assert "Prioriteit: Wonen" in removed and 'utrecht-status-badge--danger">verwijderd' in removed
    unchanged = client.get(compare_url(agenda, 1, 3)).content.decode()
    assert "Tussen deze revisies is niets veranderd." in unchanged


@pytest.mark.django_db
def test_it_names_themes_instead_of_codes(client, agenda, alice):
    from regions.models import Theme

    themes = list(Theme.objects.order_by("position"))
    update_header(agenda, alice, theme_ids=[themes[0].pk, themes[5].pk])
    client.force_login(alice)
    content = client.get(compare_url(agenda, 1, 2)).content.decode()
    assert escape(themes[5].name_nl) in content
    assert f">{themes[5].code}<" not in content
    assert escape(themes[1].name_nl) in content  # removed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "van, tot, status, message",
    [
        ("abc", "1", 400, "Voer een geheel getal in"),
        ("1", "1.5", 400, "Voer een geheel getal in"),
        ("", "1", 400, "Dit veld is vereist"),
        ("1", "99", 404, "Revisie 99 bestaat niet"),
        ("0", "1", 404, "minstens 1"),
        ("-5", "1", 404, "minstens 1"),
        ("1" * 40, "1", 404, "bestaat niet"),
    ],
)
def test_it_answers_bad_revision_numbers_with_an_inline_message(client, agenda, alice, van, tot, status, message):
    client.force_login(alice)
    response = client.get(compare_url(agenda, van, tot))
    assert response.status_code == status
    content = response.content.decode()
    assert "Deze revisies kunnen niet vergeleken worden" in content
    assert message in content
    assert 'class="ka-diff-part"' not in content


@pytest.mark.django_db
def test_it_offers_the_form_without_numbers(client, agenda, alice):
    client.force_login(alice)
    response = client.get(compare_url(agenda))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Revisies vergelijken" in content
    assert 'name="van"' in content and 'name="tot"' in content
    assert "Deze revisies kunnen niet vergeleken worden" not in content


# --- escaping ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_never_shows_user_text_unescaped(client, agenda, alice):
    evil = " ".join(XSS)
    update_header(agenda, alice, title=f"Agenda {evil}", vision=f"De visie {evil} blijft.")
    priority = make_priority(agenda, alice, title=f"Prioriteit {evil}", description=evil)
    update_priority(priority, alice, description=f"Nieuw {evil}")
    client.force_login(alice)
    pages = [client.get(history_url(agenda)), client.get(compare_url(agenda, 1, 4))]
    for response in pages:
        assert response.status_code == 200
        content = response.content.decode()
        for attack in XSS:
            assert attack not in content
            assert escape(attack) in content
        assert "onerror=alert(1)>" not in content


# --- queries -----------------------------------------------------------------------------


def grow(agenda, actor, n: int) -> None:
    """``n`` more priorities, each with a measure, and ``n`` header edits."""
    for i in range(n):
        priority = make_priority(agenda, actor, title=f"Prioriteit {i}")
        make_measure(agenda, priority, actor, title=f"Maatregel {i}")
        update_header(agenda, actor, summary=f"Samenvatting versie {i}")


@pytest.mark.django_db
def test_the_history_and_compare_pages_use_a_constant_number_of_queries(client, coalition, alice):
    counts = {}
    for size in (1, 12):
        agenda = make_agenda(coalition, alice, title=f"Agenda {size}")
        grow(agenda, alice, size)
        client.force_login(alice)
        newest = agenda.revisions.count()
        counts[size] = (
            measure(client, history_url(agenda))[1],
            measure(client, compare_url(agenda, 1, newest))[1],
        )
    (small_history, small_compare), (large_history, large_compare) = counts[1], counts[12]
    # session, user, agenda with coalition, the user's own object permissions on the
    # coalition, groups (data-steward link), paginator count, the page of revisions
    # with authors, the unread notifications count
    assert len(small_history) == len(large_history) == 8, listing("SMALL", small_history) + listing(
        "LARGE", large_history
    )
    # session, user, agenda, the user's object permissions, groups, the revisions up to
    # the newer one, theme names, indicator names, the unread notifications count
    assert len(small_compare) == len(large_compare) == 9, listing("SMALL", small_compare) + listing(
        "LARGE", large_compare
    )
