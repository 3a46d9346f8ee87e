"""The kansenagenda itself: header, priorities, measures, budget lines and goal links.

An agenda gets all its access through its coalition (see
``agendas.permissions``). Writes go through
``agendas.services``; each editable part (the header, one
priority, one measure with its budget) carries its own ``version`` for
optimistic concurrency, so two editors on different parts never block each
other.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Size limits that the forms, the API and the services all state and enforce.
TITLE_MAX = 200
SUMMARY_MAX = 3_000
VISION_MAX = 30_000
DESCRIPTION_MAX = 10_000
CONTRIBUTION_MAX = 500
# A year's amount for one source of one measure: ten billion euros is far
# beyond any regional measure, and keeps sums well inside a bigint.
AMOUNT_MAX = 10_000_000_000


class Agenda(models.Model):
    MIN_YEARS = 4
    MAX_YEARS = 30

    class Status(models.TextChoices):
        # Only reviews.workflow.transition changes the status (see its table).
        DRAFT = "draft", _("Concept")
        SUBMITTED = "submitted", _("Ingediend")
        IN_REVIEW = "in_review", _("In beoordeling")
        ADVISED = "advised", _("Advies uitgebracht")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.PROTECT, related_name="agendas")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="agendas")
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    summary = models.TextField(_("samenvatting"), max_length=SUMMARY_MAX, blank=True)
    vision = models.TextField(_("visie"), max_length=VISION_MAX, blank=True)
    start_year = models.PositiveSmallIntegerField(_("beginjaar"))
    end_year = models.PositiveSmallIntegerField(_("eindjaar"))
    lead_partner = models.ForeignKey(
        "coalitions.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penvoerder"),
    )
    themes = models.ManyToManyField("regions.Theme", blank=True, related_name="+", verbose_name=_("thema's"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Version of the header part; priorities and measures have their own.
    version = models.PositiveIntegerField(default=1)
    # Revisions are numbered per agenda; this counter hands out the numbers.
    revision_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year") + 3) & Q(end_year__lte=F("start_year") + 29),
                name="agenda_period_4_to_30_years",
            )
        ]
        verbose_name = _("kansenagenda")
        verbose_name_plural = _("kansenagenda's")

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class PriorityKind(models.TextChoices):
    OPPORTUNITY = "kans", _("Kans")
    NEED = "behoefte", _("Behoefte")
    TASK = "opgave", _("Opgave")


class Priority(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    kind = models.CharField(_("soort"), max_length=16, choices=PriorityKind.choices)
    description = models.TextField(_("toelichting"), max_length=DESCRIPTION_MAX, blank=True)
    themes = models.ManyToManyField("regions.Theme", blank=True, related_name="+", verbose_name=_("thema's"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("prioriteit")
        verbose_name_plural = _("prioriteiten")

    def __str__(self) -> str:
        return self.title


class TargetIndicator(models.Model):
    """What a priority wants to move: an indicator from its baseline to a target."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey("regions.Indicator", on_delete=models.PROTECT, related_name="+")
    baseline_year = models.PositiveSmallIntegerField(_("basisjaar"), null=True, blank=True)
    baseline_value = models.DecimalField(_("basiswaarde"), max_digits=20, decimal_places=4, null=True, blank=True)
    # True when the baseline was taken from the imported CBS data rather than
    # typed in; the page says "uit CBS-gegevens" next to it.
    baseline_from_data = models.BooleanField(default=False)
    target_year = models.PositiveSmallIntegerField(_("doeljaar"))
    target_value = models.DecimalField(_("streefwaarde"), max_digits=20, decimal_places=4)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "indicator"], name="target_indicator_unique"),
        ]
        verbose_name = _("doelindicator")
        verbose_name_plural = _("doelindicatoren")


class MeasureStatus(models.TextChoices):
    IDEA = "idea", _("Idee")
    PLANNED = "planned", _("Gepland")
    RUNNING = "running", _("In uitvoering")
    COMPLETED = "completed", _("Afgerond")


class Measure(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="measures")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    description = models.TextField(_("omschrijving"), max_length=DESCRIPTION_MAX, blank=True)
    lead_organisation = models.ForeignKey(
        "coalitions.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("trekker")
    )
    start_year = models.PositiveSmallIntegerField(_("beginjaar"))
    end_year = models.PositiveSmallIntegerField(_("eindjaar"))
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.IDEA)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="measure_end_after_start"),
        ]
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")

    def __str__(self) -> str:
        return self.title


class FundingSource(models.TextChoices):
    RIJK = "rijk", _("Rijk (aanvraag)")
    MUNICIPALITIES = "municipalities", _("Gemeenten")
    PROVINCE = "province", _("Provincie")
    WATER_BOARD = "water_board", _("Waterschap")
    EU_ERDF = "eu_erdf", _("EU: EFRO")
    EU_ESF = "eu_esf", _("EU: ESF+")
    EU_JTF = "eu_jtf", _("EU: JTF")
    EU_INTERREG = "eu_interreg", _("EU: Interreg")
    PRIVATE = "private", _("Private partijen")
    OTHER = "other", _("Overig")


class BudgetLine(models.Model):
    """One amount: a measure's money from one source in one year, in whole euros.

    Only non-zero amounts are stored.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("jaar"))
    source = models.CharField(_("bron"), max_length=16, choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("bedrag (euro)"))

    class Meta:
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year", "source"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive"),
        ]
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")


class LinkStrength(models.TextChoices):
    DIRECT = "direct", _("Direct")
    INDIRECT = "indirect", _("Indirect")


class GoalLink(models.Model):
    """A priority's or a measure's contribution to a goal (or to one of its targets)."""

    goal = models.ForeignKey("goals.Goal", on_delete=models.PROTECT, related_name="+")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="goal_links")
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="goal_links")
    contribution = models.CharField(_("bijdrage"), max_length=CONTRIBUTION_MAX, blank=True)
    strength = models.CharField(_("sterkte"), max_length=8, choices=LinkStrength.choices, default=LinkStrength.DIRECT)

    class Meta:
        ordering = ["goal__catalogue", "goal__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__isnull=False, measure__isnull=True)
                | Q(priority__isnull=True, measure__isnull=False),
                name="goal_link_one_owner",
            ),
            models.UniqueConstraint(
                fields=["priority", "goal"], condition=Q(priority__isnull=False), name="goal_link_priority_unique"
            ),
            models.UniqueConstraint(
                fields=["measure", "goal"], condition=Q(measure__isnull=False), name="goal_link_measure_unique"
            ),
        ]
        verbose_name = _("doelkoppeling")
        verbose_name_plural = _("doelkoppelingen")


# ------------------------------------------------------- working together

COMMENT_MAX = 5_000


class PartType(models.TextChoices):
    HEADER = "header", _("Algemeen")
    PRIORITY = "priority", _("Prioriteit")
    MEASURE = "measure", _("Maatregel")


class Revision(models.Model):
    """One saved change of one part of an agenda.

    ``snapshot`` is the whole part as it was after the save (empty after a
    delete), so the state of any part at any revision is the newest snapshot
    of that part at or before it, and a diff between two revisions compares
    two snapshots per part. Rows are only ever inserted.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("aangemaakt")
        UPDATED = "updated", _("gewijzigd")
        DELETED = "deleted", _("verwijderd")

    agenda = models.ForeignKey("agendas.Agenda", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revisie"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    part_type = models.CharField(max_length=16, choices=PartType.choices)
    # The header's part_id is the agenda's id.
    part_id = models.PositiveBigIntegerField()
    part_label = models.CharField(max_length=200)
    part_version = models.PositiveIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    changed_fields = models.JSONField(default=list)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["agenda", "-number"]
        constraints = [models.UniqueConstraint(fields=["agenda", "number"], name="revision_number_unique")]
        indexes = [
            # revisions.part_state_at and the conflict message: a part's newest
            # snapshot at or before a revision.
            models.Index(fields=["agenda", "part_type", "part_id", "number"], name="revision_part"),
        ]
        verbose_name = _("revisie")
        verbose_name_plural = _("revisies")

    def __str__(self) -> str:
        return f"#{self.number} {self.part_type} {self.part_label}"


class Comment(models.Model):
    agenda = models.ForeignKey("agendas.Agenda", on_delete=models.CASCADE, related_name="comments")
    # Empty for a comment on the agenda as a whole.
    priority = models.ForeignKey(
        "agendas.Priority", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("reactie"), max_length=COMMENT_MAX)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
