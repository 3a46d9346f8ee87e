"""API of a person's own notifications (/api/v1/notifications/)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from activity import notifications, selectors
from activity.models import Notification

NOT_FOUND = OpenApiResponse(description="Not found, or not yours.")


class NotificationSerializer(serializers.ModelSerializer):
    verb = serializers.CharField(source="event.verb")
    actor = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "created_at", "read_at", "is_read", "verb", "actor", "text", "link"]
        read_only_fields = fields

    def get_actor(self, notification) -> str | None:
        actor = notification.event.actor
        return actor.display_name if actor is not None else None

    def get_text(self, notification) -> str:
        return notifications.describe(notification.event)

    def get_link(self, notification) -> str:
        return notifications.link(notification.event)

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(viewsets.GenericViewSet):
    """Your own notifications, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema generator
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user)

    def list(self, request):
        """Your own notifications, newest first, with the sentence and the link the pages show."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: NotificationSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your notifications as read."""
        notification = get_object_or_404(self.get_queryset(), pk=pk)
        notifications.notifications_mark_read(user=request.user, ids=[notification.pk])
        return Response(NotificationSerializer(self.get_queryset().get(pk=notification.pk)).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications as read."""
        return Response({"marked": notifications.notifications_mark_read(user=request.user)})


def register(router) -> None:
    """Add this module's viewsets to the /api/v1/ router."""
    router.register("notifications", NotificationViewSet, basename="notification")
