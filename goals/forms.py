"""The form of a national goal (the data steward's page); the service validates again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.services import CODE_MAX, SHORT_MAX, TITLE_MAX

_TEXTBOX = {"class": "utrecht-textbox utrecht-textbox--html-input"}
_TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}


class NationalGoalForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        help_text=_("Korte, vaste code in kleine letters, bijvoorbeeld “energie”. Uniek in de nationale catalogus."),
        widget=forms.TextInput(attrs={**_TEXTBOX, "autocomplete": "off", "spellcheck": "false"}),
    )
    short_nl = forms.CharField(
        label=_("Naam (Nederlands)"), max_length=SHORT_MAX, widget=forms.TextInput(attrs=_TEXTBOX)
    )
    short_en = forms.CharField(
        label=_("Naam (Engels)"), max_length=SHORT_MAX, required=False, widget=forms.TextInput(attrs=_TEXTBOX)
    )
    title_nl = forms.CharField(
        label=_("Omschrijving (Nederlands)"),
        max_length=TITLE_MAX,
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    title_en = forms.CharField(
        label=_("Omschrijving (Engels)"), max_length=TITLE_MAX, required=False, widget=forms.Textarea(attrs=_TEXTAREA)
    )
    is_active = forms.BooleanField(
        label=_("Actief"),
        required=False,
        initial=True,
        help_text=_("Alleen actieve doelen kunnen aan prioriteiten en maatregelen worden gekoppeld."),
        widget=forms.CheckboxInput(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"}
        ),
    )
