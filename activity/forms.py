"""The form of the notification preferences page: per event type, e-mail or only in the app."""

from __future__ import annotations

from django import forms

from activity.registry import preference_groups

CHECKBOX_CLASS = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"


class NotificationPreferenceForm(forms.Form):
    """One multiple-choice field per group (a fieldset on the page); a ticked verb means "also by e-mail"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, verbs in preference_groups():
            self.fields[key] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=[(verb, text) for verb, (text, _default) in verbs.items()],
                widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX_CLASS}),
            )

    @classmethod
    def initial_for(cls, choices: dict[str, bool]) -> dict[str, list[str]]:
        """The form's initial data from ``notifications.email_choices_for``."""
        return {key: [verb for verb in verbs if choices.get(verb)] for key, _label, verbs in preference_groups()}

    def email_verbs(self) -> set[str]:
        return {verb for key, _label, _verbs in preference_groups() for verb in self.cleaned_data.get(key, [])}
