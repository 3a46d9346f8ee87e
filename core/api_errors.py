"""Errors of the services as API answers.

Services raise django's ``ValidationError`` (keyed by field) and a
``core.errors.ServiceConflict``; the API answers them the same way everywhere:

* ``ValidationError`` -> 400 ``{field: [messages]}`` (errors not tied to a
  field under ``non_field_errors``, as DRF does);
* ``ServiceConflict`` -> 409 with the error's ``data()``: ``EditConflict``
  (agendas.services) -> ``{detail, current_version, changes: [{field, before, after}]}``,
  ``TransitionNotAllowed`` (reviews.workflow) -> ``{detail, state, action, allowed_actions}``;
* a part that disappeared between the access check and the save (deleted by
  someone else) -> 404.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from core.errors import ServiceConflict


def validation_error_data(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in error.messages]}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_data(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ServiceConflict):
        return Response(exc.data(), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ObjectDoesNotExist):
        return exception_handler(NotFound(), context)
    return exception_handler(exc, context)
