"""The goal catalogues that agendas link to: SDGs, EU cohesion policy, national transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import in_english


class GoalCatalogue(models.TextChoices):
    SDG = "sdg", _("Duurzame ontwikkelingsdoelen (SDG's)")
    EU = "eu", _("EU-cohesiebeleid 2021–2027")
    NATIONAL = "national", _("Nationale transities en programma's")


class Goal(models.Model):
    """One goal, or one target / specific objective under a goal (``parent``).

    SDG and EU rows come from the files in ``goals/data`` and are
    loaded by ``import_goals``; the national catalogue is kept by data stewards
    in the app.
    """

    catalogue = models.CharField(_("catalogus"), max_length=16, choices=GoalCatalogue.choices)
    code = models.CharField(_("code"), max_length=24)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("valt onder")
    )
    short_nl = models.CharField(_("korte naam (Nederlands)"), max_length=200, blank=True)
    short_en = models.CharField(_("korte naam (Engels)"), max_length=200, blank=True)
    title_nl = models.TextField(_("omschrijving (Nederlands)"), max_length=1000, blank=True)
    title_en = models.TextField(_("omschrijving (Engels)"), max_length=1000, blank=True)
    source = models.CharField(_("bron"), max_length=500, blank=True)
    # False when the wording was not checked against the official text; the
    # UI says so next to the goal.
    verified = models.BooleanField(_("tekst gecontroleerd"), default=True)
    is_active = models.BooleanField(_("actief"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["catalogue", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="goal_catalogue_code_unique")]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")

    def __str__(self) -> str:
        return f"{self.label} {self.short or self.title}"

    @property
    def label(self) -> str:
        prefix = {GoalCatalogue.SDG: "SDG", GoalCatalogue.EU: "EU"}.get(self.catalogue, "NL")
        return f"{prefix} {self.code}"

    def _in_language(self, nl: str, en: str) -> str:
        if in_english():
            return en or nl
        return nl or en

    @property
    def short(self) -> str:
        return self._in_language(self.short_nl, self.short_en)

    @property
    def title(self) -> str:
        return self._in_language(self.title_nl, self.title_en)

    @property
    def goal_id(self) -> int:
        """The goal itself for a goal; the goal it belongs to for a target."""
        return self.parent_id or self.pk
