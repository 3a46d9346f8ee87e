"""HTML views of the project app, one module per subject."""

from kansenagenda.views.coalitions import (  # noqa: F401
    coalition_detail,
    coalition_list,
    data_context,
    healthz,
    home,
)
from kansenagenda.views.portal import portal  # noqa: F401
