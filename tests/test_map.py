"""The selection on a map: places by Stadtteil without JavaScript, GeoJSON, the tile server's CSP.

The browser's side (no request to the tile server before consent, keyboard
markers) is in tests/browser/test_map.py.
"""

import filecmp
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import get_resolver

from offers.models import Offer, unique_slug
from tests.factories import make_location, make_offer, make_offers
from tests.pages import LEXICON
from tests.test_security import csp_directives
from tests.tools import PROJECT, require_tools
from wegweiser import maps

pytestmark = pytest.mark.django_db

MAP = "/angebote/karte/"
GEOJSON = "/angebote/karte.geojson"
TILES = "https://karten.example.org/{z}/{x}/{y}.png"


def located(name, neighbourhood, latitude=51.47, longitude=6.85):
    return make_location(
        name=name,
        neighbourhood=neighbourhood,
        latitude=Decimal(str(latitude)),
        longitude=Decimal(str(longitude)),
    )


def test_without_javascript_the_places_are_listed_by_district(client):
    lirich = located("Familienzentrum Lirich", "lirich")
    holten = located("Kita Holten", "holten")
    make_offer(title="Elterncafé", locations=[lirich, holten])
    make_offer(title="Babytreff", locations=[lirich])
    make_offer(title="Hausbesuche", outreach=True)
    make_offer(title="Entwurf", locations=[lirich], status=Offer.Status.DRAFT)

    html = client.get(MAP).content.decode()

    holten_at, lirich_at, placeless_at = (
        html.index("<h3>Holten</h3>"),
        html.index("<h3>Lirich</h3>"),
        html.index("<h3>Stadtweit, zu Hause oder online: kein fester Ort</h3>"),
    )
    assert holten_at < lirich_at < placeless_at
    lirich_part = html[lirich_at:placeless_at]
    assert "Familienzentrum Lirich" in lirich_part
    assert lirich_part.index("Babytreff") < lirich_part.index("Elterncafé")
    assert "Hausbesuche</a> (kommt zur Familie)" in html[placeless_at:]
    assert "Entwurf" not in html
    assert "3 Angebote" in html


def test_the_map_takes_the_lists_filters_and_links_back(client):
    lirich = located("Treff", "lirich")
    make_offer(title="Sport im Park", locations=[lirich], topics=["sport"])
    make_offer(title="Lesekreis", locations=[lirich], topics=["kultur"])

    html = client.get(MAP, {"thema": "sport", "page": "2"}).content.decode()

    assert "Sport im Park" in html and "Lesekreis" not in html
    assert "Thema: Sport" in html
    assert 'href="/angebote/?thema=sport"' in html


def test_geojson_has_the_selections_places_with_their_offers(client):
    lirich = located("Treff Lirich", "lirich", 51.4806, 6.8308)
    without_point = make_location(name="Ohne Koordinaten", latitude=None, longitude=None)
    offer = make_offer(title="Elterncafé", locations=[lirich, without_point], topics=["sport"])
    make_offer(title="Anderes Thema", locations=[lirich], topics=["kultur"])
    make_offer(title="Entwurf", locations=[lirich], status=Offer.Status.DRAFT, topics=["sport"])

    response = client.get(GEOJSON, {"thema": "sport"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json() == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [6.8308, 51.4806]},
                "properties": {
                    "name": "Treff Lirich",
                    "address": f"{lirich.street}, {lirich.postal_code} Oberhausen",
                    "neighbourhood": "Lirich",
                    "offers": [
                        {"title": "Elterncafé", "lang": "de", "url": offer.get_absolute_url()}
                    ],
                },
            }
        ],
    }


def test_the_map_names_offers_in_the_readers_language_and_says_which_stay_german(client):
    lirich = located("Treff Lirich", "lirich", 51.4806, 6.8308)
    make_offer(
        title="Babyschwimmen", slug="babyschwimmen", title_ar="سباحة الرضع", locations=[lirich]
    )
    make_offer(title="Elterncafé", slug="elterncafe", locations=[lirich])

    feature = client.get(f"/ar{GEOJSON}").json()["features"][0]
    html = client.get(f"/ar{MAP}").content.decode()

    assert [(o["title"], o["lang"]) for o in feature["properties"]["offers"]] == [
        ("سباحة الرضع", "ar"),
        ("Elterncafé", "de"),
    ]
    assert '/ar/angebote/elterncafe/" lang="de" dir="ltr">Elterncafé</a>' in html
    assert '/ar/angebote/babyschwimmen/">سباحة الرضع</a>' in html


def test_with_a_tile_server_the_map_page_offers_it_and_only_it_may_send_images(client, settings):
    settings.MAP_TILE_URL = TILES
    make_offer(locations=[located("Treff", "lirich")])

    page = client.get(MAP, {"sozialraum": "alstaden-lirich"})
    listing = client.get("/angebote/")

    html = page.content.decode()
    assert "Karte laden" in html and "karten.example.org" in html
    assert f'data-tiles="{TILES}"' in html
    assert 'data-geojson="/angebote/karte.geojson?sozialraum=alstaden-lirich"' in html
    assert csp_directives(page)["img-src"] == ["'self'", "data:", "https://karten.example.org"]
    assert csp_directives(listing)["img-src"] == ["'self'", "data:"]


def test_without_a_tile_server_there_is_no_map_to_load(client, settings):
    settings.MAP_TILE_URL = ""
    make_offer(locations=[located("Treff", "lirich")])

    html = client.get(MAP).content.decode()

    assert "Karte laden" not in html and 'id="map"' not in html
    assert "Treff" in html


def test_a_selection_too_large_for_the_map_asks_to_narrow_it(client, monkeypatch):
    monkeypatch.setattr(maps, "MAP_MAX_OFFERS", 2)
    make_offers(3, locations=[located("Treff", "lirich")])

    html = client.get(MAP).content.decode()
    geojson = client.get(GEOJSON)

    assert "Diese Auswahl enthält 3 Angebote; die Karte zeigt höchstens 2." in html
    assert "Treff" not in html
    assert geojson.status_code == 400


def test_the_list_links_its_selection_on_the_map(client):
    make_offer(districts=["osterfeld"])

    html = client.get("/angebote/", {"sozialraum": "osterfeld"}).content.decode()

    assert 'href="/angebote/karte/?sozialraum=osterfeld">Auf der Karte zeigen</a>' in html


@pytest.mark.parametrize("count", [1, 20, 100])
def test_the_map_and_its_geojson_cost_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    places = [located("A", "lirich"), located("B", "holten")]
    make_offers(count, locations=places)

    # The first request of a process also builds its facet index (and on PostgreSQL its lexicon).
    with django_assert_num_queries(17 + LEXICON):
        assert client.get(MAP).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(GEOJSON, {"sozialraum": "alstaden-lirich"}).status_code == 200


def test_the_vendored_leaflet_is_the_npm_package():
    package = PROJECT / "node_modules/leaflet/dist"
    require_tools(package / "leaflet.js")
    vendored = PROJECT / "static/vendor/leaflet-1.9.4"

    for name in ["leaflet.js", "leaflet.js.map", "leaflet.css"]:
        assert filecmp.cmp(package / name, vendored / name, shallow=False), name
    for image in (package / "images").iterdir():
        assert filecmp.cmp(image, vendored / "images" / image.name, shallow=False), image
    assert (vendored / "LICENSE").read_text().startswith("BSD 2-Clause License")


# --- the map's address is no offer's ------------------------------------------------------


def fixed_addresses_under(prefix, patterns=None, route=""):
    """The addresses of the URLconf that start with ``prefix`` and hold no parameter."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = route + str(pattern.pattern).lstrip("^").replace("\\Z", "").replace("$", "")
        if hasattr(pattern, "url_patterns"):
            found += fixed_addresses_under(prefix, pattern.url_patterns, here)
        elif here.startswith(prefix) and "<" not in here:
            found.append(here.removeprefix(prefix))
    return found


def test_every_page_under_the_offers_address_is_reserved_from_the_offers_slugs():
    pages = {address.split(".")[0].strip("/") for address in fixed_addresses_under("angebote/")}

    assert pages - {""} == set(Offer.RESERVED_SLUGS)


def test_an_offer_named_karte_gets_another_slug_and_karte_cannot_be_typed():
    offer = make_offer(title="Karte")

    assert unique_slug(Offer, "Karte") == "karte-2"
    offer.slug = "karte"
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert error.value.message_dict["slug"] == [
        "„karte“ ist die Adresse einer anderen Seite; bitte wählen Sie einen anderen Kurznamen."
    ]
