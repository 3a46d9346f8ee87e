"""Signals of the regions app, for other apps to react to without regions knowing them."""

from django.dispatch import Signal

# Sent after the commit of an import that created a new Dataset version
# (regions.importers.import_source), with ``source_key`` and ``version``.
# The review rescores its open submissions on it (reviews.apps).
indicator_data_changed = Signal()
