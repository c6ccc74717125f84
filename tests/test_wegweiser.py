"""The printed Wegweiser für Familien: a selection of the list as a PDF to hand out.

Without the demo data (tests/test_wegweiser_demo.py has it): a module's demo
data stays loaded for every test of the module after the first that asks for it.
"""

import io

import pypdf
import pytest
import segno
from PIL import Image

from offers.models import AgePhase, Offer
from tests.factories import make_location, make_offer, make_offers, make_provider
from tests.pages import LEXICON
from tests.test_security import assert_hardened
from wegweiser.checks import fonts
from wegweiser.guide import sections
from wegweiser.pdf import TEMPLATE, qr_code, typeset

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

    # Each image once, however many pages name it among their resources.
    images = {
        image.indirect_reference.idnum: image.image
        for page in reader.pages
        for image in page.images
    }
    codes = [qr_matrix(image) for image in images.values()]
    expected = [segno_matrix(f"{SITE}/angebote/?sozialraum=osterfeld")] + [
        segno_matrix(offer_url(offer)) for offer in offers
    ]
    assert sorted(codes) == sorted(expected)


def test_a_qr_code_is_one_grey_value_per_module_of_the_address():
    url = f"{SITE}/angebote/elterncafe/"
    code = qr_code(url)
    image = Image.frombytes("L", (code["size"], code["size"]), bytes(code["pixels"]))

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
    assert f"Familienberatung → 0–3 Jahre, Seite {zero + 1}" in texts[three]
    assert "Babyschwimmen" not in texts[three]
    assert not any(t.startswith("Schwangerschaft") for t in texts)


def test_an_entry_says_for_whom_where_when_what_it_costs_and_whom_to_ask(client):
    provider = make_provider(name="Familienzentrum Sonnenblume")
    location = make_location(
        provider=provider,
        name="Haus am Park",
        street="Parkstraße 1",
        postal_code="46119",
        neighbourhood="osterfeld-mitte",
        wheelchair_accessible=True,
    )
    make_offer(
        title="Elterncafé",
        provider=provider,
        locations=[location],
        districts=["osterfeld"],
        schedule="Montags 9–11 Uhr\nMittwochs 15–17 Uhr",
        contact_phone="0208 12345",
        languages=["de", "tr"],
    )

    text = " ".join(page_texts(read_pdf(client.get(PDF, {"sozialraum": "osterfeld"}))))

    assert (
        "Wo: Haus am Park, Parkstraße 1, 46119 Oberhausen (Osterfeld-Mitte), rollstuhlgerecht"
        in text
    )
    assert "Wann: Montags 9–11 Uhr · Mittwochs 15–17 Uhr" in text
    assert "Sprachen: Deutsch, Türkisch" in text
    assert "Kontakt: Familienzentrum Sonnenblume" in text and "Telefon 0208 12345" in text


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

    # The first request of a process also builds its facet index (offers.facet_index; on
    # PostgreSQL with its lexicon, one query more); the values it names are found in it.
    with django_assert_num_queries(28 + LEXICON):
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


def test_what_partners_write_is_printed_as_text_never_read_as_typst(client):
    # Typst markup, code, a file and a package in an offer's texts: all printed as they are.
    title = 'Eltern*café* #read("/etc/passwd") $x^2$ <x> @x [a] _b_'
    summary = '#import "@preview/cetz:0.3.0" ] } #image("/etc/hostname") \\ `raw`'
    make_offer(title=title, summary=summary, districts=["osterfeld"], cost_note='"); #panic()')

    text = " ".join(page_texts(read_pdf(client.get(PDF, {"sozialraum": "osterfeld"}))))

    assert " ".join(title.split()) in text
    assert " ".join(summary.split()) in text
    assert '"); #panic()' in text


def test_a_guide_typst_cannot_set_gets_a_german_message_and_keeps_the_choice(
    client, monkeypatch, tmp_path, caplog
):
    make_offer(districts=["osterfeld"], topics=["sport"])
    broken = tmp_path / "guide.typ"
    broken.write_text('#panic("the template is broken")')
    monkeypatch.setattr("wegweiser.pdf.TEMPLATE", broken)

    response = client.get(PDF, {"sozialraum": "osterfeld", "thema": "sport"})

    html = response.content.decode()
    assert response.status_code == 503
    assert "Der Wegweiser kann gerade nicht erstellt werden." in html
    assert '<option value="osterfeld" selected>' in html
    assert '<input type="hidden" name="thema" value="sport">' in html
    assert "the template is broken" in caplog.text


def test_typst_warnings_go_to_the_log(tmp_path, caplog):
    template = tmp_path / "guide.typ"
    template.write_text('#set text(font: "No Such Font")\n#sys.inputs.guide')

    pdf = typeset("Hallo", template)

    assert pdf.startswith(b"%PDF-")
    assert "unknown font family: no such font" in caplog.text


def test_the_check_warns_when_the_guide_would_be_set_in_another_font(settings, tmp_path):
    assert fonts(None) == []

    settings.WEGWEISER_FONT_DIR = tmp_path

    assert [message.id for message in fonts(None)] == ["wegweiser.W001"]


def test_typst_may_read_nothing_but_its_own_template():
    # The compiler's root is the template's folder; it holds nothing else to read.
    assert [path.name for path in TEMPLATE.parent.iterdir()] == ["guide.typ"]


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


def test_the_guide_speaks_the_language_of_the_address_and_reads_right_to_left_in_arabic(client):
    make_offer(title="Familienberatung", min_age_months=0, max_age_months=71)

    reader = read_pdf(client.get("/ar/wegweiser/pdf/"))

    texts = page_texts(reader)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    # pypdf reads Arabic in the order it is drawn: word by word.
    assert "دليل" in texts[0] and "للعائلات" in texts[0]
    assert "Familienberatung" in " ".join(texts)  # what the provider wrote stays German
    assert "←" in " ".join(texts) and "→" not in " ".join(texts)  # "described in", read leftwards


def test_an_offer_is_printed_in_the_guides_language_where_it_has_a_text_in_it(client):
    make_offer(title="Elterncafé", min_age_months=0, max_age_months=71)
    make_offer(
        title="Familienberatung", title_ar="استشارة الأسرة", min_age_months=0, max_age_months=71
    )

    reader = read_pdf(client.get("/ar/wegweiser/pdf/"))

    printed = " ".join(page_texts(reader))
    assert "Elterncafé" in printed and "Familienberatung" not in printed
    assert "الأسرة" in printed
    # A screen reader reads the German title as German, the Arabic one as Arabic: in the
    # entries (Elterncafé first, in the order of the German titles) and in the list of
    # offers described earlier.
    titles = [lang for parent, lang in link_languages(reader) if parent == "/H2"]
    earlier = [lang for parent, lang in link_languages(reader) if parent == "/LBody"]
    assert titles == ["de", "ar"]
    assert earlier == ["de", "ar"]


def link_languages(reader):
    """Each link's (parent's type, language) in the tagged PDF, the language inherited."""
    found = []

    def walk(node, parent, lang):
        node = node.get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        lang = str(node.get("/Lang", lang))
        if node.get("/S") == "/Link":
            found.append((parent, lang))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
            if kid is not None:
                walk(kid, str(node.get("/S", "")), lang)

    root = reader.trailer["/Root"]
    walk(root["/StructTreeRoot"], "", str(root["/Lang"]))
    return found


def structure(reader):
    """The tagged PDF's structure elements as (type, alternative text) pairs, in tree order."""
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        if "/S" in node:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
            if kid is not None:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_a_screen_reader_finds_headings_links_and_described_qr_codes(client):
    make_offer(title="Elterncafé", districts=["osterfeld"], min_age_months=0, max_age_months=11)
    make_offer(title="Krabbelgruppe", districts=["osterfeld"], min_age_months=0, max_age_months=11)

    tags = structure(read_pdf(client.get(PDF, {"sozialraum": "osterfeld"})))

    kinds = [kind for kind, _ in tags]
    assert kinds.count("/H1") == 2  # the contents and the one age phase
    assert kinds.count("/H2") >= 2  # an offer a heading
    assert kinds.count("/Link") >= 3  # the list's address and each offer's title
    figures = [alt for kind, alt in tags if kind == "/Figure"]
    assert figures.count("QR-Code der Seite des Angebots") == 2
    assert figures.count("QR-Code dieser Auswahl im Internet") == 1
