"""Errors every service may raise, answered the same way on every page and API."""

from __future__ import annotations


class ServiceConflict(Exception):
    """The state does not allow what was asked (someone else saved first, a step not in a workflow).

    The API answers 409 with :meth:`data` as its body (``core.api_errors``).
    """

    def data(self) -> dict:
        return {"detail": str(self)}
