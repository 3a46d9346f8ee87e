"""Forms of the review pages. They parse; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import in_language
from core.forms import CHECKBOX, NUMBER, RADIO, SELECT, TEXTAREA, TEXTBOX, filter_choice
from invitations.forms import InviteeFields
from regions.models import Theme
from reviews import rubric, selectors, workflow
from reviews.models import REASON_MAX, TEXT_MAX, AdviceOutcome, Criterion, Submission
from reviews.services import CriterionInput, CriterionTexts, ScoreInput

DATE = {"class": "utrecht-textbox utrecht-textbox--html-input ka-date", "type": "date"}


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam van de ronde"), max_length=200, widget=forms.TextInput(TEXTBOX))
    programme_name = forms.CharField(
        label=gettext_lazy("Financieringsprogramma"), max_length=200, widget=forms.TextInput(TEXTBOX)
    )
    programme_start_year = forms.IntegerField(
        label=gettext_lazy("Programma vanaf (jaar)"), min_value=2000, max_value=2100, widget=forms.NumberInput(NUMBER)
    )
    programme_end_year = forms.IntegerField(
        label=gettext_lazy("Programma tot en met (jaar)"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(NUMBER),
    )
    submission_deadline = forms.DateField(label=gettext_lazy("Indienen uiterlijk"), widget=forms.DateInput(DATE))
    review_deadline = forms.DateField(
        label=gettext_lazy("Beoordelen uiterlijk"),
        help_text=gettext_lazy("De standaardtermijn van elke uitnodiging aan een beoordelaar."),
        widget=forms.DateInput(DATE),
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Openbare ronde: gepubliceerde adviezen zijn voor iedereen zichtbaar"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(CHECKBOX),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric_rows: list[tuple[str, str, str, str]] = []
        for theme in Theme.objects.order_by("position"):
            name = in_language(theme.name_nl, theme.name_en)
            self._criterion(rubric.theme_code(theme.code), name, group=_("Thema's van brede welvaart"), weight=10)
        for general in rubric.GENERAL_CRITERIA:
            self._criterion(
                general.code, str(general.title), group=_("Algemene criteria"), weight=general.default_weight
            )

    def _criterion(self, code: str, title: str, *, group: str, weight: int) -> None:
        on, amount = f"use-{code}", f"weight-{code}"
        self.fields[on] = forms.BooleanField(label=title, required=False, widget=forms.CheckboxInput(CHECKBOX))
        self.fields[amount] = forms.IntegerField(
            label=_("Gewicht van “%(title)s”") % {"title": title},
            min_value=1,
            max_value=100,
            required=False,
            initial=weight,
            widget=forms.NumberInput(NUMBER),
        )
        self.rubric_rows.append((group, code, on, amount))

    def rubric_groups(self):
        groups: dict[str, list] = {}
        for group, _code, on, amount in self.rubric_rows:
            groups.setdefault(group, []).append((self[on], self[amount]))
        return list(groups.items())

    def clean(self):
        data = super().clean()
        for _group, _code, on, amount in self.rubric_rows:
            if data.get(on) and not data.get(amount) and amount not in self.errors:
                self.add_error(amount, _("Geef een gewicht van 1 tot en met 100."))
        return data

    def criteria(self) -> list[CriterionInput]:
        data = self.cleaned_data
        return [CriterionInput(code, data[amount]) for _g, code, on, amount in self.rubric_rows if data.get(on)]


class CriterionTextsForm(forms.Form):
    """The Dutch and English title and description of each of a round's criteria (fields ``c<id>-<field>``)."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            prefix = f"c{criterion.pk}"
            self.fields[f"{prefix}-title"] = forms.CharField(
                label=_("Titel (Nederlands)"),
                max_length=200,
                initial=criterion.title,
                # The error summary lists fields by label, and every criterion has these four.
                error_messages={
                    "required": _("Geef “%(title)s” een Nederlandse titel.") % {"title": criterion.shown_title}
                },
                widget=forms.TextInput({**TEXTBOX, "lang": "nl"}),
            )
            self.fields[f"{prefix}-title_en"] = forms.CharField(
                label=_("Titel (Engels)"),
                max_length=200,
                required=False,
                initial=criterion.title_en,
                widget=forms.TextInput({**TEXTBOX, "lang": "en"}),
            )
            self.fields[f"{prefix}-description"] = forms.CharField(
                label=_("Toelichting (Nederlands)"),
                max_length=2000,
                required=False,
                initial=criterion.description,
                widget=forms.Textarea({**TEXTAREA, "rows": 2, "lang": "nl"}),
            )
            self.fields[f"{prefix}-description_en"] = forms.CharField(
                label=_("Toelichting (Engels)"),
                max_length=2000,
                required=False,
                initial=criterion.description_en,
                widget=forms.Textarea({**TEXTAREA, "rows": 2, "lang": "en"}),
            )

    def rows(self):
        return [
            (c, [self[f"c{c.pk}-{field}"] for field in ("title", "title_en", "description", "description_en")])
            for c in self.criteria
        ]

    def texts(self) -> dict[int, CriterionTexts]:
        data = self.cleaned_data
        return {
            c.pk: CriterionTexts(
                title=data[f"c{c.pk}-title"],
                title_en=data[f"c{c.pk}-title_en"],
                description=data[f"c{c.pk}-description"],
                description_en=data[f"c{c.pk}-description_en"],
            )
            for c in self.criteria
        }


class SelectWithDisabled(forms.Select):
    """A select whose options in ``disabled_values`` are shown but cannot be chosen."""

    disabled_values: set = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class AssignForm(forms.Form):
    reviewer = forms.TypedChoiceField(
        label=gettext_lazy("Beoordelaar"),
        coerce=int,
        help_text=gettext_lazy(
            "Op volgorde van passende expertise en daarna van het aantal lopende beoordelingen. "
            "Grijs: al uitgenodigd of een belangenconflict."
        ),
        widget=SelectWithDisabled(SELECT),
    )
    due_date = forms.DateField(
        label=gettext_lazy("Uiterlijk"),
        required=False,
        help_text=gettext_lazy("Leeg: de termijn van de ronde."),
        widget=forms.DateInput(DATE),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        """``candidates``: ``reviews.pool_selectors.Candidate`` rows, best first.

        Everyone in the pool is a choice, so that the service says why a
        choice is refused; those who cannot be chosen (tied, already invited)
        are greyed-out options with the reason in their label.
        """
        super().__init__(*args, **kwargs)
        candidates = list(candidates)
        field = self.fields["reviewer"]
        field.choices = [("", _("— kies —"))] + [(c.reviewer.pk, c.label) for c in candidates]
        field.widget.disabled_values = {c.reviewer.pk for c in candidates if not c.available}
        self.available_count = sum(1 for c in candidates if c.available)
        self.tied = [(c.reviewer, c.conflicts) for c in candidates if c.conflicts and c.invited is None]


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Uw antwoord"),
        choices=[("accept", gettext_lazy("Ik accepteer")), ("decline", gettext_lazy("Ik wijs af"))],
        widget=forms.RadioSelect(RADIO),
    )
    no_conflict = forms.BooleanField(
        label=gettext_lazy(
            "Ik verklaar dat ik geen belangenconflict heb: ik ben niet verbonden aan een van de partners van deze "
            "coalitie en heb geen ander belang bij de uitkomst."
        ),
        required=False,
        widget=forms.CheckboxInput(CHECKBOX),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden van afwijzen"),
        help_text=gettext_lazy("Verplicht als u afwijst. De voorzitter leest de reden."),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )


class ReviewForm(forms.Form):
    """One score (1–5, radio buttons) and a motivation per criterion, and a summary."""

    summary = forms.CharField(
        label=gettext_lazy("Samenvattend oordeel"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 5}),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(str(n), str(n)) for n in range(rubric.SCORE_MIN, rubric.SCORE_MAX + 1)]
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.shown_title,
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect(RADIO),
            )
            self.fields[f"motivation_{criterion.pk}"] = forms.CharField(
                label=_("Motivering bij “%(title)s”") % {"title": criterion.title},
                help_text=_("Verplicht bij een score van 1 of 2."),
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea({**TEXTAREA, "rows": 2}),
            )

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"motivation_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, ScoreInput]:
        data = self.cleaned_data
        return {c.pk: ScoreInput(data.get(f"score_{c.pk}"), data.get(f"motivation_{c.pk}", "")) for c in self.criteria}


class AdviceForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Uitkomst"), choices=AdviceOutcome.choices, widget=forms.RadioSelect(RADIO)
    )
    rationale = forms.CharField(
        label=gettext_lazy("Onderbouwing"), max_length=TEXT_MAX, widget=forms.Textarea({**TEXTAREA, "rows": 8})
    )
    conditions = forms.CharField(
        label=gettext_lazy("Voorwaarden"),
        help_text=gettext_lazy("Verplicht bij “positief onder voorwaarden”."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 4}),
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in workflow.ACTIONS], widget=forms.HiddenInput)
    comment = forms.CharField(
        label=gettext_lazy("Toelichting"),
        required=False,
        max_length=workflow.COMMENT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 2}),
    )
    round = forms.TypedChoiceField(
        label=gettext_lazy("Beoordelingsronde"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.pk, f"{r.name} ({r.programme_name})") for r in rounds]


class ExtendForm(forms.Form):
    due_date = forms.DateField(label=gettext_lazy("Nieuwe uiterste datum"), widget=forms.DateInput(DATE))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van heropenen"), max_length=REASON_MAX, widget=forms.Textarea({**TEXTAREA, "rows": 2})
    )


# ---------------------------------------------------------------- questions to the coalition


class DeadlineInput(forms.DateInput):
    """A date field that offers no day before today (the service refuses one anyway)."""

    def __init__(self):
        super().__init__(DATE)

    def get_context(self, name, value, attrs):
        return super().get_context(name, value, {**(attrs or {}), "min": timezone.localdate().isoformat()})


class QuestionAskForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Vraag"), max_length=TEXT_MAX, widget=forms.Textarea({**TEXTAREA, "rows": 4})
    )
    deadline = forms.DateField(label=gettext_lazy("Antwoord uiterlijk"), widget=DeadlineInput())


class QuestionSendForm(forms.Form):
    """Sending a reviewer's proposal: as written, or rewritten by the chair."""

    text = forms.CharField(
        label=gettext_lazy("Vraag zoals die wordt verstuurd"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )
    deadline = forms.DateField(label=gettext_lazy("Antwoord uiterlijk"), widget=DeadlineInput())


class QuestionDismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden voor de beoordelaar"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.TextInput(TEXTBOX),
    )


class QuestionProposeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Uw vraag"),
        help_text=gettext_lazy(
            "De voorzitter leest uw voorstel en stelt de vraag aan de coalitie, of niet. "
            "De coalitie ziet niet wie de vraag voorstelde, alleen uw nummer."
        ),
        max_length=TEXT_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )


class QuestionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Antwoord"), max_length=TEXT_MAX, widget=forms.Textarea({**TEXTAREA, "rows": 4})
    )
    attachment = forms.FileField(
        label=gettext_lazy("Bijlage"),
        required=False,
        help_text=gettext_lazy("Een PDF-, ODT-, DOCX-, XLSX- of CSV-bestand van hoogstens 10 MB."),
        widget=forms.FileInput(
            {"class": "utrecht-textbox utrecht-textbox--html-input", "accept": ".pdf,.odt,.docx,.xlsx,.csv"}
        ),
    )


# ---------------------------------------------------------------- the reviewer pool

ORGANISATIONS_HELP = gettext_lazy(
    "Organisaties waarvoor de persoon nu werkt of waaraan die verbonden is; "
    "hiermee worden belangenconflicten gevonden. Houd Ctrl (Mac: Cmd) ingedrukt om er meer te kiezen."
)


def _theme_choices(themes) -> list[tuple[str, str]]:
    return [(t.code, in_language(t.name_nl, t.name_en)) for t in themes]


class PoolFields(forms.Form):
    """Expertise and current affiliations, as a chair records them for someone in the pool."""

    expertise = forms.MultipleChoiceField(
        label=gettext_lazy("Expertise: thema's van brede welvaart"),
        error_messages={
            "required": gettext_lazy("Kies minstens één thema."),
            "invalid_choice": gettext_lazy("Onbekend thema: %(value)s. Kies uit de thema's van brede welvaart."),
        },
        widget=forms.CheckboxSelectMultiple(CHECKBOX),
    )
    affiliations = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Verbonden aan"),
        coerce=int,
        required=False,
        help_text=ORGANISATIONS_HELP,
        error_messages={"invalid_choice": gettext_lazy("Kies organisaties uit de lijst.")},
        widget=forms.SelectMultiple({**SELECT, "size": 8}),
    )

    def __init__(self, *args, themes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].choices = _theme_choices(themes)
        self.fields["affiliations"].choices = [(o.pk, o.name) for o in organisations]


class ReviewerInviteForm(InviteeFields, PoolFields):
    field_order = ["name", "email", "expertise", "affiliations", "message"]


class ExpertiseForm(forms.Form):
    expertise = PoolFields.base_fields["expertise"]

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].choices = _theme_choices(themes)


class AffiliationForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisatie"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Kies een organisatie uit de lijst.")},
        widget=forms.Select(SELECT),
    )
    role_title = forms.CharField(
        label=gettext_lazy("Functie"), max_length=200, required=False, widget=forms.TextInput(TEXTBOX)
    )
    start_date = forms.DateField(label=gettext_lazy("Vanaf"), widget=forms.DateInput(DATE))
    end_date = forms.DateField(
        label=gettext_lazy("Tot en met"),
        required=False,
        help_text=gettext_lazy("Leeg als u er nog werkt of aan verbonden bent."),
        widget=forms.DateInput(DATE),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("— kies —"))] + [(o.pk, o.name) for o in organisations]


class AffiliationEndForm(forms.Form):
    end_date = forms.DateField(label=gettext_lazy("Tot en met"), required=False, widget=forms.DateInput(DATE))


# ---------------------------------------------------------------- the chair's round overview

OVERVIEW_ORDERING_LABELS = {
    "-total": gettext_lazy("Beoordelaars: hoogste totaal eerst"),
    "total": gettext_lazy("Beoordelaars: laagste totaal eerst"),
    "-evidence": gettext_lazy("Bewijsscore: hoogste eerst"),
    "evidence": gettext_lazy("Bewijsscore: laagste eerst"),
    "-disagreement": gettext_lazy("Verschil tussen beoordelaars eerst"),
    "disagreement": gettext_lazy("Verschil tussen beoordelaars laatst"),
    "-region": gettext_lazy("Regio: Z–A"),
    "region": gettext_lazy("Regio: A–Z"),
    "-status": gettext_lazy("Status: laatste stap eerst"),
    "status": gettext_lazy("Status: in de volgorde van de procedure"),
    "-title": gettext_lazy("Agenda: Z–A"),
    "title": gettext_lazy("Agenda: A–Z"),
}


class RoundOverviewForm(forms.Form):
    """The sort and filters of the chair's overview of a round (a GET form); the rules are the selector's."""

    ordering = filter_choice(
        gettext_lazy("Sorteren"),
        gettext_lazy("Onbekende sortering: %(value)s. Kies er een uit de lijst."),
        choices=[(ordering, OVERVIEW_ORDERING_LABELS[ordering]) for ordering in selectors.OVERVIEW_ORDERINGS],
    )
    status = filter_choice(
        gettext_lazy("Status"), gettext_lazy("Onbekende status: %(value)s. Kies er een uit de lijst.")
    )
    theme = filter_choice(gettext_lazy("Thema"), gettext_lazy("Onbekend thema: %(value)s. Kies er een uit de lijst."))
    region = filter_choice(
        gettext_lazy("Regio"), gettext_lazy("Geen regio van deze ronde: %(value)s. Kies er een uit de lijst.")
    )

    def __init__(self, *args, themes: dict[str, str], regions: list[tuple[str, str]], **kwargs):
        """``themes``: code -> name (``selectors.theme_names``); ``regions``: (code, name) of the round's."""
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alle statussen")), *Submission.Status.choices]
        self.fields["theme"].choices = [("", _("Alle thema's")), *themes.items()]
        self.fields["region"].choices = [("", _("Alle regio's")), *regions]

    def query(self) -> selectors.OverviewQuery:
        """The valid part of what was asked; a wrong value is left out (its field shows the error)."""
        if not self.is_bound:
            return selectors.OverviewQuery()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return selectors.OverviewQuery(**data)
