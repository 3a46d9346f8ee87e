"""Forms of the agenda editor pages.

They only parse what was typed; the services validate the whole part and
save it (``agendas.services``). The budget table is not a Django
form: it is one input per year and funding source, parsed by ``BudgetTable``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from agendas import budget as budget_figures
from agendas.models import (
    AMOUNT_MAX,
    CONTRIBUTION_MAX,
    DESCRIPTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    VISION_MAX,
    FundingSource,
    LinkStrength,
    MeasureStatus,
    PriorityKind,
)
from agendas.services import GoalLinkInput
from core.formatting import figure, in_language, unit_places
from core.forms import CHECKBOX, NUMBER, RADIO, SELECT, TEXTAREA, TEXTBOX
from goals.models import Goal, GoalCatalogue

MARKDOWN_HINT = gettext_lazy("U kunt Markdown gebruiken: **vet**, *cursief*, lijstjes met - en kopjes met #.")


def _limit_hint(limit: int, markdown: bool = False) -> str:
    hint = _("Maximaal %(limit)s tekens.") % {"limit": figure(limit)}
    return f"{hint} {MARKDOWN_HINT}" if markdown else hint


class VersionedForm(forms.Form):
    """A form for one editable part: it carries the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def set_version(self, version: int) -> None:
        """After a conflict: keep what the user typed, but base the next submit on the current version."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


class HeaderForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=TITLE_MAX, widget=forms.TextInput(TEXTBOX))
    summary = forms.CharField(
        label=gettext_lazy("Samenvatting"), required=False, max_length=SUMMARY_MAX, widget=forms.Textarea(TEXTAREA)
    )
    vision = forms.CharField(
        label=gettext_lazy("Visie"),
        required=False,
        max_length=VISION_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 12}),
    )
    start_year = forms.IntegerField(label=gettext_lazy("Beginjaar"), widget=forms.NumberInput(NUMBER))
    end_year = forms.IntegerField(label=gettext_lazy("Eindjaar"), widget=forms.NumberInput(NUMBER))
    lead_partner = forms.ModelChoiceField(
        label=gettext_lazy("Penvoerder"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Nog niet gekozen"),
        widget=forms.Select(SELECT),
        error_messages={"invalid_choice": gettext_lazy("De penvoerder moet een lid-organisatie van de coalitie zijn.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Thema's van brede welvaart"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(CHECKBOX),
    )

    def __init__(self, *args, organisations, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = organisations
        self.fields["themes"].queryset = themes
        self.fields["themes"].label_from_instance = theme_name
        self.fields["summary"].help_text = _limit_hint(SUMMARY_MAX, markdown=True)
        self.fields["vision"].help_text = _limit_hint(VISION_MAX, markdown=True)
        self.fields["title"].help_text = _limit_hint(TITLE_MAX)
        self.fields["end_year"].help_text = _("Een kansenagenda loopt 4 tot 30 jaar.")


class HeaderEditForm(HeaderForm, VersionedForm):
    pass


def theme_name(theme) -> str:

    return in_language(theme.name_nl, theme.name_en)


def indicator_name(indicator) -> str:

    return in_language(indicator.name_nl, indicator.name_en)


class PriorityForm(VersionedForm):
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=TITLE_MAX, widget=forms.TextInput(TEXTBOX))
    kind = forms.ChoiceField(
        label=gettext_lazy("Soort"),
        choices=PriorityKind.choices,
        widget=forms.RadioSelect(RADIO),
        help_text=gettext_lazy("Een kans om te benutten, een behoefte van inwoners of een opgave voor de regio."),
    )
    description = forms.CharField(
        label=gettext_lazy("Toelichting"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 8}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Thema's"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple(CHECKBOX)
    )

    def __init__(self, *args, themes, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]
        self.fields["themes"].queryset = themes
        self.fields["themes"].label_from_instance = theme_name
        self.fields["description"].help_text = _limit_hint(DESCRIPTION_MAX, markdown=True)
        self.fields["title"].help_text = _limit_hint(TITLE_MAX)


class MeasureForm(VersionedForm):
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=TITLE_MAX, widget=forms.TextInput(TEXTBOX))
    priority = forms.ModelChoiceField(
        label=gettext_lazy("Prioriteit"),
        queryset=None,
        empty_label=gettext_lazy("Kies een prioriteit"),
        widget=forms.Select(SELECT),
        error_messages={"invalid_choice": gettext_lazy("Kies een prioriteit van deze agenda.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Omschrijving"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 6}),
    )
    lead_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Trekker"),
        queryset=None,
        empty_label=gettext_lazy("Kies een lid-organisatie"),
        widget=forms.Select(SELECT),
        error_messages={"invalid_choice": gettext_lazy("De trekker moet een lid-organisatie van de coalitie zijn.")},
    )
    start_year = forms.IntegerField(label=gettext_lazy("Beginjaar"), widget=forms.NumberInput(NUMBER))
    end_year = forms.IntegerField(label=gettext_lazy("Eindjaar"), widget=forms.NumberInput(NUMBER))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=MeasureStatus.choices, widget=forms.Select(SELECT))

    def __init__(self, *args, priorities, organisations, agenda, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]
        self.fields["priority"].queryset = priorities
        self.fields["lead_organisation"].queryset = organisations
        self.fields["description"].help_text = _limit_hint(DESCRIPTION_MAX, markdown=True)
        self.fields["title"].help_text = _limit_hint(TITLE_MAX)
        period = _("Binnen de looptijd van de agenda: %(start)s–%(end)s.") % {
            "start": agenda.start_year,
            "end": agenda.end_year,
        }
        self.fields["start_year"].help_text = period
        self.fields["end_year"].help_text = period


class DeleteForm(VersionedForm):
    pass


# ------------------------------------------------------------ goal links


def goal_choices(goals: Iterable[Goal]) -> list:
    """The goal picker's options: one <optgroup> per catalogue, targets under their goal."""
    groups: dict[str, list[tuple[int, str]]] = {value: [] for value in GoalCatalogue.values}
    for goal in goals:
        text = goal.short or goal.title
        if len(text) > 140:
            text = text[:139] + "…"
        label = f"{goal.label} {text}"
        if goal.parent_id:
            label = f"– {label}"
        if not goal.verified:
            label += " (" + _("tekst niet gecontroleerd") + ")"
        groups[goal.catalogue].append((goal.pk, label))
    choices: list = [("", _("Kies een doel"))]
    choices += [(GoalCatalogue(catalogue).label, options) for catalogue, options in groups.items() if options]
    return choices


class GoalLinkForm(forms.Form):
    goal = forms.TypedChoiceField(
        label=gettext_lazy("Doel"),
        coerce=int,
        required=False,
        widget=forms.Select({**SELECT, "data-goal-picker": ""}),
    )
    strength = forms.ChoiceField(
        label=gettext_lazy("Sterkte"),
        choices=LinkStrength.choices,
        initial=LinkStrength.DIRECT,
        widget=forms.Select(SELECT),
    )
    contribution = forms.CharField(
        label=gettext_lazy("Bijdrage"),
        required=False,
        max_length=CONTRIBUTION_MAX,
        widget=forms.TextInput(TEXTBOX),
    )

    def __init__(self, *args, goal_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = goal_choices

    def clean(self):
        data = super().clean()
        if not data.get("goal") and data.get("contribution") and not data.get("DELETE"):
            self.add_error("goal", _("Kies het doel waar deze bijdrage bij hoort."))
        return data

    def to_input(self) -> GoalLinkInput | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not data.get("goal"):
            return None
        return GoalLinkInput(goal_id=data["goal"], strength=data["strength"], contribution=data.get("contribution", ""))


GoalLinkFormSet = forms.formset_factory(GoalLinkForm, extra=2, can_delete=True, max_num=100, absolute_max=100)


def goal_link_initial(links) -> list[dict]:
    return [{"goal": link.goal_id, "strength": link.strength, "contribution": link.contribution} for link in links]


def goal_link_inputs(formset) -> list[GoalLinkInput]:
    return [link for form in formset.forms if (link := form.to_input()) is not None]


# ------------------------------------------------------------ target indicators


class TargetForm(forms.Form):
    indicator = forms.TypedChoiceField(
        label=gettext_lazy("Indicator"), coerce=int, required=False, widget=forms.Select(SELECT)
    )
    baseline_year = forms.IntegerField(
        label=gettext_lazy("Basisjaar"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(NUMBER),
    )
    baseline_value = forms.DecimalField(
        label=gettext_lazy("Basiswaarde"),
        required=False,
        max_digits=20,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput({**TEXTBOX, "inputmode": "decimal"}),
    )
    target_year = forms.IntegerField(
        label=gettext_lazy("Doeljaar"), required=False, min_value=1900, max_value=2100, widget=forms.NumberInput(NUMBER)
    )
    target_value = forms.DecimalField(
        label=gettext_lazy("Streefwaarde"),
        required=False,
        max_digits=20,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput({**TEXTBOX, "inputmode": "decimal"}),
    )

    def __init__(self, *args, indicator_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        filled = [name for name in ("baseline_year", "baseline_value", "target_year", "target_value") if data.get(name)]
        if not data.get("indicator"):
            if filled:
                self.add_error("indicator", _("Kies de indicator waar deze waarden bij horen."))
            return data
        for name in ("target_year", "target_value"):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Dit veld is verplicht."))
        if (data.get("baseline_year") is None) != (data.get("baseline_value") is None):
            self.add_error("baseline_value", _("Vul basisjaar én basiswaarde in, of laat beide leeg."))
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=1, can_delete=True, max_num=50, absolute_max=50)


def indicator_choices(indicators, baselines: Mapping[int, object]) -> list:
    choices: list = [("", _("Kies een indicator"))]
    for indicator in indicators:
        label = f"{indicator_name(indicator)} ({indicator.unit})"
        baseline = baselines.get(indicator.pk)
        if baseline is not None:
            label += " – " + _("regio %(year)s: %(value)s") % {
                "year": baseline.year,
                "value": figure(baseline.value, unit_places(indicator.unit)),
            }
        choices.append((indicator.pk, label))
    return choices


def target_initial(targets) -> list[dict]:
    return [
        {
            "indicator": t.indicator_id,
            "baseline_year": t.baseline_year,
            "baseline_value": None if t.baseline_value is None else t.baseline_value.normalize(),
            "target_year": t.target_year,
            "target_value": t.target_value.normalize(),
        }
        for t in targets
    ]


# ------------------------------------------------------------ budget table

# Thousands separators people type, in the notation of the page's language: "1.250.000" in Dutch,
# "1,250,000" in English, "1 250 000" in both (also a no-break space). Never the other language's
# mark: a Dutch "1,500" is one and a half, not fifteen hundred. budget-table.js reads the same.
_AMOUNT = {
    "nl": re.compile(r"\d+|\d{1,3}(?:[.\u00a0\u202f ]\d{3})+"),
    "en": re.compile(r"\d+|\d{1,3}(?:[,\u00a0\u202f ]\d{3})+"),
}
SOURCE_SHORT_LABELS = {
    "rijk": gettext_lazy("Aanvraag"),
    "municipalities": gettext_lazy("Gemeenten"),
    "province": gettext_lazy("Provincie"),
    "water_board": gettext_lazy("Waterschap"),
    "eu_erdf": gettext_lazy("EFRO"),
    "eu_esf": gettext_lazy("ESF+"),
    "eu_jtf": gettext_lazy("JTF"),
    "eu_interreg": gettext_lazy("Interreg"),
    "private": gettext_lazy("Private partijen"),
    "other": gettext_lazy("Overig"),
}
GROUP_LABELS = {
    "rijk": gettext_lazy("Rijk"),
    "region": gettext_lazy("Regio"),
    "eu": gettext_lazy("EU"),
    "private": gettext_lazy("Privaat"),
    "other": gettext_lazy("Overig"),
}


class AmountError(ValueError):
    pass


def parse_amount(raw: str) -> int:
    """Whole euros from what was typed; empty is 0. Raises AmountError with a message for the page."""
    text = raw.strip().removeprefix("€").strip()
    if not text:
        return 0
    if text.startswith("-"):
        raise AmountError(_("een bedrag kan niet negatief zijn"))
    if not _AMOUNT["en" if (get_language() or "nl").startswith("en") else "nl"].fullmatch(text):
        raise AmountError(_("vul een heel bedrag in euro's in, alleen cijfers (bijvoorbeeld 1.250.000)"))
    digits = re.sub(r"\D", "", text)
    # Checked on the digits first: int() refuses more than 4,300 of them.
    if len(digits) > len(str(AMOUNT_MAX)) or int(digits) > AMOUNT_MAX:
        raise AmountError(_("dit bedrag is onwaarschijnlijk hoog"))
    return int(digits)


@dataclass
class BudgetCell:
    year: int
    source: str
    name: str
    value: str
    amount: int = 0
    invalid: bool = False

    @property
    def label(self) -> str:
        return f"{self.year}, {FundingSource(self.source).label}"


@dataclass
class BudgetRow:
    year: int
    cells: list[BudgetCell]
    total: int
    errors: list[str] = field(default_factory=list)
    in_measure: bool = True


class BudgetTable:
    """One input per year of the agenda and funding source, named ``budget-<year>-<source>``.

    Bound to POST data it parses every cell strictly (``parse_amount``) and
    collects the messages per year; unbound it shows the measure's amounts.
    The totals are computed from the amounts that could be read, with the
    same ``agendas.budget.summarise`` that the agenda page uses.
    """

    sources = budget_figures.SOURCES

    def __init__(self, years: Iterable[int], *, data=None, amounts: Mapping[tuple[int, str], int] | None = None):
        self.years = list(years)
        self.is_bound = data is not None
        self.row_errors: dict[int, list[str]] = {}
        self.cells: dict[tuple[int, str], BudgetCell] = {}
        self.measure_years: tuple[int, int] | None = None
        for year in self.years:
            for source in self.sources:
                name = f"budget-{year}-{source}"
                if data is not None:
                    raw = data.get(name, "")
                    cell = BudgetCell(year, source, name, raw)
                    try:
                        cell.amount = parse_amount(raw)
                    except AmountError as error:
                        cell.invalid = True
                        self._add(year, f"{cell.label}: {error}.")
                else:
                    amount = (amounts or {}).get((year, source), 0)
                    cell = BudgetCell(year, source, name, str(amount) if amount else "", amount)
                self.cells[(year, source)] = cell

    def _add(self, year: int, message: str) -> None:
        self.row_errors.setdefault(year, []).append(message)

    def check_measure_years(self, start_year, end_year) -> None:
        """Amounts outside the measure's own years are refused, naming year and source."""
        if not isinstance(start_year, int) or not isinstance(end_year, int) or end_year < start_year:
            return
        self.measure_years = (start_year, end_year)
        for (year, _source), cell in self.cells.items():
            if cell.amount and not start_year <= year <= end_year:
                cell.invalid = True
                self._add(
                    year,
                    _("%(cell)s: dit jaar valt buiten de looptijd van de maatregel (%(start)s–%(end)s).")
                    % {"cell": cell.label, "start": start_year, "end": end_year},
                )

    def is_valid(self) -> bool:
        return not self.row_errors

    @property
    def amounts(self) -> dict[tuple[int, str], int]:
        return {key: cell.amount for key, cell in self.cells.items() if cell.amount}

    @property
    def summary(self) -> budget_figures.BudgetSummary:
        lines = [budget_figures.Line(year, source, amount) for (year, source), amount in self.amounts.items()]
        return budget_figures.summarise(lines, self.years)

    @property
    def errors(self) -> list[str]:
        return [message for year in self.years for message in self.row_errors.get(year, [])]

    def rows(self) -> list[BudgetRow]:
        summary = self.summary
        start, end = self.measure_years or (None, None)
        return [
            BudgetRow(
                year=year,
                cells=[self.cells[(year, source)] for source in self.sources],
                total=summary.by_year.get(year, 0),
                errors=self.row_errors.get(year, []),
                in_measure=start is None or start <= year <= end,
            )
            for year in self.years
        ]

    def column_totals(self) -> list[tuple[str, int]]:
        by_source = self.summary.by_source
        return [(source, by_source.get(source, 0)) for source in self.sources]

    def groups(self) -> list[tuple[str, str, int]]:
        """(group key, label, number of sources) for the grouped header row."""
        counts: dict[str, int] = {}
        for source in self.sources:
            group = budget_figures.SOURCE_GROUPS[source]
            counts[group] = counts.get(group, 0) + 1
        return [(group, GROUP_LABELS[group], counts[group]) for group in budget_figures.GROUPS]

    def headers(self) -> list[tuple[str, str, str]]:
        """(source, short label, full label) for the second header row."""
        return [(source, SOURCE_SHORT_LABELS[source], FundingSource(source).label) for source in self.sources]

    @property
    def rijk_share(self) -> Fraction | None:
        return self.summary.rijk_share


class CommentForm(forms.Form):
    """The comment box on the agenda and priority pages; ``agendas.comments.comment_create`` checks the text."""

    body = forms.CharField(label=gettext_lazy("Uw reactie"), required=False, strip=False)
