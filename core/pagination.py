"""Page-number pagination where the client may choose the page size, up to a documented maximum.

DRF's own ``PageNumberPagination`` with ``page_size_query_param`` silently
clamps a size above ``max_page_size`` and silently falls back to the default
for a size it cannot read: a client asking for 400 rows and getting 50 can
only tell from ``next``. Here a ``page_size`` that is not a whole number from
1 to the maximum is a 400 with a field error, as any other bad input, and the
schema states the default and the maximum.

Use it per view (``pagination_class = PageSizePagination``), or a subclass
with another ``max_page_size`` (``regions.api.views.RegionPagination``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

DEFAULT_MAX_PAGE_SIZE = 100


class PageSizePagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (1 .. ``max_page_size``; by default the project's PAGE_SIZE)."""

    page_size_query_param = "page_size"
    max_page_size = DEFAULT_MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Geef een geheel getal van 1 tot en met %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Number of results per page: 1 to {self.max_page_size} (default {self.page_size}); "
                    "anything else is a 400 with a field error."
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
