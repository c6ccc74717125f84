"""Cached counts and pages never show an old state: every committed change shows up at once."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction

from directory.cache import (
    VERSION_KEY,
    bump_offers_version,
    offers_version,
    one_version_bump,
    replace_offers_version,
)
from offers.models import Offer, Topic
from tests.factories import make_offer, make_offers

pytestmark = pytest.mark.django_db


def total(client, **params):
    return client.get("/angebote/", params).context["panel"].total


def chain_count(client, topic, phase_index):
    rows = dict((t.slug, cells) for t, cells in client.get("/praeventionskette/").context["rows"])
    return rows[topic][phase_index].count


def topic_count(client, slug):
    facets = {f.name: f for f in client.get("/angebote/").context["panel"].facets}
    return {o.value: o.count for o in facets["thema"].options}[slug]


def test_publishing_shows_up_at_once_in_counts_and_chain(client, coordinator, committed):
    offer = make_offer(
        status=Offer.Status.SUBMITTED, topics=["sport"], min_age_months=0, max_age_months=12
    )
    assert (
        total(client) == 0
        and chain_count(client, "sport", 1) == 0
        and topic_count(client, "sport") == 0
    )

    with committed():
        offer.publish(by=coordinator)

    assert total(client) == 1
    assert chain_count(client, "sport", 1) == 1
    assert topic_count(client, "sport") == 1
    assert client.get("/").context["total"] == 1


def test_an_edit_of_relations_shows_up_at_once(client, committed):
    offer = make_offer(topics=["sport"])
    assert topic_count(client, "sport") == 1

    with committed():
        offer.topics.set(Topic.objects.filter(slug="kultur"))

    assert topic_count(client, "sport") == 0
    assert topic_count(client, "kultur") == 1


def test_archiving_and_deleting_show_up_at_once(client, coordinator, committed):
    first, second = make_offer(), make_offer()
    assert total(client) == 2

    with committed():
        first.archive(by=coordinator)
    assert total(client) == 1
    with committed():
        second.delete()
    assert total(client) == 0


def test_vocabulary_changes_show_up_at_once(client, committed):
    make_offer(topics=["sport"])
    client.get("/angebote/")

    topic = Topic.objects.get(slug="sport")
    topic.name = "Sport und Bewegung"
    with committed():
        topic.save()

    labels = [
        o.label
        for f in client.get("/angebote/").context["panel"].facets
        if f.name == "thema"
        for o in f.options
    ]
    assert "Sport und Bewegung" in labels


def test_generated_offers_show_up_at_once(client, committed):
    from django.core.management import call_command

    with committed():
        call_command("load_demo_data", verbosity=0)
    before = total(client)

    with committed():
        call_command("load_demo_data", offers=25, verbosity=0)

    assert total(client) > before


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


def test_public_pages_come_from_the_cache_until_an_offer_changes(
    client, page_cache, coordinator, django_assert_max_num_queries, committed
):
    offer = make_offer(title="Elterncafé", status=Offer.Status.SUBMITTED)
    first = client.get("/angebote/").content.decode()
    assert "Elterncafé" not in first

    with django_assert_max_num_queries(2):  # the version and the page
        again = client.get("/angebote/")
    assert again.content.decode() == first and again["Content-Type"].startswith("text/html")

    with committed():
        offer.publish(by=coordinator)

    assert "Elterncafé" in client.get("/angebote/").content.decode()


def test_forms_and_logged_in_visits_are_never_served_from_the_cache(
    client, page_cache, coordinator, django_assert_max_num_queries, settings
):
    settings.SESSION_COOKIE_NAME = "praevention_sitzung"  # whatever the deployment calls it
    make_offer(title="Elterncafé")
    first_form, second_form = client.get("/angebot-melden/"), client.get("/angebot-melden/")
    # Each visitor of a form gets a CSRF token of their own, never a stored page with someone else's.
    assert "csrftoken" in first_form.cookies and "csrftoken" in second_form.cookies

    client.force_login(coordinator)
    client.get("/angebote/")
    client.logout()

    # Nothing was stored for the logged-in visit: the first anonymous visit renders the page ...
    with django_assert_max_num_queries(100) as rendered:
        client.get("/angebote/")
    assert len(rendered.captured_queries) > 2
    # ... and only then is it served from the cache.
    with django_assert_max_num_queries(2):
        client.get("/angebote/")


def test_partial_and_full_page_are_cached_apart(client, page_cache):
    make_offer(title="Elterncafé")
    full = client.get("/angebote/").content.decode()
    partial = client.get("/angebote/", headers={"X-Partial": "1"}).content.decode()

    assert "<html" in full and "<html" not in partial
    assert client.get("/angebote/", headers={"X-Partial": "1"}).content.decode() == partial


def test_pages_are_cached_per_host(client, page_cache, settings):
    settings.ALLOWED_HOSTS = ["praevention.oberhausen.example", "testserver"]
    offer = make_offer(title="Elterncafé", slug="elterncafe")

    client.get("/angebote/elterncafe/")  # stored with http://testserver/… inside
    other = client.get("/angebote/elterncafe/", headers={"host": "praevention.oberhausen.example"})

    assert "http://praevention.oberhausen.example/angebote/elterncafe/" in other.content.decode()
    assert "http://testserver/" not in other.content.decode()
    assert offer


def test_network_edits_show_up_at_once_on_cached_pages(client, page_cache, committed):
    from tests.factories import make_network

    network = make_network(slug="fruehe-hilfen", description="Alte Beschreibung")
    assert "Alte Beschreibung" in client.get("/netzwerke/fruehe-hilfen/").content.decode()

    network.description = "Neue Beschreibung"
    with committed():
        network.save()

    assert "Neue Beschreibung" in client.get("/netzwerke/fruehe-hilfen/").content.decode()


# --- the version: replaced after the commit, never repeated ---------------------------------


def test_a_version_seen_before_the_commit_is_never_the_version_after_it(committed):
    offer = make_offer(title="Alt")
    before = offers_version()

    with committed():
        with transaction.atomic():
            offer.title = "Neu"
            offer.save()
            during = offers_version()  # what a concurrent reader keys the old state by

    assert offers_version() not in {before, during}


def test_an_edit_that_is_rolled_back_changes_nothing(committed):
    offer = make_offer(title="Alt")
    before = offers_version()

    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            offer.title = "Neu"
            offer.save()
            raise RuntimeError

    assert offers_version() == before


def test_two_edits_at_the_same_moment_never_share_a_version(committed):
    start = offers_version()
    with committed():
        bump_offers_version()
    first = offers_version()
    # The second edit starts from the very state the first one saw (a read-modify-write
    # cache would now compute the same next version again).
    cache.set(VERSION_KEY, start, None)
    with committed():
        bump_offers_version()

    assert len({start, first, offers_version()}) == 3


def test_an_evicted_version_never_brings_back_an_old_page(client, page_cache, committed):
    offer = make_offer(title="Elterncafé", slug="elterncafe", summary="Alter Text.")
    cache.delete(VERSION_KEY)  # evicted, or a fresh cache server
    assert "Alter Text." in client.get("/angebote/elterncafe/").content.decode()
    offer.summary = "Neuer Text."
    with committed():
        offer.save()

    cache.delete(VERSION_KEY)  # evicted by the cache server

    assert "Neuer Text." in client.get("/angebote/elterncafe/").content.decode()


def test_bulk_work_replaces_the_version_once(django_capture_on_commit_callbacks):
    topic = Topic.objects.get(slug="sport")
    with django_capture_on_commit_callbacks() as callbacks, one_version_bump():
        for name in ["Sport", "Sport und Spiel", "Bewegung"]:
            topic.name = name
            topic.save()

    assert callbacks.count(replace_offers_version) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        topic.save()  # outside, every change replaces it again
    assert callbacks.count(replace_offers_version) == 1


def test_the_demo_load_replaces_the_version_once(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("load_demo_data", verbosity=0)

    assert callbacks.count(replace_offers_version) == 1


# --- HTTP caching for a reverse proxy in front ----------------------------------------------------


def test_anonymous_pages_may_be_kept_briefly_and_are_revalidated_without_rendering(
    client, settings, django_assert_max_num_queries
):
    settings.HTTP_CACHE_SECONDS = 60
    make_offer(title="Babyschwimmen")
    first = client.get("/angebote/")
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in first["Vary"]
    etag = first["ETag"]

    with django_assert_max_num_queries(1):  # the version of the offers, nothing rendered
        again = client.get("/angebote/", headers={"If-None-Match": etag})

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag


def test_an_edit_makes_the_old_etag_stale(client, committed):
    offer = make_offer(title="Babyschwimmen")
    etag = client.get("/angebote/")["ETag"]

    with committed():
        offer.title = "Kinderschwimmen"
        offer.save()
    response = client.get("/angebote/", headers={"If-None-Match": etag})

    assert response.status_code == 200 and "Kinderschwimmen" in response.content.decode()
    assert response["ETag"] != etag


def test_personal_and_unmet_answers_are_never_kept_by_a_proxy(client, coordinator):
    make_offer(title="Babyschwimmen")

    nothing_found = client.get("/angebote/", {"q": "Zzyzx"})
    assert "ETag" not in nothing_found and "no-cache" in nothing_found["Cache-Control"]
    client.force_login(coordinator)
    logged_in = client.get("/angebote/")
    assert "ETag" not in logged_in and "public" not in logged_in.get("Cache-Control", "")


def _cards(client):
    html = client.get("/angebote/").content.decode()
    return "".join(re.findall(r'<li class="offer-card">.*?</li>\s*</ul>', html, re.S))


def test_a_card_shows_its_provider_and_place_as_they_are_now(client, committed):
    """Cards are kept rendered per version of the offers: a provider's new name replaces it."""
    offer = make_offer(title="Babyschwimmen")
    assert offer.provider.name in _cards(client)

    with committed():
        offer.provider.name = "Neuer Trägername"
        offer.provider.save()

    assert "Neuer Trägername" in _cards(client)


def test_offers_created_in_bulk_show_up_at_once_in_cached_pages(client, page_cache):
    provider = make_offer(title="Elterncafé").provider
    assert "Babytreff" not in client.get("/angebote/").content.decode()

    make_offers(2, title=lambda number: f"Babytreff {number}", provider=provider)

    html = client.get("/angebote/").content.decode()
    assert "Babytreff 0" in html and "Babytreff 1" in html
