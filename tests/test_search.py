"""The search reads providers and places, keeps up with every edit, and survives anything typed."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from demo.loader import generate_offers
from offers.facet_index import facet_state
from offers.models import District, Neighbourhood, Offer, SearchTerm, SynonymGroup
from offers.search import plan_search
from offers.search_index import rebuild_search_index
from tests.factories import make_location, make_offer, make_provider
from tests.pages import names_offers_by_id

pytestmark = pytest.mark.django_db
LIST = "/angebote/"


def found(query):
    return set(Offer.objects.published().search(query).values_list("title", flat=True))


def test_a_provider_is_found_by_its_name_and_its_short_name():
    provider = make_provider(name="Arbeiterwohlfahrt Ortsverein Lirich", short_name="AWO")
    make_offer(title="Elterncafé", provider=provider)
    make_offer(title="Krabbelgruppe")

    assert found("AWO") == {"Elterncafé"}
    assert found("Arbeiterwohlfahrt") == {"Elterncafé"}


def test_a_place_is_found_by_stadtteil_sozialraum_street_and_postal_code():
    location = make_location(neighbourhood="holten", street="Bahnhofstraße 5", postal_code="46147")
    make_offer(title="Babytreff", locations=[location])
    make_offer(title="Spielgruppe", locations=[make_location(neighbourhood="lirich")])

    for query in ["Holten", "Sterkrade-Nord", "Sterkrade Nord", "Bahnhofstraße", "46147"]:
        assert found(query) == {"Babytreff"}, query
    # "Alstaden/Lirich" is two place names, not one word
    assert found("Lirich") == {"Spielgruppe"}
    assert found("Alstaden") == {"Spielgruppe"}


def test_a_named_sozialraum_counts_too():
    make_offer(title="Hausbesuche", districts=["osterfeld"], outreach=True)

    assert found("Osterfeld") == {"Hausbesuche"}


def test_title_ranks_above_summary_above_provider_and_place_above_description(is_postgresql):
    make_offer(title="Treff am Markt", description="Auch für Familien aus Holten.")
    make_offer(title="Spielen", locations=[make_location(neighbourhood="holten")])
    make_offer(title="Beratung", summary="Sprechstunde in Holten, dienstags.")
    make_offer(title="Holten singt")

    ranked = Offer.objects.search("Holten").order_by("-rank").values_list("title", flat=True)

    if is_postgresql:
        assert list(ranked) == ["Holten singt", "Beratung", "Spielen", "Treff am Markt"]
    else:  # SQLite's simpler rule ranks title and summary only (README, "Search")
        assert list(ranked)[:2] == ["Holten singt", "Beratung"] and len(ranked) == 4


def test_every_edit_of_a_provider_or_place_shows_in_the_search_at_once():
    provider = make_provider(name="Kinderhaus Sonnenschein")
    location = make_location(provider=provider, neighbourhood="lirich", name="Haus am Park")
    offer = make_offer(title="Krabbelgruppe", provider=provider, locations=[location])

    provider.name = "Kinderhaus Regenbogen"
    provider.save()
    assert found("Regenbogen") == {"Krabbelgruppe"} and found("Sonnenschein") == set()

    location.neighbourhood = Neighbourhood.objects.get(slug="holten")
    location.save()
    assert found("Holten") == {"Krabbelgruppe"} and found("Lirich") == set()

    holten = Neighbourhood.objects.get(slug="holten")
    holten.name = "Holten-Mitte"
    holten.save()
    assert found("Holten-Mitte") == {"Krabbelgruppe"}

    district = District.objects.get(slug="sterkrade-nord")
    district.name = "Nordbezirk"
    district.save()
    assert found("Nordbezirk") == {"Krabbelgruppe"}

    offer.locations.remove(location)
    assert found("Holten") == set()
    offer.locations.add(location)
    assert found("Holten") == {"Krabbelgruppe"}
    offer.locations.clear()
    assert found("Holten") == set()

    offer.locations.add(location)
    location.delete()
    assert found("Holten") == set()


def test_the_index_built_step_by_step_equals_a_rebuild_and_a_rebuild_prunes_old_words():
    provider = make_provider(name="Familienhilfe Ruhrbogen", short_name="FHR")
    make_offer(title="Elterncafé", provider=provider, locations=[make_location(provider=provider)])
    offer = make_offer(title="Schwimmkurs", districts=["osterfeld"], outreach=True)
    offer.title = "Seepferdchenkurs"
    offer.save()
    before = dict(Offer.objects.values_list("pk", "search_context"))
    assert SearchTerm.objects.filter(term="schwimmkurs").exists()  # added, never removed

    rebuild_search_index()

    assert dict(Offer.objects.values_list("pk", "search_context")) == before
    assert not SearchTerm.objects.filter(term="schwimmkurs").exists()
    assert SearchTerm.objects.filter(term="seepferdchenkurs").exists()
    assert SearchTerm.objects.get(term="elterncafe").spelling == "Elterncafé"


def test_bulk_generated_offers_are_found_by_their_provider():
    make_provider(name="Lesepaten Ruhr", short_name="LPR")

    generate_offers(5)

    assert len(found("LPR")) == Offer.objects.published().filter(provider__short_name="LPR").count()
    assert Offer.objects.exclude(search_context="").count() == Offer.objects.count()


def test_synonyms_from_the_admin_find_each_other(coordinator_client):
    make_offer(title="Sprachförderung in der Kindertagesstätte")

    response = coordinator_client.post(
        "/admin/offers/synonymgroup/add/",
        {"terms": "Kita, Kindertagesstätte, Kindergarten", "note": ""},
    )

    assert response.status_code == 302
    assert found("Kita") == {"Sprachförderung in der Kindertagesstätte"}
    assert found("Kindergarten") == {"Sprachförderung in der Kindertagesstätte"}


def test_the_list_searches_with_a_new_synonym_at_once(client, coordinator_client):
    """Search plans are kept per version of the offers: a synonym group replaces it."""
    make_offer(title="Sprachförderung in der Kindertagesstätte")
    assert "Kindertagesstätte" not in client.get("/angebote/", {"q": "Kita"}).content.decode()

    coordinator_client.post(
        "/admin/offers/synonymgroup/add/", {"terms": "Kita, Kindertagesstätte", "note": ""}
    )

    html = client.get("/angebote/", {"q": "Kita"}).content.decode()
    assert "Sprachförderung in der Kindertagesstätte" in html


def test_a_synonym_group_of_phrases_is_refused_in_german_keeping_what_was_typed(
    coordinator_client,
):
    response = coordinator_client.post(
        "/admin/offers/synonymgroup/add/", {"terms": "Frühe Hilfen, Babyhilfe", "note": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte nur einzelne Wörter" in html and "Frühe Hilfen" in html
    assert not SynonymGroup.objects.exists()


@pytest.mark.parametrize(
    "query, title",
    [
        ("Hebame", "Offene Hebammensprechstunde"),  # missing letter
        ("Hebammme", "Offene Hebammensprechstunde"),  # extra letter
        ("Hebamem", "Offene Hebammensprechstunde"),  # swapped letters
        ("Hebanme", "Offene Hebammensprechstunde"),  # wrong letter
        ("Krabbelgrupe", "Krabbelgruppe"),
        ("Schwangerschatsberatung", "Schwangerschaftsberatung"),
        ("Förderung", "Sprachförderung"),  # the tail of a compound
        ("Schwimmen", "Seepferdchen-Schwimmkurs"),  # its head, in another form
    ],
)
def test_typos_and_halves_of_compounds_find_the_offer(query, title):
    make_offer(title=title)
    make_offer(title="Elterncafé")

    assert found(query) == {title}


def test_short_words_allow_no_typos():
    make_offer(title="Kurs für Eltern")

    assert found("Kurz") == set()  # four letters: a different word, not a typo


def test_a_search_that_finds_nothing_suggests_known_spellings_that_find(client):
    make_offer(title="Babytreff am Markt")

    html = client.get(LIST, {"q": "Bebytrff"}).content.decode()

    assert "0 Angebote gefunden" in html
    assert "Meinten Sie:" in html
    assert re.search(r'<a href="\?q=Babytreff" lang="de">Babytreff</a> – 1 Angebot', html)
    assert 'value="Bebytrff"' in html  # what was typed stays in the field


def test_suggestions_keep_the_other_filters_and_only_offer_what_finds_something(client):
    make_offer(title="Babytreff", districts=["osterfeld"], outreach=True)

    html = client.get(LIST, {"q": "Bebytrff", "sozialraum": "alstaden-lirich"}).content.decode()

    assert "Meinten Sie" not in html  # "Babytreff" finds nothing in Alstaden/Lirich either
    html = client.get(LIST, {"q": "Bebytrff", "sozialraum": "osterfeld"}).content.decode()
    assert 'href="?q=Babytreff&amp;sozialraum=osterfeld"' in html


def test_suggestions_never_leak_words_of_unpublished_offers(client):
    make_offer(title="Geheimprojekt", status=Offer.Status.DRAFT)

    html = client.get(LIST, {"q": "Geheimprojeckt"}).content.decode()

    assert "Geheimprojekt" not in html.replace('value="Geheimprojeckt"', "")


@pytest.mark.parametrize(
    "query",
    [
        "'\"",
        "100%",
        "a_b",
        "\\\\",
        "x" * 5000,
        "Kita\x00",
        "\x1b[31mrot",
        "Krabbel' | 'gruppe",
        "a:* & !b",
        "(((",
        "ثقافة",
        "Детский сад",
    ],
)
def test_hostile_searches_answer_a_sensible_page(client, query):
    make_offer(title="Krabbelgruppe")

    response = client.get(LIST, {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Angebot" in html and 'name="q"' in html
    if len(query) > 200 or "\x00" in query:
        assert 'class="error-summary"' in html  # the field says what is wrong, in German


@pytest.fixture
def one_offer():
    return make_offer(title="Krabbelgruppe")


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(max_size=300), st.text(alphabet="'\"&|!:*()%_\\ äöüßKita\x00", max_size=40)
    )
)
def test_the_search_function_accepts_any_text(one_offer, text):
    plan = plan_search(text)
    results = set(Offer.objects.published().search(plan).values_list("title", flat=True))

    assert results <= {"Krabbelgruppe"}
    assert len(plan.words) <= 8


def test_the_nightly_command_rebuilds_and_says_what_it_did():
    offer = make_offer(
        title="Babytreff", provider=make_provider(name="Kinderhaus", short_name="KH")
    )
    Offer.objects.filter(pk=offer.pk).update(search_context="")  # as after a bulk write
    SearchTerm.objects.create(term="veraltet", spelling="veraltet")
    out = io.StringIO()

    call_command("rebuild_search_index", stdout=out)

    assert found("KH") == {"Babytreff"}
    assert not SearchTerm.objects.filter(term="veraltet").exists()
    assert re.match(r"1 offers indexed, \d+ words in the vocabulary", out.getvalue())


def holten_in_two_tiers():
    """Four offers with "Holten" in the title (tier 1), three with it in places only (tier 2)."""
    holten = make_location(neighbourhood="holten")
    for title in ["A Holten", "B Holten, Holten, Holten", "C Holten", "D Holten"]:
        make_offer(title=title)  # tier 1: the word in the title
    make_offer(title="E", locations=[holten])  # tier 2: only the place
    make_offer(title="F", locations=[holten], description="Treffpunkt Holten, Holten.")
    make_offer(title="G", locations=[holten])


# Ranked among the first two by title, then by title; per tier.
HOLTEN_BY_RELEVANCE = [
    "B Holten, Holten, Holten",
    "A Holten",
    "C Holten",
    "D Holten",
    "F",
    "E",
    "G",
]


@pytest.fixture
def holten(is_postgresql, monkeypatch):
    """``holten_in_two_tiers()`` with two ranked candidates per tier (PostgreSQL's relevance order)."""
    if not is_postgresql:
        pytest.skip("SQLite orders every match by its rank")
    monkeypatch.setattr("offers.relevance.RANKED_CANDIDATES", 2)
    holten_in_two_tiers()


def test_by_relevance_ranks_the_best_candidates_of_each_tier_then_follows_by_title(
    holten, django_assert_num_queries
):
    make_offer(title="H Holten", status=Offer.Status.DRAFT)  # never shown
    plan = plan_search("Holten")
    state = facet_state()
    selection = state.search(plan)
    order = (
        Offer.objects.published().search(plan).by_relevance(plan, state=state, selection=selection)
    )

    with django_assert_num_queries(3) as queries:  # the walk, the ranking, the offers
        assert [offer.title for offer in order[0:2]] == HOLTEN_BY_RELEVANCE[:2]
    order[0:7]  # past tier 1's candidates: tier 1 from the index, kept per plan like a search

    # the walk along the titles, a ranking per tier (at most two candidates each), the offers
    with django_assert_num_queries(4) as more_queries:
        everything = [offer.title for offer in order[0:7]]

    assert everything == HOLTEN_BY_RELEVANCE
    # no query reads every match of the search (the page's offers, last, are read by id
    # from the searched queryset)
    captured = queries.captured_queries[:-1] + more_queries.captured_queries[:-1]
    assert all('"search_document" @@' not in query["sql"] for query in captured)
    pages = [offer.title for start in range(0, 7, 3) for offer in order[start : start + 3]]
    assert pages == everything
    assert [offer.title for offer in order[5:20]] == ["E", "G"]
    # a selection narrowed by another filter keeps the order of what is left
    narrowed = selection - state.search(plan_search("Holten"), in_title_or_summary=True)
    rest = (
        Offer.objects.published().search(plan).by_relevance(plan, state=state, selection=narrowed)
    )
    assert [offer.title for offer in rest[0:20]] == ["F", "E", "G"]


def test_by_relevance_ranks_every_match_of_a_counted_narrow_search():
    make_offer(title="B Holten")
    make_offer(title="A Holten, Holten")
    plan = plan_search("Holten")
    matches = Offer.objects.published().search(plan)

    ordered = matches.by_relevance(plan, total=2)

    assert [offer.title for offer in ordered] == ["A Holten, Holten", "B Holten"]
    assert ordered.ordered  # a QuerySet: filters, prefetches and counts as usual
    # without the facet index (no state, no selection) every match is ranked, counted or not
    uncounted = matches.by_relevance(plan)
    assert [offer.title for offer in uncounted] == ["A Holten, Holten", "B Holten"]


def test_a_counted_narrow_search_ranks_just_the_selection_read_by_id():
    """The list hands the facet index's selection over: the ranking reads those offers by id,
    not the filters in SQL (whose plan at 100 000 offers could scan for 100–300 ms)."""
    holten_in_two_tiers()
    make_offer(title="H Holten", status=Offer.Status.DRAFT)  # never shown
    plan = plan_search("Holten")
    state = facet_state()
    left_out = Offer.objects.filter(title__in=["A Holten", "E"])
    selection = state.search(plan) - BitMap(left_out.values_list("pk", flat=True))
    matches = Offer.objects.published().search(plan).exclude(pk__in=left_out)

    with CaptureQueriesContext(connection) as queries:
        ranked = matches.by_relevance(plan, len(selection), state, selection)
        titles = [offer.title for offer in ranked[0:20]]

    assert titles == [offer.title for offer in matches.order_by("-rank", "title", "pk")]
    assert len(titles) == 5 and "A Holten" not in titles and "H Holten" not in titles
    ranking, offers = [query["sql"] for query in queries.captured_queries]
    assert names_offers_by_id(ranking) and "\"status\" = 'published'" not in ranking
    assert ranking.startswith('SELECT "offers_offer"."id" AS "pk" FROM')  # ids only
    assert names_offers_by_id(offers)  # then the offers of the page, by id

    # The search alone (no other filter): ranked by the search in SQL, the same order.
    whole = state.search(plan)
    everything = Offer.objects.published().search(plan)
    with CaptureQueriesContext(connection) as queries:
        ranked = everything.by_relevance(plan, len(whole), state, whole)
        titles = [offer.title for offer in ranked[0:20]]
    assert titles == [offer.title for offer in everything.order_by("-rank", "title", "pk")]
    assert len(titles) == 7
    ranking = queries.captured_queries[0]["sql"]
    assert "\"status\" = 'published'" in ranking and not names_offers_by_id(ranking)


@pytest.mark.parametrize("batches", [2, 1])  # the walk finds them, or gives up for the index
def test_a_selection_narrowed_by_other_filters_is_walked_in_batches(holten, monkeypatch, batches):
    monkeypatch.setattr("offers.relevance.WALK_BATCHES", batches)
    plan = plan_search("Holten")
    state = facet_state()
    left_out = Offer.objects.filter(title__in=["A Holten", "B Holten, Holten, Holten"])
    narrowed = state.search(plan) - BitMap(left_out.values_list("pk", flat=True))
    order = (
        Offer.objects.published().search(plan).by_relevance(plan, state=state, selection=narrowed)
    )

    assert [offer.title for offer in order[0:20]] == ["C Holten", "D Holten", "F", "E", "G"]
    assert [offer.title for offer in order[1:3]] == ["D Holten", "F"]


def test_the_list_ranks_a_broad_search_from_the_facet_index(holten, monkeypatch, client):
    monkeypatch.setattr("offers.models.offers.EXACT_RANKING_LIMIT", 3)  # seven matches: broad

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/angebote/", {"q": "Holten"}).content.decode()

    titles = re.findall(r'class="offer-card__title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == HOLTEN_BY_RELEVANCE
    rankings = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
    assert rankings and not any("LIMIT" in sql for sql in rankings)  # candidates by id only
