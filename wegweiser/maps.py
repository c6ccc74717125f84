"""The places of a selection of the list: for the map, its list without JavaScript, and GeoJSON."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.facets import Selection
from offers.models import Location, Offer
from offers.words import fold

# A map (and its list) of more offers than this asks for a narrower selection.
MAP_MAX_OFFERS = 1500


@dataclass
class MapPlace:
    location: Location
    offers: list = field(default_factory=list)

    def feature(self):
        """The place as a GeoJSON feature (coordinates: longitude, latitude)."""
        location = self.location
        return {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(location.longitude), float(location.latitude)],
            },
            "properties": {
                "name": location.name,
                "address": f"{location.street}, {location.postal_code} {location.city}",
                "neighbourhood": location.neighbourhood.name if location.neighbourhood else "",
                "offers": [
                    {
                        "title": offer.title,
                        "lang": offer.text_language("title", get_language()),
                        "url": offer.get_absolute_url(),
                    }
                    for offer in self.offers
                ],
            },
        }

    @property
    def on_the_map(self):
        return self.location.latitude is not None and self.location.longitude is not None


@dataclass
class Group:
    """A Stadtteil's places, or the offers without a place of their own."""

    name: str
    places: list = field(default_factory=list)
    offers: list = field(default_factory=list)


class OfferMap:
    """The selection an ``OfferFilter`` makes, by place (from the facet index, fixed queries)."""

    def __init__(self, filterset):
        self.ids = Selection(filterset).without()
        self.total = len(self.ids)

    @property
    def max_offers(self):
        return MAP_MAX_OFFERS

    @property
    def too_large(self):
        return self.total > self.max_offers

    def _offers(self):
        places = Location.objects.select_related("neighbourhood").order_by("name", "pk")
        return (
            Offer.objects.filter(pk__in=list(self.ids))
            .only("pk", *Offer.text_columns("title"), "slug", "citywide", "outreach", "online")
            .prefetch_related(Prefetch("locations", queryset=places))
            .in_title_order()
        )

    def places(self):
        """Each place of the selection with its offers, and the offers without a place."""
        places, placeless = {}, []
        for offer in self._offers():
            locations = offer.locations.all()
            if not locations:
                placeless.append(offer)
            for location in locations:
                places.setdefault(location.pk, MapPlace(location)).offers.append(offer)
        return list(places.values()), placeless

    def groups(self):
        """Places grouped by Stadtteil (in German order), then the offers without a place."""
        places, placeless = self.places()
        by_name = {}
        for place in places:
            neighbourhood = place.location.neighbourhood
            name = neighbourhood.name if neighbourhood else _("Other places")
            by_name.setdefault(name, Group(name)).places.append(place)
        groups = [by_name[name] for name in sorted(by_name, key=fold)]
        for group in groups:
            group.places.sort(key=lambda place: (fold(place.location.name), place.location.pk))
        if placeless:
            groups.append(Group(_("Citywide, at home or online: no fixed place"), offers=placeless))
        return groups

    def geojson(self):
        places, _placeless = self.places()
        return {
            "type": "FeatureCollection",
            "features": [place.feature() for place in places if place.on_the_map],
        }


def tile_origin():
    """The tile server's origin (scheme and host), which the map page's CSP allows for images."""
    if not settings.MAP_TILE_URL:
        return None
    parts = urlsplit(settings.MAP_TILE_URL)
    return f"{parts.scheme}://{parts.netloc}"
