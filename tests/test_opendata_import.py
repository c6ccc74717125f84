"""import_hsds: a package back in, all or nothing, by id; our export round-trips exactly."""

import csv
import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from offers.models import Language, Location, Offer, Provider
from tests.factories import make_offer
from tests.hsds import HSDS, require_hsds
from tests.test_opendata_export import export, read

pytestmark = pytest.mark.django_db


def import_hsds(directory, *options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hsds", str(directory), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(directory, table, rows):
    with open(directory / f"{table}.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def empty_the_directory():
    """What an installation holds before its first import: the shipped vocabulary only.

    Without history records of the deletions (a new installation has none; they cost
    seconds).
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        Offer.objects.all().delete()
        Provider.objects.all().delete()


def files(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_export_import_into_an_empty_database_export_gives_identical_files(demo, tmp_path):
    first = export(tmp_path, "erster")
    published = Offer.objects.published().count()
    empty_the_directory()

    out, _ = import_hsds(first, "--publish")

    assert f"Angebote: {published} neu, 0 geändert, 0 unverändert" in out
    assert Offer.objects.published().count() == published
    second = export(tmp_path, "zweiter")
    assert files(second) == files(first)


def test_a_second_import_of_the_same_package_changes_nothing(demo, tmp_path):
    package = export(tmp_path)
    records = Offer.history.count()
    offers = Offer.objects.count()

    out, _ = import_hsds(package, "--publish")

    assert "Angebote: 0 neu, 0 geändert" in out and "Träger: 0 neu, 0 geändert" in out
    assert Offer.history.count() == records and Offer.objects.count() == offers


def test_a_changed_row_changes_that_offer_only_with_a_history_record(demo, tmp_path):
    package = export(tmp_path)
    services = read(package, "services")
    services[0]["name"] = "Neuer Titel aus dem Paket"
    write(package, "services", services)
    offer = Offer.objects.get(uuid=services[0]["id"])

    out, _ = import_hsds(package)

    assert "geändert – Angebot: Neuer Titel aus dem Paket" in out
    assert "Angebote: 0 neu, 1 geändert" in out
    offer.refresh_from_db()
    assert offer.title == "Neuer Titel aus dem Paket" and offer.is_public()
    assert offer.history.first().history_change_reason == "Aus einem HSDS-Paket importiert."


def test_new_offers_are_drafts_unless_published_on_import(demo, tmp_path):
    package = export(tmp_path)
    empty_the_directory()

    import_hsds(package)

    assert Offer.objects.count() > 100
    assert not Offer.objects.published().exists()
    assert set(Offer.objects.values_list("status", flat=True)) == {Offer.Status.DRAFT}


def test_a_dry_run_tells_what_would_change_and_saves_nothing(demo, tmp_path):
    package = export(tmp_path)
    empty_the_directory()

    out, _ = import_hsds(package, "--dry-run", "--publish")

    assert "Probelauf, nichts gespeichert." in out and "Träger: 41 neu" in out
    assert "neu – Angebot: Familienhebammen" in out
    assert not Offer.objects.exists() and not Provider.objects.exists()


def test_every_bad_row_is_reported_with_file_and_line_and_nothing_is_imported(demo, tmp_path):
    package = export(tmp_path)
    empty_the_directory()
    services = read(package, "services")
    services[2]["url"] = "javascript:alert(1)"
    services[5]["organization_id"] = "7d1e1c1a-0000-4000-8000-000000000000"
    write(package, "services", services)
    # Each break gives one message: the services and phone broken are not the broken
    # organization's (its services are not checked again).
    organizations = read(package, "organizations")
    org = next(i for i, o in enumerate(organizations) if o["id"] != services[2]["organization_id"])
    organizations[org]["email"] = "kein-at-zeichen.de"
    write(package, "organizations", organizations)
    owner = {service["id"]: service["organization_id"] for service in services}
    locations = read(package, "locations")
    locations[3]["id"] = "123"
    write(package, "locations", locations)
    phones = read(package, "phones")
    broken = {services[2]["id"], services[5]["id"]}
    phone = next(
        i
        for i, p in enumerate(phones)
        if p["service_id"] not in broken | {""}
        and owner[p["service_id"]] != organizations[org]["id"]
    )
    phones[phone]["number"] = "0208 ruf an"
    write(package, "phones", phones)

    with pytest.raises(CommandError) as raised:
        import_hsds(package, "--publish")

    message = str(raised.value)
    assert "Nichts wurde importiert: das Paket hat 5 Fehler." in message
    assert "services.csv, Zeile 4: url: Bitte eine gültige Adresse eingeben." in message
    assert (
        "services.csv, Zeile 7: die Organisation 7d1e1c1a-0000-4000-8000-000000000000 "
        "ist weder im Paket noch bei uns." in message
    )
    assert (
        f"organizations.csv, Zeile {org + 2}: email: Bitte gültige E-Mail-Adresse eingeben."
        in message
    )
    assert "locations.csv, Zeile 5: „123“ in der Spalte id ist keine UUID." in message
    assert f"phones.csv, Zeile {phone + 2}: number: Bitte geben Sie die Telefonnummer" in message
    assert not Offer.objects.exists() and not Provider.objects.exists()
    assert not Location.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_plainly(tmp_path):
    (tmp_path / "services.csv").write_bytes("id,name\n1,Stra\xdfe\n".encode("latin-1"))

    with pytest.raises(CommandError, match="services.csv: die Datei ist kein UTF-8-Text."):
        import_hsds(tmp_path)


def test_a_spreadsheets_byte_order_mark_and_quoted_phone_numbers_are_fine(db, tmp_path):
    organization = "0b8f5f0e-3d35-4a39-9a4c-2f0d5e6c7a11"
    (tmp_path / "organizations.csv").write_text(
        f"\ufeffid,name\n{organization},Familienbüro Test\n", encoding="utf-8"
    )
    write(tmp_path, "phones", [{"id": "0b8f5f0e-3d35-4a39-9a4c-2f0d5e6c7a12",
                                "organization_id": organization, "number": "'0208 825-0"}])  # fmt: skip

    import_hsds(tmp_path)

    provider = Provider.objects.get(uuid=organization)
    assert provider.name == "Familienbüro Test" and provider.phone == "0208 825-0"
    assert provider.kind == Provider.Kind.OTHER and provider.slug == "familienbuero-test"


def test_the_standards_example_package_imports_as_a_draft_with_notes(db, tmp_path):
    require_hsds()
    package = tmp_path / "beispiel"
    shutil.copytree(HSDS / "examples" / "csv", package)

    out, err = import_hsds(package, "--publish")

    assert "Träger: 1 neu" in out and "Angebote: 1 neu" in out
    offer = Offer.objects.get(uuid="ac148810-d857-441c-9679-408f346de14b")
    assert offer.title == "Community Counselling" and offer.status == Offer.Status.DRAFT
    assert offer.provider.name == "Example Organization Inc."
    assert offer.contact_name == "Ann Persona" and offer.contact_email == "email@example.com"
    assert offer.contact_phone == "+44 1234 234567"
    assert offer.website == "http://example.com/counselling"
    assert (offer.min_age_months, offer.max_age_months) == (144, None)
    assert offer.cost == Offer.Cost.PAID
    assert offer.cost_note == "Under 18s and Over 60s 35 GBP per 1 hour session"
    assert list(offer.languages.values_list("code", flat=True)) == ["ur"]
    assert Language.objects.get(code="ur").name == "Urdu"
    assert not offer.locations.exists()
    # What our directory has no place for is said, not silently dropped.
    assert "addresses.csv, Zeile 2: ein Ort außerhalb Deutschlands (US): nicht übernommen." in err
    assert "funding.csv: diese Tabelle wird nicht übernommen." in err
    assert "services.csv, Zeile 2: bleibt ein Entwurf (es fehlt: ein Thema, ein Ort)." in err


def test_an_offer_of_another_directory_is_matched_to_our_vocabulary(db, tmp_path):
    """Sozialräume by name, our taxonomies' terms by id, ages in years as months."""
    organization, service = (
        "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a01",
        "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a02",
    )
    term = "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a03"
    write(tmp_path, "organizations", [{"id": organization, "name": "Kinderschutzbund Test"}])
    write(tmp_path, "services", [{
        "id": service, "organization_id": organization, "name": "Elterncafé",
        "description": "Ein offenes Café für Eltern.\n\nJeden Dienstag mit Kinderbetreuung.",
        "minimum_age": "0", "maximum_age": "5", "status": "active",
    }])  # fmt: skip
    write(tmp_path, "service_areas", [
        {"id": "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a04", "service_id": service, "name": "Osterfeld"},
    ])  # fmt: skip
    write(tmp_path, "cost_options", [
        {"id": "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a05", "service_id": service, "amount": "0"},
    ])  # fmt: skip
    from opendata.hsds import TOPICS, derived_id

    write(tmp_path, "attributes", [
        {"id": "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a06", "link_id": service,
         "taxonomy_term_id": derived_id("term", TOPICS.slug, "erziehung"), "link_type": "service"},
        {"id": "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a07", "link_id": service,
         "taxonomy_term_id": term, "link_type": "service"},
    ])  # fmt: skip
    write(tmp_path, "taxonomy_terms", [{"id": term, "code": "x1", "name": "Parenting",
                                        "taxonomy_id": "5d7e1d9e-1f6b-4e2b-9a51-6f3c1f7a0a08"}])  # fmt: skip

    _, err = import_hsds(tmp_path, "--publish")

    offer = Offer.objects.get(uuid=service)
    assert offer.summary == "Ein offenes Café für Eltern."
    assert offer.description == "Jeden Dienstag mit Kinderbetreuung."
    assert (offer.min_age_months, offer.max_age_months) == (0, 71)
    assert offer.cost == Offer.Cost.FREE
    assert list(offer.districts.values_list("name", flat=True)) == ["Osterfeld"]
    assert list(offer.topics.values_list("slug", flat=True)) == ["erziehung"]
    assert "„Parenting“ gehört zu keiner unserer Taxonomien: nicht übernommen." in err
    # Named for a Sozialraum but with no place, citywide, outreach or online: not publishable.
    assert offer.status == Offer.Status.DRAFT
    assert "bleibt ein Entwurf (es fehlt: ein Ort)" in err


def test_an_import_never_touches_an_offer_the_package_does_not_name(demo, tmp_path):
    package = export(tmp_path)
    ours = make_offer(title="Nur bei uns", status=Offer.Status.DRAFT)

    import_hsds(package)

    ours.refresh_from_db()
    assert ours.title == "Nur bei uns" and ours.status == Offer.Status.DRAFT
