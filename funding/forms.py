"""Forms of the funding pages: they parse, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agendas.forms import AmountError, parse_amount
from core.forms import NUMBER, SELECT, TEXTAREA, TEXTBOX
from funding.models import LEGAL_TEXT_MAX, TEXT_MAX, Programme

AMOUNT = {
    "class": "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--numeric ka-amount",
    "inputmode": "numeric",
}


class AmountField(forms.CharField):
    """Whole euros as people type them: "1.250.000", "1250000" or "€ 1.250.000"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(AMOUNT))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AmountError as error:
            message = str(error)
            raise forms.ValidationError(f"{message[:1].upper()}{message[1:]}.") from None


class ProgrammeTextsForm(forms.Form):
    """What the programme's letters (beschikkingen) say: who decides, and on what legal basis; in both languages."""

    description = forms.CharField(
        label=gettext_lazy("Omschrijving"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )
    ministry = forms.CharField(
        label=gettext_lazy("Ministerie"),
        help_text=gettext_lazy(
            "Het ministerie dat besluit, zoals het boven de beschikking staat en in de bezwaarclausule; "
            "bijvoorbeeld: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties."
        ),
        required=False,
        max_length=200,
        widget=forms.TextInput(TEXTBOX),
    )
    ministry_en = forms.CharField(
        label=gettext_lazy("Ministerie (Engels)"),
        help_text=gettext_lazy("Voor brieven in het Engels; leeg: de Nederlandse naam."),
        required=False,
        max_length=200,
        widget=forms.TextInput(TEXTBOX),
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Wettelijke grondslag"),
        help_text=gettext_lazy(
            "De regeling en het artikel waarop de beschikkingen berusten, zoals de brief ze noemt: "
            "“Dit besluit berust op: …”."
        ),
        required=False,
        max_length=LEGAL_TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )
    legal_basis_en = forms.CharField(
        label=gettext_lazy("Wettelijke grondslag (Engels)"),
        help_text=gettext_lazy("Voor brieven in het Engels; leeg: de Nederlandse tekst."),
        required=False,
        max_length=LEGAL_TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )


class ProgrammeForm(ProgrammeTextsForm):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200, widget=forms.TextInput(TEXTBOX))
    start_year = forms.IntegerField(
        label=gettext_lazy("Eerste betaaljaar"), min_value=2000, max_value=2100, widget=forms.NumberInput(NUMBER)
    )
    end_year = forms.IntegerField(
        label=gettext_lazy("Laatste betaaljaar"), min_value=2000, max_value=2100, widget=forms.NumberInput(NUMBER)
    )
    amount_per_year = AmountField(
        label=gettext_lazy("Budget per betaaljaar (euro)"),
        help_text=gettext_lazy("Hetzelfde bedrag voor elk jaar; per jaar verschillende bedragen kunnen via de API."),
    )
    min_cofinancing_percent = forms.IntegerField(
        label=gettext_lazy("Minimale cofinanciering (%)"),
        min_value=0,
        max_value=100,
        initial=50,
        widget=forms.NumberInput(NUMBER),
    )
    reserved_percent = forms.IntegerField(
        label=gettext_lazy("Deel van elk jaar gereserveerd voor achterstandsregio's (%)"),
        min_value=0,
        max_value=100,
        initial=30,
        widget=forms.NumberInput(NUMBER),
    )
    lagging_min_themes = forms.IntegerField(
        label=gettext_lazy("Achterstandsregio: achterstand op minstens (thema's)"),
        min_value=1,
        max_value=30,
        initial=3,
        widget=forms.NumberInput(NUMBER),
    )
    field_order = [
        "name",
        "description",
        "start_year",
        "end_year",
        "amount_per_year",
        "min_cofinancing_percent",
        "reserved_percent",
        "lagging_min_themes",
    ]


class TrancheFieldsMixin:
    """One optional amount field per year, ``tranche_<year>``."""

    def add_tranche_fields(self, years: range) -> None:
        self.years = years
        for year in years:
            self.fields[f"tranche_{year}"] = AmountField(label=_("Tranche %(year)s") % {"year": year}, required=False)

    def tranche_fields(self):
        return [self[f"tranche_{year}"] for year in self.years]

    def tranches(self) -> dict[int, int]:
        return {
            year: self.cleaned_data[f"tranche_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"tranche_{year}")
        }


class ProposeForm(TrancheFieldsMixin, forms.Form):
    """The amount, one tranche field per year of the agenda's period, and the texts."""

    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programma"), queryset=Programme.objects.none(), widget=forms.Select(SELECT)
    )
    amount_awarded = AmountField(label=gettext_lazy("Toegekend bedrag (euro)"))
    difference_explanation = forms.CharField(
        label=gettext_lazy("Toelichting op het verschil met het gevraagde bedrag"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )
    conditions = forms.CharField(
        label=gettext_lazy("Voorwaarden (mijlpalen, voortgangsrapportages)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 4}),
    )
    cofinancing_exception = forms.CharField(
        label=gettext_lazy("Onderbouwing uitzondering op de cofinanciering"),
        help_text=gettext_lazy("Alleen nodig, en alleen mogelijk, voor een achterstandsregio onder de norm."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )

    def __init__(self, *args, years: range, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("start_year", "name")
        self.add_tranche_fields(years)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van afwijzen"), max_length=TEXT_MAX, widget=forms.Textarea({**TEXTAREA, "rows": 3})
    )


class AmendmentForm(TrancheFieldsMixin, forms.Form):
    """The new split over the years, and why."""

    reason = forms.CharField(
        label=gettext_lazy("Reden van de wijziging"),
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )

    def __init__(self, *args, years: range, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_tranche_fields(years)


class ProgressReportForm(forms.Form):
    """A yearly progress report: one field per target of the agenda and per measure, and the texts."""

    year = forms.TypedChoiceField(label=gettext_lazy("Verslagjaar"), coerce=int, widget=forms.Select(SELECT))
    milestones = forms.CharField(
        label=gettext_lazy("Mijlpalen"),
        help_text=gettext_lazy("Welke mijlpalen uit de voorwaarden zijn gehaald, welke niet, en waarom."),
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 4}),
    )
    explanation = forms.CharField(
        label=gettext_lazy("Toelichting"),
        help_text=gettext_lazy("Nodig als een waarde nog niet bekend is."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )

    def __init__(self, *args, years: list[int], targets, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.targets, self.measures = targets, measures
        for target in targets:
            label = f"{target.name} ({target.unit})" if target.unit else target.name
            self.fields[f"indicator_{target.key}"] = forms.CharField(
                label=label,
                help_text=_("Streefwaarde %(value)s in %(year)s")
                % {"value": target.target_value, "year": target.target_year}
                if target.target_value
                else "",
                required=False,
                max_length=40,
                widget=forms.TextInput({**TEXTBOX, "inputmode": "decimal"}),
            )
        for measure in measures:
            self.fields[f"spending_{measure.key}"] = AmountField(label=measure.title, required=False)

    def indicator_fields(self):
        return [self[f"indicator_{t.key}"] for t in self.targets]

    def spending_fields(self):
        return [self[f"spending_{m.key}"] for m in self.measures]

    def indicators(self) -> dict[str, str]:
        return {t.key: self.cleaned_data.get(f"indicator_{t.key}") or "" for t in self.targets}

    def spending(self) -> dict[str, int]:
        return {m.key: self.cleaned_data.get(f"spending_{m.key}") or 0 for m in self.measures}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Opmerking"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )


class ReleaseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Hoe is aan de voorwaarden voldaan?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 2}),
    )


class ReclaimForm(forms.Form):
    amount = AmountField(label=gettext_lazy("Terug te vorderen bedrag (euro)"))
    reason = forms.CharField(
        label=gettext_lazy("Reden"), max_length=TEXT_MAX, widget=forms.Textarea({**TEXTAREA, "rows": 3})
    )
