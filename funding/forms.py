"""Forms of the funding pages: they parse, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funding.models import TEXT_MAX, Programme
from kansenagenda.agenda_forms import NUMBER, SELECT, TEXTAREA, TEXTBOX, AmountError, parse_amount

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


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200, widget=forms.TextInput(TEXTBOX))
    description = forms.CharField(
        label=gettext_lazy("Omschrijving"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )
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


class ProposeForm(forms.Form):
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


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van afwijzen"), max_length=TEXT_MAX, widget=forms.Textarea({**TEXTAREA, "rows": 3})
    )
