import django_filters
from django.db.models import F, Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.pagination import PageSizePagination
from core.public_cache import public_cache
from regions import selectors
from regions.api.serializers import (
    DatasetSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    ProfileQuerySerializer,
    ProfileSerializer,
    RegionDetailSerializer,
    RegionListSerializer,
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


class RegionPagination(PageSizePagination):
    # All 342 municipalities (or all 420-odd CBS regions but the custom ones) fit in one page.
    max_page_size = 400


@extend_schema_view(
    list=extend_schema(
        description="Regions, by code, 50 a page; up to 400 with `page_size` (all 342 municipalities in one "
        "page with `?kind=municipality&page_size=400`). A larger or unreadable `page_size` is a 400.",
        responses={
            200: RegionListSerializer(many=True),
            400: OpenApiResponse(description="Field errors: {field: [messages]}, e.g. page_size above 400."),
        },
    )
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions of the CBS classification 2023 and custom regions. Public (Bron: CBS)."""

    permission_classes = [AllowAny]
    pagination_class = RegionPagination
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]{2,32}"
    filterset_class = RegionFilter
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code"]
    ordering = ["code"]

    def get_queryset(self):
        if self.action == "list":
            # Plain rows of the shown columns only (RegionListSerializer): no boundaries (GeoJSON, the largest
            # column), no descriptions, and no model instances (three per row with the province and COROP area).
            return Region.objects.values(
                "code",
                "name",
                "kind",
                "classification_year",
                province_code=F("province__code"),
                corop_code=F("corop__code"),
            )
        regions = Region.objects.select_related("province", "corop").defer(
            "boundary", "province__boundary", "corop__boundary", "province__description", "corop__description"
        )
        if self.action == "retrieve":
            regions = regions.prefetch_related(
                Prefetch("municipalities", queryset=Region.objects.order_by("code").only("code"))
            )
        return regions

    @public_cache
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @public_cache
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action == "list":
            return RegionListSerializer
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    @extend_schema(parameters=[ProfileQuerySerializer], responses=ProfileSerializer)
    @action(detail=True)
    @public_cache
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
