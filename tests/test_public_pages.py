"""The public directory, through the URL as families and professionals use it."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from offers.models import Offer, Provider, Topic
from tests.factories import make_location, make_network, make_offer, make_offers, make_provider
from tests.pages import LEXICON

pytestmark = pytest.mark.django_db

LIST = "/angebote/"


def shown_titles(response):
    return {offer.title for offer in response.context["page"].object_list}


def facet(response, name):
    return {f.name: f for f in response.context["panel"].facets}[name]


def option_counts(response, name):
    found = facet(response, name)
    options = found.options + [o for _, group in found.groups for o in group]
    return {option.value: option.count for option in options}


# --- every page answers, in German ----------------------------------------------------


def test_every_page_type_answers_in_german(client):
    provider = make_provider(slug="traeger-x")
    offer = make_offer(provider=provider, slug="elterncafe", title="Elterncafé")
    network = make_network(slug="fruehe-hilfen", coordinators=[provider], offers=[offer])
    urls = [
        "/",
        LIST,
        offer.get_absolute_url(),
        "/traeger/",
        "/traeger/traeger-x/",
        "/netzwerke/",
        network.get_absolute_url(),
        "/praeventionskette/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="de" dir="ltr">' in html, url
        assert "Zum Inhalt springen" in html, url
        assert all(
            link in html
            for link in ['href="/impressum/"', 'href="/datenschutz/"', 'href="/barrierefreiheit/"']
        ), url


def test_english_lives_under_en(client):
    make_offer(title="Elterncafé")

    response = client.get("/en/angebote/")

    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "1 offer found" in html
    assert 'href="/angebote/" lang="de"' in html


def test_unknown_pages_get_the_german_404_page(client):
    response = client.get("/angebote/gibt-es-nicht/")

    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_start_page_asks_for_the_age_first(client):
    html = client.get("/").content.decode()

    assert "Wie alt ist Ihr Kind?" in html
    for query in [
        "phase=schwangerschaft-geburt",
        "alter=0",
        "alter=1-2",
        "alter=3-5",
        "alter=6-9",
        "alter=10-15",
        "alter=16-27",
    ]:
        assert f"{LIST}?{query}" in html


# --- nothing unpublished leaks ---------------------------------------------------------


@pytest.fixture
def hidden_offers():
    today = timezone.localdate()
    provider = make_provider(slug="geheim-traeger")
    offers = [
        make_offer(title="Geheim Entwurf", status=Offer.Status.DRAFT, provider=provider),
        make_offer(title="Geheim Eingereicht", status=Offer.Status.SUBMITTED, provider=provider),
        make_offer(title="Geheim Archiviert", status=Offer.Status.ARCHIVED, provider=provider),
        make_offer(
            title="Geheim Abgelaufen",
            valid_until=today - datetime.timedelta(days=1),
            provider=provider,
        ),
    ]
    make_network(slug="geheim-netzwerk", coordinators=[provider], offers=offers)
    return offers


def test_unpublished_offers_never_appear_in_public(client, hidden_offers):
    make_offer(title="Öffentlich", topics=["sport"], min_age_months=0, max_age_months=12)
    pages = [
        "/",
        LIST,
        f"{LIST}?q=Geheim",
        f"{LIST}?traeger=geheim-traeger",
        "/traeger/",
        "/traeger/geheim-traeger/",
        "/netzwerke/",
        "/netzwerke/geheim-netzwerk/",
        "/praeventionskette/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Geheim Entwurf" not in html and "Geheim Abgelaufen" not in html, url
        assert "Geheim Eingereicht" not in html and "Geheim Archiviert" not in html, url
    for offer in hidden_offers:
        assert client.get(offer.get_absolute_url()).status_code == 404


def test_unpublished_offers_are_not_counted(client, hidden_offers):
    make_offer(title="Öffentlich", topics=["bildung"], min_age_months=0, max_age_months=12)

    response = client.get(LIST)

    assert response.context["panel"].total == 1
    assert option_counts(response, "thema")["bildung"] == 1
    assert option_counts(response, "alter")["0"] == 1
    assert sum(option_counts(response, "traeger").values()) == 1
    home = client.get("/")
    assert home.context["total"] == 1
    assert dict((t.slug, n) for t, n in home.context["topics"])["bildung"] == 1
    chain = client.get("/praeventionskette/")
    assert sum(cell.count for _, cells in chain.context["rows"] for cell in cells) == 1


# --- filters through the URL -------------------------------------------------------------


def test_age_filter_in_whole_years_respects_boundaries(client):
    make_offer(title="0 bis 36 Monate", min_age_months=0, max_age_months=36)
    make_offer(title="Ab 4", min_age_months=48)
    make_offer(title="Schwangerschaft", min_age_months=-9, max_age_months=-1)

    assert shown_titles(client.get(LIST, {"alter": 0})) == {"0 bis 36 Monate"}
    assert shown_titles(client.get(LIST, {"alter": 3})) == {"0 bis 36 Monate"}
    assert shown_titles(client.get(LIST, {"alter": 4})) == {"Ab 4"}
    assert shown_titles(client.get(LIST, {"alter": "1-2"})) == {"0 bis 36 Monate"}
    assert shown_titles(client.get(LIST, {"alter": "3-5"})) == {"0 bis 36 Monate", "Ab 4"}
    assert shown_titles(client.get(LIST, {"phase": "schwangerschaft-geburt"})) == {
        "Schwangerschaft"
    }


def test_filters_combine(client):
    location = make_location(wheelchair_accessible=True)
    make_offer(
        title="Passt",
        min_age_months=12,
        max_age_months=48,
        districts=["sterkrade-mitte"],
        topics=["sport"],
        cost=Offer.Cost.FREE,
        languages=["de", "tr"],
        locations=[location],
    )
    make_offer(
        title="Kostet",
        min_age_months=12,
        max_age_months=48,
        districts=["sterkrade-mitte"],
        topics=["sport"],
        cost=Offer.Cost.PAID,
    )
    make_offer(
        title="Osterfeld",
        min_age_months=12,
        max_age_months=48,
        districts=["osterfeld"],
        topics=["sport"],
    )
    make_offer(title="Stadtweit", citywide=True, topics=["bildung"])

    query = {"alter": 2, "sozialraum": "sterkrade-mitte", "thema": "sport"}
    assert shown_titles(client.get(LIST, query)) == {"Passt", "Kostet"}
    assert shown_titles(client.get(LIST, {**query, "kostenlos": 1})) == {"Passt"}
    assert shown_titles(client.get(LIST, {**query, "barrierefrei": 1})) == {"Passt"}
    assert shown_titles(client.get(LIST, {**query, "sprache": "tr"})) == {"Passt"}
    assert shown_titles(
        client.get(LIST, {"sozialraum": "sterkrade-mitte", "zielgruppe": "eltern"})
    ) == {
        "Passt",
        "Kostet",
        "Stadtweit",
    }


def test_the_provider_filter_lists_providers_alphabetically_and_renamed_at_once(client):
    for name in ["Caritas", "Ärztehaus am Markt", "AWO Kreisverband"]:
        make_offer(provider=make_provider(name=name))
    assert [o.label for o in facet(client.get(LIST), "traeger").options] == [
        "Ärztehaus am Markt",
        "AWO Kreisverband",
        "Caritas",
    ]

    caritas = Provider.objects.get(name="Caritas")
    caritas.name = "Caritasverband Oberhausen"
    caritas.save()

    assert "Caritasverband Oberhausen" in [
        o.label for o in facet(client.get(LIST), "traeger").options
    ]


def test_a_topic_added_while_the_site_runs_can_be_chosen_at_once(client):
    make_offer(title="Elterncafé")
    assert client.get(LIST, {"thema": "mint"}).context["form"].errors["thema"]

    topic = Topic.objects.create(slug="mint", name="MINT")
    make_offer(title="Forscherwerkstatt", topics=[topic.slug])

    response = client.get(LIST, {"thema": "mint"})
    assert not response.context["form"].errors
    assert shown_titles(response) == {"Forscherwerkstatt"}


def test_provider_and_search_filters(client):
    provider = make_provider(slug="familienzentrum")
    make_offer(title="Krabbelgruppe im Familienzentrum", provider=provider)
    make_offer(title="Schwimmkurs für Kinder")

    assert shown_titles(client.get(LIST, {"traeger": "familienzentrum"})) == {
        "Krabbelgruppe im Familienzentrum"
    }
    assert shown_titles(client.get(LIST, {"q": "Kinder"})) == {"Schwimmkurs für Kinder"}


def test_option_counts_answer_what_if_i_chose_this(client):
    make_offer(title="Sport klein", topics=["sport"], min_age_months=0, max_age_months=35)
    make_offer(title="Sport groß", topics=["sport"], min_age_months=120, max_age_months=191)
    make_offer(
        title="Bildung klein",
        topics=["bildung"],
        min_age_months=0,
        max_age_months=35,
        cost=Offer.Cost.PAID,
    )

    response = client.get(LIST, {"alter": 2, "thema": "sport"})

    assert option_counts(response, "thema")["sport"] == 1
    assert option_counts(response, "thema")["bildung"] == 1
    assert option_counts(response, "alter")["12"] == 1
    assert option_counts(response, "alter")["2"] == 1
    assert response.context["panel"].flag_counts["kostenlos"] == 1
    assert "Sport (1)" in response.content.decode()


def test_active_filters_are_removable_one_by_one(client):
    make_offer(topics=["sport"], districts=["osterfeld"])

    response = client.get(LIST, {"thema": "sport", "sozialraum": "osterfeld", "page": 1})

    links = {chip.name: chip.remove_url for chip in response.context["panel"].chips}
    assert links == {"thema": "?sozialraum=osterfeld", "sozialraum": "?thema=sport"}
    html = response.content.decode()
    assert 'href="?sozialraum=osterfeld"' in html and "Thema: Sport" in html


def test_empty_result_explains_itself_and_offers_to_loosen(client):
    make_offer(title="Sport", topics=["sport"], districts=["osterfeld"])

    response = client.get(LIST, {"thema": "sport", "sozialraum": "sterkrade-nord"})

    html = response.content.decode()
    assert "Kein Angebot passt zu allen Ihren Filtern." in html
    assert "ohne „Sozialraum“" in html and "1 Angebot" in html
    assert dict((chip.name, count) for chip, count in response.context["panel"].loosen) == {
        "thema": 0,
        "sozialraum": 1,
    }


def test_pagination_keeps_the_filters(client):
    for number in range(25):
        make_offer(title=f"Angebot {number:02d}", topics=["sport"])

    first = client.get(LIST, {"thema": "sport"})
    second = client.get(LIST, {"thema": "sport", "page": 2})

    assert 'href="?thema=sport&amp;page=2"' in first.content.decode()
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert 'href="?thema=sport&amp;page=1"' in second.content.decode()


def test_search_is_ordered_by_relevance_by_default(client):
    make_offer(title="Beratung", description="Auch zur Erziehung.")
    make_offer(title="Erziehungsberatung")

    response = client.get(LIST, {"q": "Erziehung"})

    assert [o.title for o in response.context["page"].object_list] == [
        "Erziehungsberatung",
        "Beratung",
    ]
    assert (
        client.get(LIST, {"q": "Erziehung", "sortierung": "titel"})
        .context["page"]
        .object_list[0]
        .title
        == "Beratung"
    )


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"alter": "99"}, "alter", "Bitte eine gültige Auswahl treffen"),
        ({"thema": "unbekannt"}, "thema", "Bitte eine gültige Auswahl treffen"),
        ({"sprache": "xx"}, "sprache", "Bitte eine gültige Auswahl treffen"),
        ({"traeger": "niemand"}, "traeger", "Bitte eine gültige Auswahl treffen"),
        ({"sozialraum": "oster\x00feld"}, "sozialraum", "Nullzeichen sind nicht erlaubt"),
        ({"q": "x" * 201}, "q", "höchstens 200 Zeichen"),
        ({"sortierung": "zufall"}, "sortierung", "Bitte eine gültige Auswahl treffen"),
    ],
)
def test_bad_input_gets_a_german_message_and_still_shows_offers(client, params, field, message):
    make_offer(title="Elterncafé")

    response = client.get(LIST, params)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Auswahl" in html
    assert shown_titles(response) == {"Elterncafé"}


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5"])
def test_odd_page_numbers_never_fail(client, page):
    make_offer()

    assert client.get(LIST, {"page": page}).status_code == 200


def test_search_text_is_kept_when_shown_again(client):
    response = client.get(LIST, {"q": 'Hebamme "Sterkrade" <b>'})

    html = response.content.decode()
    assert 'value="Hebamme &quot;Sterkrade&quot; &lt;b&gt;"' in html


def test_partial_renders_the_same_directory_markup(client):
    make_offer(title="Elterncafé", topics=["sport"])

    full = client.get(LIST, {"thema": "sport"}).content.decode()
    partial = client.get(LIST, {"thema": "sport"}, headers={"X-Partial": "1"})

    fragment = partial.content.decode()
    assert "<html" not in fragment
    assert fragment.strip() in full
    assert "X-Partial" in partial["Vary"]


# --- the cards of the list ---------------------------------------------------------------


def card_of(html, title):
    """The card whose title is ``title`` (as it stands in the HTML), whitespace collapsed."""
    card = re.search(
        rf'<li class="offer-card">(?:(?!</li>\s*</ul>).)*?>{title}</a>.*?</ul>', html, re.S
    )
    assert card, title
    return re.sub(r"\s+", " ", card.group(0))


def test_a_card_shows_age_places_cost_and_provider_and_escapes_what_providers_wrote(client):
    provider = make_provider(name="AWO & Partner")
    make_offer(
        title="Eltern <b>café</b>",
        slug="elterncafe-karte",
        summary="Offen für alle & kostenlos.",
        provider=provider,
        min_age_months=0,
        max_age_months=35,
        cost=Offer.Cost.FREE,
        online=True,
        locations=[
            make_location(neighbourhood="lirich"),
            make_location(neighbourhood=None, city="Mülheim"),
        ],
    )

    card = card_of(client.get(LIST).content.decode(), "Eltern &lt;b&gt;café&lt;/b&gt;")

    assert '<a href="/angebote/elterncafe-karte/">' in card
    assert '<p class="offer-card__summary">Offen für alle &amp; kostenlos.</p>' in card
    assert '<span class="facts__label">Alter:</span> von der Geburt bis 2 Jahren</li>' in card
    assert '<span class="facts__label">Wo:</span> Lirich, Mülheim, online</li>' in card
    assert '<span class="facts__label">Kosten:</span> kostenlos</li>' in card
    assert '<span class="facts__label">Träger:</span> AWO &amp; Partner</li>' in card
    assert "Entfernung" not in card


def test_a_card_in_another_language_marks_the_german_texts_standing_in(client):
    make_offer(title="Elterncafé", title_en="Parents' café", summary="Ein offener Treff.")

    card = card_of(client.get(f"/en{LIST}").content.decode(), "Parents&#x27; café")

    assert '<a href="/en/angebote/' in card and '/"><' not in card  # the title needs no mark
    assert '<p class="offer-card__summary" lang="de" dir="ltr">Ein offener Treff.</p>' in card
    assert '<span class="facts__label">Age:</span>' in card


# --- the offer page ------------------------------------------------------------------------


def test_offer_page_tells_everything_a_family_needs(client):
    location = make_location(
        name="Familienzentrum Sonnenblume", neighbourhood="tackenberg", wheelchair_accessible=True
    )
    offer = make_offer(
        title="Krabbelgruppe",
        min_age_months=12,
        max_age_months=36,
        locations=[location],
        contact_name="Anna Beispiel",
        contact_phone="0208 000-1234",
        contact_email="anna.beispiel@example.org",
        cost=Offer.Cost.LOW,
        cost_note="2 € pro Treffen",
        registration_required=True,
        registration_note="telefonisch",
        schedule="Mittwochs 10–11 Uhr",
        languages=["de", "tr"],
        last_verified_at=datetime.date(2026, 3, 5),
    )
    network = make_network(name="Netzwerk Frühe Hilfen", offers=[offer])

    html = client.get(offer.get_absolute_url()).content.decode()

    for text in [
        "Von 1 bis 3 Jahren",
        "Familienzentrum Sonnenblume",
        "Tackenberg",
        "Sterkrade-Mitte",
        "Rollstuhlgerecht",
        "Mittwochs 10–11 Uhr",
        "geringer Beitrag",
        "2 € pro Treffen",
        "Anmeldung erforderlich",
        "telefonisch",
        "Türkçe",
        'href="tel:+492080001234"',
        'href="mailto:anna.beispiel@example.org"',
        "Anna Beispiel",
        network.name,
        "Zuletzt geprüft am 5. März 2026",
    ]:
        assert text in html, text


def test_offer_page_has_parsable_json_ld(client):
    offer = make_offer(
        title='Kurs "Starke Eltern" </script>', min_age_months=24, max_age_months=191
    )

    html = client.get(offer.get_absolute_url()).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Service"
    assert data["name"] == offer.title
    assert data["provider"]["name"] == offer.provider.name
    assert data["audience"]["suggestedMinAge"] == 2
    assert data["audience"]["suggestedMaxAge"] == 15


def test_chain_shows_gaps_and_links_to_the_cell(client):
    make_offer(topics=["sport"], min_age_months=36, max_age_months=71, districts=["osterfeld"])

    response = client.get("/praeventionskette/", {"sozialraum": "osterfeld"})

    html = response.content.decode()
    assert f'href="{LIST}?thema=sport&amp;phase=3-6&amp;sozialraum=osterfeld"' in html
    assert html.count("Lücke: kein Angebot") == 13 * 6 - 1
    other = client.get("/praeventionskette/", {"sozialraum": "sterkrade-nord"}).content.decode()
    assert other.count("Lücke: kein Angebot") == 13 * 6


def test_chain_with_an_unknown_social_area_says_so(client):
    response = client.get("/praeventionskette/", {"sozialraum": "atlantis"})

    assert response.status_code == 200
    assert "Diesen Sozialraum gibt es nicht" in response.content.decode()


# --- fixed number of queries ---------------------------------------------------------------


def make_many(count):
    provider = make_provider(slug="viele")
    location = make_location(provider=provider)
    offers = make_offers(
        count,
        provider=provider,
        locations=[location],
        topics=["sport", "bildung"],
        districts=["osterfeld"],
        min_age_months=0,
        max_age_months=71,
    )
    make_network(slug="viele-netz", coordinators=[provider], offers=offers)
    return offers


# Each page's queries, pinned: the same for 1, 20 and 100 offers. Every public
# page reads the version of the offers for its ETag (directory.cache). The first
# request of the start page, the list and an offer's page builds the process's facet index
# (offers.facet_index; on PostgreSQL with the lexicon of the search documents, one
# query more); later ones only ask it for changes (one query) and read
# the offers of cards not kept rendered (directory.cards; with their providers and places
# only, what a card shows: Offer.objects.for_cards()), none when all are. The
# values the address names (sozialraum=osterfeld) are found in the facet index's picture,
# the providers' names are read once per version of the offers (directory.facets). The
# chain and the suggestions cost more when the cache is cold than warm (the
# cache lives in the database here, so reading it is a query).
PAGE_QUERIES = {
    "/": (16 + LEXICON, 3),
    LIST: (18 + LEXICON, 2),
    # A search adds the ranking of its matches' ids, and the first time its look-ups of the
    # synonyms and the vocabulary (kept per version of the offers) and its matches, read
    # and kept in the shared cache ...
    f"{LIST}?alter=2&sozialraum=osterfeld&thema=sport&kostenlos=1&q=Angebot": (28 + LEXICON, 3),
    # ... and of the nearest spellings for a word the vocabulary does not know ("Angebto").
    f"{LIST}?alter=2&sozialraum=osterfeld&thema=sport&q=Angebto": (29 + LEXICON, 3),
    # Nothing found: the suggestions ("Meinten Sie: Angebot?") are checked and cached too,
    # and the providers' names are read although none is shown (once per version of the offers).
    f"{LIST}?q=Angbto": (40 + LEXICON, 5),
    # The offer's topics, target groups and languages come from the facet index too.
    "offer detail": (19 + LEXICON, 6),
    "/traeger/": (3, 3),
    "/traeger/viele/": (6, 6),
    "/netzwerke/": (6, 6),
    "/netzwerke/viele-netz/": (8, 8),
    "/praeventionskette/?sozialraum=osterfeld": (12, 5),
}


@pytest.mark.parametrize("count", [1, 20, 100])
@pytest.mark.parametrize("url, queries", PAGE_QUERIES.items())
def test_pages_cost_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, url, queries
):
    offers = make_many(count)
    if url == "offer detail":
        url = offers[-1].get_absolute_url()
    cold, warm = queries

    with django_assert_num_queries(cold):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(warm):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", ["ar", "uk"])
@pytest.mark.parametrize("url, queries", PAGE_QUERIES.items())
def test_every_language_costs_the_same_queries(
    client, django_assert_num_queries, language, url, queries
):
    offers = make_many(20)
    if url == "offer detail":
        url = f"/angebote/{offers[-1].slug}/"
    cold, warm = queries

    with django_assert_num_queries(cold):
        assert client.get(f"/{language}{url}").status_code == 200
    with django_assert_num_queries(warm):
        assert client.get(f"/{language}{url}").status_code == 200


def test_server_errors_get_the_german_500_page(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/angebote/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Etwas ist schiefgelaufen" in html and '<html lang="de" dir="ltr">' in html


def test_an_offers_page_shows_its_topics_groups_and_languages_as_they_are_now(client):
    """They come from the facet index: an edit shows at once; an offer the index has not
    seen published yet (a write that told it nothing) is read from the database."""
    from offers.models import Language, Topic

    offer = make_offer(title="Krabbelgruppe", topics=["sport"], languages=["de", "tr"])

    def section(html, heading):
        return html.split(f'id="{heading}"', 1)[1].split("</section>", 1)[0]

    html = client.get(offer.get_absolute_url()).content.decode()
    assert "Sport" in section(html, "for-whom") and "Türkçe" in section(html, "for-whom")

    offer.topics.set(Topic.objects.filter(slug="gesundheit"))
    offer.languages.add(Language.objects.get(code="ar"))
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "Gesundheit" in section(html, "for-whom") and "Sport" not in section(html, "for-whom")
    assert "العربية" in section(html, "for-whom")

    unseen = make_offer(title="Babyschwimmen", topics=["sport"], status=Offer.Status.DRAFT)
    client.get(offer.get_absolute_url())  # the index reads the draft (not published)
    Offer.objects.filter(pk=unseen.pk).update(status=Offer.Status.PUBLISHED)  # no change noted
    html = client.get(unseen.get_absolute_url()).content.decode()
    assert "Sport" in section(html, "for-whom") and "Eltern" in section(html, "for-whom")


def test_json_ld_names_how_to_reach_the_offer(client):
    location = make_location(name="Familienzentrum", street="Marktstraße 1")
    offer = make_offer(
        locations=[location], contact_phone="0208 000-1111", contact_email="a@example.org"
    )

    html = client.get(offer.get_absolute_url()).content.decode()

    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    channel = data["availableChannel"]
    assert channel["servicePhone"] == {
        "@type": "ContactPoint",
        "telephone": "0208 000-1111",
        "email": "a@example.org",
    }
    assert channel["serviceLocation"][0]["address"]["streetAddress"] == "Marktstraße 1"
