"""Cached counts never show an old state: every change shows up at once."""

import pytest

from offers.models import Offer, Topic
from tests.factories import make_offer

pytestmark = pytest.mark.django_db


def total(client, **params):
    return client.get("/angebote/", params).context["total"]


def chain_count(client, topic, phase_index):
    rows = dict((t.slug, cells) for t, cells in client.get("/praeventionskette/").context["rows"])
    return rows[topic][phase_index].count


def topic_count(client, slug):
    facets = {f.name: f for f in client.get("/angebote/").context["facets"]}
    return {o.value: o.count for o in facets["thema"].options}[slug]


def test_publishing_shows_up_at_once_in_counts_and_chain(client, coordinator):
    offer = make_offer(status=Offer.Status.SUBMITTED, topics=["sport"], min_age_months=0, max_age_months=12)
    assert total(client) == 0 and chain_count(client, "sport", 1) == 0 and topic_count(client, "sport") == 0

    offer.publish(by=coordinator)

    assert total(client) == 1
    assert chain_count(client, "sport", 1) == 1
    assert topic_count(client, "sport") == 1
    assert client.get("/").context["total"] == 1


def test_an_edit_of_relations_shows_up_at_once(client):
    offer = make_offer(topics=["sport"])
    assert topic_count(client, "sport") == 1

    offer.topics.set(Topic.objects.filter(slug="kultur"))

    assert topic_count(client, "sport") == 0
    assert topic_count(client, "kultur") == 1


def test_archiving_and_deleting_show_up_at_once(client, coordinator):
    first, second = make_offer(), make_offer()
    assert total(client) == 2

    first.archive(by=coordinator)
    assert total(client) == 1
    second.delete()
    assert total(client) == 0


def test_vocabulary_changes_show_up_at_once(client):
    make_offer(topics=["sport"])
    client.get("/angebote/")

    topic = Topic.objects.get(slug="sport")
    topic.name = "Sport und Bewegung"
    topic.save()

    labels = [o.label for f in client.get("/angebote/").context["facets"] if f.name == "thema" for o in f.options]
    assert "Sport und Bewegung" in labels


def test_generated_offers_show_up_at_once(client):
    from django.core.management import call_command

    call_command("load_demo_data", verbosity=0)
    before = total(client)

    call_command("load_demo_data", offers=25, verbosity=0)

    assert total(client) > before


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


def test_public_pages_come_from_the_cache_until_an_offer_changes(client, page_cache, coordinator,
                                                               django_assert_max_num_queries):
    offer = make_offer(title="Elterncafé", status=Offer.Status.SUBMITTED)
    first = client.get("/angebote/").content.decode()
    assert "Elterncafé" not in first

    with django_assert_max_num_queries(2):  # the version and the page
        again = client.get("/angebote/")
    assert again.content.decode() == first and again["Content-Type"].startswith("text/html")

    offer.publish(by=coordinator)

    assert "Elterncafé" in client.get("/angebote/").content.decode()


def test_forms_and_logged_in_visits_are_never_served_from_the_cache(client, page_cache, coordinator):
    form = client.get("/angebot-melden/")
    assert "csrftoken" in form.cookies

    client.force_login(coordinator)
    client.get("/angebote/")
    make_offer(title="Neu")  # bumps the version anyway; the point is no personal page is stored
    assert "Neu" in client.get("/angebote/").content.decode()


def test_partial_and_full_page_are_cached_apart(client, page_cache):
    make_offer(title="Elterncafé")
    full = client.get("/angebote/").content.decode()
    partial = client.get("/angebote/", headers={"X-Partial": "1"}).content.decode()

    assert "<html" in full and "<html" not in partial
    assert client.get("/angebote/", headers={"X-Partial": "1"}).content.decode() == partial


def test_network_edits_show_up_at_once_on_cached_pages(client, page_cache):
    from tests.factories import make_network

    network = make_network(slug="fruehe-hilfen", description="Alte Beschreibung")
    assert "Alte Beschreibung" in client.get("/netzwerke/fruehe-hilfen/").content.decode()

    network.description = "Neue Beschreibung"
    network.save()

    assert "Neue Beschreibung" in client.get("/netzwerke/fruehe-hilfen/").content.decode()
