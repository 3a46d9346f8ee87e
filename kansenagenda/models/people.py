"""People, organisations, coalitions and the event log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    # E-mail is how people are reached (notifications, password reset), so
    # it is required and unique, compared case-insensitively.
    email = models.EmailField(_("e-mailadres"))
    full_name = models.CharField(_("naam"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_unique_ci"),
        ]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class GlobalRole(models.TextChoices):
    """Global roles are Django groups with these names (created by a migration)."""

    REVIEWER = "reviewer", _("Beoordelaar")
    REVIEW_CHAIR = "review_chair", _("Voorzitter beoordeling")
    RIJK_OFFICIAL = "rijk_official", _("Rijksambtenaar")
    DATA_STEWARD = "data_steward", _("Databeheerder")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeente")
        PROVINCE = "province", _("Provincie")
        WATER_BOARD = "water_board", _("Waterschap")
        COMPANY = "company", _("Bedrijf")
        KNOWLEDGE = "knowledge", _("Kennisinstelling")
        CIVIL_SOCIETY = "civil_society", _("Maatschappelijke organisatie")
        GOVERNMENT = "government", _("Rijksoverheid")
        OTHER = "other", _("Overig")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    # A municipality or province is linked to its CBS region.
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("regio"),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    """A person's tie to an organisation over time.

    Kept apart from coalition membership on purpose: the review's
    conflict-of-interest check reads these ties (someone who worked for a
    member organisation last year is still tied to it), whatever role the
    person has or had in a coalition.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="affiliations")
    role_title = models.CharField(_("functie"), max_length=200, blank=True)
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="affiliation_end_after_start",
            )
        ]
        verbose_name = _("verbondenheid")
        verbose_name_plural = _("verbondenheden")


class Coalition(models.Model):
    """The cooperating partners of a region (samenwerkingsverband)."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=80, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="coalitions")
    description = models.TextField(_("omschrijving"), blank=True)
    organisations = models.ManyToManyField(Organisation, through="CoalitionOrganisation", related_name="coalitions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("edit_coalition_content", _("Mag inhoud van de coalitie bewerken")),
            ("manage_coalition_members", _("Mag leden en rollen beheren")),
        ]
        verbose_name = _("coalitie")
        verbose_name_plural = _("coalities")

    def __str__(self) -> str:
        return self.name


class CoalitionOrganisation(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="member_organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("lid sinds"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coalition", "organisation"], name="coalition_organisation_unique")
        ]


class CoalitionRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coördinator")
    EDITOR = "editor", _("Redacteur")
    VIEWER = "viewer", _("Lezer")


class CoalitionMembership(models.Model):
    """The single source of truth for a person's role in a coalition.

    The guardian object permissions on the coalition are derived from this row
    by ``kansenagenda.services.coalition_sync_permissions``; never assign them
    by hand.
    """

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coalition_memberships")
    # The member organisation the person represents in this coalition.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rol"), max_length=16, choices=CoalitionRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coalition", "user"], name="coalition_membership_unique")]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")


class Event(models.Model):
    """Who did what to which object when: the audit trail and the outbox.

    Rows are only ever inserted (``kansenagenda.events.record_event``).
    Notifications are sent from here after the transaction commits.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # Events of a coalition's objects carry the coalition, so "what happened
    # in my coalition" is one indexed query.
    coalition = models.ForeignKey(Coalition, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="event_target")]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}"
