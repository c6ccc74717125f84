"""An offer serves the Sozialräume it names and those of its places, everywhere they are read."""

import pytest
from django.urls import reverse

from offers.models import District, Neighbourhood, Offer
from tests.factories import make_location, make_offer

pytestmark = pytest.mark.django_db


def titles(queryset):
    return {offer.title for offer in queryset}


@pytest.fixture
def holten_offer():
    """An offer that names no Sozialraum but takes place in Holten (Sozialraum Sterkrade-Nord)."""
    return make_offer(
        title="Babytreff Holten",
        topics=["fruehe-hilfen"],
        min_age_months=0,
        max_age_months=23,
        locations=[make_location(neighbourhood="holten")],
    )


def test_the_queryset_counts_the_places_sozialraum(holten_offer):
    make_offer(title="Osterfeld", districts=["osterfeld"])
    make_offer(title="Stadtweit", citywide=True)

    sterkrade_nord = Offer.objects.in_district(District.objects.get(slug="sterkrade-nord"))
    osterfeld = Offer.objects.in_district(District.objects.get(slug="osterfeld"))

    assert titles(sterkrade_nord) == {"Babytreff Holten", "Stadtweit"}
    assert titles(osterfeld) == {"Osterfeld", "Stadtweit"}


def test_named_and_place_districts_together_count_once():
    make_offer(
        title="Beides",
        districts=["sterkrade-nord", "osterfeld"],
        locations=[
            make_location(neighbourhood="holten"),
            make_location(neighbourhood="schmachtendorf"),
        ],
    )

    assert Offer.objects.in_district(District.objects.get(slug="sterkrade-nord")).count() == 1
    assert Offer.objects.in_district(District.objects.get(slug="osterfeld")).count() == 1


def test_list_filter_and_its_counts_follow_the_place(client, holten_offer):
    response = client.get("/angebote/", {"sozialraum": "sterkrade-nord", "alter": "0"})

    assert [offer.title for offer in response.context["page"].object_list] == ["Babytreff Holten"]
    counts = {
        option.value: option.count
        for facet in client.get("/angebote/").context["panel"].facets
        if facet.name == "sozialraum"
        for option in facet.options
    }
    assert counts["sterkrade-nord"] == 1
    assert counts["osterfeld"] == 0


def test_chain_of_the_sozialraum_counts_the_offer(client, holten_offer):
    response = client.get("/praeventionskette/", {"sozialraum": "sterkrade-nord"})

    rows = {topic.slug: cells for topic, cells in response.context["rows"]}
    assert rows["fruehe-hilfen"][1].count == 1
    other = client.get("/praeventionskette/", {"sozialraum": "osterfeld"}).context["rows"]
    assert {topic.slug: cells for topic, cells in other}["fruehe-hilfen"][1].count == 0


def test_offer_page_says_which_families_it_serves(client, holten_offer):
    html = client.get(holten_offer.get_absolute_url()).content.decode()

    assert "Für Familien aus: Sterkrade-Nord" in html


def test_admin_filter_follows_the_place(coordinator_client, holten_offer):
    make_offer(title="Osterfeld", districts=["osterfeld"])

    response = coordinator_client.get(
        reverse("admin:offers_offer_changelist"), {"sozialraum": "sterkrade-nord"}
    )

    assert titles(response.context["cl"].result_list) == {"Babytreff Holten"}


def test_moving_a_stadtteil_to_another_sozialraum_moves_its_offers(holten_offer):
    osterfeld = District.objects.get(slug="osterfeld")
    Neighbourhood.objects.filter(slug="holten").update(district=osterfeld)

    assert titles(Offer.objects.in_district(osterfeld)) == {"Babytreff Holten"}
    assert not Offer.objects.in_district(District.objects.get(slug="sterkrade-nord")).exists()
