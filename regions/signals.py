"""Signals of the regions app, for other apps to react to without regions knowing them."""

from django.dispatch import Signal

from core import background

# Sent after the commit of an import that created a new Dataset version
# (regions.importers.import_source), with ``source_key`` and ``version``.
# The review rescores its open submissions on it (reviews.apps).
indicator_data_changed = Signal()


def warm_profiles_on_new_data(sender, **kwargs) -> None:
    """Receiver of ``indicator_data_changed``: recompute the profiles in the background.

    Sent after the commit; a broker that cannot be reached only means the
    first visitors compute the profiles themselves, so it is logged (by
    core.background.send), not raised, and not swept.
    """
    from regions.tasks import warm_profiles

    background.send(warm_profiles)
