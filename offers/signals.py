"""Signals the core sends where Django sends none.

Bulk inserts send no ``post_save``; whatever keeps derived data (the page
cache of the directory) listens here instead.
"""

from django.dispatch import Signal

# After offers were inserted in bulk with their relations; arguments: ``offers``, ``using``.
offers_created = Signal()
