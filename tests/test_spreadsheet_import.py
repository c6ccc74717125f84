"""The admin's spreadsheet import: template, preview, errors per row, confirm, history."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from offers.models import Location, Offer, Provider
from offers.spreadsheets import OfferResource
from tests.factories import make_location, make_offer, make_provider, make_user
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db
OFFERS = "/admin/offers/offer/"
HEADER = (
    "id;Titel;Kurzbeschreibung;Träger;Orte;Stadtweit;Themen;Zielgruppen;"
    "Mindestalter (Monate);Höchstalter (Monate);Kosten;Sprachen;Gültig bis"
)


def upload(client, url, name, content, file_format):
    """Send the file as the import form does; the preview page comes back."""
    formats = {"csv": "0", "xlsx": "1"}
    return client.post(
        f"{url}import/",
        {"import_file": SimpleUploadedFile(name, content), "format": formats[file_format]},
    )


def confirm(client, url, preview):
    data = form_data(preview.content.decode(), f"{url}process_import/")
    assert data, "the preview offers no confirmation"
    return client.post(f"{url}process_import/", {key: values[0] for key, values in data.items()})


def csv_file(*lines):
    """A CSV file as German Excel saves it: semicolons, a byte order mark."""
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


@pytest.fixture
def provider(db):
    return make_provider(name="Familienbüro Alstaden", short_name="FBA")


def test_the_template_has_the_columns_of_the_import(coordinator_client):
    response = coordinator_client.get(f"{OFFERS}import/vorlage.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="offer-vorlage.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    columns = [cell.value for cell in sheet[1]]
    assert columns == [field.column_name for field in OfferResource().get_import_fields()]
    assert columns[:4] == ["id", "Titel", "Kurzbeschreibung", "Beschreibung"]
    csv_template = coordinator_client.get(f"{OFFERS}import/vorlage.csv")
    assert csv_template.content.decode("utf-8-sig").startswith("id,Titel,Kurzbeschreibung,")


def test_the_lists_link_the_import_beside_their_other_tools(coordinator_client):
    for url in (OFFERS, "/admin/offers/provider/", "/admin/offers/location/"):
        page = coordinator_client.get(url).content.decode()
        assert f"href='{url}import/'" in page  # the library's link
    assert 'href="/admin/offers/offer/add/"' in coordinator_client.get(OFFERS).content.decode()


def test_the_import_page_explains_the_columns_and_links_the_templates(coordinator_client):
    page = coordinator_client.get(f"{OFFERS}import/").content.decode()

    assert "Vorlage" in page and f"{OFFERS}import/vorlage.xlsx" in page
    assert "getrennt durch „;“" in page


def test_new_offers_from_a_german_csv_are_previewed_then_saved_as_drafts(
    coordinator_client, coordinator, provider
):
    place = make_location(provider, name="Familienbüro", street="Bebelstraße 1")
    content = csv_file(
        HEADER,
        ";Krabbelgruppe Alstaden;Spielen und Austausch für Eltern mit Babys.;FBA;Familienbüro;"
        'nein;"Erziehung; Frühe Hilfen";Eltern;0;24;kostenlos;Türkisch;31.12.2027',
        ";Elterncafé;Offener Treff.;Familienbüro Alstaden;;ja;Beratung;Eltern;;;geringer Beitrag;;",
    )

    preview = upload(coordinator_client, OFFERS, "angebote.csv", content, "csv")

    text = preview.content.decode()
    assert preview.status_code == 200 and "Krabbelgruppe Alstaden" in text
    assert not Offer.objects.exists()  # a preview saves nothing
    confirm(coordinator_client, OFFERS, preview)

    krabbel = Offer.objects.get(title="Krabbelgruppe Alstaden")
    assert krabbel.status == Offer.Status.DRAFT and krabbel.provider == provider
    assert list(krabbel.locations.all()) == [place]
    assert sorted(krabbel.topics.values_list("name", flat=True)) == ["Erziehung", "Frühe Hilfen"]
    assert list(krabbel.languages.values_list("code", flat=True)) == ["tr"]
    assert (krabbel.min_age_months, krabbel.max_age_months) == (0, 24)
    assert str(krabbel.valid_until) == "2027-12-31" and krabbel.slug == "krabbelgruppe-alstaden"
    cafe = Offer.objects.get(title="Elterncafé")
    assert cafe.citywide and cafe.cost == Offer.Cost.LOW
    record = krabbel.history.first()
    assert record.history_user == coordinator
    assert record.history_change_reason == "Aus einer Tabelle importiert."
    assert sorted(row.topic.name for row in record.topics.all()) == ["Erziehung", "Frühe Hilfen"]


def test_rows_with_problems_are_shown_with_their_messages_and_nothing_is_saved(
    coordinator_client, provider
):
    content = csv_file(
        HEADER,
        ";Krabbelgruppe;Spielen.;FBA;;vielleicht;Zauberei;Eltern;;;gratis;;",
        ";;Ohne Titel.;Unbekannter Träger;;nein;Erziehung;Eltern;zwei;;kostenlos;;morgen",
    )

    preview = upload(coordinator_client, OFFERS, "angebote.csv", content, "csv")

    text = preview.content.decode()
    assert "Geben Sie „ja“ oder „nein“ an, nicht „vielleicht“." in text
    assert "„Zauberei“ gibt es nicht als Thema." in text
    assert "„gratis“ ist keiner dieser Werte: kostenlos, geringer Beitrag, kostenpflichtig." in text
    assert "„Unbekannter Träger“ gibt es nicht als Träger." in text
    assert "Geben Sie eine ganze Zahl an, nicht „zwei“." in text
    assert "Geben Sie ein Datum wie 31.12.2026 an, nicht „morgen“." in text
    assert not form_data(text, f"{OFFERS}process_import/")  # no way to confirm
    assert not Offer.objects.exists()


def test_entries_are_changed_through_their_id_and_unchanged_rows_are_skipped(
    coordinator_client, coordinator, provider
):
    changed = make_offer(title="Alter Titel", provider=provider)
    make_offer(title="Bleibt", provider=provider)
    sheet = coordinator_client.get(f"{OFFERS}import/vorlage.xlsx?eintraege=1")
    workbook = openpyxl.load_workbook(io.BytesIO(sheet.content))
    rows = list(workbook.active.iter_rows())
    title = [cell.value for cell in rows[0]].index("Titel")
    row = next(r for r in rows if r[title].value == "Alter Titel")
    row[title].value = "Neuer Titel"
    out = io.BytesIO()
    workbook.save(out)
    records = changed.history.count()

    preview = upload(coordinator_client, OFFERS, "angebote.xlsx", out.getvalue(), "xlsx")
    confirm(coordinator_client, OFFERS, preview)

    changed.refresh_from_db()
    assert changed.title == "Neuer Titel" and changed.history.count() == records + 1
    assert Offer.objects.count() == 2
    assert Offer.objects.get(title="Bleibt").history.count() == 1


def test_providers_and_places_come_in_from_spreadsheets_too(coordinator_client):
    providers = csv_file(
        "id;Name;Kurzname;Art;Webseite;E-Mail;Telefon",
        ";Kinderschutzbund Oberhausen;DKSB;Verein/Initiative;https://example.org;"
        "info@example.org;0208 000-1",
    )
    confirm(coordinator_client, "/admin/offers/provider/", upload(
        coordinator_client, "/admin/offers/provider/", "traeger.csv", providers, "csv"))  # fmt: skip
    provider = Provider.objects.get(short_name="DKSB")
    assert (
        provider.kind == Provider.Kind.ASSOCIATION
        and provider.slug == "kinderschutzbund-oberhausen"
    )

    places = csv_file(
        "id;Träger;Name;Straße und Hausnummer;PLZ;Ort;Stadtteil;Rollstuhlgerecht",
        ";DKSB;Kinderhaus;Marktstraße 5;46045;Oberhausen;Marienviertel;ja",
    )
    confirm(coordinator_client, "/admin/offers/location/", upload(
        coordinator_client, "/admin/offers/location/", "orte.csv", places, "csv"))  # fmt: skip
    place = Location.objects.get(name="Kinderhaus")
    assert place.provider == provider and place.neighbourhood.name == "Marienviertel"
    assert place.wheelchair_accessible and place.district.name == "Mitte/Styrum"


def test_a_bad_email_or_a_javascript_link_is_refused_as_in_the_admin_form(coordinator_client):
    providers = csv_file(
        "id;Name;Art;Webseite;E-Mail",
        ";Träger A;;javascript:alert(1);info@example.org",
        ";Träger B;;;kein-at-zeichen",
    )

    preview = upload(coordinator_client, "/admin/offers/provider/", "t.csv", providers, "csv")

    text = preview.content.decode()
    assert "Bitte eine gültige Adresse eingeben." in text
    assert "Bitte gültige E-Mail-Adresse eingeben." in text
    assert not Provider.objects.exists()


def test_only_those_who_may_add_entries_can_import(client):
    client.force_login(make_user("nur-lesen", is_staff=True))

    assert client.get(f"{OFFERS}import/").status_code == 403
    assert client.get(f"{OFFERS}import/vorlage.csv").status_code == 403
