"""API of the goal catalogues (/api/v1/goals/)."""

from __future__ import annotations

import django_filters
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from goals.models import Goal, GoalCatalogue


class GoalSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    short = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "catalogue",
            "code",
            "label",
            "short",
            "title",
            "short_nl",
            "short_en",
            "title_nl",
            "title_en",
            "parent",
            "verified",
            "source",
        ]
        read_only_fields = fields


class GoalFilter(django_filters.FilterSet):
    catalogue = django_filters.ChoiceFilter(choices=GoalCatalogue.choices)
    parent = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Goal
        fields = ["catalogue", "parent"]


class GoalViewSet(viewsets.ReadOnlyModelViewSet):
    """The goal catalogues agendas link to (SDGs with their targets, EU cohesion policy, national programmes)."""

    permission_classes = [IsAuthenticated]
    queryset = Goal.objects.filter(is_active=True)
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    search_fields = ["code", "title_nl", "title_en", "short_nl", "short_en"]
    ordering = ["catalogue", "position", "id"]


def register(router) -> None:
    """Add this module's viewsets to the /api/v1/ router."""
    router.register("goals", GoalViewSet, basename="goal")
