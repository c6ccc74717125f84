"""Where a family lives, as a point on the map, found without any outside service.

A family types a street (with or without house number) and a postal code, or
only the postal code, or chooses a Stadtteil. A street is matched to the
streets of our own places; otherwise the postal code's centroid is used; a
Stadtteil has a centroid of its own (editable in the admin). The result is a
``Place`` whose ``key`` names it no more precisely than a street: the key is
what goes into the list's address, so no house number is ever in a URL, a log
or the cache. Nothing typed is stored.
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from offers.words import fold

# The postal codes of Oberhausen and a point in the middle of each (approximate).
POSTCODE_CENTROIDS = {
    "46045": (51.4712, 6.8566),  # Oberhausen-Mitte, Marienviertel
    "46047": (51.4869, 6.8741),  # Neue Mitte, Knappenviertel, Schlad
    "46049": (51.4668, 6.8332),  # Alstaden, Lirich, Bermensfeld, Styrum
    "46117": (51.5017, 6.8902),  # Osterfeld, Vondern, Eisenheim
    "46119": (51.5209, 6.8902),  # Klosterhardt, Tackenberg, Rothebusch
    "46145": (51.5166, 6.8477),  # Sterkrade-Mitte, Alsfeld, Schwarze Heide
    "46147": (51.5363, 6.8044),  # Holten, Barmingholten, Schmachtendorf
    "46149": (51.5081, 6.8217),  # Buschhausen, Biefang, Königshardt (west)
}
POSTAL_CODE = re.compile(r"\b(\d{5})\b")
# The house number and what may follow it ("12", "12a", "12-14", "12 b").
HOUSE_NUMBER = re.compile(r"\s+\d+\s*[a-z]?(\s*[-/]\s*\d+\s*[a-z]?)?\s*$")

# Kilometres per degree of latitude; of longitude it is this times cos(latitude).
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class Place:
    """A point a family gave, with the words shown for it and the key the address carries."""

    key: str
    label: str
    latitude: float
    longitude: float

    def distance_km(self, latitude, longitude):
        """Straight-line distance in km (equirectangular: exact enough within a city)."""
        dy = (float(latitude) - self.latitude) * KM_PER_DEGREE
        dx = (
            (float(longitude) - self.longitude)
            * KM_PER_DEGREE
            * math.cos(math.radians(self.latitude))
        )
        return math.hypot(dx, dy)

    def nearest_km(self, locations):
        """The distance to the nearest of ``locations`` that has coordinates, or None."""
        distances = [
            self.distance_km(location.latitude, location.longitude)
            for location in locations
            if location.latitude is not None and location.longitude is not None
        ]
        return min(distances, default=None)


class UnknownPlace(ValueError):
    """What the family typed names no place we know; the message says what to do."""


def street_key(street):
    """A street's name as compared: folded, "Str." as "straße", without the house number.

    "Bahnhofstr. 12a" and "bahnhofstrasse" both give "bahnhofstrasse".
    """
    text = HOUSE_NUMBER.sub("", " ".join(street.split()).lower())
    text = fold(text)
    text = re.sub(r"str\.?(?=\s|$)", "strasse", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _streets(postal_code=None):
    """{street key: [(postal code, latitude, longitude, name), …]} of our places with coordinates."""
    from offers.models import Location

    places = Location.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if postal_code:
        places = places.filter(postal_code=postal_code)
    streets = {}
    for street, code, latitude, longitude in places.values_list(
        "street", "postal_code", "latitude", "longitude"
    ):
        name = HOUSE_NUMBER.sub("", " ".join(street.split()))
        streets.setdefault(street_key(street), []).append(
            (code, float(latitude), float(longitude), name)
        )
    return streets


def _street_place(key, postal_code, points):
    return Place(
        f"strasse:{key}:{postal_code}",
        f"{points[0][3]}, {postal_code}",
        sum(point[1] for point in points) / len(points),
        sum(point[2] for point in points) / len(points),
    )


def postcode_place(code):
    latitude, longitude = POSTCODE_CENTROIDS[code]
    return Place(f"plz:{code}", code, latitude, longitude)


def neighbourhood_place(neighbourhood):
    if neighbourhood.latitude is None or neighbourhood.longitude is None:
        raise UnknownPlace(_("We do not know where this district lies yet."))
    return Place(
        f"stadtteil:{neighbourhood.slug}",
        neighbourhood.name,
        float(neighbourhood.latitude),
        float(neighbourhood.longitude),
    )


def _street_part(text):
    """ "Marktstr. 12 a, 46045 Oberhausen" → "Marktstr. 12 a": before the comma or postal code."""
    text = POSTAL_CODE.split(text, maxsplit=1)[0]
    text = text.split(",", 1)[0]
    return re.sub(r"\boberhausen\b", " ", text, flags=re.IGNORECASE)


def locate(text):
    """The ``Place`` of an address, a postal code or a Stadtteil's name; ``UnknownPlace`` if none.

    A street of ours with the postal code typed (or the only street of that
    name) gives the middle of our places there; otherwise the postal code's
    centroid; a Stadtteil's name its centroid.
    """
    from offers.models import Neighbourhood

    text = " ".join(text.split())
    code_match = POSTAL_CODE.search(text)
    code = code_match.group(1) if code_match else None
    if code and code not in POSTCODE_CENTROIDS:
        raise UnknownPlace(_("%(code)s is not a postal code of Oberhausen.") % {"code": code})
    street = street_key(_street_part(text))
    if street:
        found = {}  # postal code: our places on this street there
        for point in _streets(code).get(street, []):
            found.setdefault(point[0], []).append(point)
        if len(found) == 1:
            postal, points = found.popitem()
            return _street_place(street, postal, points)
        if len(found) > 1:
            raise UnknownPlace(
                _("There is more than one street of this name: please add your postal code.")
            )
        for neighbourhood in Neighbourhood.objects.filter(latitude__isnull=False):
            if fold(neighbourhood.name) == fold(text) or neighbourhood.slug == street:
                return neighbourhood_place(neighbourhood)
    if code:
        return postcode_place(code)
    raise UnknownPlace(
        _(
            "We could not find this address. Please enter your postal code "
            "(e.g. 46045) or choose your district."
        )
    )


def place_for_key(key):
    """The ``Place`` a list's address names (``stadtteil:…``, ``plz:…``, ``strasse:…:…``)."""
    from offers.models import Neighbourhood

    kind, _sep, rest = key.partition(":")
    if kind == "plz" and rest in POSTCODE_CENTROIDS:
        return postcode_place(rest)
    if kind == "stadtteil":
        neighbourhood = Neighbourhood.objects.filter(slug=rest).first()
        if neighbourhood is not None:
            return neighbourhood_place(neighbourhood)
    if kind == "strasse":
        street, _sep, postal = rest.partition(":")
        points = _streets(postal).get(street) if postal in POSTCODE_CENTROIDS else None
        if points:
            return _street_place(street, postal, points)
    raise UnknownPlace(_("This place is not known (any more). Please choose it again."))
