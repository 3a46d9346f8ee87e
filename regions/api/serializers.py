from rest_framework import serializers

from regions.models import Dataset, Indicator, IndicatorValue, Region, Theme


class RegionSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    corop = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "kind", "classification_year", "province", "corop"]


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
    weight = serializers.SlugRelatedField(slug_field="code", read_only=True)
    numerator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    denominator = serializers.SlugRelatedField(slug_field="code", read_only=True)

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
    threshold = serializers.FloatField(allow_null=True)
    lags = serializers.BooleanField(allow_null=True)
    coverage = serializers.FloatField()


class ProfileThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField()
    with_data = serializers.IntegerField()
    lagging = serializers.IntegerField()
    lags = serializers.BooleanField(allow_null=True)
    indicators = ProfileIndicatorSerializer(many=True)


class ProfileSerializer(serializers.Serializer):
    version = serializers.CharField()
    accumulated_deficit = serializers.IntegerField()
    themes_with_data = serializers.IntegerField()
    dataset_versions = serializers.DictField(child=serializers.IntegerField())
    themes = ProfileThemeSerializer(many=True)
