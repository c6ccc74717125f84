"""What a list shows of an offer: its card, as plain values (``OfferCard``).

``OfferQuerySet.cards()`` reads them for a page of the list; ``directory.cards`` renders them.
"""

from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from offers.ages import describe_age_range
from offers.models.choices import OfferCost


def describe_place_modes(citywide, outreach, online):
    """How an offer reaches families besides its locations, in words."""
    modes = [
        (citywide, _("citywide")),
        (outreach, _("comes to the family")),
        (online, _("online")),
    ]
    return [str(label) for flag, label in modes if flag]


def card_text(german, own, translated):
    """A text as a card shows it, and whether German stands in for a missing translation.

    ``own``: the text in the reader's language, ``translated``: whether the
    reader's language is not German (then ``own`` may be empty).
    """
    if translated and own:
        return own, False
    return german, translated


class CardPlace(NamedTuple):
    """A place on an offer's card: its Stadtteil (or town), and where it is for distances."""

    label: str
    latitude: Decimal | None
    longitude: Decimal | None


class OfferCard:
    """What a list shows of an offer (its card), in the reader's language.

    Read for a page of the list as plain values, two queries, without building
    the offers, their providers and places (``OfferQuerySet.in_order(ids,
    cards=True)``: 20 cards 5.2 → 1.8 ms at 100 000 offers); taken from an offer
    read otherwise with ``OfferCard.of(offer)``. ``title_in_german`` and
    ``summary_in_german``: the German text stands in for a missing translation.
    ``directory.cards`` renders it.
    """

    def __init__(self, pk, slug, titles, summaries, ages, cost, modes, provider_name, places):
        self.pk = pk
        self.slug = slug
        self.title, self.title_in_german = titles
        self.summary, self.summary_in_german = summaries
        self.min_age_months, self.max_age_months = ages
        self.cost = cost
        self.place_modes = modes
        self.provider_name = provider_name
        self.places = places
        self.show_distance = False  # a list by distance shows how far (distance_km)
        self.distance_km = None

    @classmethod
    def of(cls, offer):
        """The card of ``offer`` (read with ``for_cards()``: its provider and places); a card
        is its own."""
        if isinstance(offer, cls):
            return offer
        language = translation.get_language()
        translated = language != settings.LANGUAGE_CODE

        def text(name):
            own = getattr(offer, f"{name}_{language}", None)
            return card_text(getattr(offer, f"{name}_{settings.LANGUAGE_CODE}"), own, translated)

        return cls(
            offer.pk,
            offer.slug,
            text("title"),
            text("summary"),
            (offer.min_age_months, offer.max_age_months),
            offer.cost,
            offer.place_modes,
            offer.provider.name,
            [
                CardPlace(
                    (location.neighbourhood and location.neighbourhood.name) or location.city,
                    location.latitude,
                    location.longitude,
                )
                for location in offer.locations.all()
            ],
        )

    @property
    def age_range_display(self):
        return describe_age_range(self.min_age_months, self.max_age_months)

    def get_cost_display(self):
        return str(OfferCost(self.cost).label)

    def get_absolute_url(self):
        return reverse("directory:detail", kwargs={"slug": self.slug})
