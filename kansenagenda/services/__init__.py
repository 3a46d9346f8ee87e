"""Every state change of the project app, one module per subject.

Re-exported here so callers write ``from kansenagenda import services``.
"""

from kansenagenda.services.agendas import (  # noqa: F401
    EditConflict,
    GoalLinkInput,
    MeasureInput,
    TargetInput,
    agenda_create,
    agenda_update_header,
    measure_create,
    measure_delete,
    measure_update,
    priority_create,
    priority_delete,
    priority_update,
)
from kansenagenda.services.coalitions import (  # noqa: F401
    coalition_add_organisation,
    coalition_create,
    coalition_remove_member,
    coalition_set_member,
    coalition_sync_permissions,
)
from kansenagenda.services.comments import comment_create  # noqa: F401
