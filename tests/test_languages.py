"""The site in six languages: German without prefix, the others under /en/, /tr/, /ar/, …

The catalogues' completeness is checked in tests/test_project.py; the layout
in Arabic (right to left) in real Chromium in tests/browser/test_languages.py.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import get_language_info

from networks.models import Network
from oberhausen_praevention.middleware import unavailable_response
from offers.models import Offer, Topic
from offers.moderation import reject
from tests.factories import make_network, make_offer, make_provider
from tests.test_submissions import SUBMIT, valid_submission

pytestmark = pytest.mark.django_db

SITE = "https://praevention.example.org"
# Each language's start page asks "How old is your child?" in it.
QUESTION = {
    "de": "Wie alt ist Ihr Kind?",
    "en": "How old is your child?",
    "tr": "Çocuğunuz kaç yaşında?",
    "ar": "كم عمر طفلك؟",
    "uk": "Скільки років вашій дитині?",
    "ru": "Сколько лет вашему ребёнку?",
}
PREFIX = {"de": ""} | {code: f"/{code}" for code in ("en", "tr", "ar", "uk", "ru")}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the submission form's limit counts in the cache


@pytest.mark.parametrize("code", list(QUESTION))
def test_each_language_has_its_own_address_and_speaks_it(client, code):
    response = client.get(f"{PREFIX[code]}/")

    html = response.content.decode()
    direction = "rtl" if code == "ar" else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert QUESTION[code] in html
    assert "Set-Cookie" not in response.headers  # the address says the language, no cookie


def test_the_header_and_footer_follow_the_language_and_the_page_each_time(client):
    """They are kept rendered per language and section ({% keep %}): never another page's."""

    def header_and_footer(url):
        html = client.get(url).content.decode()
        nav = html[html.index('class="main-nav"') : html.index('class="language-nav"')]
        footer = html[html.index('class="site-footer"') :]
        return nav, footer

    for _ in range(2):
        nav, footer = header_and_footer("/angebote/")
        assert '<a href="/angebote/" aria-current="page">Angebote</a>' in nav
        assert 'href="/traeger/">Träger</a>' in nav
        assert '<a href="/impressum/">Impressum</a>' in footer

        nav, _ = header_and_footer("/traeger/")
        assert '<a href="/angebote/">Angebote</a>' in nav
        assert '<a href="/traeger/" aria-current="page">Träger</a>' in nav

        nav, footer = header_and_footer("/en/traeger/")
        assert '<a href="/en/angebote/">Offers</a>' in nav
        assert '<a href="/en/traeger/" aria-current="page">Providers</a>' in nav
        assert '<a href="/en/impressum/">Imprint</a>' in footer


def test_a_page_rendered_without_a_request_links_to_the_start_page_in_every_language():
    """The 503 page is rendered without the request (the database is away)."""
    html = unavailable_response().content.decode()

    switcher = html[html.index('class="language-nav"') :]
    assert re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', switcher) == [
        (f"{PREFIX.get(code, '/' + code)}/", code) for code, _ in settings.LANGUAGES
    ]


def test_the_address_decides_the_language_not_the_browser(client):
    german = client.get("/", headers={"accept-language": "ar,tr;q=0.8"})
    arabic = client.get("/ar/", headers={"accept-language": "de"})

    assert QUESTION["de"] in german.content.decode()
    assert QUESTION["ar"] in arabic.content.decode()


def test_every_page_names_its_versions_in_the_other_languages(client):
    html = client.get("/tr/angebote/", {"sozialraum": "osterfeld"}).content.decode()

    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)
    )
    query = "angebote/?sozialraum=osterfeld"
    assert alternates == {
        code: f"{SITE}/{query}" if code == "de" else f"{SITE}/{code}/{query}"
        for code, _ in settings.LANGUAGES
    } | {"x-default": f"{SITE}/{query}"}
    assert alternates["ar"] == f"{SITE}/ar/angebote/?sozialraum=osterfeld"


def test_an_offer_page_and_a_missing_page_link_to_themselves_in_every_language(client):
    offer = make_offer(title="Babyschwimmen")

    def switcher(html):
        return re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', html)

    offer_page = client.get(f"/uk/angebote/{offer.slug}/", {"seite": "2"}).content.decode()
    missing = client.get("/en/angebote/kein-solches-angebot/")

    assert switcher(offer_page) == [
        (f"{PREFIX.get(code, '/' + code)}/angebote/{offer.slug}/?seite=2", code)
        for code, _ in settings.LANGUAGES
    ]
    assert missing.status_code == 404
    assert switcher(missing.content.decode()) == [
        (f"{PREFIX.get(code, '/' + code)}/angebote/kein-solches-angebot/", code)
        for code, _ in settings.LANGUAGES
    ]


def test_the_switcher_names_each_language_in_itself(client):
    html = client.get("/ar/angebote/").content.decode()

    switcher = html[html.index('class="language-nav"') :]
    names = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"[^>]*>([^<]+)</a>', switcher)
    assert [(url, code, name) for url, code, name in names] == [
        (f"{PREFIX.get(code, '/' + code)}/angebote/", code, get_language_info(code)["name_local"])
        for code, _ in settings.LANGUAGES
    ]
    assert [name for _, _, name in names][:6] == [
        "Deutsch",
        "English",
        "Türkçe",
        "العربيّة",
        "Українська",
        "Русский",
    ]
    assert 'href="/ar/angebote/" lang="ar" hreflang="ar" aria-current="true"' in switcher


def test_a_phone_number_keeps_its_order_in_right_to_left_text(client):
    offer = make_offer(contact_phone="0208 000-1234")

    html = client.get(f"/ar/angebote/{offer.slug}/").content.decode()

    assert '<bdi dir="ltr">0208 000-1234</bdi>' in html


@pytest.mark.parametrize(
    ("code", "text"),
    [("tr", "Sayfa bulunamadı"), ("ar", "الصفحة غير موجودة"), ("uk", "Сторінку не знайдено")],
)
def test_the_not_found_page_speaks_the_language_of_the_address(client, code, text):
    response = client.get(f"/{code}/angebote/gibt-es-nicht/")

    assert response.status_code == 404
    assert text in response.content.decode()


def test_a_submitter_gets_the_emails_in_the_language_of_the_form(client, coordinator_with_email):
    response = client.post(f"/tr{SUBMIT}", valid_submission())

    assert response.status_code == 302
    confirmation, to_coordinators = mail.outbox
    assert confirmation.to == ["erika@example.org"]
    assert confirmation.subject.startswith("Başvurunuz bize ulaştı")
    assert "Oberhausen önleyici hizmetler rehberine" in confirmation.body
    assert to_coordinators.subject.startswith("Neue Meldung")  # coordinators read German


def test_the_decision_reaches_the_submitter_in_their_language_whoever_decides(
    client, coordinator_with_email, django_capture_on_commit_callbacks
):
    client.post(f"/uk{SUBMIT}", valid_submission(title="Babytreff"))
    offer = Offer.objects.get(title="Babytreff")
    mail.outbox.clear()

    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        # by a coordinator, in the German admin
        reject(offer, by=coordinator_with_email, reason="Das Angebot gibt es schon.")

    (rejection,) = mail.outbox
    assert rejection.subject.startswith("Вашу заявку")
    assert "координаційний офіс не опублікував" in rejection.body
    assert "Das Angebot gibt es schon." in rejection.body


# --- the vocabulary ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("de", ["Schwangerschaft & Geburt", "Beratung", "Arabisch", "Eltern"]),
        ("en", ["Pregnancy & birth", "Counselling", "Arabic", "Parents"]),
        ("tr", ["Hamilelik ve doğum", "Danışmanlık", "Arapça", "Ebeveynler"]),
        ("ar", ["الحمل والولادة", "الاستشارة", "العربية", "الآباء والأمهات"]),
        ("uk", ["Вагітність і пологи", "Консультації", "Арабська", "Батьки"]),
        ("ru", ["Беременность и роды", "Консультации", "Арабский", "Родители"]),
    ],
)
def test_the_filters_name_phases_topics_languages_and_groups_in_the_readers_language(
    client, code, names
):
    html = client.get(f"{PREFIX[code]}/angebote/").content.decode()

    for name in names:
        assert re.search(rf">{re.escape(escape(name))} \(\d+\)</option>", html), name


def test_a_name_not_yet_translated_shows_the_german_one(client):
    topic = Topic.objects.get(slug="sport")
    topic.name_tr = ""
    topic.save()

    html = client.get("/tr/angebote/").content.decode()

    assert ">Sport (0)</option>" in html  # the German name, until a coordinator writes Turkish
    assert ">Danışmanlık (0)</option>" in html


def test_coordinators_name_the_vocabulary_in_every_language_side_by_side(coordinator_client):
    topic = Topic.objects.get(slug="beratung")
    url = f"/admin/offers/topic/{topic.pk}/change/"

    html = coordinator_client.get(url).content.decode()
    for code in ("de", "en", "tr", "ar", "uk", "ru"):
        assert f'name="name_{code}"' in html
    data = {f"name_{code}": getattr(topic, f"name_{code}") for code in PREFIX}
    data |= {f"description_{code}": "" for code in PREFIX}
    response = coordinator_client.post(
        url, {**data, "slug": "beratung", "name_uk": "Консультування"}
    )

    assert response.status_code == 302
    with translation.override("uk"):
        assert Topic.objects.get(pk=topic.pk).name == "Консультування"
    with translation.override("de"):
        assert Topic.objects.get(pk=topic.pk).name == "Beratung"


# --- what providers wrote: German, marked as such ---------------------------------------------


def test_an_offer_described_in_german_says_so_in_the_readers_language(client):
    offer = make_offer(
        title="Elterncafé",
        summary="Ein offener Treff für Eltern.",
        languages=["de", "ar"],
        schedule="Montags 9–11 Uhr",
    )

    arabic = client.get(f"/ar/angebote/{offer.slug}/").content.decode()
    german = client.get(f"/angebote/{offer.slug}/").content.decode()

    assert '<h1 lang="de" dir="ltr">Elterncafé</h1>' in arabic
    assert '<p class="lead" lang="de" dir="ltr">Ein offener Treff für Eltern.</p>' in arabic
    assert '<p lang="de" dir="ltr">Montags 9–11 Uhr</p>' in arabic
    note = re.search(r'<p class="note">(.*?)</p>', arabic, re.S)[1]
    assert "هذه الخدمة موصوفة باللغة الألمانية فقط." in note
    assert "العربية" in note  # the languages spoken there, named in Arabic
    assert "<h1>Elterncafé</h1>" in german and 'class="note"' not in german


def test_the_list_marks_the_offers_texts_as_german(client):
    make_offer(title="Elterncafé", summary="Ein offener Treff für Eltern.")

    html = client.get("/tr/angebote/").content.decode()

    assert '" lang="de" dir="ltr">Elterncafé</a>' in html
    assert '<p class="offer-card__summary" lang="de" dir="ltr">Ein offener Treff' in html


def test_lists_are_separated_as_the_language_writes_them(client):
    offer = make_offer(languages=["de", "tr"], topics=["sport", "bildung"])

    arabic = client.get(f"/ar/angebote/{offer.slug}/").content.decode()
    german = client.get(f"/angebote/{offer.slug}/").content.decode()

    assert "الرياضة، التعليم" in arabic or "التعليم، الرياضة" in arabic
    assert "Bildung, Sport" in german


def test_topics_are_listed_in_the_alphabetical_order_of_the_readers_language(client):
    client.get("/ar/angebote/")  # the process's facet index is made during an Arabic page

    german = client.get("/angebote/").content.decode()
    english = client.get("/en/angebote/").content.decode()

    def topics(html):
        part = html[html.index('name="thema"') :]
        part = part[: part.index("</select>")]
        return re.findall(r'<option value="[\w-]+">([^<(]+) \(', part)

    assert topics(german) == sorted(topics(german), key=str.casefold)
    assert topics(german)[:2] == ["Beratung", "Betreuung"]
    assert topics(english)[:2] == ["Childcare", "Counselling"]


# --- providers and networks describe themselves in several languages ---------------------------


def test_a_provider_described_in_turkish_is_read_in_turkish_and_in_german_elsewhere(client):
    provider = make_provider(
        slug="anadolu", description="Beratung und Treffpunkt für Frauen aus der Türkei."
    )
    provider.description_tr = "Türkiyeli kadınlar için danışmanlık ve buluşma yeri."
    provider.save()

    turkish = client.get("/tr/traeger/anadolu/").content.decode()
    russian = client.get("/ru/traeger/anadolu/").content.decode()
    german = client.get("/traeger/anadolu/").content.decode()

    assert "<span>Türkiyeli kadınlar için danışmanlık ve buluşma yeri.</span>" in turkish
    assert '<span lang="de" dir="ltr">Beratung und Treffpunkt für Frauen' in russian
    assert "<span>Beratung und Treffpunkt für Frauen aus der Türkei.</span>" in german


def test_coordinators_describe_a_network_in_every_language_side_by_side(coordinator_client):
    network = make_network(slug="fruehe-hilfen-netz", description="Netzwerk Frühe Hilfen.")
    url = f"/admin/networks/network/{network.pk}/change/"

    html = coordinator_client.get(url).content.decode()

    for code in ("de", "en", "tr", "ar", "uk", "ru"):
        assert f'name="description_{code}"' in html
    with translation.override("de"):
        assert Network.objects.get(pk=network.pk).description == "Netzwerk Frühe Hilfen."


def test_partners_using_another_language_are_asked_to_write_in_german(client):
    turkish = client.get(f"/tr{SUBMIT}").content.decode()
    german = client.get(SUBMIT).content.decode()

    assert "Lütfen hizmeti mümkünse Almanca açıklayın" in turkish
    assert 'class="note"' not in german
