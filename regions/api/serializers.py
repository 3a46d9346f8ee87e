from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from regions.models import Dataset, Indicator, IndicatorValue, Region, Theme
from regions.profile import PROFILE_VERSION, VERSIONS


class RegionSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    corop = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "kind", "classification_year", "province", "corop"]


# The list is the API's largest public answer (all 342 municipalities in one page): its rows are read with
# ``values()`` (regions.api.views.RegionViewSet), since building three model instances per row (the region,
# its province and COROP area) was most of its time. The same fields as RegionSerializer.
@extend_schema_serializer(component_name="RegionRow")
class RegionListSerializer(serializers.Serializer):
    """A region in the list: its code, name and kind, and the codes of its province and COROP area."""

    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Region.Kind.choices)
    classification_year = serializers.IntegerField()
    province = serializers.CharField(source="province_code", allow_null=True, help_text="the province's code")
    corop = serializers.CharField(source="corop_code", allow_null=True, help_text="the COROP area's code")

    @cached_property
    def _sources(self) -> list[tuple[str, str]]:
        return [(name, field.source) for name, field in self.fields.items()]

    def to_representation(self, row: dict) -> dict:
        # The values are already what the fields above would give (text, whole numbers, None): taken as they
        # are, without DRF's machinery per field, which was most of the time of a page of 400.
        return {name: row[source] for name, source in self._sources}


class RegionDetailSerializer(RegionSerializer):
    municipalities = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "description", "municipalities"]

    def get_municipalities(self, region) -> list[str]:
        return [m.code for m in region.municipalities.all()]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["code", "dimension", "name_nl", "name_en", "source_url"]


class IndicatorSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    weight = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    numerator = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    denominator = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_nl",
            "name_en",
            "unit",
            "direction",
            "aggregation",
            "weight",
            "numerator",
            "denominator",
            "scale",
            "themes",
            "in_profile",
            "source_note",
            "source_note_en",
            "unit_en",
        ]


class DatasetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dataset
        fields = [
            "id",
            "source_key",
            "version",
            "title",
            "publisher",
            "table_id",
            "source_url",
            "licence",
            "attribution",
            "file_name",
            "file_sha256",
            "value_count",
            "imported_at",
        ]


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    dataset_version = serializers.IntegerField(source="dataset.version", read_only=True)
    source_key = serializers.CharField(source="dataset.source_key", read_only=True)
    # Decimal as a string keeps the CBS figure exactly as published.
    value = serializers.DecimalField(max_digits=20, decimal_places=6, coerce_to_string=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "region", "year", "value", "provisional", "source_key", "dataset_version"]


class ProfileIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    national_value = serializers.FloatField(allow_null=True)
    threshold = serializers.FloatField(
        allow_null=True, help_text="The most favourable value that still lies in the least favourable cut."
    )
    lags = serializers.BooleanField(allow_null=True, help_text="Null: no value, or not judged in this version.")
    coverage = serializers.FloatField(help_text="Share of the region's municipalities with a value.")
    position = serializers.FloatField(
        allow_null=True, help_text="profiel-v2: 0 the most favourable .. 1 the least, among the units compared."
    )
    level = serializers.ChoiceField(
        choices=["municipality", "ggd"], help_text="Where the value comes from: municipal data or its GGD region."
    )
    compared_with = serializers.CharField(
        allow_null=True, help_text="municipality, corop, province or ggd: the units the value is placed among."
    )
    units_compared = serializers.IntegerField()
    judged = serializers.BooleanField(help_text="Whether the indicator counts in a verdict in this version.")
    counts = serializers.BooleanField(help_text="Whether it counts in this theme's verdict (profiel-v2: first theme).")
    counted_in = serializers.CharField(allow_null=True, help_text="The theme it counts in, when shown in another.")
    weight = serializers.FloatField(allow_null=True, help_text="profiel-v2: its share of the theme position.")
    source = serializers.CharField()
    age_group = serializers.CharField(help_text="Set when the source is a survey of one age group.")
    ggd_regions = serializers.ListField(child=serializers.CharField())


class ProfileThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField()
    with_data = serializers.IntegerField()
    lagging = serializers.IntegerField()
    lags = serializers.BooleanField(allow_null=True)
    position = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(
        choices=["", "no_data", "too_little", "elsewhere", "not_compared"],
        help_text="Why there is no verdict: no data, too little data, an 'elders' theme, or nothing to compare with.",
    )
    age_group = serializers.CharField(help_text="Set when every counting indicator comes from one age group's survey.")
    indicators = ProfileIndicatorSerializer(many=True)


class ProfileTrendSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    start_value = serializers.FloatField()
    end_value = serializers.FloatField()
    change = serializers.FloatField(help_text="Relative change (0.05 = +5%) when `relative`, else the difference.")
    relative = serializers.BooleanField()
    national_change = serializers.FloatField()
    spread = serializers.FloatField(help_text="Interquartile range of the changes of the units compared.")
    status = serializers.ChoiceField(choices=["behind", "ahead", "level"])


class ProfileSerializer(serializers.Serializer):
    version = serializers.CharField()
    kind = serializers.CharField()
    compared_with = serializers.CharField(allow_null=True)
    units_compared = serializers.IntegerField()
    cut = serializers.SerializerMethodField(help_text='The least favourable share that lags, e.g. "1/4".')
    accumulated_deficit = serializers.IntegerField()
    themes_with_data = serializers.IntegerField()
    dataset_versions = serializers.DictField(child=serializers.IntegerField())
    themes = ProfileThemeSerializer(many=True)
    trends = ProfileTrendSerializer(many=True)

    def get_cut(self, profile) -> str:
        return str(profile.cut)


class ProfileQuerySerializer(serializers.Serializer):
    version = serializers.ChoiceField(choices=list(VERSIONS), default=PROFILE_VERSION, required=False)
