"""Near me: a family gives its street, postal code or Stadtteil and sees the nearest offers first."""

import re
from decimal import Decimal

import pytest

from offers.geo import POSTCODE_CENTROIDS, UnknownPlace, locate, place_for_key, street_key
from offers.models import Neighbourhood, Offer, UnmetSearch
from tests.factories import make_location, make_offer, make_offers, make_provider
from tests.pages import LEXICON

pytestmark = pytest.mark.django_db

NEAR = "/in-meiner-naehe/"
LIST = "/angebote/"


def place_at(
    name, latitude, longitude, street, postal_code="46045", neighbourhood="oberhausen-mitte"
):
    return make_location(
        name=name,
        street=street,
        postal_code=postal_code,
        neighbourhood=neighbourhood,
        latitude=Decimal(str(latitude)),
        longitude=Decimal(str(longitude)),
    )


def card_titles(response):
    return [offer.title for offer in response.context["page"].object_list]


def distances(html):
    return re.findall(r"Entfernung:</span> ([^<]*)</li>", html)


# --- finding the place -------------------------------------------------------------------


def test_a_street_of_ours_with_house_number_and_postal_code_is_found():
    place_at("A", 51.4700, 6.8500, "Marktstraße 5")
    place_at("B", 51.4720, 6.8540, "Marktstraße 40")

    place = locate("Marktstr. 12 a, 46045 Oberhausen")

    assert place.key == "strasse:marktstrasse:46045"
    assert place.label == "Marktstraße, 46045"
    assert (round(place.latitude, 4), round(place.longitude, 4)) == (51.471, 6.852)


def test_a_street_in_two_postal_codes_needs_the_postal_code():
    place_at("A", 51.47, 6.85, "Bahnhofstraße 5", postal_code="46045")
    place_at("B", 51.53, 6.80, "Bahnhofstraße 7", postal_code="46147", neighbourhood="holten")

    with pytest.raises(UnknownPlace, match="Bitte geben Sie auch Ihre Postleitzahl an"):
        locate("Bahnhofstraße 3")
    assert locate("Bahnhofstraße 3, 46147").key == "strasse:bahnhofstrasse:46147"


def test_an_unknown_street_falls_back_to_its_postal_code():
    place = locate("Unbekannter Weg 9, 46119")

    assert place.key == "plz:46119"
    assert (place.latitude, place.longitude) == POSTCODE_CENTROIDS["46119"]


def test_a_postal_code_or_a_district_name_alone_is_found():
    lirich = Neighbourhood.objects.get(slug="lirich")

    assert locate("46045").key == "plz:46045"
    assert locate("  lirich ").key == "stadtteil:lirich"
    assert (locate("Lirich").latitude, locate("Lirich").longitude) == (
        float(lirich.latitude),
        float(lirich.longitude),
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("Hauptstraße 1, 10115 Berlin", "10115 ist keine Oberhausener Postleitzahl"),
        ("Irgendwo 5", "Diese Adresse haben wir nicht gefunden"),
        ("'; DROP TABLE offers_location; --", "Diese Adresse haben wir nicht gefunden"),
        ("%_\\" * 60, "Diese Adresse haben wir nicht gefunden"),
    ],
)
def test_what_names_no_place_of_ours_is_said_plainly(text, message):
    with pytest.raises(UnknownPlace, match=message):
        locate(text)


def test_street_names_are_compared_folded_and_without_numbers():
    assert street_key("Königshardter Str. 12-14") == "konigshardter-strasse"
    assert street_key("königshardter straße") == "konigshardter-strasse"
    assert street_key("Elsässer Straße 3b") == "elsasser-strasse"


def test_every_shipped_district_has_a_centre_inside_the_city():
    for neighbourhood in Neighbourhood.objects.all():
        assert 51.44 < neighbourhood.latitude < 51.58, neighbourhood
        assert 6.77 < neighbourhood.longitude < 6.93, neighbourhood


def test_a_place_key_from_an_old_link_that_names_nothing_is_refused():
    with pytest.raises(UnknownPlace):
        place_for_key("strasse:nirgendwo:46045")
    with pytest.raises(UnknownPlace):
        place_for_key("plz:99999")


# --- the family's path -------------------------------------------------------------------


def test_an_address_is_sent_by_post_and_only_its_street_reaches_the_list(client):
    place_at("Rathaus", 51.4700, 6.8530, "Marktstraße 5")

    response = client.post(
        NEAR, {"adresse": "Marktstraße 12, 46045", "thema": "bildung", "page": "3", "foo": "x"}
    )

    assert response.status_code == 303
    assert response["Location"] == f"{LIST}?thema=bildung&naehe=strasse%3Amarktstrasse%3A46045"
    assert "12" not in response["Location"].replace("46045", "")


def test_the_list_shows_the_nearest_offers_first_with_their_distance(client):
    provider = make_provider()
    near = place_at("Nah", 51.4700, 6.8530, "Marktstraße 5")
    far = place_at("Fern", 51.5300, 6.8000, "Bahnhofstraße 2", "46147", "holten")
    make_offer(title="Weit weg", locations=[far], provider=provider)
    make_offer(title="Gleich um die Ecke", locations=[near], provider=provider)
    make_offer(title="Kommt nach Hause", outreach=True, provider=provider)
    make_offer(title="An beiden Orten", locations=[far, near], provider=provider)

    response = client.get(LIST, {"naehe": "strasse:marktstrasse:46045"})

    html = response.content.decode()
    assert card_titles(response) == [
        "An beiden Orten",
        "Gleich um die Ecke",
        "Weit weg",
        "Kommt nach Hause",
    ]
    assert distances(html) == ["ca. 0,0 km", "ca. 0,0 km", "ca. 7,6 km", "kein fester Ort"]
    assert '<option value="entfernung" selected data-default>' in html
    assert "In der Nähe von: Marktstraße, 46045" in html
    assert '<input type="hidden" name="naehe" value="strasse:marktstrasse:46045">' in html


def test_a_district_chosen_sorts_by_its_centre_and_other_orders_stay_possible(client):
    lirich = place_at("Lirich", 51.4806, 6.8308, "Lirichstraße 1", "46049", "lirich")
    holten = place_at("Holten", 51.5285, 6.8010, "Bahnhofstraße 1", "46147", "holten")
    make_offer(title="A in Holten", locations=[holten])
    make_offer(title="B in Lirich", locations=[lirich])

    redirect = client.post(NEAR, {"stadtteil": "holten"})
    nearest = client.get(redirect["Location"])
    by_title = client.get(LIST, {"naehe": "stadtteil:lirich", "sortierung": "titel"})

    assert redirect["Location"] == f"{LIST}?naehe=stadtteil%3Aholten"
    assert card_titles(nearest) == ["A in Holten", "B in Lirich"]
    assert card_titles(by_title) == ["A in Holten", "B in Lirich"]
    assert distances(by_title.content.decode()) == ["ca. 5,7 km", "ca. 0,0 km"]


def test_the_filters_still_select_and_count_when_sorted_by_distance(client):
    spot = place_at("Ort", 51.47, 6.85, "Marktstraße 5")
    make_offers(3, locations=[spot], topics=["sport"])
    make_offers(2, locations=[spot], topics=["kultur"])

    response = client.get(LIST, {"naehe": "plz:46045", "thema": "sport"})

    assert response.context["panel"].total == 3
    assert len(card_titles(response)) == 3


def test_an_unknown_address_keeps_what_was_typed_and_says_what_to_do(client):
    response = client.post(NEAR, {"adresse": "Irgendwo 5", "alter": "2"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Diese Adresse haben wir nicht gefunden." in html
    assert 'value="Irgendwo 5"' in html
    assert '<input type="hidden" name="alter" value="2">' in html
    assert UnmetSearch.objects.count() == 0


def test_a_search_near_a_place_that_finds_nothing_keeps_no_trace_of_the_place(client):
    place_at("Rathaus", 51.47, 6.853, "Marktstraße 5")
    make_offer(title="Elterncafé", topics=["sport"])

    client.get(LIST, {"naehe": "strasse:marktstrasse:46045", "q": "Zauberschule"})

    unmet = UnmetSearch.objects.get()
    assert unmet.text == "zauberschule"
    assert "markt" not in f"{unmet.filters} {unmet.description}".lower()


def test_an_empty_form_asks_for_a_place(client):
    html = client.post(NEAR, {}).content.decode()

    assert (
        "Bitte geben Sie Ihre Straße oder Postleitzahl an oder wählen Sie Ihren Stadtteil." in html
    )


@pytest.mark.parametrize(
    "text", ["\x00\x01", "x" * 5000, "<script>alert(1)</script>", "46045" * 50, "ÄÖÜ straße"]
)
def test_hostile_input_never_breaks_the_form(client, text):
    response = client.post(NEAR, {"adresse": text, "stadtteil": text})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_stale_place_in_a_link_is_reported_and_the_list_still_shows(client):
    make_offer(title="Elterncafé")

    response = client.get(LIST, {"naehe": "strasse:abgerissen:46045"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Diesen Ort kennen wir nicht (mehr)." in html
    assert card_titles(response) == ["Elterncafé"]
    assert distances(html) == []


def test_the_list_links_the_near_form_with_its_filters(client):
    make_offer(title="Elterncafé")

    html = client.get(LIST, {"thema": "bildung", "page": "1"}).content.decode()

    assert f'href="{NEAR}?thema=bildung"' in html


@pytest.mark.parametrize("count", [1, 20, 100])
def test_the_list_by_distance_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    spot = place_at("Ort", 51.47, 6.85, "Marktstraße 5")
    make_offers(count, locations=[spot], topics=["sport"])

    # The first request also builds the process's facet index (on PostgreSQL with its
    # lexicon: one query more); the place costs one query.
    with django_assert_num_queries(19 + LEXICON):
        client.get(LIST, {"naehe": "strasse:marktstrasse:46045"})
    with django_assert_num_queries(5):  # the page and its cards' places read in SQL, by distance
        client.get(LIST, {"naehe": "strasse:marktstrasse:46045", "thema": "sport"})


@pytest.mark.parametrize("count", [1, 20])
def test_a_list_near_a_place_in_another_order_reads_its_cards_at_once(
    client, django_assert_num_queries, count
):
    spot = place_at("Ort", 51.47, 6.85, "Marktstraße 5")
    make_offers(count, locations=[spot])
    client.get(LIST)  # keeps the cards of the list without a place

    # The cards near a place show how far, so none of the kept ones serves: all are read
    # in two queries (not field by field), after the version and the change log's question.
    with django_assert_num_queries(5):
        html = client.get(
            LIST, {"naehe": "strasse:marktstrasse:46045", "sortierung": "titel"}
        ).content.decode()

    assert distances(html) == ["ca. 0,0 km"] * min(count, 20)


def test_distance_order_in_the_queryset_puts_offers_without_places_last():
    spot = place_at("Ort", 51.47, 6.85, "Marktstraße 5")
    somewhere = make_location(latitude=None, longitude=None)
    make_offer(title="B ohne Koordinaten", locations=[somewhere])
    make_offer(title="C mit Ort", locations=[spot])
    make_offer(title="A online", online=True)

    place = locate("46049")
    titles = list(Offer.objects.published().by_distance(place).values_list("title", flat=True))

    assert titles == ["C mit Ort", "A online", "B ohne Koordinaten"]
