"""*Mijn taken*: what waits for the logged-in person, on a page and in the API (/api/v1/me/tasks/).

The tasks come from every app through ``core.worklist`` (each app registers
its providers in its ``AppConfig.ready()``); the page and the API show the
same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import GlobalRole
from accounts.permissions import has_global_role
from coalitions import selectors as coalition_selectors
from coalitions.permissions import can_start_coalition
from core.worklist import group_by_role, tasks_for
from funding.services import may_manage_mandates
from invitations import services as invitation_services
from reviews.pool import may_manage_pool
from signals.permissions import is_rijk_official, may_manage_catalogue


def management_links(user) -> list[tuple[str, str]]:
    """The pages where the person runs what is theirs: people, pools, mandates (not tasks, so always there)."""
    links = []
    if invitation_services.is_platform_admin(user):
        links.append((_("Uitnodigingen voor rollen op het platform"), reverse("invitations:list")))
    if may_manage_pool(user):
        links.append((_("Beoordelaarspool"), reverse("reviews:pool")))
    if may_manage_mandates(user):
        links.append((_("Rijksambtenaren en mandaten"), reverse("funding:officials")))
    if may_manage_catalogue(user):
        links.append((_("Ministeries en hun signalen"), reverse("signals:ministries")))
    if is_rijk_official(user):
        links.append((_("Signalen aan uw ministerie"), reverse("signals:index")))
    if has_global_role(user, GlobalRole.REVIEWER):
        links.append((_("Mijn expertise en verbondenheden"), reverse("reviews:my-profile")))
    for coalition in coalition_selectors.coordinated_by(user):
        links.append(
            (
                _("Leden van %(coalition)s") % {"coalition": coalition.name},
                reverse("coalitions:members", args=[coalition.slug]),
            )
        )
    if can_start_coalition(user):
        links.append((_("Een coalitie starten"), reverse("coalitions:start")))
    links.append((_("Mijn gegevens"), reverse("profile")))
    return links


# Per role the page shows the most urgent tasks; a chair with a national round would otherwise get
# hundreds. "?rol=<role>" shows all of one role's tasks (the API always gives all of them).
TASKS_SHOWN_PER_ROLE = 20


@dataclass(frozen=True)
class RoleTasks:
    role: str
    label: str
    tasks: list
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.tasks)


def role_groups(tasks, *, expanded: str = "") -> list[RoleTasks]:
    groups = []
    for label, role_tasks in group_by_role(tasks):
        role = role_tasks[0].role
        shown = role_tasks if role == expanded else role_tasks[:TASKS_SHOWN_PER_ROLE]
        groups.append(RoleTasks(role=role, label=label, tasks=shown, total=len(role_tasks)))
    return groups


@login_required
def my_tasks(request):
    tasks = tasks_for(request.user)
    return render(
        request,
        "tasks.html",
        {
            "title": _("Mijn taken"),
            "tasks": tasks,
            "groups": role_groups(tasks, expanded=request.GET.get("rol", "")),
            "overdue_count": sum(1 for task in tasks if task.overdue),
            "management_links": management_links(request.user),
        },
    )


class TaskSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="The role the task belongs to: coordinator, representative, reviewer, ...")
    role_label = serializers.CharField(help_text="The role's name in the active language.")
    kind = serializers.CharField(help_text="What kind of task, a stable key (e.g. review.write, decision.second).")
    title = serializers.CharField()
    detail = serializers.CharField(help_text="One sentence more: what is missing, who proposed it.")
    context = serializers.CharField(help_text="Where it belongs: the coalition, the round, the decision.")
    url = serializers.CharField(help_text="The page where one acts on the task (a path on this site).")
    action = serializers.CharField(help_text="The words of the link to that page.")
    due = serializers.DateField(allow_null=True, help_text="The due date, or null.")
    days_left = serializers.IntegerField(
        allow_null=True, help_text="Days until the due date: 0 today, negative when overdue; null without one."
    )
    overdue = serializers.BooleanField()
    due_label = serializers.CharField(help_text='The due date in words: "nog 3 dagen", "2 dagen te laat".')


class MyTasksView(APIView):
    """Your tasks: soonest due date first, those without one last, then by role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_tasks", responses={200: TaskSerializer(many=True)}, tags=["me"])
    def get(self, request):
        """Everything that waits for you, with the page where you act on it; the same list as the page Mijn taken."""
        return Response(TaskSerializer(tasks_for(request.user), many=True).data)
