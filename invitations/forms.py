from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from core.forms import SELECT, TEXTAREA, TEXTBOX
from invitations.roles import SIMPLE_ROLES


class InviteeFields(forms.Form):
    """Who is invited: every invitation form starts with these."""

    name = forms.CharField(
        label=_("Naam"), max_length=200, widget=forms.TextInput(attrs={**TEXTBOX, "autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@gemeente.nl.")},
        widget=forms.EmailInput(attrs={**TEXTBOX, "autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Persoonlijke toelichting"),
        required=False,
        max_length=2000,
        help_text=_("Komt in de e-mail, onder uw naam."),
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
    )


class RoleInvitationForm(InviteeFields):
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=[(role.value, role.label) for role in SIMPLE_ROLES],
        help_text=_("Beoordelaars nodigt u uit via de pool, rijksambtenaren via de mandatenpagina."),
        widget=forms.Select(attrs=SELECT),
    )


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Uw naam"),
        max_length=200,
        help_text=_("Zo ziet iedereen u op het platform."),
        widget=forms.TextInput(attrs={**TEXTBOX, "autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html,
        widget=forms.PasswordInput(attrs={**TEXTBOX, "autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={**TEXTBOX, "autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Taal"), choices=settings.LANGUAGES, widget=forms.Select(attrs=SELECT))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        return data
