"""The forms of signals: filing, the ministry's answer, the catalogue, and the public list's filters.

The forms check types and choices; the rules are the services' (their errors
come back at the fields through ``core.forms.apply_errors``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agendas.forms import theme_name
from agendas.models import Agenda
from core.forms import CHECKBOX, NUMBER, RADIO, SELECT, TEXTAREA, TEXTBOX, ListFilters, filter_choice
from regions.models import Theme
from signals.models import (
    ACKNOWLEDGE_DAYS_MAX,
    ANSWER_DAYS_MAX,
    ANSWER_MAX,
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Ministry,
    Signal,
)


def ministry_label(ministry: Ministry) -> str:
    return f"{ministry.display_name} ({ministry.abbreviation})"


class SignalForm(forms.Form):
    """Filing a signal about one agenda (``signals.services.signal_file``)."""

    ministry = forms.ModelChoiceField(
        label=gettext_lazy("Aan welk ministerie"),
        queryset=Ministry.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Kies een ministerie uit de lijst.")},
        widget=forms.Select(SELECT),
    )
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=TITLE_MAX, widget=forms.TextInput(TEXTBOX))
    kind = forms.ChoiceField(
        label=gettext_lazy("Wat blokkeert er?"), choices=Signal.Kind.choices, widget=forms.RadioSelect(RADIO)
    )
    body = forms.CharField(
        label=gettext_lazy("Wat blokkeert wat"),
        help_text=gettext_lazy(
            "Welke landelijke regel, welk programma of besluit houdt welke kans in de agenda tegen, en wat zou helpen?"
        ),
        max_length=BODY_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 8}),
    )
    blocks = forms.ChoiceField(
        label=gettext_lazy("Welke prioriteit of maatregel het blokkeert"),
        help_text=gettext_lazy(
            "De titel staat bij het signaal, ook op de openbare pagina als het signaal openbaar is."
        ),
        widget=forms.Select(SELECT),
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Regio"),
        help_text=gettext_lazy("De regio van de agenda, of de gemeente waar het speelt."),
        widget=forms.Select(SELECT),
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Namens organisatie"), coerce=int, widget=forms.Select(SELECT)
    )
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thema's"), required=False, widget=forms.CheckboxSelectMultiple(CHECKBOX)
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Openbaar: iedereen leest het signaal met de antwoorden van het ministerie"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(CHECKBOX),
    )
    not_public_reason = forms.CharField(
        label=gettext_lazy("Waarom niet openbaar"),
        help_text=gettext_lazy(
            "Alleen nodig als het signaal niet openbaar is; de coalitie en het ministerie lezen het."
        ),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )

    def __init__(self, *args, agenda: Agenda, regions, organisations, own_organisation_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = Ministry.objects.filter(is_active=True).order_by("name")
        self.fields["ministry"].empty_label = _("Kies een ministerie")
        self.fields["ministry"].label_from_instance = ministry_label
        blocks = []
        for priority in agenda.priorities.prefetch_related("measures").order_by("position", "pk"):
            blocks.append((f"p-{priority.pk}", _("Prioriteit: %(title)s") % {"title": priority.title}))
            for measure in priority.measures.all():
                blocks.append((f"m-{measure.pk}", _("— Maatregel: %(title)s") % {"title": measure.title}))
        self.fields["blocks"].choices = [("", _("Kies een prioriteit of maatregel")), *blocks]
        self.fields["region"].choices = [(region.code, region.name) for region in regions]
        self.fields["region"].initial = agenda.region.code
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["organisation"].initial = own_organisation_id
        self.fields["themes"].choices = [(t.code, theme_name(t)) for t in Theme.objects.order_by("position")]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        kind, _sep, pk = data["blocks"].partition("-")
        return {
            "ministry_id": data["ministry"].pk,
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


# Where the service's errors about the blocked part go on the form.
SERVICE_FIELDS = {"priority": "blocks", "measure": "blocks"}


class AnswerForm(forms.Form):
    """The ministry's answer (``signals.services.signal_answer``)."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Uitkomst"), choices=Signal.Outcome.choices, widget=forms.RadioSelect(RADIO)
    )
    text = forms.CharField(
        label=gettext_lazy("Antwoord"),
        help_text=gettext_lazy(
            "Wat het ministerie doet, waarom het niet kan, of waarom het andere ministerie erover gaat. Dit "
            "antwoord is openbaar als het signaal openbaar is."
        ),
        max_length=ANSWER_MAX,
        widget=forms.Textarea({**TEXTAREA, "rows": 6}),
    )
    forward_to = forms.ModelChoiceField(
        label=gettext_lazy("Doorsturen naar"),
        help_text=gettext_lazy(
            "Alleen bij doorsturen: het ministerie dat erover gaat. Zijn termijnen beginnen opnieuw."
        ),
        queryset=Ministry.objects.none(),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een ministerie uit de lijst.")},
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, current: Ministry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forward_to"].queryset = Ministry.objects.filter(is_active=True).exclude(pk=current.pk)
        self.fields["forward_to"].empty_label = _("Niet doorsturen")
        self.fields["forward_to"].label_from_instance = ministry_label


class MinistryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200, widget=forms.TextInput(TEXTBOX))
    name_en = forms.CharField(
        label=gettext_lazy("Naam (Engels)"), max_length=200, required=False, widget=forms.TextInput(TEXTBOX)
    )
    abbreviation = forms.CharField(label=gettext_lazy("Afkorting"), max_length=20, widget=forms.TextInput(TEXTBOX))
    acknowledge_days = forms.IntegerField(
        label=gettext_lazy("Ontvangst bevestigen binnen (werkdagen)"),
        min_value=1,
        max_value=ACKNOWLEDGE_DAYS_MAX,
        initial=5,
        widget=forms.NumberInput(NUMBER),
    )
    answer_days = forms.IntegerField(
        label=gettext_lazy("Antwoorden binnen (werkdagen)"),
        min_value=1,
        max_value=ANSWER_DAYS_MAX,
        initial=30,
        widget=forms.NumberInput(NUMBER),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Actief: signalen kunnen aan dit ministerie worden gericht"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(CHECKBOX),
    )

    @classmethod
    def of(cls, ministry: Ministry, **kwargs) -> MinistryForm:
        fields = ("name", "name_en", "abbreviation", "acknowledge_days", "answer_days", "is_active")
        return cls(initial={field: getattr(ministry, field) for field in fields}, **kwargs)


class OfficialForm(forms.Form):
    user = forms.TypedChoiceField(
        label=gettext_lazy("Rijksambtenaar"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Kies een rijksambtenaar uit de lijst.")},
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        people = [(user.pk, user.display_name) for user in candidates]
        self.fields["user"].choices = [("", _("Kies een rijksambtenaar")), *people]


@dataclass(frozen=True)
class Filters(ListFilters):
    """What the public list shows: every field empty is no filter."""

    ministry: str = ""
    region: str = ""
    theme: str = ""
    status: str = ""


class SignalFilterForm(forms.Form):
    """The public list's filters (a GET form): a wrong value is a 400 with the error at its field."""

    ministry = filter_choice(
        gettext_lazy("Ministerie"), gettext_lazy("Onbekend ministerie: %(value)s. Kies er een uit de lijst.")
    )
    region = filter_choice(
        gettext_lazy("Regio"), gettext_lazy("Geen regio met openbare signalen: %(value)s. Kies er een uit de lijst.")
    )
    theme = filter_choice(gettext_lazy("Thema"), gettext_lazy("Onbekend thema: %(value)s. Kies er een uit de lijst."))
    status = filter_choice(
        gettext_lazy("Status"), gettext_lazy("Onbekende status: %(value)s. Kies er een uit de lijst.")
    )

    def __init__(self, *args, ministries, regions, themes, **kwargs):
        """``ministries``: Ministry rows; ``regions``: (code, name); ``themes``: Theme rows."""
        super().__init__(*args, **kwargs)
        self.fields["ministry"].choices = [("", _("Alle ministeries")), *((m.slug, m.display_name) for m in ministries)]
        self.fields["region"].choices = [("", _("Alle regio's")), *regions]
        self.fields["theme"].choices = [("", _("Alle thema's")), *((t.code, theme_name(t)) for t in themes)]
        self.fields["status"].choices = [("", _("Alle statussen")), *Signal.Status.choices]

    def filters(self) -> Filters:
        """The valid part of what was asked; a wrong value is left out (its field shows the error)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        return Filters(**{name: value for name, value in self.cleaned_data.items() if value})
