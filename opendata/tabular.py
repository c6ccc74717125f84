"""The HSDS tabular package: one CSV file per table and a ``datapackage.json``.

Rows come from the same objects the API serves (``opendata.hsds``), flattened
table by table, so the export and the API never disagree. Files, columns and
their order are the standard's (its ``examples/csv``). Rows are sorted by id:
the same data always gives the same bytes.
"""

import csv
import io
import json
import zipfile

from django.conf import settings

from offers.models import Offer, Provider
from opendata import hsds

# The standard's tables (file name without .csv → columns), in the order of its example.
TABLES = {
    "organizations": [
        "id", "name", "alternate_name", "description", "email", "website", "tax_status",
        "tax_id", "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
    ],
    "services": [
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url",
        "email", "status", "interpretation_services", "application_process",
        "fees_description", "wait_time", "fees", "accreditations", "eligibility_description",
        "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses", "alert",
        "last_modified",
    ],
    "locations": [
        "id", "location_type", "url", "organization_id", "name", "alternate_name",
        "description", "transportation", "latitude", "longitude", "external_identifier",
        "external_identifier_type",
    ],
    "service_at_location": ["id", "service_id", "location_id", "description"],
    "addresses": [
        "id", "location_id", "attention", "address_1", "address_2", "city", "region",
        "state_province", "postal_code", "country", "address_type",
    ],
    "accessibility": ["id", "location_id", "description", "details", "url"],
    "phones": [
        "id", "location_id", "service_id", "organization_id", "contact_id",
        "service_at_location_id", "number", "extension", "type", "description",
    ],
    "contacts": [
        "id", "organization_id", "service_id", "service_at_location_id", "location_id", "name",
        "title", "department", "email",
    ],
    "schedules": [
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to",
        "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday",
        "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at",
        "schedule_link", "attending_type", "notes",
    ],
    "service_areas": ["id", "service_id", "name", "description", "extent", "extent_type", "uri"],
    "languages": ["id", "service_id", "location_id", "phone_id", "name", "code", "note"],
    "cost_options": [
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount",
        "amount_description",
    ],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
    "taxonomy_terms": [
        "id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id",
        "term_uri",
    ],
}  # fmt: skip
# Frictionless field types of the columns that are not text.
NUMBER_COLUMNS = {"latitude", "longitude", "minimum_age", "maximum_age", "amount"}
DATE_COLUMNS = {"assured_date", "valid_from", "valid_to"}
CHUNK = 1000


class Tables:
    """Rows per table, each row once (an organization is named by many services)."""

    def __init__(self):
        self.rows = {name: {} for name in TABLES}

    def add(self, table, data, **links):
        row = {column: data.get(column, "") for column in TABLES[table]}
        row.update(links)
        self.rows[table].setdefault(row["id"], row)

    def add_service(self, service):
        self.add("services", service)
        for phone in service.get("phones", []):
            self.add("phones", phone)
        for contact in service.get("contacts", []):
            self.add("contacts", contact)  # its phone is the service's, listed above
        for table in ("schedules", "service_areas", "languages", "cost_options", "attributes"):
            for item in service.get(table, []):
                self.add(table, item)
        for at_location in service.get("service_at_locations", []):
            self.add("service_at_location", at_location)
            self.add_location(at_location["location"])

    def add_location(self, location):
        self.add("locations", location)
        for address in location.get("addresses", []):
            self.add("addresses", address)
        for accessibility in location.get("accessibility", []):
            self.add("accessibility", accessibility)

    def add_organization(self, organization):
        self.add("organizations", organization)
        for phone in organization.get("phones", []):
            self.add("phones", phone, organization_id=organization["id"])

    def sorted_rows(self, table):
        return [self.rows[table][key] for key in sorted(self.rows[table])]


def collect():
    """Every published offer, every provider and the whole vocabulary, as tables."""
    vocabulary = hsds.Vocabulary()
    tables = Tables()
    for provider in Provider.objects.order_by("pk"):
        tables.add_organization(hsds.organization(provider))
    ids = list(Offer.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        offers = list(hsds.with_related(Offer.objects.filter(pk__in=ids[start : start + CHUNK])))
        for offer in hsds.read_related(offers, vocabulary):
            tables.add_service(hsds.service(offer, vocabulary))
    for taxonomy in hsds.TAXONOMIES:
        tables.add("taxonomies", taxonomy.hsds)
    for term in vocabulary.terms:
        tables.add("taxonomy_terms", term.hsds)
    return tables


def _csv(columns, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _field_type(column):
    if column in NUMBER_COLUMNS:
        return "number"
    if column in DATE_COLUMNS:
        return "date"
    return "string"


def datapackage():
    """The Frictionless tabular data package that describes the files."""
    return {
        "profile": "tabular-data-package",
        "name": "praeventionsangebote-oberhausen",
        "title": "Präventionsangebote Oberhausen (HSDS 3)",
        "homepage": f"{settings.SITE_URL}/daten/",
        "licenses": [{"title": settings.DATA_LICENCE_NAME, "path": settings.DATA_LICENCE_URL}],
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": c, "type": _field_type(c)} for c in columns],
                    "primaryKey": "id",
                },
            }
            for table, columns in TABLES.items()
        ],
    }


def package_files():
    """{file name: text} of the whole package."""
    tables = collect()
    files = {
        f"{table}.csv": _csv(columns, tables.sorted_rows(table))
        for table, columns in TABLES.items()
    }
    files["datapackage.json"] = json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"
    return files


def write_package(directory):
    """Write the package into ``directory`` (created if missing); returns the files' names."""
    directory.mkdir(parents=True, exist_ok=True)
    files = package_files()
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return sorted(files)


def package_zip():
    """The package as the bytes of a zip file (fixed dates: the same data, the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(package_files().items()):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())
    return out.getvalue()
