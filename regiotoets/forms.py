"""The forms of the regiotoets register: recording an entry, responding to one, and the register's filters.

The forms check types and choices; the rules are the services' (their errors
come back at the fields through ``core.forms.apply_errors``). The expected
effect on each theme is three fields, named as the service names their
errors: ``effect-<theme>-expected``, ``effect-<theme>-reason`` and
``effect-<theme>-evidence``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import in_language
from core.forms import RADIO, SELECT, TEXTAREA, TEXTBOX, ListFilters, filter_choice
from regiotoets.models import EVIDENCE_MAX, REASON_MAX, SUMMARY_MAX, TITLE_MAX, Effect, Entry, effect_field
from signals.forms import SignalForm, ministry_label
from signals.models import Signal

DATE = {"class": "utrecht-textbox utrecht-textbox--html-input ka-date", "type": "date"}
KIND_LABELS = {
    "province": gettext_lazy("Provincies"),
    "corop": gettext_lazy("COROP-gebieden"),
    "custom": gettext_lazy("Eigen regio's"),
    "municipality": gettext_lazy("Gemeenten"),
}


def theme_label(theme) -> str:
    return in_language(theme.name_nl, theme.name_en)


@dataclass(frozen=True)
class EffectRow:
    code: str
    label: str
    expected: forms.BoundField
    reason: forms.BoundField
    evidence: forms.BoundField
    open: bool


class EntryForm(forms.Form):
    """Recording or editing an entry (``regiotoets.services.entry_record`` / ``entry_update``).

    The fields the service requires are marked so on the page, but the form lets an empty one through: the
    service then says what is missing together with everything else it refuses (an effect without a reason,
    an unknown region), all at once.
    """

    title = forms.CharField(label=gettext_lazy("Titel"), max_length=TITLE_MAX, widget=forms.TextInput(TEXTBOX))
    ministry = forms.TypedChoiceField(
        label=gettext_lazy("Ministerie"),
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Kies een ministerie uit de lijst.")},
        widget=forms.Select(SELECT),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Besluit of voorstel"),
        choices=Entry.Status.choices,
        widget=forms.RadioSelect(RADIO),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=Entry.Kind.choices, widget=forms.RadioSelect(RADIO))
    decision_date = forms.DateField(
        label=gettext_lazy("Datum van het besluit"),
        help_text=gettext_lazy(
            "Van een besluit: de dag waarop het is genomen. Van een voorstel: de dag waarop het besluit wordt "
            "verwacht, vandaag of later."
        ),
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
    )
    summary = forms.CharField(
        label=gettext_lazy("Samenvatting"),
        help_text=gettext_lazy("Wat het Rijk besluit of voorstelt, en wat er in de regio verandert."),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 6}),
    )
    source_url = forms.URLField(
        label=gettext_lazy("Bron (webadres)"),
        help_text=gettext_lazy("Bijvoorbeeld het besluit of de Kamerbrief op rijksoverheid.nl."),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(TEXTBOX),
    )
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Regio's die het raakt"),
        help_text=gettext_lazy(
            "Kies de gemeenten, of grotere regio's: een COROP-gebied, een provincie of een eigen regio. Het besluit "
            "raakt elke regio die een gemeente met uw keuze deelt."
        ),
        error_messages={"invalid_choice": gettext_lazy("Onbekende regio: %(value)s. Kies regio's uit de lijst.")},
        widget=forms.CheckboxSelectMultiple,
    )

    # Not an input: where the service's errors about the effects as a whole go (none, an unknown or repeated theme);
    # the page shows them above the themes.
    effects = forms.Field(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, ministries, regions, themes, **kwargs):
        """``ministries``: the ones the person may record for; ``regions``: (code, name, kind); ``themes``: rows."""
        super().__init__(*args, **kwargs)
        self.fields["ministry"].choices = [
            ("", _("Kies een ministerie")),
            *((m.pk, ministry_label(m)) for m in ministries),
        ]
        self.fields["regions"].choices = [(code, name) for code, name, _kind in regions]
        self.region_rows = regions
        self.themes = list(themes)
        expected = [("", _("geen effect vastgelegd")), *Effect.Expected.choices]
        for theme in self.themes:
            label = theme_label(theme)
            self.fields[effect_field(theme.code, "expected")] = forms.ChoiceField(
                label=_("Verwacht effect op %(theme)s") % {"theme": label},
                choices=expected,
                required=False,
                widget=forms.Select(SELECT),
            )
            self.fields[effect_field(theme.code, "reason")] = forms.CharField(
                label=_("Reden"),
                max_length=REASON_MAX,
                required=False,
                widget=forms.TextInput(TEXTBOX),
            )
            self.fields[effect_field(theme.code, "evidence")] = forms.CharField(
                label=_("Onderbouwing: bron of webadres"),
                max_length=EVIDENCE_MAX,
                required=False,
                widget=forms.TextInput(TEXTBOX),
            )

    def full_clean(self):
        required = [name for name, field in self.fields.items() if field.required]
        for name in required:
            self.fields[name].required = False
        try:
            super().full_clean()
        finally:
            for name in required:
                self.fields[name].required = True

    @classmethod
    def of(cls, entry: Entry, **kwargs) -> EntryForm:
        initial = {
            "title": entry.title,
            "ministry": entry.ministry_id,
            "status": entry.status,
            "kind": entry.kind,
            "decision_date": entry.decision_date,
            "summary": entry.summary,
            "source_url": entry.source_url,
            "regions": [region.code for region in entry.regions.all()],
        }
        for effect in entry.effects.all():
            initial[effect_field(effect.theme.code, "expected")] = effect.expected
            initial[effect_field(effect.theme.code, "reason")] = effect.reason
            initial[effect_field(effect.theme.code, "evidence")] = effect.evidence
        return cls(initial=initial, **kwargs)

    def region_groups(self) -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
        """(kind, its label, [(code, name, chosen)]) per kind of region, for the grouped checkboxes."""
        chosen = set(self["regions"].value() or [])
        groups: dict[str, list[tuple[str, str, bool]]] = {}
        for code, name, kind in self.region_rows:
            groups.setdefault(kind, []).append((code, name, code in chosen))
        return [(kind, KIND_LABELS.get(kind, kind), rows) for kind, rows in groups.items()]

    def effect_rows(self) -> list[EffectRow]:
        """Per theme its label and three bound fields, for the template (open when filled in or wrong)."""
        rows = []
        for theme in self.themes:
            fields = [self[effect_field(theme.code, part)] for part in ("expected", "reason", "evidence")]
            filled = any(field.value() for field in fields) or any(field.errors for field in fields)
            rows.append(EffectRow(theme.code, theme_label(theme), *fields, open=filled))
        return rows

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        effects = []
        for theme in self.themes:
            expected = data[effect_field(theme.code, "expected")]
            reason = data[effect_field(theme.code, "reason")]
            evidence = data[effect_field(theme.code, "evidence")]
            # A theme with a reason or evidence but no expected effect goes to the service, which asks for one.
            if expected or reason.strip() or evidence.strip():
                effects.append({"theme": theme.code, "expected": expected, "reason": reason, "evidence": evidence})
        return {
            "title": data["title"],
            "summary": data["summary"],
            "ministry_id": data["ministry"],
            "decision_date": data["decision_date"],
            "kind": data["kind"],
            "status": data["status"],
            "source_url": data["source_url"],
            "region_codes": data["regions"],
            "effects": effects,
        }


class ResponseForm(SignalForm):
    """A coalition's response to an entry: a signal to the entry's ministry (``regiotoets.services.entry_respond``).

    Signals' own form, without the ministry (the entry's) and with a title, kind and themes to start from.
    """

    def __init__(self, *args, entry: Entry, flagged_themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["ministry"]
        if not self.is_bound:
            title = _("Reactie op %(reference)s: %(title)s") % {"reference": entry.reference, "title": entry.title}
            self.fields["title"].initial = title[: self.fields["title"].max_length]
            self.fields["kind"].initial = Signal.Kind.DECISION
            self.fields["themes"].initial = [theme.code for theme in flagged_themes]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        kind, _sep, pk = data["blocks"].partition("-")
        return {
            "title": data["title"],
            "body": data["body"],
            "kind": data["kind"],
            "priority_id": int(pk) if kind == "p" else None,
            "measure_id": int(pk) if kind == "m" else None,
            "region_code": data["region"],
            "organisation_id": data["organisation"],
            "theme_codes": data["themes"],
            "is_public": data["is_public"],
            "not_public_reason": data["not_public_reason"],
        }


# --- the register's filters -------------------------------------------------------------------


@dataclass(frozen=True)
class Filters(ListFilters):
    """What the register shows: every field empty is no filter."""

    ministry: str = ""
    kind: str = ""
    status: str = ""
    theme: str = ""
    effect: str = ""
    region: str = ""


class FilterForm(forms.Form):
    """The register's filters (a GET form): a wrong value is a 400 with the error at its field."""

    ministry = filter_choice(
        gettext_lazy("Ministerie"), gettext_lazy("Onbekend ministerie: %(value)s. Kies er een uit de lijst.")
    )
    kind = filter_choice(gettext_lazy("Soort"), gettext_lazy("Onbekende soort: %(value)s. Kies er een uit de lijst."))
    status = filter_choice(
        gettext_lazy("Besluit of voorstel"), gettext_lazy("Onbekende status: %(value)s. Kies er een uit de lijst.")
    )
    theme = filter_choice(gettext_lazy("Thema"), gettext_lazy("Onbekend thema: %(value)s. Kies er een uit de lijst."))
    effect = filter_choice(
        gettext_lazy("Verwacht effect"), gettext_lazy("Onbekend effect: %(value)s. Kies er een uit de lijst.")
    )
    region = filter_choice(
        gettext_lazy("Raakt regio"), gettext_lazy("Onbekende regio: %(value)s. Kies er een uit de lijst.")
    )

    def __init__(self, *args, ministries, themes, regions, **kwargs):
        """``ministries``: Ministry rows; ``themes``: Theme rows; ``regions``: (code, name, kind)."""
        super().__init__(*args, **kwargs)
        self.fields["ministry"].choices = [("", _("Alle ministeries")), *((m.slug, m.display_name) for m in ministries)]
        self.fields["kind"].choices = [("", _("Alle soorten")), *Entry.Kind.choices]
        self.fields["status"].choices = [("", _("Besluiten en voorstellen")), *Entry.Status.choices]
        self.fields["theme"].choices = [("", _("Alle thema's")), *((t.code, theme_label(t)) for t in themes)]
        self.fields["effect"].choices = [("", _("Elk effect")), *Effect.Expected.choices]
        grouped: dict[str, list[tuple[str, str]]] = {}
        for code, name, kind in regions:
            grouped.setdefault(kind, []).append((code, name))
        self.fields["region"].choices = [
            ("", _("Alle regio's")),
            *((str(KIND_LABELS.get(kind, kind)), rows) for kind, rows in grouped.items()),
        ]

    def filters(self) -> Filters:
        """The valid part of what was asked; a wrong value is left out (its field shows the error)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        return Filters(**{name: value for name, value in self.cleaned_data.items() if value})
