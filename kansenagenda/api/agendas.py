"""API of agendas, priorities, measures, goals, comments and notifications."""
# STUB: replaced by the API helper.


def register(router) -> None:
    """Add this module's viewsets to the /api/v1/ router."""
