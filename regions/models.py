"""Regions and the broad-welfare data about them.

All figures come from CBS (CC BY 4.0, "Bron: CBS") through the importers in
``regions.importers``; nothing here is typed in by hand.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import in_language


class Region(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Land")
        PROVINCE = "province", _("Provincie")
        COROP = "corop", _("COROP-gebied")
        MUNICIPALITY = "municipality", _("Gemeente")
        # The 25 GGD regions: some health figures are published only per GGD
        # region. Members from CBS "Gebieden in Nederland 2023"; no boundary.
        GGD = "ggd", _("GGD-regio")
        CUSTOM = "custom", _("Eigen regio")

    # CBS statcode (GM0014, CR01, PV20, GG0111, NL01) or, for custom regions, a
    # code chosen by the data steward with the prefix "RG-".
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, db_index=True)
    description = models.TextField(_("omschrijving"), blank=True)
    classification_year = models.PositiveSmallIntegerField(_("indeling (jaar)"), default=2023)
    corop = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corop_municipalities",
        limit_choices_to={"kind": "corop"},
        verbose_name=_("COROP-gebied"),
    )
    province = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="province_members",
        limit_choices_to={"kind": "province"},
        verbose_name=_("provincie"),
    )
    # GeoJSON geometry (WGS84); custom regions have none, the map shows their
    # member municipalities instead.
    boundary = models.JSONField(_("grens (GeoJSON)"), null=True, blank=True)
    # Every region lists the municipalities it consists of (a municipality
    # lists itself), so one aggregation rule serves every kind of region.
    municipalities = models.ManyToManyField(
        "self",
        symmetrical=False,
        through="RegionMunicipality",
        through_fields=("region", "municipality"),
        related_name="containing_regions",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self) -> str:
        return self.name


class RegionMunicipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "municipality"}
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "municipality"], name="region_municipality_unique")]


class Dimension(models.TextChoices):
    HERE_AND_NOW = "here_and_now", _("Hier en nu")
    LATER = "later", _("Later")
    ELSEWHERE = "elsewhere", _("Elders")


class Theme(models.Model):
    """A theme of the CBS Monitor Brede Welvaart (e.g. Gezondheid)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    dimension = models.CharField(_("perspectief"), max_length=16, choices=Dimension.choices)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    source_url = models.URLField(_("bron"), max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name_nl


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("hoger is beter")
        LOWER_IS_BETTER = "lower", _("lager is beter")
        NEUTRAL = "neutral", _("geen richting")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("som")
        WEIGHTED_MEAN = "weighted_mean", _("gewogen gemiddelde")
        RATIO_OF_SUMS = "ratio_of_sums", _("verhouding van sommen")
        NOT_DERIVABLE = "not_derivable", _("niet af te leiden")

    class Level(models.TextChoices):
        MUNICIPALITY = "municipality", _("gemeente")
        GGD = "ggd", _("GGD-regio")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=60)
    unit_en = models.CharField(_("eenheid (Engels)"), max_length=60, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    direction = models.CharField(_("richting"), max_length=8, choices=Direction.choices)
    aggregation = models.CharField(_("afleiding voor grotere regio's"), max_length=16, choices=Aggregation.choices)
    # For a weighted mean: the indicator whose values are the weights
    # (inhabitants, households, young adults). For a ratio of sums: the
    # numerator and denominator indicators and a scale (e.g. per 1000).
    weight = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    numerator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    denominator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scale = models.PositiveIntegerField(default=1)
    themes = models.ManyToManyField(Theme, blank=True, related_name="indicators")
    # Counts used only as weights or parts of ratios are not judged on their own.
    in_profile = models.BooleanField(_("telt mee in profiel"), default=True)
    source_note = models.TextField(_("bron en kanttekening"), blank=True)
    source_note_en = models.TextField(_("bron en kanttekening (Engels)"), blank=True)
    # The level at which the source publishes values: a GGD-level indicator
    # has values on the GGD regions only, never on their municipalities.
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices, default=Level.MUNICIPALITY)
    # The profile versions ("profiel-v1", "profiel-v2") in whose verdict the
    # indicator counts; shown but not judged in the others.
    judged_in = models.JSONField(_("telt mee in oordeel van"), default=list, blank=True)
    # Set when the source surveys one age group only (e.g. "16-25").
    age_group = models.CharField(_("leeftijdsgroep"), max_length=40, blank=True)
    # The mapping source that fills the indicator (for a ratio of sums: the
    # numerator's source).
    source_key = models.SlugField(_("bron"), max_length=80, blank=True)
    # "higher"/"lower": the direction of change over time that counts as
    # catching up; empty when a change has no such meaning.
    trend_direction = models.CharField(_("richting van de trend"), max_length=8, blank=True)
    # A plausible range: an imported value outside it is an error in the file.
    min_value = models.DecimalField(_("kleinste waarde"), null=True, blank=True, max_digits=20, decimal_places=6)
    max_value = models.DecimalField(_("grootste waarde"), null=True, blank=True, max_digits=20, decimal_places=6)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return self.name_nl

    @property
    def unit_label(self) -> str:
        """The unit in the active language (the Dutch one when there is no English one)."""
        return in_language(self.unit, self.unit_en)


class Dataset(models.Model):
    """One import of one source: a new import is a new version, old ones stay."""

    source_key = models.SlugField(_("bron"), max_length=80)
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=300)
    publisher = models.CharField(_("uitgever"), max_length=200, default="CBS")
    table_id = models.CharField(_("tabel"), max_length=40, blank=True)
    source_url = models.URLField(_("bron-URL"), max_length=500, blank=True)
    licence = models.CharField(_("licentie"), max_length=100, default="CC BY 4.0")
    attribution = models.CharField(_("bronvermelding"), max_length=200, default="Bron: CBS")
    file_name = models.CharField(_("bestand"), max_length=300)
    file_sha256 = models.CharField(max_length=64)
    value_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(_("geïmporteerd op"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["source_key", "-version"]
        constraints = [models.UniqueConstraint(fields=["source_key", "version"], name="dataset_version_unique")]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class IndicatorValue(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="indicator_values")
    year = models.PositiveSmallIntegerField(_("jaar"))
    value = models.DecimalField(_("waarde"), max_digits=20, decimal_places=6)
    provisional = models.BooleanField(_("voorlopig"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "indicator", "region", "year"], name="indicator_value_unique")
        ]
        # Used by regions.selectors.current_values: all values of the
        # current dataset versions, per indicator.
        indexes = [models.Index(fields=["indicator", "dataset"], name="value_indicator_dataset")]


class ImportJob(models.Model):
    """A data steward's confirmed upload, imported by a Celery worker.

    The file lives in Django's default storage (``file_path``), so any worker
    can pick the job up; the row is the job's state and its progress.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    source_key = models.SlugField(max_length=80)
    file_path = models.CharField(max_length=300)
    file_name = models.CharField(max_length=300)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    message = models.TextField(blank=True)
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When its task was last sent: the sweep sends a job still queued long after that again.
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Each claim by a worker adds one; it fences the result (a worker whose job was
    # taken over writes nothing) and stops a job that keeps killing its workers.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
