"""Offer cards: rendered in Python, kept rendered in each process per version of the
offers and language.

Twenty cards were half of the list's rendering time, and reading their
offers with places, topics and languages another seven queries. A card
shows the offer, its provider and its places (``offers.models.OfferCard``,
read as plain values for a page of the list); a change to any of them
replaces the version (``directory.cache``), so no card outlives what it
shows. A page whose cards are not kept yet (a new combination of filters,
each worker's first time) renders them here: 20 cards took the template
language 4.2 ms, this 1.1 ms.
"""

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext

from offers.kept import Kept
from offers.models import OfferCard

_cards = Kept(5000)


def _key(version, pk):
    return (version, get_language(), pk)


def is_kept(version, pk):
    """Whether the card of offer ``pk`` is kept for this version (its offer need not be read).

    A card asked about is moved to the end, so the cards rendered for the
    same page cannot push it out before it is shown.
    """
    return _cards.get(_key(version, pk)) is not None


def card(offer, version=None):
    """The card's HTML; kept when a version is given."""
    if version is None:
        return render(offer)
    key = _key(version, offer.pk)
    html = _cards.get(key)
    if html is None:
        html = render(offer)
        _cards.put(key, html)
    return html


def german_attributes():
    """Attributes for an element that holds what providers wrote (in German) on a page in
    another language: screen readers read it as German, and right-to-left pages keep its word
    order (``{% german_text %}``, and the cards)."""
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}" dir="ltr"')


CARD = """<li class="offer-card">
  <h3 class="offer-card__title"><a href="{url}"{title_attrs}>{title}</a></h3>
  <p class="offer-card__summary"{summary_attrs}>{summary}</p>
  <ul class="facts">
    <li><span class="facts__label">{age_label}:</span> {age}</li>
    <li><span class="facts__label">{where_label}:</span> {where}</li>{distance}
    <li><span class="facts__label">{cost_label}:</span> {cost}</li>
    <li><span class="facts__label">{provider_label}:</span> {provider}</li>
  </ul>
</li>
"""
DISTANCE = """
    <li><span class="facts__label">{}:</span> {}</li>"""


def render(offer):
    """The card of ``offer`` (an ``OfferCard``, or an offer read with ``for_cards()``), in the
    reader's language.

    Its places by Stadtteil (or town), then how it reaches families besides;
    "Distance" on a list by distance (``show_distance``, ``distance_km``).
    Texts providers wrote that have no translation into the reader's language are
    marked as German (as ``{% text_attrs %}`` does).
    """
    offer = OfferCard.of(offer)
    separator = pgettext("between the items of a list", ", ")

    def german_stand_in(in_german):
        return german_attributes() if in_german else ""

    distance = ""
    if offer.show_distance:
        if offer.distance_km is None:
            how_far = gettext("no fixed place")
        else:
            how_far = gettext("about %(km)s km") % {"km": floatformat(offer.distance_km, 1)}
        distance = format_html(DISTANCE, gettext("Distance"), how_far)
    return format_html(
        CARD,
        url=offer.get_absolute_url(),
        title_attrs=german_stand_in(offer.title_in_german),
        title=offer.title,
        summary_attrs=german_stand_in(offer.summary_in_german),
        summary=offer.summary,
        age_label=gettext("Age"),
        age=offer.age_range_display,
        where_label=gettext("Where"),
        where=separator.join([place.label for place in offer.places] + offer.place_modes),
        distance=distance,
        cost_label=gettext("Cost"),
        cost=offer.get_cost_display(),
        provider_label=gettext("Provider"),
        provider=offer.provider_name,
    )
