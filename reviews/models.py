"""The independent broad-welfare review: rounds, submissions, reviewers, scores and advice.

A ``Submission`` is the frozen snapshot of one agenda revision; everything
in this app (reviews, scoring, advice, the public pages) reads the snapshot,
never the live agenda. The workflow state lives on ``Agenda.status`` and on
the submission; both only change through ``reviews.workflow.transition``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import in_language

TEXT_MAX = 10_000
REASON_MAX = 2_000


class ReviewRound(models.Model):
    """A review round feeding one funding programme, with its rubric."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Gesloten")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    programme_name = models.CharField(_("financieringsprogramma"), max_length=200)
    programme_start_year = models.PositiveSmallIntegerField(_("programma vanaf"))
    programme_end_year = models.PositiveSmallIntegerField(_("programma tot en met"))
    # Agendas can be submitted up to and including this day.
    submission_deadline = models.DateField(_("indienen uiterlijk"))
    # The default due date of every reviewer's invitation.
    review_deadline = models.DateField(_("beoordelen uiterlijk"))
    # In a public round published advice (and the snapshot it is about) is public.
    is_public = models.BooleanField(_("openbare ronde"), default=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission_deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme_end_year__gte=models.F("programme_start_year")),
                name="round_programme_period",
            ),
            models.CheckConstraint(
                condition=Q(review_deadline__gte=models.F("submission_deadline")),
                name="round_review_after_submission",
            ),
        ]
        verbose_name = _("beoordelingsronde")
        verbose_name_plural = _("beoordelingsrondes")

    def __str__(self) -> str:
        return self.name

    def accepts_submissions(self, today) -> bool:
        return self.status == self.Status.OPEN and today <= self.submission_deadline


class Criterion(models.Model):
    """One weighted criterion of a round's rubric: a broad-welfare theme or a general one."""

    class Kind(models.TextChoices):
        THEME = "theme", _("Thema van brede welvaart")
        GENERAL = "general", _("Algemeen")

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # "theme-<theme code>" or the code of a general criterion (reviews.rubric).
    code = models.SlugField(max_length=80)
    theme = models.ForeignKey("regions.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Dutch and English: a page shows the reader's language (``shown_title``), falling back to the other.
    title = models.CharField(_("criterium"), max_length=200)
    title_en = models.CharField(_("criterium (Engels)"), max_length=200, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    description_en = models.TextField(_("toelichting (Engels)"), blank=True)
    weight = models.PositiveSmallIntegerField(_("gewicht"))

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_1_100"),
            models.CheckConstraint(
                condition=Q(kind="theme", theme__isnull=False) | Q(kind="general", theme__isnull=True),
                name="criterion_theme_iff_theme_kind",
            ),
        ]
        verbose_name = _("criterium")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def shown_description(self) -> str:
        return in_language(self.description, self.description_en)


class Submission(models.Model):
    """One submitted agenda revision: an immutable snapshot with its SHA-256."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        IN_REVIEW = "in_review", _("In beoordeling")
        ADVISED = "advised", _("Advies uitgebracht")
        RETURNED = "returned", _("Terug voor herziening")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    ACTIVE = (Status.SUBMITTED, Status.IN_REVIEW)

    agenda = models.ForeignKey("agendas.Agenda", on_delete=models.PROTECT, related_name="submissions")
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="submissions")
    # 1, 2, ... per agenda.
    number = models.PositiveSmallIntegerField(_("indiening"))
    revision_number = models.PositiveIntegerField(_("revisie"))
    snapshot = models.JSONField(editable=False)
    content_hash = models.CharField(_("inhoudshash (SHA-256)"), max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "number"], name="submission_number_unique"),
            # At most one submission of an agenda is under way at a time.
            models.UniqueConstraint(
                fields=["agenda"], condition=Q(status__in=["submitted", "in_review"]), name="submission_one_active"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="submission_round_status")]
        verbose_name = _("indiening")
        verbose_name_plural = _("indieningen")

    def __str__(self) -> str:
        return f"{self.snapshot.get('title', '')} ({self.number})"

    @property
    def title(self) -> str:
        return self.snapshot.get("title", "")


class Endorsement(models.Model):
    """A member organisation's representative endorses one revision of an agenda.

    Valid only while the agenda is still at that revision: any later save
    makes it stale, so an endorsement is never of something else than what
    is submitted.
    """

    agenda = models.ForeignKey("agendas.Agenda", on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey("coalitions.Organisation", on_delete=models.PROTECT, related_name="+")
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revision_number = models.PositiveIntegerField(_("revisie"))
    endorsed_at = models.DateTimeField(_("onderschreven op"), auto_now_add=True)

    class Meta:
        ordering = ["-endorsed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "organisation", "revision_number"], name="endorsement_once_per_revision"
            )
        ]
        verbose_name = _("instemming")
        verbose_name_plural = _("instemmingen")


class ReviewerProfile(models.Model):
    """What a reviewer in the pool declares about themselves besides their affiliations: their expertise.

    Being in the pool is the REVIEWER group; affiliations (what the conflict
    check reads) are ``coalitions.Affiliation`` rows. Both change only through
    ``reviews.pool``.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    # Codes of regions.Theme, the same keys a submission's snapshot names its themes by, so matching
    # a reviewer to a submission needs no query.
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beoordelaarsprofiel")
        verbose_name_plural = _("beoordelaarsprofielen")

    def __str__(self) -> str:
        return str(self.user)


class Assignment(models.Model):
    """A reviewer invited to review one submission, and their review."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Uitgenodigd")
        ACCEPTED = "accepted", _("Geaccepteerd")
        DECLINED = "declined", _("Afgewezen")
        SUBMITTED = "submitted", _("Beoordeling ingediend")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("uiterlijk"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Set when the reviewer accepts: they declared having no conflict of interest.
    no_conflict_declared_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reden"), max_length=REASON_MAX, blank=True)
    summary = models.TextField(_("samenvattend oordeel"), max_length=TEXT_MAX, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The due date the last reminder was about: one reminder per due date.
    reminded_for = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="assignment_unique")]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    motivation = models.TextField(_("motivering"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="score_1_to_5"),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")


class AdviceOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positief")
    CONDITIONAL = "conditional", _("Positief onder voorwaarden")
    NEGATIVE = "negative", _("Negatief")
    REVISE = "revise", _("Herzien en opnieuw indienen")


class Advice(models.Model):
    """The chair's consolidated advice on one submission."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="advice")
    outcome = models.CharField(_("uitkomst"), max_length=12, choices=AdviceOutcome.choices)
    rationale = models.TextField(_("onderbouwing"), max_length=TEXT_MAX)
    conditions = models.TextField(_("voorwaarden"), max_length=TEXT_MAX, blank=True)
    # Copies of the figures the advice was written with, frozen at publication.
    evidence = models.JSONField(default=dict, blank=True)
    aggregate = models.JSONField(default=dict, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("advies")
        verbose_name_plural = _("adviezen")


class EvidenceScore(models.Model):
    """The data-based evidence score of a submission under one model version and one set of datasets.

    Unique per (submission, model, datasets): computing it again for the same
    inputs finds the existing row.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence_scores")
    model_version = models.CharField(max_length=20)
    # "source:version,..." sorted: the datasets the region profile was computed from.
    datasets_key = models.CharField(max_length=500)
    dataset_versions = models.JSONField(default=dict)
    total = models.DecimalField(_("bewijsscore"), max_digits=5, decimal_places=1)
    components = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "model_version", "datasets_key"], name="evidence_score_unique"
            )
        ]
        verbose_name = _("bewijsscore")
        verbose_name_plural = _("bewijsscores")


class ScoreAggregate(models.Model):
    """The reviewers' scores of a submission combined; one row per submission, replaced on recompute."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="aggregate")
    # Which reviews went in (assignment id and submission time), so a rerun
    # with the same reviews changes nothing.
    reviews_key = models.CharField(max_length=64)
    review_count = models.PositiveSmallIntegerField(default=0)
    weighted_total = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    criteria = models.JSONField(default=list)
    disagreement = models.BooleanField(default=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("geaggregeerde score")
        verbose_name_plural = _("geaggregeerde scores")


class ScoringJob(models.Model):
    """A background scoring job, claimed by one worker at a time; its progress shows in the UI."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Bewijsscore")
        AGGREGATE = "aggregate", _("Scores samenvoegen")
        RESCORE = "rescore", _("Herberekening na nieuwe gegevens")

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="scoring_jobs"
    )
    # What the job computes from: the same key is the same job (idempotency).
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rekentaak")
        verbose_name_plural = _("rekentaken")

    @property
    def is_active(self) -> bool:
        """Queued or running: a page showing it follows it (core/static/js/live.js)."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class Question(models.Model):
    """A question of the review to the coalition, with its answer (``reviews.questions``).

    A reviewer proposes it (only the chair and that reviewer see a proposal),
    or the chair asks it; once sent it is open until a coordinator or editor of
    the coalition answers. A sent question gets its number (1, 2, … per
    submission) when it is sent, so the numbers the coalition sees have no gaps.
    Who proposed it shows only as "Beoordelaar N" (``selectors.reviewer_numbers``).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Voorgesteld")
        OPEN = "open", _("Wacht op antwoord")
        ANSWERED = "answered", _("Beantwoord")
        DISMISSED = "dismissed", _("Niet verstuurd")

    # What the coalition sees, and the public with the advice in a public round.
    SENT = (Status.OPEN, Status.ANSWERED)

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("nummer"), null=True, blank=True)
    proposed_by_assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposed_questions"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    text = models.TextField(_("vraag"), max_length=TEXT_MAX)
    deadline = models.DateField(_("antwoord uiterlijk"), null=True, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(_("reden"), max_length=REASON_MAX, blank=True)
    answer = models.TextField(_("antwoord"), max_length=TEXT_MAX, blank=True)
    # Stored under a generated name through Django's storage API; served only by a view that checks who reads.
    attachment = models.FileField(_("bijlage"), upload_to="questions/", blank=True)
    # The file's own name, for the download.
    attachment_name = models.CharField(max_length=200, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("number").asc(nulls_last=True), "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="question_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "answered"], number__isnull=False, deadline__isnull=False)
                | Q(status__in=["proposed", "dismissed"], number__isnull=True),
                name="question_sent_has_number_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_at__isnull=False),
                name="question_answered_has_time",
            ),
        ]
        verbose_name = _("vraag aan de coalitie")
        verbose_name_plural = _("vragen aan de coalitie")

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.number or '-'}"

    @property
    def is_sent(self) -> bool:
        return self.status in self.SENT

    def is_late(self, today) -> bool:
        """Answered after its deadline, or still open after it."""
        if self.deadline is None:
            return False
        if self.status == self.Status.ANSWERED:
            return self.answered_at is not None and timezone.localdate(self.answered_at) > self.deadline
        return self.status == self.Status.OPEN and today > self.deadline
