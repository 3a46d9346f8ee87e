"""What every form shares: the NL Design System widget classes, and a service's errors shown on the form."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

# The Utrecht component classes of each kind of input.
TEXTBOX = {"class": "utrecht-textbox utrecht-textbox--html-input"}
NUMBER = {
    "class": "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--numeric ka-year",
    "inputmode": "numeric",
}
TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea"}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"}
RADIO = {"class": "utrecht-radio-button utrecht-radio-button--html-input"}


@dataclass(frozen=True)
class ListFilters:
    """The values of a list's filter form (a frozen dataclass of strings): an empty field is no filter."""

    def as_params(self) -> dict[str, str]:
        """The filters in force, as query parameters for the list's links and exports."""
        return {name: value for name, value in self.__dict__.items() if value}


def filter_choice(label: str, unknown: str, **kwargs) -> forms.ChoiceField:
    """A select of a filter form (a GET form over a list): optional, and a value not in its list
    is an error at the field (the page answers 400) that names it through ``%(value)s`` in ``unknown``."""
    return forms.ChoiceField(
        label=label,
        required=False,
        error_messages={"invalid_choice": unknown},
        widget=forms.Select(SELECT),
        **kwargs,
    )


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put each field error at its field, and errors of no field of the form above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
