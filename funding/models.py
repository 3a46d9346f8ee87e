"""Multi-year funding by the Rijk: programmes with yearly envelopes, decisions (beschikkingen) and tranches.

Every euro committed is counted on its programme's envelope row for the
payment year, split into the part reserved for lagging regions and the open
part. Database check constraints keep both within the envelope whatever
happens in the application; ``funding.services.decision_approve`` takes row
locks so two officials approving at the same moment are serialised.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.formatting import in_language

TEXT_MAX = 10_000
LEGAL_TEXT_MAX = 2_000


class Programme(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=80, unique=True)
    description = models.TextField(_("omschrijving"), max_length=TEXT_MAX, blank=True)
    start_year = models.PositiveSmallIntegerField(_("eerste betaaljaar"))
    end_year = models.PositiveSmallIntegerField(_("laatste betaaljaar"))
    # Co-financing rule: at least this share of an agenda's budget from other sources than the Rijk.
    min_cofinancing_percent = models.PositiveSmallIntegerField(_("minimale cofinanciering (%)"), default=50)
    # Priority rule: this share of every year's envelope is only for regions lagging on at least
    # ``lagging_min_themes`` themes (the profile's accumulated deficit).
    reserved_percent = models.PositiveSmallIntegerField(_("gereserveerd voor achterstandsregio's (%)"), default=30)
    lagging_min_themes = models.PositiveSmallIntegerField(_("achterstandsregio vanaf (thema's)"), default=3)
    # What the decision letters (beschikkingen) of the programme say: who decides and on what legal basis.
    # Each in Dutch and, optionally, English (a letter in English falls back to the Dutch text).
    ministry = models.CharField(_("ministerie"), max_length=200, blank=True)
    ministry_en = models.CharField(_("ministerie (Engels)"), max_length=200, blank=True)
    legal_basis = models.TextField(_("wettelijke grondslag"), max_length=LEGAL_TEXT_MAX, blank=True)
    legal_basis_en = models.TextField(_("wettelijke grondslag (Engels)"), max_length=LEGAL_TEXT_MAX, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="programme_period"),
            models.CheckConstraint(condition=Q(min_cofinancing_percent__lte=100), name="programme_cofinancing_pct"),
            models.CheckConstraint(condition=Q(reserved_percent__lte=100), name="programme_reserved_pct"),
        ]
        verbose_name = _("financieringsprogramma")
        verbose_name_plural = _("financieringsprogramma's")

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def ministry_name(self) -> str:
        """The ministry in the active language (the Dutch name when there is no English one); may be empty."""
        return in_language(self.ministry, self.ministry_en)

    @property
    def legal_basis_text(self) -> str:
        """The legal basis in the active language (the Dutch text when there is no English one); may be empty."""
        return in_language(self.legal_basis, self.legal_basis_en)


class Envelope(models.Model):
    """A programme's budget for one payment year, and what is committed against it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="envelopes")
    year = models.PositiveSmallIntegerField(_("betaaljaar"))
    amount = models.PositiveBigIntegerField(_("budget (euro)"))
    # The part only lagging regions may use (amount × reserved_percent, rounded down).
    reserved_amount = models.PositiveBigIntegerField(_("gereserveerd (euro)"))
    committed_reserved = models.PositiveBigIntegerField(default=0)
    committed_open = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="envelope_year_unique"),
            models.CheckConstraint(condition=Q(reserved_amount__lte=F("amount")), name="envelope_reserved_within"),
            # The hard limits: the reserved part is never used by other regions, the whole never exceeded.
            models.CheckConstraint(
                condition=Q(committed_reserved__lte=F("reserved_amount")), name="envelope_reserved_not_exceeded"
            ),
            models.CheckConstraint(
                condition=Q(committed_open__lte=F("amount") - F("reserved_amount")), name="envelope_open_not_exceeded"
            ),
        ]
        verbose_name = _("jaarbudget")
        verbose_name_plural = _("jaarbudgetten")

    @property
    def open_amount(self) -> int:
        return self.amount - self.reserved_amount

    @property
    def committed(self) -> int:
        return self.committed_reserved + self.committed_open

    @property
    def available(self) -> int:
        return self.amount - self.committed


class Mandate(models.Model):
    """The highest amount a Rijk official may approve."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_mandate")
    limit = models.PositiveBigIntegerField(_("mandaat tot (euro)"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mandaat")
        verbose_name_plural = _("mandaten")


class OfficialFunction(models.Model):
    """A Rijk official's function (title), as it stands under the letters they sign."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_function")
    function = models.CharField(_("functie"), max_length=200)
    function_en = models.CharField(_("functie (Engels)"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("functie van een ambtenaar")
        verbose_name_plural = _("functies van ambtenaren")

    @property
    def title(self) -> str:
        """The function in the active language (the Dutch one when there is no English one)."""
        return in_language(self.function, self.function_en)


class FourEyesDecision(models.Model):
    """What a decision and an amendment share: one official proposes, another approves or rejects.

    The proposal and the decision on it, with who and when; the letter
    (PDF, through Django's storage API) once it is approved.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Voorgesteld")
        APPROVED = "approved", _("Vastgesteld")
        REJECTED = "rejected", _("Afgewezen")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reden van afwijzen"), max_length=TEXT_MAX, blank=True)
    letter = models.FileField(upload_to="decisions/", blank=True)

    # Said when the proposer tries to decide on their own proposal (per kind of proposal).
    FOUR_EYES_APPROVE = ""
    FOUR_EYES_REJECT = ""

    class Meta:
        abstract = True

    def require_second_official(self, actor, *, approving: bool) -> None:
        """Four eyes, the one home of the rule: whoever approves or rejects a proposal did not propose it."""
        if self.proposed_by_id == actor.pk:
            raise ValidationError(self.FOUR_EYES_APPROVE if approving else self.FOUR_EYES_REJECT)


class Decision(FourEyesDecision):
    """A funding decision (beschikking) for an advised submission, addressed to the lead partner."""

    OPEN = (FourEyesDecision.Status.PROPOSED, FourEyesDecision.Status.APPROVED)
    FOUR_EYES_APPROVE = _("Vier ogen: een ander dan de voorsteller stelt de beschikking vast.")
    FOUR_EYES_REJECT = _("Vier ogen: een ander dan de voorsteller beslist over het voorstel.")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="decisions")
    submission = models.ForeignKey("reviews.Submission", on_delete=models.PROTECT, related_name="decisions")
    reference = models.CharField(_("kenmerk"), max_length=40, unique=True)
    lead_partner = models.ForeignKey(
        "coalitions.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("penvoerder")
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="funding_decisions")
    amount_requested = models.PositiveBigIntegerField(_("gevraagd (euro)"))
    amount_awarded = models.PositiveBigIntegerField(_("toegekend (euro)"))
    difference_explanation = models.TextField(_("toelichting op het verschil"), max_length=TEXT_MAX, blank=True)
    conditions = models.TextField(_("voorwaarden"), max_length=TEXT_MAX, blank=True)
    # The region's position when proposed: lagging regions may use the reserved part of the envelopes.
    accumulated_deficit = models.PositiveSmallIntegerField(_("stapeling (thema's)"))
    lagging = models.BooleanField(_("achterstandsregio"))
    profile_version = models.CharField(max_length=40)
    dataset_versions = models.JSONField(default=dict)
    cofinancing_percent = models.DecimalField(_("cofinanciering (%)"), max_digits=5, decimal_places=1)
    cofinancing_exception = models.TextField(_("onderbouwing uitzondering cofinanciering"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One proposed or approved decision per submission.
            models.UniqueConstraint(
                fields=["submission"], condition=Q(status__in=["proposed", "approved"]), name="decision_one_open"
            ),
            models.CheckConstraint(condition=Q(amount_awarded__gt=0), name="decision_awarded_positive"),
        ]
        verbose_name = _("beschikking")
        verbose_name_plural = _("beschikkingen")

    def __str__(self) -> str:
        return self.reference


class Tranche(models.Model):
    """One payment year's part of a decision."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        RELEASED = "released", _("Uitbetaald")
        RECLAIMED = "reclaimed", _("Teruggevorderd")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tranches")
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.PositiveBigIntegerField(_("bedrag (euro)"))
    # Set at approval: which part of the year's envelope this tranche uses.
    from_reserved = models.PositiveBigIntegerField(default=0)
    from_open = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Payment: by an official, once the year has started and the conditions are met.
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_note = models.TextField(_("toelichting bij uitbetaling"), max_length=TEXT_MAX, blank=True)
    # The sum of the reclaims (terugvorderingen) on this tranche.
    reclaimed_amount = models.PositiveBigIntegerField(_("teruggevorderd (euro)"), default=0)

    class Meta:
        ordering = ["decision", "year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="tranche_one_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
            models.CheckConstraint(condition=Q(reclaimed_amount__lte=F("amount")), name="tranche_reclaim_within"),
            # Only money that was paid out can be reclaimed.
            models.CheckConstraint(
                condition=Q(reclaimed_amount=0) | Q(status__in=["released", "reclaimed"]),
                name="tranche_reclaim_after_release",
            ),
        ]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")


class Reclaim(models.Model):
    """A reclaim (terugvordering) of money paid out in a tranche: unspent or not spent as agreed."""

    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="reclaims")
    amount = models.PositiveBigIntegerField(_("bedrag (euro)"))
    reason = models.TextField(_("reden"), max_length=TEXT_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="reclaim_amount_positive")]
        verbose_name = _("terugvordering")
        verbose_name_plural = _("terugvorderingen")


class ProgressReport(models.Model):
    """The coalition's yearly progress report on a decision, accepted or returned by a Rijk official.

    ``indicators`` holds the actual value per target of the submitted agenda,
    ``spending`` the money spent per measure in the year; both are lists of
    objects (see ``funding.monitoring``). A returned report stays as history;
    the coalition files a new one for the same year.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        ACCEPTED = "accepted", _("Geaccepteerd")
        RETURNED = "returned", _("Teruggestuurd")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="progress_reports")
    year = models.PositiveSmallIntegerField(_("verslagjaar"))
    indicators = models.JSONField(default=list)
    spending = models.JSONField(default=list)
    milestones = models.TextField(_("mijlpalen"), max_length=TEXT_MAX)
    explanation = models.TextField(_("toelichting"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("opmerking van de ambtenaar"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["decision", "year", "submitted_at", "id"]
        constraints = [
            # One report per year under consideration or accepted; returned ones are history.
            models.UniqueConstraint(
                fields=["decision", "year"],
                condition=Q(status__in=["submitted", "accepted"]),
                name="progress_one_per_year",
            ),
        ]
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")

    @property
    def spent_total(self) -> int:
        return sum(row.get("spent", 0) for row in self.spending)


class Amendment(FourEyesDecision):
    """A change of an approved decision (e.g. money moved between years), through the same four eyes.

    ``tranches_before`` and ``tranches_after`` map payment years (as strings)
    to amounts, so the history shows exactly what changed.
    """

    FOUR_EYES_APPROVE = _("Vier ogen: een ander dan de voorsteller stelt de wijziging vast.")
    FOUR_EYES_REJECT = _("Vier ogen: een ander dan de voorsteller beslist over de wijziging.")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("wijziging"))
    reason = models.TextField(_("reden van de wijziging"), max_length=TEXT_MAX)
    amount_before = models.PositiveBigIntegerField()
    amount_after = models.PositiveBigIntegerField()
    tranches_before = models.JSONField(default=dict)
    tranches_after = models.JSONField(default=dict)

    class Meta:
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="amendment_number_unique"),
            models.UniqueConstraint(fields=["decision"], condition=Q(status="proposed"), name="amendment_one_proposed"),
            models.CheckConstraint(condition=Q(amount_after__gt=0), name="amendment_amount_positive"),
        ]
        verbose_name = _("wijzigingsbesluit")
        verbose_name_plural = _("wijzigingsbesluiten")

    @property
    def reference(self) -> str:
        return f"{self.decision.reference}-W{self.number}"

    def changes(self) -> list[tuple[int, int, int]]:
        """(year, before, after) for every year either side names, in year order."""
        years = sorted({int(y) for y in self.tranches_before} | {int(y) for y in self.tranches_after})
        return [(year, self.tranches_before.get(str(year), 0), self.tranches_after.get(str(year), 0)) for year in years]
