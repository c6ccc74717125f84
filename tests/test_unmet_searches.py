"""What families looked for and did not find: counted per day, shown to coordinators."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from offers.models import District, UnmetSearch
from tests.factories import make_offer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_search_that_finds_nothing_is_counted_without_anything_about_the_person(client):
    make_offer(title="Babytreff", topics=["fruehe-hilfen"])

    client.get("/angebote/", {"q": "  Zauberschule  Hogwarts "}, REMOTE_ADDR="203.0.113.7")
    client.get("/angebote/", {"q": "zauberschule hogwarts"}, HTTP_USER_AGENT="Geheim/1.0")
    client.get("/angebote/", {"q": "Babytreff"})  # found something: not counted

    row = UnmetSearch.objects.get()
    assert (row.day, row.text, row.filters, row.count) == (TODAY, "zauberschule hogwarts", "", 2)
    stored = " ".join(str(value) for value in UnmetSearch.objects.values_list().get())
    assert "203.0.113.7" not in stored and "Geheim" not in stored


def test_filters_are_counted_in_words_and_with_their_social_area(client):
    make_offer(title="Sport", topics=["sport"], districts=["osterfeld"])

    client.get("/en/angebote/", {"thema": "sport", "sozialraum": "sterkrade-nord", "page": "1"})

    row = UnmetSearch.objects.get()
    assert row.filters == "sozialraum=sterkrade-nord&thema=sport"
    assert row.description == "Thema: Sport · Sozialraum: Sterkrade-Nord"  # German for the office
    assert row.district.slug == "sterkrade-nord"


def test_long_search_texts_are_cut_to_100_characters(client):
    client.get("/angebote/", {"q": "x" * 150})

    assert UnmetSearch.objects.get().text == "x" * 100


def test_searches_are_counted_when_the_page_comes_from_the_cache(client, settings):
    settings.PAGE_CACHE = True
    make_offer(title="Babytreff")

    first = client.get("/angebote/", {"q": "Zauberschule"})
    second = client.get("/angebote/", {"q": "Zauberschule"})

    assert first.content == second.content
    assert second.context is None  # served from the cache, the view did not run
    assert UnmetSearch.objects.get().count == 2


def test_coordinators_see_a_search_once_it_came_up_on_three_days(coordinator_client):
    for days_ago in (0, 1, 5):
        UnmetSearch.objects.record(
            "schwimmkurs",
            "sozialraum=osterfeld",
            "Sozialraum: Osterfeld",
            district_id=District.objects.get(slug="osterfeld").pk,
            day=TODAY - datetime.timedelta(days=days_ago),
        )
    for days_ago in (0, 1):
        UnmetSearch.objects.record("nur zweimal", "", day=TODAY - datetime.timedelta(days=days_ago))

    page = coordinator_client.get("/koordination/")

    shown = [(row["text"], row["days"]) for row in page.context["unmet_searches"]]
    assert shown == [("schwimmkurs", 3)]
    html = page.content.decode()
    assert "schwimmkurs" in html and "nur zweimal" not in html
    assert "in Osterfeld gesucht, dort nichts" in html
    in_osterfeld = coordinator_client.get("/koordination/", {"sozialraum": "osterfeld"})
    assert len(in_osterfeld.context["unmet_searches"]) == 1
    elsewhere = coordinator_client.get("/koordination/", {"sozialraum": "sterkrade-nord"})
    assert list(elsewhere.context["unmet_searches"]) == []


def test_counts_older_than_180_days_are_deleted():
    UnmetSearch.objects.record("alt", "", day=TODAY - datetime.timedelta(days=181))
    UnmetSearch.objects.record("noch da", "", day=TODAY - datetime.timedelta(days=180))
    out = io.StringIO()

    call_command("purge_unmet_searches", stdout=out)

    assert list(UnmetSearch.objects.values_list("text", flat=True)) == ["noch da"]
    assert out.getvalue().startswith("1 counts")


def test_the_privacy_page_says_what_is_kept_and_why(client):
    html = client.get("/datenschutz/").content.decode()

    assert "Suchen ohne Ergebnis" in html and "keine IP-Adresse" in html and "180 Tagen" in html
