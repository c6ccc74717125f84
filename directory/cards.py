"""Offer cards kept rendered in each process, per version of the offers and language.

Twenty cards were half of the list's rendering time, and reading their
offers with places, topics and languages another seven queries. A card
shows the offer, its provider and its places; a change to any of them
replaces the version (``directory.cache``), so no card outlives what it shows.
"""

import threading
from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils.translation import get_language

KEPT = 5000
_cards = OrderedDict()
_lock = threading.Lock()


def _key(version, pk):
    return (version, get_language(), pk)


def is_kept(version, pk):
    """Whether the card of offer ``pk`` is kept for this version (its offer need not be read).

    A card asked about is moved to the end, so the cards rendered for the
    same page cannot push it out before it is shown.
    """
    key = _key(version, pk)
    with _lock:
        if key not in _cards:
            return False
        _cards.move_to_end(key)
        return True


def card(offer, version=None):
    """The card's HTML; kept when a version is given."""
    if version is None:
        return render_to_string("includes/_offer_card.html", {"offer": offer})
    key = _key(version, offer.pk)
    html = _cards.get(key)
    if html is None:
        html = render_to_string("includes/_offer_card.html", {"offer": offer})
        with _lock:
            _cards[key] = html
            while len(_cards) > KEPT:
                _cards.popitem(last=False)
    return html
