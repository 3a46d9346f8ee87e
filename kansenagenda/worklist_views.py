"""*Mijn taken*: what waits for the logged-in person, on a page and in the API (/api/v1/me/tasks/).

The tasks come from every app through ``core.worklist`` (each app registers
its providers in its ``AppConfig.ready()``); the page and the API show the
same list.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.worklist import group_by_role, tasks_for


@login_required
def my_tasks(request):
    tasks = tasks_for(request.user)
    return render(
        request,
        "tasks.html",
        {
            "title": _("Mijn taken"),
            "tasks": tasks,
            "groups": group_by_role(tasks),
            "overdue_count": sum(1 for task in tasks if task.overdue),
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
