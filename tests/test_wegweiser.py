"""The printed Wegweiser für Familien: a selection of the list as a PDF to hand out.

Without the demo data (tests/test_wegweiser_demo.py has it): a module's demo
data stays loaded for every test of the module after the first that asks for it.
"""

import base64
import io

import pypdf
import pytest
import segno
from PIL import Image

from offers.models import AgePhase, Offer
from tests.factories import make_location, make_offer, make_offers, make_provider
from tests.test_security import assert_hardened
from wegweiser.guide import sections
from wegweiser.pdf import FETCHER, qr_code
from wegweiser.templatetags.wegweiser import css_string

pytestmark = pytest.mark.django_db

PDF = "/wegweiser/pdf/"
SITE = "https://praevention.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def read_pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def page_texts(reader):
    """Each page's text with its whitespace made single spaces (titles may wrap)."""
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def links(reader):
    """{address: page number} of the PDF's links to web pages."""
    found = {}
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                found.setdefault(str(action["/URI"]), number)
    return found


def qr_matrix(image):
    """The modules of a QR code image that has one pixel per module (True: dark)."""
    gray = image.convert("L")
    return [[gray.getpixel((x, y)) < 128 for x in range(gray.width)] for y in range(gray.height)]


def segno_matrix(url):
    return [[bool(module) for module in row] for row in segno.make(url, error="m").matrix]


def offer_url(offer):
    return f"{SITE}{offer.get_absolute_url()}"


# --- what a professional prints ---------------------------------------------------------


def test_the_guide_is_a_tagged_pdf_in_the_language_of_the_site(client):
    make_offer(title="Elterncafé", districts=["osterfeld"])

    german = read_pdf(client.get(PDF, {"sozialraum": "osterfeld"}))
    english = read_pdf(client.get(f"/en{PDF}", {"sozialraum": "osterfeld"}))

    root = german.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean object)
    assert "/StructTreeRoot" in root
    assert german.metadata.title == "Wegweiser für Familien – Osterfeld"
    assert english.trailer["/Root"]["/Lang"] == "en"
    assert english.metadata.title == "Guide for families – Osterfeld"
    assert "Elterncafé" in page_texts(english)[2]


def test_each_offer_has_a_qr_code_of_its_page_and_the_cover_one_of_the_list(client):
    offers = [
        make_offer(title="Elterncafé", districts=["osterfeld"]),
        make_offer(title="Krabbelgruppe", districts=["osterfeld"]),
    ]

    reader = read_pdf(client.get(PDF, {"sozialraum": "osterfeld"}))

    # Every page names every image among its resources: each image once.
    images = {image.name: image.image for page in reader.pages for image in page.images}
    codes = [qr_matrix(image) for image in images.values()]
    expected = [segno_matrix(f"{SITE}/angebote/?sozialraum=osterfeld")] + [
        segno_matrix(offer_url(offer)) for offer in offers
    ]
    assert sorted(codes) == sorted(expected)


def test_a_qr_code_is_one_pixel_per_module_of_the_address():
    url = f"{SITE}/angebote/elterncafe/"
    data = qr_code(url).removeprefix("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(data)))

    assert qr_matrix(image) == segno_matrix(url)


def test_an_offer_for_several_ages_is_described_once_and_named_in_the_later_sections(
    client,
):
    make_offer(title="Familienberatung", min_age_months=0, max_age_months=71)
    make_offer(title="Babyschwimmen", min_age_months=0, max_age_months=11)
    make_offer(title="Vorschulturnen", min_age_months=48, max_age_months=71)

    texts = page_texts(read_pdf(client.get(PDF)))

    zero = texts.index(next(t for t in texts if t.startswith("0–3 Jahre")))
    three = texts.index(next(t for t in texts if t.startswith("3–6 Jahre")))
    assert "Babyschwimmen" in texts[zero] and "Familienberatung" in texts[zero]
    assert "Vorschulturnen" in texts[three]
    assert "Auch für dieses Alter, beschrieben in einem früheren Teil" in texts[three]
    assert "Familienberatung → 0–3 Jahre" in texts[three]
    assert "Babyschwimmen" not in texts[three]
    assert not any(t.startswith("Schwangerschaft") for t in texts)


def test_sections_follow_the_age_phases_and_keep_offers_without_a_phase():
    phases = list(AgePhase.objects.filter(slug__in=["0-3", "3-6"]))
    both = Offer(pk=1, title="Beide", min_age_months=24, max_age_months=40)
    older = Offer(pk=2, title="Älter", min_age_months=200, max_age_months=250)

    result = sections([both, older], phases)

    assert [(s.title, s.offers, s.see_also) for s in result] == [
        ("0–3 Jahre", [both], []),
        ("3–6 Jahre", [], [(both, result[0])]),
        ("Weitere Angebote", [older], []),
    ]


def test_nothing_unpublished_is_printed(client):
    make_offer(title="Öffentliches Angebot", districts=["osterfeld"])
    make_offer(title="Entwurf im Osterfeld", districts=["osterfeld"], status=Offer.Status.DRAFT)
    make_offer(
        title="Abgelaufenes Angebot",
        districts=["osterfeld"],
        valid_until="2020-01-01",
    )

    text = " ".join(page_texts(read_pdf(client.get(PDF, {"sozialraum": "osterfeld"}))))

    assert "Öffentliches Angebot" in text
    assert "Entwurf" not in text and "Abgelaufenes" not in text
    assert "1 Angebot" in text


# --- kept until an offer changes ---------------------------------------------------------


def test_the_guide_is_kept_until_an_offer_changes(client, committed, django_assert_max_num_queries):
    offer = make_offer(title="Elterncafé", districts=["osterfeld"])
    first = client.get(PDF, {"sozialraum": "osterfeld"})
    assert first.status_code == 200

    with django_assert_max_num_queries(8):  # the version, the filters' choices, the cache
        again = client.get(PDF, {"sozialraum": "osterfeld"})
    not_modified = client.get(
        PDF, {"sozialraum": "osterfeld"}, headers={"if-none-match": first["ETag"]}
    )
    with committed():
        offer.title = "Elterncafé am Markt"
        offer.save()
    changed = client.get(PDF, {"sozialraum": "osterfeld"})

    assert again.content == first.content
    assert "public" in first["Cache-Control"]
    assert not_modified.status_code == 304
    assert changed["ETag"] != first["ETag"]
    assert "Elterncafé am Markt" in " ".join(page_texts(read_pdf(changed)))


@pytest.mark.parametrize("count", [1, 20, 100])
def test_the_guide_costs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    provider = make_provider(slug="viele")
    location = make_location(provider=provider, neighbourhood="osterfeld-mitte")
    make_offers(
        count,
        provider=provider,
        locations=[location],
        topics=["sport", "bildung"],
        languages=["de", "tr"],
        min_age_months=0,
        max_age_months=71,
    )

    # The first request of a process also builds its facet index (offers.facet_index).
    with django_assert_num_queries(30):
        response = client.get(PDF, {"sozialraum": "osterfeld", "thema": "sport"})

    assert len(links(read_pdf(response))) == count + 1


# --- what does not make a guide ----------------------------------------------------------


def test_a_selection_too_large_for_one_guide_asks_to_narrow_it_down_and_keeps_it(client, settings):
    settings.WEGWEISER_MAX_OFFERS = 2
    make_offers(3, districts=["osterfeld"], topics=["sport"])

    response = client.get(PDF, {"sozialraum": "osterfeld", "thema": "sport", "page": "2"})

    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Diese Auswahl enthält 3 Angebote; ein gedruckter Wegweiser fasst höchstens 2." in html
    assert '<option value="osterfeld" selected>' in html
    assert '<input type="hidden" name="thema" value="sport">' in html
    assert 'name="page"' not in html


def test_wrong_values_get_german_messages_and_no_pdf(client):
    response = client.get(PDF, {"sozialraum": "atlantis", "alter": "99"})

    html = response.content.decode()
    assert response.status_code == 200 and "Bitte prüfen Sie Ihre Auswahl." in html
    assert "Sozialraum: Bitte eine gültige Auswahl treffen." in html
    assert "Alter Ihres Kindes:" in html


def test_a_selection_without_offers_says_so(client):
    response = client.get(PDF, {"q": "Zauberschule"})

    assert "Kein Angebot passt zu dieser Auswahl." in response.content.decode()


def test_the_pdf_is_sent_with_the_security_headers(client):
    make_offer(districts=["osterfeld"])

    response = client.get(PDF, {"sozialraum": "osterfeld"}, secure=True)

    assert response["Content-Type"] == "application/pdf"
    assert_hardened(response, PDF)


def test_the_guide_loads_nothing_from_elsewhere():
    with pytest.raises(ValueError, match="disallowed protocol"):
        FETCHER.fetch("http://127.0.0.1:9/tracker.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        FETCHER.fetch("file:///etc/passwd")


def test_footer_text_cannot_leave_its_css_string():
    assert css_string('Nord "a" \\ </style>\nx') == r"Nord \22 a\22  \5c  \3c /style\3e  x"


# --- where families and coordinators find it ---------------------------------------------


def test_the_choice_page_counts_the_offers_of_each_social_area(client):
    make_offers(2, districts=["osterfeld"])

    html = client.get("/wegweiser/").content.decode()

    assert "Wegweiser für Familien zum Ausdrucken" in html
    assert '<option value="osterfeld">Osterfeld (2 Angebote)</option>' in html
    assert 'action="/wegweiser/pdf/"' in html


def test_the_list_links_its_selection_as_a_guide(client):
    make_offer(districts=["osterfeld"])

    found = client.get("/angebote/", {"sozialraum": "osterfeld"}).content.decode()
    empty = client.get("/angebote/", {"q": "Zauberschule"}).content.decode()

    assert 'href="/wegweiser/pdf/?sozialraum=osterfeld" rel="nofollow"' in found
    assert "/wegweiser/pdf/" not in empty


def test_the_steering_area_links_the_guide_of_its_social_area(coordinator_client):
    html = coordinator_client.get("/koordination/", {"sozialraum": "osterfeld"}).content.decode()

    assert 'href="/wegweiser/pdf/?sozialraum=osterfeld"' in html
    assert 'href="/wegweiser/"' in html
