from django.http import Http404
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from coalitions import selectors
from coalitions.models import Organisation
from coalitions.permissions import can_see_people, can_view_coalition
from coalitions.serializers import CoalitionDetailSerializer, CoalitionSerializer, OrganisationSerializer


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations that can take part in coalitions (public register)."""

    permission_classes = [IsAuthenticated]
    queryset = Organisation.objects.select_related("region")
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]
    search_fields = ["name"]
    ordering = ["name"]


class CoalitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Coalitions the user may see: their own, or all for oversight roles."""

    permission_classes = [IsAuthenticated]
    lookup_field = "slug"
    search_fields = ["name"]
    filterset_fields = ["region__code"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.coalitions_visible_to(self.request.user)

    def get_serializer_class(self):
        return CoalitionDetailSerializer if self.action == "retrieve" else CoalitionSerializer

    def get_object(self):
        coalition = super().get_object()
        if not can_view_coalition(self.request.user, coalition):
            raise Http404
        return selectors.coalition_detail(coalition.pk)

    def retrieve(self, request, *args, **kwargs):
        # Overridden so the coalition is loaded and checked once; the default
        # would load it again for the serializer context.
        coalition = self.get_object()
        show_people = can_see_people(request.user, coalition)
        context = {**self.get_serializer_context(), "show_people": show_people}
        return Response(CoalitionDetailSerializer(coalition, context=context).data)
