"""The regiotoets register: national decisions and proposals with their expected regional effects.

An official of a ministry (or a programme administrator) records a national
decision or proposal (an ``Entry``): which ministry, what kind, when, which
regions it affects (municipalities or larger regions, as selected) and its
expected effect per broad-welfare theme (an ``Effect``: positive, negative or
unknown, with a short reason and the evidence). The register is public.

A coalition of an affected region may respond to an entry: the response is a
signal to the entry's ministry (``signals.Signal``), linked here by an
``EntryResponse`` made in the same transaction (``regiotoets.services.entry_respond``).

Only ``regiotoets.services`` writes these rows; which regions an entry
affects and which effects hit a theme where a region lags are in
``regiotoets.selectors`` (one rule each).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
SUMMARY_MAX = 5_000
REASON_MAX = 500
EVIDENCE_MAX = 1_000
# At most this many regions per entry: a decision for more is one for a larger region (a province).
REGIONS_MAX = 100


def effect_field(theme_code: str, part: str) -> str:
    """The name of one theme's effect field ("expected", "reason", "evidence") on the form, and of its errors."""
    return f"effect-{theme_code}-{part}"


class Entry(models.Model):
    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Sluiting")
        RELOCATION = "relocation", _("Verplaatsing")
        CONCESSION = "concession", _("Concessie")
        REGULATION = "regulation", _("Regelgeving")
        INVESTMENT = "investment", _("Investering")
        SUBSIDY_SCHEME = "subsidy_scheme", _("Subsidieregeling")

    class Status(models.TextChoices):
        PROPOSAL = "proposal", _("Voorstel")
        DECISION = "decision", _("Besluit")

    # "RT-2027-0001": the year of recording and a number within that year.
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    summary = models.TextField(_("samenvatting"), max_length=SUMMARY_MAX)
    ministry = models.ForeignKey("signals.Ministry", on_delete=models.PROTECT, related_name="+")
    # Of a decision: the day it was taken; of a proposal: the day it is expected to be decided.
    decision_date = models.DateField(_("datum van het besluit"))
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    source_url = models.URLField(_("bron"), max_length=500, blank=True)
    regions = models.ManyToManyField(
        "regions.Region", related_name="+", verbose_name=_("regio's"), through="EntryRegion"
    )
    # Never shown publicly: the public pages name no official.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"))
    updated_at = models.DateTimeField(_("bijgewerkt op"))

    class Meta:
        ordering = ["-decision_date", "-id"]
        indexes = [
            # The register, newest decision first (regiotoets.selectors.page_of).
            models.Index(fields=["-decision_date", "-id"], name="regiotoets_entry_newest"),
            models.Index(fields=["ministry", "-decision_date"], name="regiotoets_entry_ministry"),
        ]
        verbose_name = _("rijksbesluit in de regiotoets")
        verbose_name_plural = _("rijksbesluiten in de regiotoets")

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class EntryRegion(models.Model):
    """One region an entry was recorded for (a municipality, COROP area, province or custom region)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "region"], name="regiotoets_entry_region_unique")]
        indexes = [
            # "Which entries affect this region" goes from the region's overlapping regions to their entries
            # (regiotoets.selectors.entries_affecting).
            models.Index(fields=["region", "entry"], name="regiotoets_region_entry"),
        ]


class Effect(models.Model):
    class Expected(models.TextChoices):
        POSITIVE = "positive", _("Positief")
        NEGATIVE = "negative", _("Negatief")
        UNKNOWN = "unknown", _("Onbekend")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="effects")
    theme = models.ForeignKey("regions.Theme", on_delete=models.PROTECT, related_name="+")
    expected = models.CharField(_("verwacht effect"), max_length=16, choices=Expected.choices)
    reason = models.CharField(_("reden"), max_length=REASON_MAX)
    # A source: a text, a URL, or both.
    evidence = models.TextField(_("onderbouwing"), max_length=EVIDENCE_MAX, blank=True)

    class Meta:
        ordering = ["theme__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "theme"], name="regiotoets_effect_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="regiotoets_effect_has_reason"),
        ]
        indexes = [
            # The map's count of negative effects (regiotoets.selectors.negative_counts_by_municipality).
            models.Index(fields=["expected", "entry"], name="regiotoets_effect_expected"),
        ]
        verbose_name = _("verwacht effect")
        verbose_name_plural = _("verwachte effecten")


class EntryResponse(models.Model):
    """A coalition's response to an entry: a signal to the entry's ministry, filed through ``signals.services``."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="responses")
    signal = models.OneToOneField("signals.Signal", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("gereageerd op"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reactie op een rijksbesluit")
        verbose_name_plural = _("reacties op rijksbesluiten")
