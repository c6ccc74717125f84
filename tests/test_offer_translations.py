"""An offer's own texts in the reader's language: stored, shown, searched, submitted, edited.

The German texts stay the offer's texts: queries, the order of lists and the
facet index read them, whatever language the page is in (``OfferQuerySet``).
"""

import pytest
from django.utils import translation

from offers.models import Offer, SearchTerm
from tests.factories import make_offer
from tests.html_forms import form_data
from tests.test_moderation_steps import change_form_data, change_url
from tests.test_submissions import SUBMIT, valid_submission

pytestmark = pytest.mark.django_db


def german_only_note(language):
    with translation.override(language):
        return translation.gettext("This offer is described in German only.")


def swimming(**texts):
    return make_offer(
        title="Babyschwimmen",
        slug="babyschwimmen",
        summary="Wassergewöhnung für Babys ab drei Monaten.",
        description="Im Hallenbad Sterkrade, mit einer Hebamme.",
        schedule="Freitags 10–11 Uhr",
        **texts,
    )


def test_an_offer_reads_in_the_readers_language_and_marks_what_stays_german(client):
    swimming(title_ar="سباحة الرضع", summary_ar="تعويد الرضع على الماء من عمر ثلاثة أشهر.")

    html = client.get("/ar/angebote/babyschwimmen/").content.decode()

    assert "<h1>سباحة الرضع</h1>" in html
    assert '<p class="lead">تعويد الرضع على الماء من عمر ثلاثة أشهر.</p>' in html
    # The description has no Arabic text: German, marked as such, and the note says so.
    assert (
        '<div lang="de" dir="ltr"><p>Im Hallenbad Sterkrade, mit einer Hebamme.</p></div>' in html
    )
    assert '<p lang="de" dir="ltr">Freitags 10–11 Uhr</p>' in html
    assert german_only_note("ar") in html
    # German readers read German.
    german = client.get("/angebote/babyschwimmen/").content.decode()
    assert "<h1>Babyschwimmen</h1>" in german and "سباحة" not in german


def test_an_offer_described_in_the_readers_language_has_no_german_only_note(client):
    swimming(
        title_tr="Bebek yüzmesi",
        summary_tr="Üç aylıktan itibaren bebekler için suya alışma.",
        description_tr="Sterkrade kapalı yüzme havuzunda, bir ebeyle.",
    )

    turkish = client.get("/tr/angebote/babyschwimmen/").content.decode()
    arabic = client.get("/ar/angebote/babyschwimmen/").content.decode()

    assert "<p>Sterkrade kapalı yüzme havuzunda, bir ebeyle.</p>" in turkish
    assert german_only_note("tr") not in turkish
    assert german_only_note("ar") in arabic


def test_lists_show_the_readers_language_where_there_is_one(client):
    swimming(title_uk="Плавання для немовлят")
    make_offer(title="Elterncafé", slug="elterncafe")

    html = client.get("/uk/angebote/").content.decode()

    assert '<a href="/uk/angebote/babyschwimmen/">Плавання для немовлят</a>' in html
    assert '<a href="/uk/angebote/elterncafe/" lang="de" dir="ltr">Elterncafé</a>' in html


def test_queries_order_and_filter_by_the_german_texts_in_every_language():
    make_offer(title="Babyschwimmen", title_ar="سباحة الرضع")
    make_offer(title="Elterncafé")
    make_offer(title="Zwergentreff", title_ar="ألف")

    with translation.override("ar"):
        titles = [offer.title for offer in Offer.objects.all()]
        found = Offer.objects.get(title="Babyschwimmen")

    assert titles == ["سباحة الرضع", "Elterncafé", "ألف"]  # in the order of the German titles
    assert found.title_ar == "سباحة الرضع"


def test_saving_in_another_language_keeps_the_german_text():
    offer = swimming()

    with translation.override("ar"):
        offer.summary = "ملخص"  # a text set while Arabic is active is the Arabic one
        offer.save()

    offer.refresh_from_db()
    assert offer.summary_ar == "ملخص"
    assert offer.summary_de == "Wassergewöhnung für Babys ab drei Monaten."
    assert Offer.objects.filter(summary="Wassergewöhnung für Babys ab drei Monaten.").exists()


def test_an_update_of_a_text_writes_the_german_one(client):
    offer = swimming()

    Offer.objects.filter(pk=offer.pk).update(title="Babyschwimmen im Hallenbad")

    offer.refresh_from_db()
    assert offer.title_de == "Babyschwimmen im Hallenbad"
    assert (
        "<h1>Babyschwimmen im Hallenbad</h1>"
        in client.get(offer.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "query"), [("ar", "الرضع"), ("tr", "yüzmesi"), ("uk", "немовлят")]
)
def test_a_search_in_the_readers_language_finds_the_translated_texts(client, language, query):
    swimming(title_ar="سباحة الرضع", title_tr="Bebek yüzmesi", summary_uk="Плавання для немовлят.")
    make_offer(title="Elterncafé", slug="elterncafe")

    html = client.get(f"/{language}/angebote/", {"q": query}).content.decode()

    assert f"/{language}/angebote/babyschwimmen/" in html
    assert "/angebote/elterncafe/" not in html


def test_a_translation_added_later_is_found(client):
    offer = swimming()
    assert "babyschwimmen/" not in client.get("/tr/angebote/", {"q": "yüzmesi"}).content.decode()

    offer.title_tr = "Bebek yüzmesi"
    offer.save()

    assert "babyschwimmen/" in client.get("/tr/angebote/", {"q": "yüzmesi"}).content.decode()


def test_a_partner_may_add_a_translation_in_the_submission_form(client):
    response = client.post(
        f"/ar{SUBMIT}",
        valid_submission(
            title="Babytreff",
            title_ar="لقاء الرضع",
            summary_ar="لقاء مفتوح للآباء والأمهات مع رضعهم.",
            title_uk="",
        ),
    )

    assert response.status_code == 302
    offer = Offer.objects.get(title="Babytreff")  # the German text in the German columns
    assert (offer.title_de, offer.title_ar, offer.summary_ar) == (
        "Babytreff",
        "لقاء الرضع",
        "لقاء مفتوح للآباء والأمهات مع رضعهم.",
    )
    assert offer.summary_de == valid_submission()["summary"]
    assert not offer.title_uk


def test_the_submission_form_opens_the_readers_language_first(client):
    arabic = client.get(f"/ar{SUBMIT}").content.decode()
    german = client.get(SUBMIT).content.decode()

    groups = arabic.split('<details class="translation"')[1:]
    assert groups[0].startswith(' open>\n      <summary><span lang="ar" dir="rtl">العربيّة</span>')
    assert all(not group.startswith(" open") for group in groups[1:])
    assert 'name="title_ar"' in arabic and 'lang="ar" dir="rtl"' in arabic
    assert "<label" in groups[0] and "(العربية)" in groups[0]  # "Title (Arabic)" in Arabic
    assert german.count('<details class="translation">') == 5  # all closed, German has none


def test_a_translation_with_an_error_stays_open_with_what_was_typed(client):
    response = client.post(
        SUBMIT, valid_submission(title_tr="Bebek <b>yüzmesi</b>", summary_tr="Suya alışma.")
    )

    html = response.content.decode()
    assert response.status_code == 400
    turkish = html.split('<span lang="tr" dir="ltr">Türkçe</span>')[0].rsplit("<details", 1)[1]
    assert turkish.startswith(' class="translation" open>')
    assert "ohne HTML-Code" in html
    assert "Suya alışma." in html
    assert not Offer.objects.exists()


def test_a_partner_edits_the_german_text_and_the_translations_on_a_page_in_turkish(client, partner):
    offer = swimming(
        provider=partner.partner_account.provider, citywide=True, title_tr="Bebek yüzmesi"
    )
    client.force_login(partner)
    url = f"/tr/partner/angebote/{offer.pk}/bearbeiten/"

    shown = form_data(client.get(url).content.decode(), url)
    assert shown["title"] == ["Babyschwimmen"] and shown["title_tr"] == ["Bebek yüzmesi"]

    shown.update(title_tr=["Bebekler için yüzme"], summary_ar=["تعويد الرضع على الماء."])
    response = client.post(url, shown)

    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title_de, offer.title_tr, offer.summary_ar) == (
        "Babyschwimmen",
        "Bebekler için yüzme",
        "تعويد الرضع على الماء.",
    )


def test_coordinators_edit_every_language_side_by_side_and_the_history_keeps_them(
    coordinator_client,
):
    offer = swimming(citywide=True)
    url = change_url(offer)

    html = coordinator_client.get(url).content.decode()
    for code in ("de", "en", "tr", "ar", "uk", "ru"):
        for name in ("title", "summary", "description", "schedule", "cost_note"):
            assert f'name="{name}_{code}"' in html
    response = coordinator_client.post(
        url, change_form_data(coordinator_client, url, title_ar="سباحة الرضع")
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title_de, offer.title_ar) == ("Babyschwimmen", "سباحة الرضع")
    assert offer.history.first().title_ar == "سباحة الرضع"


def test_a_translations_words_are_searched_but_never_taken_for_german_compounds(
    client, is_postgresql
):
    make_offer(
        title="Hebammensprechstunde",
        slug="hebamme",
        summary="Fragen zur Geburt.",
        summary_tr="Doğum hakkındaki sorular.",  # "hakkındaki" holds "kind"
    )
    make_offer(title="Kinderturnen", slug="kinderturnen")

    german = client.get("/angebote/", {"q": "Kind"}).content.decode()
    turkish = client.get("/tr/angebote/", {"q": "hakkındaki"}).content.decode()

    assert "/angebote/kinderturnen/" in german
    assert not SearchTerm.objects.filter(term__contains="hakk").exists()
    if is_postgresql:  # SQLite matches every word as a substring anywhere (README, "Search")
        assert "/angebote/hebamme/" not in german
    assert "/tr/angebote/hebamme/" in turkish  # the Turkish word itself is found
