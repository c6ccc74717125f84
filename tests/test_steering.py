"""Coordinators steer the chain: coverage matrix, parallel offers, numbers of children."""

import codecs
import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from offers.models import AgePhase, District, Offer, PartnerAccount, Topic
from steering.models import ChildPopulation, ParallelReview
from tests.factories import make_offer, make_offers, make_provider, make_user

pytestmark = pytest.mark.django_db

COVERAGE = "/koordination/"
PARALLEL = "/koordination/parallelangebote/"


def cell(response, row_name, phase_slug):
    for row, cells in response.context["coverage"].rows:
        if str(row) == row_name:
            return next(c for c in cells if c.phase.slug == phase_slug)
    raise AssertionError(row_name)


def find_pairs():
    """The nightly search for similar offers, as cron runs it."""
    out = io.StringIO()
    call_command("find_parallel_offers", stdout=out)
    return out.getvalue()


def babytreff(provider, **fields):
    """An offer for babies in Osterfeld on 'Frühe Hilfen'."""
    fields.setdefault("title", "Babytreff Osterfeld")
    fields.setdefault("summary", "Offener Treff für Eltern mit Babys im ersten Lebensjahr.")
    return make_offer(
        provider=provider,
        topics=["fruehe-hilfen"],
        districts=fields.pop("districts", ["osterfeld"]),
        min_age_months=0,
        max_age_months=11,
        **fields,
    )


@pytest.mark.parametrize(
    "url", [COVERAGE, PARALLEL, "/koordination/pruefung/", "/koordination/druck/"]
)
def test_only_coordinators_may_steer(client, coordinator, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")

    partner = make_user("partnerin")
    PartnerAccount.objects.create(user=partner, provider=make_provider())
    client.force_login(partner)
    assert client.get(url).status_code == 403

    client.force_login(make_user("redaktion", is_staff=True))
    assert client.get(url).status_code == 403

    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_cells_count_offers_and_providers_and_mark_gaps_and_thin_spots(coordinator_client):
    first, second = make_provider(), make_provider()
    babytreff(first, title="Babytreff A")
    babytreff(first, title="Krabbelgruppe B", summary="Spielen und singen.")
    babytreff(second, title="Elterncafé C", summary="Kaffee und Austausch.", districts=[])
    make_offer(topics=["sport"], min_age_months=72, max_age_months=119, districts=["osterfeld"])
    make_offer(topics=["sport"], status=Offer.Status.DRAFT, min_age_months=72)

    response = coordinator_client.get(COVERAGE)

    babies = cell(response, "Frühe Hilfen", "0-3")
    assert (babies.offers, babies.providers, babies.mark) == (3, 2, "")
    school = cell(response, "Sport", "6-10")
    assert (school.offers, school.providers, school.mark) == (1, 1, "thin")
    assert cell(response, "Kultur", "0-3").mark == "gap"
    html = response.content.decode()
    assert "3 Angebote" in html and "2 Träger" in html and "Lücke" in html


def test_a_social_area_counts_its_own_and_citywide_offers(coordinator_client):
    babytreff(make_provider(), title="In Osterfeld")
    babytreff(make_provider(), title="Stadtweit", districts=[], citywide=True)
    babytreff(make_provider(), title="In Holten", districts=["sterkrade-nord"])

    response = coordinator_client.get(COVERAGE, {"sozialraum": "osterfeld"})

    assert cell(response, "Frühe Hilfen", "0-3").offers == 2
    assert "Osterfeld (stadtweite Angebote eingeschlossen)" in response.content.decode()


def test_every_number_leads_to_the_offers_behind_it(coordinator_client):
    babytreff(make_provider(), title="In Osterfeld")
    babytreff(make_provider(), title="Stadtweit", districts=[], citywide=True)
    babytreff(make_provider(), title="In Holten", districts=["sterkrade-nord"])
    babytreff(make_provider(), title="Abgelaufen", valid_until="2020-01-01")

    response = coordinator_client.get(COVERAGE, {"sozialraum": "osterfeld"})
    target = cell(response, "Frühe Hilfen", "0-3")
    assert f'href="{target.offers_url.replace("&", "&amp;")}"' in response.content.decode()
    admin_list = coordinator_client.get(target.offers_url)

    assert {offer.title for offer in admin_list.context["cl"].result_list} == {
        "In Osterfeld",
        "Stadtweit",
    }


@pytest.mark.parametrize(
    "rows, row_name",
    [("zielgruppe", "Eltern"), ("sprache", "Deutsch")],
)
def test_rows_can_be_target_groups_or_languages(coordinator_client, rows, row_name):
    babytreff(make_provider())

    response = coordinator_client.get(COVERAGE, {"zeilen": rows})

    assert cell(response, row_name, "0-3").offers == 1
    admin_list = coordinator_client.get(cell(response, row_name, "0-3").offers_url)
    assert len(admin_list.context["cl"].result_list) == 1


def test_bad_choices_fall_back_to_the_whole_city_by_topic(coordinator_client):
    response = coordinator_client.get(COVERAGE, {"sozialraum": "atlantis", "zeilen": "x"})

    assert response.status_code == 200
    assert response.context["coverage"].district is None
    assert "nicht gültig" in response.content.decode()


def test_similar_offers_of_two_providers_in_one_area_are_possible_parallel_offers(
    coordinator_client,
):
    one = babytreff(make_provider(name="Familienzentrum Sonne"), title="Babytreff Osterfeld")
    other = babytreff(make_provider(name="Elternverein"), title="Babytreff in Osterfeld")
    # The same provider twice is its own business; with the other provider it is a pair too.
    wednesday = babytreff(one.provider, title="Babytreff Osterfeld", summary="Am Mittwoch.")
    babytreff(make_provider(), title="Babytreff Holten", districts=["sterkrade-nord"])
    babytreff(make_provider(), title="Schwimmkurs", summary="Wassergewöhnung.")
    babytreff(make_provider(), title="Babytreff Osterfeld", summary="Für Schulkinder.").topics.set(
        Topic.objects.filter(slug="sport")
    )
    assert coordinator_client.get(PARALLEL).context["pairs"] == []  # not searched yet

    assert "pairs of similar offers found" in find_pairs()

    response = coordinator_client.get(COVERAGE)
    assert cell(response, "Frühe Hilfen", "0-3").mark == "parallel"
    assert cell(response, "Frühe Hilfen", "0-3").parallel == 2

    page = coordinator_client.get(cell(response, "Frühe Hilfen", "0-3").parallel_url)
    pairs = page.context["pairs"]
    assert sorted(sorted(o.pk for o in (pair.first, pair.second)) for pair in pairs) == sorted(
        [sorted([one.pk, other.pk]), sorted([wednesday.pk, other.pk])]
    )
    html = page.content.decode()
    assert f"/admin/offers/offer/{one.pk}/change/" in html
    assert f"/admin/offers/offer/{other.pk}/change/" in html


def test_a_pair_marked_as_checked_no_longer_shows(coordinator_client, coordinator):
    one = babytreff(make_provider(), title="Babytreff Osterfeld")
    other = babytreff(make_provider(), title="Babytreff in Osterfeld")
    find_pairs()
    assert cell(coordinator_client.get(COVERAGE), "Frühe Hilfen", "0-3").mark == "parallel"

    response = coordinator_client.post(
        PARALLEL, {"first": other.pk, "second": one.pk, "note": "Zwei Wochentage"}
    )

    assert response.status_code == 302
    review = ParallelReview.objects.get()
    assert (review.first, review.second, review.reviewed_by) == (one, other, coordinator)
    assert coordinator_client.get(PARALLEL).context["pairs"] == []
    assert cell(coordinator_client.get(COVERAGE), "Frühe Hilfen", "0-3").mark == ""
    find_pairs()  # the next night's search does not bring it back
    assert coordinator_client.get(PARALLEL).context["pairs"] == []


def test_a_pair_drops_out_when_an_offer_is_no_longer_public(coordinator_client, coordinator):
    one = babytreff(make_provider(), title="Babytreff Osterfeld")
    babytreff(make_provider(), title="Babytreff in Osterfeld")
    find_pairs()

    one.archive(by=coordinator)

    assert coordinator_client.get(PARALLEL).context["pairs"] == []


def test_a_bad_review_request_changes_nothing(coordinator_client):
    one = babytreff(make_provider())

    response = coordinator_client.post(PARALLEL, {"first": one.pk, "second": 2**70})

    assert response.status_code == 400
    assert not ParallelReview.objects.exists()


def test_numbers_of_children_give_offers_per_thousand_and_the_lowest_cells(coordinator_client):
    babytreff(make_provider())
    babytreff(make_provider(), title="Krabbelgruppe", summary="Spielen.")
    for district in District.objects.all():
        for phase in AgePhase.objects.all():
            ChildPopulation.objects.create(year=2025, district=district, phase=phase, children=100)

    response = coordinator_client.get(COVERAGE, {"sozialraum": "osterfeld"})

    babies = cell(response, "Frühe Hilfen", "0-3")
    assert babies.children == 100 and babies.per_thousand == 20.0
    assert not babies.lowest and cell(response, "Kultur", "0-3").lowest
    city = cell(coordinator_client.get(COVERAGE), "Frühe Hilfen", "0-3")
    assert city.children == 600
    html = response.content.decode()
    assert "20,0 je 1 000 Kinder" in html and "Kinderzahlen von 2025" in html


@pytest.mark.parametrize("size", [1, 20, 100])
def test_steering_pages_cost_a_fixed_number_of_queries(
    coordinator_client, django_assert_max_num_queries, size
):
    make_offers(
        size,
        title=lambda number: f"Babytreff Nummer {number}",
        summary="Offener Treff für Eltern mit Babys im ersten Lebensjahr.",
        topics=["fruehe-hilfen"],
        districts=["osterfeld"],
        min_age_months=0,
        max_age_months=11,
    )
    find_pairs()

    with django_assert_max_num_queries(22):
        assert coordinator_client.get(COVERAGE).status_code == 200
    with django_assert_max_num_queries(22):
        assert coordinator_client.get(PARALLEL).status_code == 200


def test_the_matrix_exports_as_csv_and_xlsx_with_the_same_numbers_as_the_page(
    coordinator_client,
):
    babytreff(make_provider(name="Familienzentrum Sonnenblume"))
    babytreff(make_provider(name="Büro für Chancengleichheit"), title="Krabbelgruppe", summary="x")
    params = {"sozialraum": "osterfeld", "zeilen": "thema"}
    page = cell(coordinator_client.get(COVERAGE, params), "Frühe Hilfen", "0-3")

    response = coordinator_client.get("/koordination/abdeckung.csv", params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "abdeckung-osterfeld-thema-" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(codecs.BOM_UTF8)
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Abdeckung der Präventionskette"]
    assert ["Sozialraum", "Osterfeld"] in lines and lines[3][0] == "Stand"
    header = next(line for line in lines if line[:1] == ["Thema"])
    row = next(line for line in lines if line[:1] == ["Frühe Hilfen"])
    assert row[header.index("0–3 Jahre: Angebote")] == str(page.offers) == "2"
    assert row[header.index("0–3 Jahre: Träger")] == str(page.providers) == "2"

    response = coordinator_client.get("/koordination/abdeckung.xlsx", params)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    header = next(line for line in rows if line[0] == "Thema")
    row = next(line for line in rows if line[0] == "Frühe Hilfen")
    assert row[header.index("0–3 Jahre: Angebote")] == page.offers
    assert row[header.index("0–3 Jahre: Träger")] == page.providers
    assert ["Sozialraum", "Osterfeld"] == rows[1][:2]


def test_the_admin_offer_list_exports_as_filtered_there(coordinator_client):
    babytreff(make_provider(), title='=HYPERLINK("http://evil.example")')
    babytreff(make_provider(), title="Zweites Angebot", summary="y")
    make_offer(title="Sport", topics=["sport"])
    changelist = "/admin/offers/offer/?oeffentlich=ja&thema=fruehe-hilfen"

    html = coordinator_client.get(changelist).content.decode()
    assert 'href="/koordination/angebote.xlsx?oeffentlich=ja&amp;thema=fruehe-hilfen"' in html
    response = coordinator_client.get(
        "/koordination/angebote.xlsx?oeffentlich=ja&thema=fruehe-hilfen"
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert ["Thema", "Frühe Hilfen"] in [row[:2] for row in rows]
    titles = {row[0] for row in rows[rows.index(next(r for r in rows if r[0] == "Titel")) + 1 :]}
    assert titles == {'=HYPERLINK("http://evil.example")', "Zweites Angebot"}
    assert all(cell.data_type == "s" for line in sheet.iter_rows() for cell in line if cell.value)
    csv_text = coordinator_client.get("/koordination/angebote.csv?thema=fruehe-hilfen").content
    assert "'=HYPERLINK" in csv_text.decode("utf-8-sig")


def test_exports_and_print_view_are_for_coordinators_only(client, coordinator):
    for url in [
        "/koordination/abdeckung.csv",
        "/koordination/angebote.xlsx",
        "/koordination/druck/",
    ]:
        assert client.get(url).status_code == 302
    client.force_login(make_user("redaktion", is_staff=True))
    for url in [
        "/koordination/abdeckung.csv",
        "/koordination/angebote.xlsx",
        "/koordination/druck/",
    ]:
        assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get("/koordination/abdeckung.pdf").status_code == 404
    response = client.get("/koordination/angebote.csv?unbekannt=1")
    assert response.status_code == 302 and response["Location"] == "/admin/offers/offer/"


def test_the_print_view_shows_the_matrix_for_a4_landscape(coordinator_client):
    babytreff(make_provider())

    response = coordinator_client.get("/koordination/druck/", {"zeilen": "sprache"})

    html = response.content.decode()
    assert "print-landscape.css" in html and 'class="coverage"' in html
    assert cell(response, "Deutsch", "0-3").offers == 1
