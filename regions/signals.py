"""Signals of the regions app, for other apps to react to without regions knowing them."""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent after the commit of an import that created a new Dataset version
# (regions.importers.import_source), with ``source_key`` and ``version``.
# The review rescores its open submissions on it (reviews.apps).
indicator_data_changed = Signal()


def warm_profiles_on_new_data(sender, **kwargs) -> None:
    """Receiver of ``indicator_data_changed``: recompute the profiles in the background.

    Sent after the commit; a broker that cannot be reached only means the
    first visitors compute the profiles themselves, so it is logged, not raised.
    """
    from regions.tasks import warm_profiles

    try:
        warm_profiles.delay()
    except Exception:  # noqa: BLE001 - any broker error; the import itself has committed
        logger.exception("Could not queue regions.tasks.warm_profiles after new data")
