"""Serializer fields every API shares: whole numbers and years."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Years anywhere (an agenda's period, a round, a payment year); the services
# check the narrower rules. This bound keeps any number a client
# sends inside the database's small integer columns.
YEAR_MIN, YEAR_MAX = 1900, 2200


class WholeNumberField(serializers.IntegerField):
    """A whole number: a JSON integer or a string of digits; never true/false, 12.5 or "12.0"."""

    default_error_messages = {"invalid": _("Vul een geheel getal in.")}
    # The largest value a database integer column (bigint) holds: ids and amounts beyond it are 400,
    # not an overflow in the database driver.
    BIGINT_MAX = 2**63 - 1

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", self.BIGINT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("invalid")
        if isinstance(data, str) and not re.fullmatch(r"-?[0-9]{1,19}", data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)


class YearField(WholeNumberField):
    def __init__(self, **kwargs):
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)
