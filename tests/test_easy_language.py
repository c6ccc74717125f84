"""Leichte Sprache (easy-to-read German): the checker, the pages, an offer's easy text."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import strip_tags

from demo.content import EASY_TEXTS
from offers.easy_language import problems
from offers.models import Offer
from tests.factories import make_offer
from tests.test_moderation_steps import change_form_data

pytestmark = pytest.mark.django_db

EASY = (
    "Im Eltern-Café treffen sich Eltern.\n"
    "Sie trinken Kaffee oder Tee.\n\n"
    "Das Café ist am Dienstag von 9 bis 11 Uhr offen."
)


# --- the checker -----------------------------------------------------------------------------


def test_an_easy_text_passes():
    assert problems(EASY) == []


def test_a_long_sentence_is_named_with_its_number_of_words():
    text = (
        "Kurz ist gut. Im Elterncafé treffen sich jeden Dienstag Mütter und Väter aus dem "
        "ganzen Stadtteil mit ihren Kindern."
    )

    assert problems(text) == ["Satz 2 hat 16 Wörter; leicht zu lesen sind höchstens 12."]


def test_a_sentence_with_several_parts_is_one_thought_too_many():
    assert problems("Sie kommen, Sie trinken Tee, Sie reden.") == [
        "Satz 1 hat mehrere Teile: ein Gedanke pro Satz."
    ]


@pytest.mark.parametrize("abbreviation", ["z. B.", "z.B.", "bzw.", "ca.", "usw.", "Tel."])
def test_abbreviations_are_named(abbreviation):
    found = problems(f"Es gibt Tee {abbreviation} Kaffee.")

    assert found == [f"„{abbreviation}“ ist eine Abkürzung: bitte ausschreiben."]


def test_numbers_written_as_words_should_be_digits_but_the_article_ein_is_no_number():
    found = problems(
        "Der Kurs hat zwölf Plätze.\nEin Kurs dauert drei Stunden.\nEine Stunde kostet nichts."
    )

    assert found == [
        "„zwölf“: Zahlen als Ziffern schreiben.",
        "„drei“: Zahlen als Ziffern schreiben.",
    ]


def test_the_demo_texts_keep_the_rules():
    assert {key: problems(text) for key, text in EASY_TEXTS.items()} == {
        key: [] for key in EASY_TEXTS
    }


# --- the pages in Leichte Sprache --------------------------------------------------------------


def easy_text_of(html):
    """The visible text of a page's part in Leichte Sprache, a line per line of the page."""
    part = html[html.index('<div class="easy"') : html.index("</main>")]
    part = re.sub(r"<br>|</(p|li|h1|h2)>", "\n", part)
    return strip_tags(part)


@pytest.mark.parametrize("url", ["/leichte-sprache/", "/leichte-sprache/so-geht-es/"])
def test_the_pages_in_leichte_sprache_keep_the_rules(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert problems(easy_text_of(response.content.decode())) == []


def test_every_page_links_leichte_sprache_in_the_header(client):
    html = client.get("/ar/angebote/").content.decode()

    header = html[html.index('class="language-nav"') :]
    assert '<a href="/ar/leichte-sprache/" lang="de">Leichte Sprache</a>' in header


def test_the_start_page_in_leichte_sprache_leads_to_the_offers_by_age(client):
    html = client.get("/leichte-sprache/").content.decode()

    assert "Hilfe für Familien in Oberhausen" in html
    assert '<a class="button button--large" href="/angebote/?phase=0-3">' in html
    assert 'href="/leichte-sprache/so-geht-es/"' in html


def test_in_another_language_the_easy_pages_are_marked_german(client):
    html = client.get("/tr/leichte-sprache/").content.decode()

    assert '<div class="easy" lang="de" dir="ltr">' in html


# --- an offer in Leichte Sprache -------------------------------------------------------------


def test_an_offer_with_an_easy_text_has_a_visible_switch_to_it(client):
    offer = make_offer(title="Elterncafé", easy_text=EASY, contact_phone="0208 000-1234")
    plain = make_offer(title="Krabbelgruppe")

    html = client.get(f"/angebote/{offer.slug}/").content.decode()
    easy = client.get(f"/angebote/{offer.slug}/leichte-sprache/")
    without = client.get(f"/angebote/{plain.slug}/").content.decode()

    assert (
        f'<a href="/angebote/{offer.slug}/leichte-sprache/" lang="de">Leichte Sprache</a>' in html
    )
    easy_html = easy.content.decode()
    assert "<p>Im Eltern-Café treffen sich Eltern.<br>Sie trinken Kaffee oder Tee.</p>" in easy_html
    assert 'href="tel:+492080001234"' in easy_html
    assert "Zur ausführlichen Beschreibung" in easy_html
    assert "leichte-sprache" not in without.split('class="language-nav"')[0]


def test_no_easy_text_or_not_published_means_no_easy_page(client):
    plain = make_offer()
    draft = make_offer(easy_text=EASY, status=Offer.Status.DRAFT)

    assert client.get(f"/angebote/{plain.slug}/leichte-sprache/").status_code == 404
    assert client.get(f"/angebote/{draft.slug}/leichte-sprache/").status_code == 404


def test_the_admin_saves_an_easy_text_and_says_which_rules_it_breaks(coordinator_client):
    offer = make_offer(title="Elterncafé", citywide=True)
    url = reverse("admin:offers_offer_change", args=[offer.pk])
    data = change_form_data(
        coordinator_client,
        url,
        easy_text="Das Café ist z. B. dienstags offen.\nEs gibt drei Tische.",
    )

    response = coordinator_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    offer.refresh_from_db()
    assert offer.easy_text.startswith("Das Café")
    warnings = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Leichte Sprache: „z. B.“ ist eine Abkürzung: bitte ausschreiben." in warnings
    assert "Leichte Sprache: „drei“: Zahlen als Ziffern schreiben." in warnings
