"""The models of the project app, one module per subject.

Everything is re-exported here, so ``from kansenagenda.models import X`` works
for every model.
"""

from kansenagenda.models.agendas import (
    Agenda,
    BudgetLine,
    FundingSource,
    GoalLink,
    LinkStrength,
    Measure,
    MeasureStatus,
    Priority,
    PriorityKind,
    TargetIndicator,
)
from kansenagenda.models.collaboration import (
    Channel,
    Comment,
    Delivery,
    Notification,
    NotificationPreference,
    PartType,
    Revision,
)
from kansenagenda.models.goals import Goal, GoalCatalogue
from kansenagenda.models.people import (
    Affiliation,
    Coalition,
    CoalitionMembership,
    CoalitionOrganisation,
    CoalitionRole,
    Event,
    GlobalRole,
    Organisation,
    User,
)

__all__ = [
    "Affiliation",
    "Agenda",
    "BudgetLine",
    "Channel",
    "Coalition",
    "CoalitionMembership",
    "CoalitionOrganisation",
    "CoalitionRole",
    "Comment",
    "Delivery",
    "Event",
    "FundingSource",
    "GlobalRole",
    "Goal",
    "GoalCatalogue",
    "GoalLink",
    "LinkStrength",
    "Measure",
    "MeasureStatus",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "PartType",
    "Priority",
    "PriorityKind",
    "Revision",
    "TargetIndicator",
    "User",
]
