"""The agenda pages use the same number of queries whatever the size of the agenda.

Each test measures one page with a SMALL and a LARGE agenda (priorities, each
with goal links, a target and measures with budget lines and goal links) and
asserts one exact count for both; the comment names the queries. As in
tests/regions/test_query_counts.py, every measurement follows one unmeasured request
to the same URL, so process-wide caches (content types, the region data
snapshot) are warm and both sizes are measured in the same state.
"""

from __future__ import annotations

import pytest

from agendas import services
from goals.models import Goal
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.helpers import assert_counts, measure

SMALL, LARGE = 1, 5

# Query names used below.
# session, user   the session row and the logged-in user
# frame           the page frame: the user's group names (context processor data_context) and the
#                 number of unread notifications (header)
# perms           guardian's object permissions on the coalition: of the user, of their groups
#                 (permissions.coalition_permissions, once per page)
# profile         the region's municipalities, the latest dataset versions (2) (region_profile;
#                 the data snapshot itself is cached)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grow(agenda, actor, n: int):
    """``n`` more priorities, each with two goal links, a target and two measures with a budget and a goal link."""
    goals = list(Goal.objects.filter(catalogue="sdg", parent=None).order_by("position")[:3])
    first = None
    for i in range(n):
        priority = make_priority(
            agenda,
            actor,
            title=f"Prioriteit {agenda.priorities.count() + 1}",
            goal_links=[services.GoalLinkInput(goal_id=goals[0].pk), services.GoalLinkInput(goal_id=goals[1].pk)],
        )
        for j in range(2):
            make_measure(
                agenda,
                priority,
                actor,
                title=f"Maatregel {i}.{j}",
                budget={(agenda.start_year + j, "rijk"): 1000 * (j + 1), (agenda.start_year, "eu_esf"): 500},
                goal_links=[services.GoalLinkInput(goal_id=goals[2].pk, strength="indirect")],
            )
        first = first or priority
    return first


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "victor"])
def test_the_agenda_page_uses_a_fixed_number_of_queries(client, request, coalition, alice, who):
    agenda = make_agenda(coalition, alice)
    grow(agenda, alice, SMALL)
    client.force_login(request.getfixturevalue(who))
    url = f"/agendas/{agenda.pk}/"
    small_response, small = measure(client, url)
    grow(agenda, alice, LARGE - SMALL)
    large_response, large = measure(client, url)
    assert (len(small_response.context["document"].priorities), len(large_response.context["document"].priorities)) == (
        SMALL,
        LARGE,
    )
    # session, user; the agenda with coalition, region and lead partner, its themes, priorities, their themes,
    # targets (+indicator), measures (+lead organisation), their budget lines (selectors.agenda_queryset);
    # perms-user; the goal links of all priorities and measures (+goal; selectors.agenda_document); the
    # profile (the region's municipalities; the data and the profile itself come from the cache, warmed by the
    # first request); the comments on the agenda; the submit panel (5: the user's memberships, the member
    # organisations, the endorsements of this revision, the open rounds, the submissions; reviews.views);
    # the completeness panel's other submit rules (5: reviews.workflow.submit_state through
    # agendas.panels.SUBMIT_CHECK: the last returned submission, the member organisations, the endorsements,
    # the open rounds; the returned submission again for the panel's revise check);
    # frame (2: groups, unread notifications)
    assert_counts(small, large, 25)


@pytest.mark.django_db
def test_the_priority_page_uses_a_fixed_number_of_queries(client, coalition, alice):
    agenda = make_agenda(coalition, alice)
    priority = grow(agenda, alice, 1)
    client.force_login(alice)
    url = f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/"
    small_response, small = measure(client, url)
    for i in range(LARGE):
        make_measure(agenda, priority, alice, title=f"Extra {i}")
    services.priority_update(
        priority_id=priority.pk,
        actor=alice,
        base_version=priority.version,
        title=priority.title,
        kind=priority.kind,
        description=priority.description,
        theme_ids=[],
        goal_links=[
            services.GoalLinkInput(goal_id=g.pk) for g in Goal.objects.filter(catalogue="sdg").order_by("position")[:6]
        ],
        targets=[],
    )
    large_response, large = measure(client, url)
    assert len(large_response.context["measures"]) - len(small_response.context["measures"]) == LARGE
    # session, user, the agenda (+coalition, region), perms-user, the priority, its themes, goal links (+goal),
    # targets (+indicator), measures (+lead organisation), their budget lines, the comments on the priority;
    # frame (2)
    assert_counts(small, large, 13)


@pytest.mark.django_db
def test_the_measure_page_uses_a_fixed_number_of_queries(client, coalition, alice):
    agenda = make_agenda(coalition, alice)
    grow(agenda, alice, SMALL)
    measure_ = agenda.measures.order_by("pk").first()
    client.force_login(alice)
    url = f"/agendas/{agenda.pk}/maatregelen/{measure_.pk}/"
    small_response, small = measure(client, url)
    grow(agenda, alice, LARGE - SMALL)
    services.measure_update(
        measure_id=measure_.pk,
        actor=alice,
        base_version=measure_.version,
        data=services.MeasureInput(
            priority_id=measure_.priority_id,
            title=measure_.title,
            lead_organisation_id=measure_.lead_organisation_id,
            start_year=agenda.start_year,
            end_year=agenda.end_year,
            budget={(year, "rijk"): year for year in agenda.years},
            goal_links=[
                services.GoalLinkInput(goal_id=g.pk)
                for g in Goal.objects.filter(catalogue="eu", is_active=True).order_by("position")[:4]
            ],
        ),
    )
    large_response, large = measure(client, url)
    assert len(large_response.context["table"].amounts) > len(small_response.context["table"].amounts)
    # session, user, the agenda (+coalition, region), perms-user, the measure, its budget lines, its goal links
    # (+goal); the choices: priorities, member organisations, goals; frame (2)
    assert_counts(small, large, 12)


@pytest.mark.django_db
def test_the_priority_form_uses_a_fixed_number_of_queries(client, coalition, alice):
    agenda = make_agenda(coalition, alice)
    priority = grow(agenda, alice, SMALL)
    client.force_login(alice)
    url = f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/bewerken/"
    small_response, small = measure(client, url)
    services.priority_update(
        priority_id=priority.pk,
        actor=alice,
        base_version=priority.version,
        title=priority.title,
        kind=priority.kind,
        description=priority.description,
        theme_ids=[],
        goal_links=[
            services.GoalLinkInput(goal_id=g.pk) for g in Goal.objects.filter(catalogue="sdg").order_by("position")[:6]
        ],
        targets=[],
    )
    large_response, large = measure(client, url)
    assert len(large_response.context["goals"].forms) > len(small_response.context["goals"].forms)
    # session, user, the agenda (+coalition, region), perms-user, the priority, its themes, goal links, targets;
    # baselines: the region's municipalities, indicator ids (the data comes from the cache); the choices:
    # themes, goals, indicators; frame (2)
    assert_counts(small, large, 15)


@pytest.mark.django_db
def test_the_list_uses_a_fixed_number_of_queries(client, coalition, alice):
    make_agenda(coalition, alice)
    client.force_login(alice)
    small_response, small = measure(client, "/agendas/")
    for i in range(LARGE):
        make_agenda(coalition, alice, title=f"Agenda {i}")
    large_response, large = measure(client, "/agendas/")
    assert len(large_response.context["agendas"]) == LARGE + 1
    # session, user, the visible agendas with coalition, region and counts (guardian subquery), frame (2)
    assert_counts(small, large, 5)
