import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from regions import selectors
from regions.api.serializers import (
    DatasetSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    ProfileQuerySerializer,
    ProfileSerializer,
    RegionDetailSerializer,
    RegionSerializer,
    ThemeSerializer,
)
from regions.models import Dataset, Indicator, IndicatorValue, Region, Theme


class RegionFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province__code")
    corop = django_filters.CharFilter(field_name="corop__code")

    class Meta:
        model = Region
        fields = ["kind", "province", "corop"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions of the CBS classification 2023 and custom regions. Public (Bron: CBS)."""

    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]{2,32}"
    filterset_class = RegionFilter
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code"]
    ordering = ["code"]

    def get_queryset(self):
        regions = Region.objects.select_related("province", "corop")
        if self.action == "retrieve":
            regions = regions.prefetch_related(
                Prefetch("municipalities", queryset=Region.objects.order_by("code").only("code"))
            )
        return regions

    def get_serializer_class(self):
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    @extend_schema(parameters=[ProfileQuerySerializer], responses=ProfileSerializer)
    @action(detail=True)
    def profile(self, request, code=None):
        """The region's broad-welfare profile: per theme its position and verdict, the indicators behind it
        (value, level, year, position, source), trends and the accumulated deficit.

        `version` picks the rule (`profiel-v2`, the rule in force, by default; `profiel-v1` as frozen
        submissions were scored); docs/diagnosis.md explains both.
        """
        query = ProfileQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        profile = selectors.region_profile(self.get_object(), version=query.validated_data["version"])
        return Response(ProfileSerializer(profile).data)


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer
    lookup_field = "code"
    filterset_fields = ["dimension"]
    ordering = ["position"]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    queryset = Indicator.objects.select_related("weight", "numerator", "denominator").prefetch_related("themes")
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    filterset_fields = ["direction", "aggregation", "in_profile", "themes__code"]
    search_fields = ["code", "name_nl", "name_en"]
    ordering = ["code"]


class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    queryset = Dataset.objects.all()
    serializer_class = DatasetSerializer
    filterset_fields = ["source_key", "version"]
    ordering = ["source_key", "-version"]


class ValueFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")
    indicator = django_filters.CharFilter(field_name="indicator__code")
    source = django_filters.CharFilter(field_name="dataset__source_key")
    dataset = django_filters.NumberFilter(field_name="dataset_id")
    current = django_filters.BooleanFilter(method="filter_current", label="Only the current dataset versions")

    class Meta:
        model = IndicatorValue
        fields = ["region", "indicator", "year", "source", "dataset", "current"]

    def filter_current(self, queryset, name, value):
        if value:
            return queryset.filter(dataset__in=selectors.current_datasets())
        return queryset


class IndicatorValueViewSet(viewsets.ReadOnlyModelViewSet):
    """Imported values per municipality and year; every value names its dataset version."""

    permission_classes = [AllowAny]
    queryset = IndicatorValue.objects.select_related("indicator", "region", "dataset")
    serializer_class = IndicatorValueSerializer
    filterset_class = ValueFilter
    ordering = ["indicator__code", "region__code", "year", "dataset__version"]
