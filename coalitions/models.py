"""Organisations, people's ties to them, coalitions and their members."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    by ``coalitions.services.coalition_sync_permissions``; never assign them
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
