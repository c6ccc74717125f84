"""The HSDS tabular package: the standard's files and columns, valid rows, the same bytes twice."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from offers.models import Offer
from opendata.tabular import NUMBER_COLUMNS, TABLES
from tests.hsds import HSDS, errors, require_hsds

pytestmark = pytest.mark.django_db
# The standard's schema of each table's rows.
ROW_SCHEMAS = {
    "organizations": "organization.json",
    "services": "service.json",
    "locations": "location.json",
    "service_at_location": "service_at_location.json",
    "addresses": "address.json",
    "accessibility": "accessibility.json",
    "phones": "phone.json",
    "contacts": "contact.json",
    "schedules": "schedule.json",
    "service_areas": "service_area.json",
    "languages": "language.json",
    "cost_options": "cost_option.json",
    "attributes": "attribute.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


def export(tmp_path, name="paket"):
    call_command("export_hsds", str(tmp_path / name), stdout=io.StringIO())
    return tmp_path / name


def read(directory, table):
    with open(directory / f"{table}.csv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def as_json(row):
    """A CSV row as the standard's JSON types: empty cells left out, numbers as numbers."""
    return {
        column: float(value) if column in NUMBER_COLUMNS else value
        for column, value in row.items()
        if value != ""
    }


def test_the_package_has_the_standards_files_columns_and_valid_rows(demo, tmp_path):
    require_hsds()
    directory = export(tmp_path)

    for table, columns in TABLES.items():
        with open(directory / f"{table}.csv", encoding="utf-8") as file:
            header = file.readline().strip().split(",")
        example = HSDS / "examples" / "csv" / f"{table}.csv"
        assert header == example.read_text().splitlines()[0].split(","), table
        assert header == columns
        rows = read(directory, table)
        assert rows, f"{table} is empty"
        for row in rows:
            assert errors(ROW_SCHEMAS[table], as_json(row)) == [], (table, row)
    package = json.loads((directory / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} == {f"{t}.csv" for t in TABLES}
    assert package["licenses"][0]["title"] == "Datenlizenz Deutschland – Namensnennung 2.0"


def test_every_reference_in_the_package_points_to_a_row(demo, tmp_path):
    directory = export(tmp_path)
    ids = {table: {row["id"] for row in read(directory, table)} for table in TABLES}

    assert {r["organization_id"] for r in read(directory, "services")} <= ids["organizations"]
    for row in read(directory, "service_at_location"):
        assert row["service_id"] in ids["services"] and row["location_id"] in ids["locations"]
    for table in ("addresses", "accessibility"):
        assert {r["location_id"] for r in read(directory, table)} <= ids["locations"]
    for table in ("schedules", "service_areas", "languages", "cost_options", "contacts"):
        assert {r["service_id"] for r in read(directory, table)} <= ids["services"]
    for row in read(directory, "attributes"):
        assert row["link_id"] in ids["services"]
        assert row["taxonomy_term_id"] in ids["taxonomy_terms"]
    for row in read(directory, "taxonomy_terms"):
        assert row["taxonomy_id"] in ids["taxonomies"]
    published = {str(u) for u in Offer.objects.published().values_list("uuid", flat=True)}
    assert ids["services"] == published  # nothing unpublished


def test_the_same_data_exports_the_same_bytes_and_downloads_as_a_zip(demo, tmp_path, client):
    first, second = export(tmp_path, "eins"), export(tmp_path, "zwei")
    for name in sorted(path.name for path in first.iterdir()):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    response = client.get("/daten/praeventionsangebote-hsds.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(path.name for path in first.iterdir())
    assert archive.read("services.csv") == (first / "services.csv").read_bytes()
    again = client.get(
        "/daten/praeventionsangebote-hsds.zip", headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304
