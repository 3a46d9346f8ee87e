"""Signals from the regions to the Rijk: a national rule, programme or decision that blocks an agenda.

A coalition files a signal, linked to the priority or measure of its agenda
that it blocks and to the region, addressed to a ministry of the catalogue
that the programme administrator keeps. An official of that ministry
acknowledges it, answers it (accepted / not possible / forwarded to another
ministry) and closes it, each within working days (``signals.working_days``).
Every step is a ``SignalStep`` row (the history the pages show) and an event.

Only ``signals.services`` writes these rows; ``signals.workflow`` is the table
of who may take which step from which state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.formatting import in_language

TITLE_MAX = 200
BODY_MAX = 5_000
REASON_MAX = 1_000
ANSWER_MAX = 5_000
# What a ministry may promise: between one working day and about a year.
ACKNOWLEDGE_DAYS_MAX = 60
ANSWER_DAYS_MAX = 250


class Ministry(models.Model):
    """A ministry of the Rijk that signals are addressed to; the programme administrator keeps the catalogue."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    abbreviation = models.CharField(_("afkorting"), max_length=20)
    slug = models.SlugField(_("korte naam"), max_length=80, unique=True)
    # Working days (signals.working_days) from filing (or forwarding) to the acknowledgement and the answer.
    acknowledge_days = models.PositiveSmallIntegerField(_("ontvangst bevestigen binnen (werkdagen)"), default=5)
    answer_days = models.PositiveSmallIntegerField(_("antwoorden binnen (werkdagen)"), default=30)
    # An inactive ministry (merged, renamed) keeps its signals but gets no new ones.
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledge_days__gte=1) & Q(acknowledge_days__lte=ACKNOWLEDGE_DAYS_MAX),
                name="ministry_acknowledge_days_range",
            ),
            models.CheckConstraint(
                condition=Q(answer_days__gte=F("acknowledge_days")) & Q(answer_days__lte=ANSWER_DAYS_MAX),
                name="ministry_answer_days_range",
            ),
        ]
        verbose_name = _("ministerie")
        verbose_name_plural = _("ministeries")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (the Dutch one when there is no English one)."""
        return in_language(self.name, self.name_en)


class MinistryOfficial(models.Model):
    """A Rijk official who acknowledges and answers the signals addressed to this ministry."""

    ministry = models.ForeignKey(Ministry, on_delete=models.CASCADE, related_name="officials")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ministry_roles")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ministry", "user"], name="ministry_official_unique")]
        verbose_name = _("ambtenaar van een ministerie")
        verbose_name_plural = _("ambtenaren van ministeries")


class Signal(models.Model):
    class BlocksKind(models.TextChoices):
        PRIORITY = "priority", _("Prioriteit")
        MEASURE = "measure", _("Maatregel")

    class Kind(models.TextChoices):
        RULE = "rule", _("Regel (wet of regeling)")
        PROGRAMME = "programme", _("Programma of subsidieregeling")
        DECISION = "decision", _("Besluit")
        OTHER = "other", _("Anders")

    class Status(models.TextChoices):
        # Only signals.services changes the status, through the table in signals.workflow.
        FILED = "filed", _("Ingediend")
        ACKNOWLEDGED = "acknowledged", _("Ontvangst bevestigd")
        ANSWERED = "answered", _("Beantwoord")
        CLOSED = "closed", _("Afgesloten")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Overgenomen: het ministerie werkt eraan")
        NOT_POSSIBLE = "not_possible", _("Niet mogelijk")
        # Not an end state: the signal is addressed to the other ministry and waits for its answer.
        FORWARDED = "forwarded", _("Doorgestuurd naar een ander ministerie")

    OPEN = (Status.FILED, Status.ACKNOWLEDGED)

    # "SIG-2027-0001": the year of filing and a number within that year.
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.PROTECT, related_name="signals")
    # The member organisation on whose behalf it was filed.
    organisation = models.ForeignKey("coalitions.Organisation", on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The agenda's region, or one of its municipalities.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    ministry = models.ForeignKey(Ministry, on_delete=models.PROTECT, related_name="signals")
    # What it blocks. The signal outlives the agenda's parts (SET_NULL); ``blocks_label`` keeps what it named.
    agenda = models.ForeignKey("agendas.Agenda", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    priority = models.ForeignKey("agendas.Priority", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    measure = models.ForeignKey("agendas.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The priority's or measure's title when filed: the coalition publishes it with the signal (a live title
    # of a draft agenda would be for the coalition's members only). Blank for a signal about no agenda part
    # (filing through signals.services.signal_file always names one).
    blocks_label = models.CharField(_("blokkeert"), max_length=300, blank=True)
    # Whether that title is of a priority or a measure: the word is said in the reader's language (blocks_text).
    blocks_kind = models.CharField(_("soort onderdeel"), max_length=10, choices=BlocksKind.choices, blank=True)
    themes = models.ManyToManyField("regions.Theme", blank=True, related_name="+", verbose_name=_("thema's"))
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    body = models.TextField(_("wat blokkeert wat"), max_length=BODY_MAX)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    is_public = models.BooleanField(_("openbaar"), default=True)
    not_public_reason = models.TextField(_("reden om niet openbaar te maken"), max_length=REASON_MAX, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.FILED)
    # Of the answer in force (accepted or not possible); a forward is a step, not an answer in force.
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("antwoord"), max_length=ANSWER_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("ingediend op"))
    # When the addressed ministry got it: the filing, or the last forward. Its clocks run from here.
    addressed_at = models.DateTimeField(_("geadresseerd op"))
    acknowledge_due = models.DateField(_("ontvangst bevestigen uiterlijk"))
    answer_due = models.DateField(_("antwoord uiterlijk"))
    acknowledged_at = models.DateTimeField(_("ontvangst bevestigd op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    # Set once per addressing when a due date passed (signals.services.signals_escalate_overdue).
    escalated_at = models.DateTimeField(_("geëscaleerd op"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=True) | ~Q(not_public_reason=""), name="signal_not_public_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["filed", "acknowledged"]) & Q(outcome=""))
                | (Q(status__in=["answered", "closed"]) & Q(outcome__in=["accepted", "not_possible"])),
                name="signal_outcome_matches_status",
            ),
            models.CheckConstraint(condition=Q(answer_due__gte=F("acknowledge_due")), name="signal_due_order"),
        ]
        indexes = [
            # The public list, newest first (signals.selectors.public_signals).
            models.Index(fields=["is_public", "-filed_at"], name="signal_public_newest"),
            # The official's list and the ministry figures: open signals per ministry.
            models.Index(fields=["ministry", "status"], name="signal_ministry_status"),
            # The escalation sweep, every minute: open signals not yet escalated.
            models.Index(
                fields=["answer_due"],
                condition=Q(escalated_at__isnull=True, status__in=["filed", "acknowledged"]),
                name="signal_escalation_due",
            ),
        ]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def blocks_text(self) -> str:
        """What it blocks, in the reader's language: "Maatregel: <title>" / "Measure: <title>"; empty without one."""
        if not self.blocks_label:
            return ""
        if not self.blocks_kind:
            return self.blocks_label
        return f"{self.get_blocks_kind_display()}: {self.blocks_label}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today) -> bool:
        """A due date of the current addressing has passed without the step it asks for."""
        if self.status == self.Status.FILED and self.acknowledge_due < today:
            return True
        return self.status in self.OPEN and self.answer_due < today


class SignalStep(models.Model):
    """One step in a signal's history, as the signal's pages show it (also publicly, without names)."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Ingediend")
        ACKNOWLEDGED = "acknowledged", _("Ontvangst bevestigd")
        ANSWERED = "answered", _("Beantwoord")
        FORWARDED = "forwarded", _("Doorgestuurd")
        CLOSED = "closed", _("Afgesloten")
        ESCALATED = "escalated", _("Over de termijn: gemeld aan de programmabeheerder")

    ANSWERS = (Kind.ANSWERED, Kind.FORWARDED)

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("stap"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("op"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The ministry addressed when the step was taken (for a forward: the one that forwarded).
    ministry = models.ForeignKey(Ministry, on_delete=models.PROTECT, related_name="+")
    to_ministry = models.ForeignKey(Ministry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=Signal.Outcome.choices, blank=True)
    text = models.TextField(_("toelichting"), max_length=ANSWER_MAX, blank=True)
    # Of an answer or a forward: working days since the ministry got the signal, and whether by the due date.
    working_days = models.PositiveIntegerField(null=True, blank=True)
    in_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The ministry figures: the answers of each ministry (signals.selectors.ministry_figures).
            models.Index(fields=["ministry", "kind"], name="signal_step_ministry_kind"),
        ]
        verbose_name = _("stap van een signaal")
        verbose_name_plural = _("stappen van signalen")
