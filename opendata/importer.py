"""Reading an HSDS tabular package into providers, places and offers (``import_hsds``).

The package is the one ``export_hsds`` writes, or another directory's: the
standard's CSV files, each optional. Rows are matched by id: an organization,
location or service whose id we hold updates that object, any other creates
one with that id, so importing the same package twice changes nothing the
second time.

What is wrong stops the whole import (one transaction, every problem listed
with file and line): an id that is not a UUID, a missing name, a service
without an organization, a URL, email or phone the forms would refuse (a
``javascript:`` URL never gets in). What our directory has no place for is
left out with a note (tables such as ``funding``, places abroad, coordinates
outside the globe, terms of taxonomies that are not ours) and the rest is
imported.

Our own exports come back exactly: the features ("Merkmale") carry what HSDS
has no field for, our page addresses carry the slugs.
"""

import csv
import datetime
import decimal
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from offers.ages import MAX_AGE_MONTHS
from offers.models import (
    OFFER_RELATIONS,
    District,
    Language,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    TargetGroup,
    Topic,
    unique_slug,
)
from opendata import hsds
from opendata.tabular import TABLES

# Columns we read, per table; values in other columns are reported as left out.
READ = {
    "organizations": {"id", "name", "alternate_name", "description", "email", "website", "uri"},
    "services": {
        "id", "organization_id", "name", "description", "url", "email", "status",
        "application_process", "fees_description", "eligibility_description", "minimum_age",
        "maximum_age", "assured_date", "last_modified",
    },
    "locations": {
        "id", "location_type", "organization_id", "name", "description", "latitude", "longitude",
    },
    "service_at_location": {"id", "service_id", "location_id"},
    "addresses": {
        "id", "location_id", "address_1", "address_2", "city", "region", "state_province",
        "postal_code", "country", "address_type",
    },
    "accessibility": {"id", "location_id", "description", "details"},
    "phones": {"id", "service_id", "organization_id", "contact_id", "number"},
    "contacts": {"id", "service_id", "name", "email"},
    "schedules": {"id", "service_id", "description", "valid_from", "valid_to"},
    "service_areas": {"id", "service_id", "name", "description"},
    "languages": {"id", "service_id", "name", "code"},
    "cost_options": {"id", "service_id", "option", "currency", "amount", "amount_description"},
    "attributes": {"id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"},
    "taxonomies": {"id", "name", "description", "uri", "version"},
    "taxonomy_terms": {
        "id", "code", "name", "description", "taxonomy", "language", "taxonomy_id", "term_uri",
    },
}  # fmt: skip
GERMANY = {"", "de", "deu", "deutschland", "germany"}
WHEELCHAIR = {"rollstuhlgerecht": True, "nicht rollstuhlgerecht": False}


class PackageError(Exception):
    """The package has problems: nothing was imported (``problems``: what and where)."""

    def __init__(self, problems, notes):
        super().__init__("\n".join(problems))
        self.problems, self.notes = problems, notes


@dataclass
class Row:
    table: str
    line: int
    data: dict

    def __getitem__(self, column):
        return (self.data.get(column) or "").strip()

    @property
    def where(self):
        return _("%(file)s, line %(line)s") % {"file": f"{self.table}.csv", "line": self.line}


@dataclass
class Report:
    """What an import did (or, on a dry run, would do)."""

    created: dict = field(default_factory=lambda: {"providers": [], "locations": [], "offers": []})
    changed: dict = field(default_factory=lambda: {"providers": [], "locations": [], "offers": []})
    unchanged: dict = field(default_factory=lambda: {"providers": 0, "locations": 0, "offers": 0})
    notes: list = field(default_factory=list)


def read_package(directory):
    """{table: [Row]} of the package's CSV files, and the problems reading them."""
    tables, problems, notes = {name: [] for name in TABLES}, [], []
    if not directory.is_dir():
        return tables, [_("%(directory)s is not a directory.") % {"directory": directory}], notes
    files = sorted(directory.glob("*.csv"))
    if not files:
        return tables, [_("%(directory)s holds no CSV files.") % {"directory": directory}], notes
    for path in files:
        name = path.stem
        if name not in TABLES:
            notes.append(_("%(file)s: this table is not imported.") % {"file": path.name})
            continue
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                reader = csv.DictReader(stream)
                if "id" not in (reader.fieldnames or []):
                    problems.append(
                        _("%(file)s: the column “id” is missing.") % {"file": path.name}
                    )
                    continue
                # Lines are counted as a spreadsheet shows them: the header is line 1.
                for line, data in enumerate(reader, start=2):
                    tables[name].append(Row(name, line, data))
        except UnicodeDecodeError:
            problems.append(_("%(file)s: the file is not UTF-8 text.") % {"file": path.name})
        except csv.Error as error:
            problems.append(
                _("%(file)s: not a readable CSV file (%(error)s).")
                % {"file": path.name, "error": error}
            )
    for name, rows in tables.items():
        unread = sorted(
            {column for row in rows for column, value in row.data.items() if value}
            - READ[name]
            - {None}
        )
        if unread:
            notes.append(
                _("%(file)s: columns not imported: %(columns)s.")
                % {"file": f"{name}.csv", "columns": ", ".join(unread)}
            )
    return tables, problems, notes


def _our_slug(address, view):
    """The slug in ``address`` if it is one of our pages of ``view``, else None."""
    ours = urlsplit(settings.SITE_URL)
    parts = urlsplit(address)
    if (parts.scheme, parts.netloc) != (ours.scheme, ours.netloc):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.view_name == view else None


def _cut(text, length):
    """``text`` of at most ``length`` characters, cut at a word with "…" if longer."""
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


class Importer:
    def __init__(self, tables, publish=False):
        self.tables, self.publish = tables, publish
        self.problems, self.report = [], Report()
        self.failed = set()  # ids of rows with a problem: what refers to them is not checked again
        self.vocabulary = hsds.Vocabulary()
        self.ids = {}
        self.by_link = {}  # (table, column, id) → [Row]
        for name, rows in tables.items():
            seen = {}
            for row in rows:
                row_id = self.uuid(row, "id")
                if row_id is None:
                    continue
                if row_id in seen:
                    self.problem(
                        row, _("the id %(id)s is also in line %(line)s.")
                        % {"id": row_id, "line": seen[row_id]}
                    )  # fmt: skip
                seen[row_id] = row.line
                self.ids[(name, row_id)] = row
                for column in ("service_id", "location_id", "organization_id", "link_id"):
                    if column in READ[name] and row[column]:
                        linked = self.uuid(row, column)
                        self.by_link.setdefault((name, column, linked), []).append(row)

    # --- Problems and notes ---------------------------------------------------------------

    def problem(self, row, message):
        text = f"{row.where}: {message}"
        if text not in self.problems:
            self.problems.append(text)
        self.failed.add(_normal(row["id"]))

    def note(self, row, message):
        self.report.notes.append(f"{row.where}: {message}")

    def uuid(self, row, column):
        value = row[column]
        if not value and column != "id":
            return None
        try:
            return str(uuid.UUID(value))
        except ValueError:
            self.problem(
                row, _("“%(value)s” in the column %(column)s is not a UUID.")
                % {"value": value, "column": column}
            )  # fmt: skip
            return None

    def linked(self, table, column, object_id):
        return self.by_link.get((table, column, object_id), [])

    def validate(self, obj, row, sources, exclude=()):
        """Run the model's checks; each error names the file, line and column it came from."""
        try:
            # The check constraints are model.clean() and field validators again, one query each.
            obj.full_clean(
                exclude=[*exclude, "uuid"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.failed.add(_normal(row["id"]))  # also when a message names another file's row
            for name, messages in error.message_dict.items():
                source, column = sources.get(name, (row, name))
                for message in messages:
                    self.problem(source, f"{column}: {message}")
            return False
        return True

    # --- The objects ------------------------------------------------------------------------

    def run(self):
        self.topics = {topic.slug: topic for topic in Topic.objects.all()}
        self.groups = {group.slug: group for group in TargetGroup.objects.all()}
        self.districts = {d.name.casefold(): d for d in District.objects.all()}
        self.languages = {language.code: language for language in Language.objects.all()}
        self.providers = self.import_providers()
        self.places = self.import_locations()
        self.import_offers()
        services = {key[1] for key in self.ids if key[0] == "services"}
        for attribute in self.tables["attributes"]:
            if attribute["link_id"] and self.uuid(attribute, "link_id") not in services:
                self.note(attribute, _("it belongs to no service of the package: left out."))
        return self.report

    def _existing(self, model, table):
        ids = [key[1] for key in self.ids if key[0] == table]
        return {str(obj.uuid): obj for obj in model.objects.filter(uuid__in=ids)}

    def _store(self, kind, obj, before, save):
        """Save ``obj`` if it is new or differs from ``before`` (its values when read)."""
        if before is None:
            save()
            self.report.created[kind].append(str(obj))
        elif before != _values(obj):
            save()
            self.report.changed[kind].append(str(obj))
        else:
            self.report.unchanged[kind] += 1

    def import_providers(self):
        existing = self._existing(Provider, "organizations")
        providers, slugs = {}, Slugs(Provider)
        for row in self.tables["organizations"]:
            org_id = self.uuid(row, "id")
            if org_id is None:
                continue
            provider = existing.get(org_id) or Provider(uuid=org_id, kind=Provider.Kind.OTHER)
            before = _values(provider) if provider.pk else None
            provider.name = row["name"]
            provider.short_name = row["alternate_name"]
            description = row["description"]
            provider.description = "" if description == provider.name else description
            provider.email, provider.website = row["email"], row["website"]
            phones = [
                phone
                for phone in self.linked("phones", "organization_id", org_id)
                if not phone["service_id"] and not phone["contact_id"]
            ]
            provider.phone = _phone(phones[0]["number"]) if phones else ""
            sources = {"short_name": (row, "alternate_name")}
            if phones:
                sources["phone"] = (phones[0], "number")
            slugs.give(provider, _our_slug(row["uri"], "directory:provider_detail"), provider.name)
            if self.validate(provider, row, sources, exclude=["slug"]):
                self._store("providers", provider, before, provider.save)
                providers[org_id] = provider
        return providers

    def provider_of(self, org_id):
        if org_id is None:
            return None
        if org_id not in self.providers:
            self.providers[org_id] = Provider.objects.filter(uuid=org_id).first()
        return self.providers[org_id]

    def import_locations(self):
        existing = self._existing(Location, "locations")
        neighbourhoods = {n.name.casefold(): n for n in Neighbourhood.objects.all()}
        places = {}
        for row in self.tables["locations"]:
            place_id = self.uuid(row, "id")
            if place_id is None:
                continue
            addresses = sorted(
                self.linked("addresses", "location_id", place_id),
                key=lambda address: address["address_type"] != "physical",
            )
            if not addresses:
                self.note(
                    row, _("no address: left out (our places have a street and postal code).")
                )
                continue
            address = addresses[0]
            if address["country"].casefold() not in GERMANY:
                self.note(address, _("a place outside Germany (%(country)s): left out.")
                          % {"country": address["country"]})  # fmt: skip
                continue
            org_id = self.uuid(row, "organization_id")
            if org_id in self.failed:
                continue
            provider = self.provider_of(org_id)
            if provider is None:
                provider = self._provider_of_first_service(place_id)
                if provider is None:
                    self.note(row, _("neither its organization nor a service is known: left out."))
                    continue
                self.note(row, _("organization unknown: the place belongs to %(provider)s.")
                          % {"provider": provider})  # fmt: skip
            place = existing.get(place_id) or Location(uuid=place_id)
            before = _values(place) if place.pk else None
            place.provider, place.name = provider, row["name"]
            place.street = ", ".join(
                part for part in (address["address_1"], address["address_2"]) if part
            )
            place.postal_code = address["postal_code"]
            place.city = address["city"] or "Oberhausen"
            place.neighbourhood = neighbourhoods.get(address["region"].casefold())
            place.latitude, place.longitude = self._coordinates(row)
            accessibility = self.linked("accessibility", "location_id", place_id)
            place.wheelchair_accessible, place.accessibility_note = False, ""
            sources = {
                "street": (address, "address_1"),
                "postal_code": (address, "postal_code"),
                "city": (address, "city"),
            }
            if accessibility:
                first = accessibility[0]
                details = first["details"]
                place.wheelchair_accessible = WHEELCHAIR.get(details, False)
                note = " ".join(
                    text for text in (first["description"], "" if details in WHEELCHAIR else details)
                    if text
                )  # fmt: skip
                place.accessibility_note = self._fit(first, note, Location, "accessibility_note")
                sources["accessibility_note"] = (first, "description")
            if self.validate(place, row, sources):
                self._store("locations", place, before, place.save)
                places[place_id] = place
        return places

    def _provider_of_first_service(self, place_id):
        for link in self.linked("service_at_location", "location_id", place_id):
            service = self.ids.get(("services", self.uuid(link, "service_id")))
            if service is not None:
                provider = self.provider_of(self.uuid(service, "organization_id"))
                if provider is not None:
                    return provider
        return None

    def _coordinates(self, row):
        try:
            latitude = decimal.Decimal(row["latitude"]) if row["latitude"] else None
            longitude = decimal.Decimal(row["longitude"]) if row["longitude"] else None
        except decimal.InvalidOperation:
            self.problem(row, _("the coordinates are not numbers."))
            return None, None
        if latitude is None or longitude is None:
            return None, None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.note(row, _("coordinates %(latitude)s, %(longitude)s lie outside the globe: "
                             "the place is imported without them.")
                      % {"latitude": latitude, "longitude": longitude})  # fmt: skip
            return None, None
        step = decimal.Decimal("0.000001")
        return latitude.quantize(step), longitude.quantize(step)

    def _fit(self, row, text, model, name):
        model_field = model._meta.get_field(name)
        length = model_field.max_length
        if len(text) > length:
            self.note(row, _("%(field)s is longer than %(length)s characters: shortened.")
                      % {"field": model_field.verbose_name, "length": length})  # fmt: skip
        return _cut(text, length)

    # --- Offers --------------------------------------------------------------------------------

    def terms(self):
        """{term id: (taxonomy id, code, name, description)} from the package and our vocabulary."""
        terms = {
            term.id: (term.taxonomy.id, term.slug, term.name, term.description)
            for term in self.vocabulary.terms
        }
        for row in self.tables["taxonomy_terms"]:
            term_id = self.uuid(row, "id")
            if term_id and term_id not in terms:
                terms[term_id] = (row["taxonomy_id"], row["code"], row["name"], row["description"])
        return terms

    def import_offers(self):
        existing = self._existing(Offer, "services")
        terms = self.terms()
        self.slugs, self.new_offers, self.stamps = Slugs(Offer), [], []
        for row in self.tables["services"]:
            offer_id = self.uuid(row, "id")
            if offer_id is None:
                continue
            org_id = self.uuid(row, "organization_id")
            if org_id in self.failed:
                continue
            provider = self.provider_of(org_id)
            if provider is None:
                self.problem(row, _("the organization %(id)s is neither in the package nor ours.")
                             % {"id": row["organization_id"] or "–"})  # fmt: skip
                continue
            offer = existing.get(offer_id) or Offer(uuid=offer_id, status=Offer.Status.DRAFT)
            self.import_offer(row, offer_id, offer, provider, terms)
        if self.problems:
            return
        # New offers in bulk (the demo loader's way: a few queries per relation), then the
        # package's modification times, which saving would have set to now.
        Offer.objects.create_with_relations(
            self.new_offers, reason=_("Imported from an HSDS package.")
        )
        stamped = []
        for offer, modified in self.stamps:
            if modified:
                offer.updated_at = modified
                stamped.append(offer)
        Offer.objects.bulk_update(stamped, ["updated_at"], batch_size=500)

    def import_offer(self, row, offer_id, offer, provider, terms):
        before = (_values(offer), _relations(offer)) if offer.pk else None
        offer.provider, offer.title = provider, row["name"]
        summary, _blank, description = row["description"].partition("\n\n")
        limit = Offer._meta.get_field("summary").max_length
        if len(summary) > limit:
            summary, description = _cut(summary, limit), row["description"]
        offer.summary, offer.description = summary, description
        features = self.features(offer_id, terms)
        slug = _our_slug(row["url"], "directory:detail")
        if row["url"] and not slug:
            try:
                URLValidator(schemes=["http", "https"])(row["url"])
            except ValidationError as error:
                self.problem(row, f"url: {error.messages[0]}")
        website = features.get("webseite", "")
        if not slug and not website:
            website = row["url"]
        offer.website = website
        sources = {
            "title": (row, "name"),
            "summary": (row, "description"),
            "description": (row, "description"),
            "website": (row, "url"),
        }
        contacts = self.linked("contacts", "service_id", offer_id)
        phones = self.linked("phones", "service_id", offer_id)
        offer.contact_name = contacts[0]["name"] if contacts else ""
        offer.contact_email = (contacts[0]["email"] if contacts else "") or row["email"]
        offer.contact_phone = _phone(phones[0]["number"]) if phones else ""
        if contacts:
            sources.update(contact_name=(contacts[0], "name"), contact_email=(contacts[0], "email"))
        if phones:
            sources["contact_phone"] = (phones[0], "number")
        for flag, name in hsds.FLAG_FEATURES.items():
            setattr(offer, name, features.get(flag) == "ja")
        application = row["application_process"]
        if application in hsds.APPLICATION_TEXTS.values():
            application = ""
        offer.registration_note = self._fit(row, application, Offer, "registration_note")
        self.import_ages(row, offer, features)
        self.import_cost(row, offer_id, offer, sources)
        schedules = self.linked("schedules", "service_id", offer_id)
        offer.schedule, offer.valid_from, offer.valid_until = "", None, None
        if schedules:
            schedule = schedules[0]
            offer.schedule = schedule["description"]
            offer.valid_from = self.read_date(schedule, "valid_from")
            offer.valid_until = self.read_date(schedule, "valid_to")
            sources["schedule"] = (schedule, "description")
        offer.last_verified_at = self.read_date(row, "assured_date")
        named = before[1]["districts"] if before else set()
        relations = self.relations(row, offer_id, offer, terms, named)
        self.slugs.give(offer, slug, offer.title)
        self.import_status(row, offer, relations)
        if not self.validate(offer, row, sources, exclude=["slug"]):
            return
        modified = self.read_datetime(row, "last_modified")
        after = (_values(offer), {name: set(pks) for name, pks in relations.items()})
        if before is None:
            self.new_offers.append((offer, relations))
            self.stamps.append((offer, modified))
            self.report.created["offers"].append(str(offer))
        elif before != after:
            offer.save_with_relations(relations, reason=_("Imported from an HSDS package."))
            self.stamps.append((offer, modified))
            self.report.changed["offers"].append(str(offer))
        else:
            self.report.unchanged["offers"] += 1

    def features(self, offer_id, terms):
        """{feature code: value} of the service's attributes of our "Merkmale"."""
        values = {}
        for attribute in self.linked("attributes", "link_id", offer_id):
            term = terms.get(self.uuid(attribute, "taxonomy_term_id"))
            if term and term[0] == hsds.FEATURES.id:
                values[term[1]] = attribute["value"]
        return values

    def import_ages(self, row, offer, features):
        def months(code, years_column, upper):
            if features.get(code, "") != "":
                return self.number(row, features[code], code)
            years = self.number(row, row[years_column], years_column)
            if years is None:
                return None
            value = (years + 1) * 12 - 1 if upper else years * 12
            if value > MAX_AGE_MONTHS:
                self.note(row, _("%(column)s %(years)s: beyond our ages, taken as no limit.")
                          % {"column": years_column, "years": years})  # fmt: skip
                return None
            return value

        offer.min_age_months = months("mindestalter-monate", "minimum_age", upper=False)
        offer.max_age_months = months("hoechstalter-monate", "maximum_age", upper=True)

    def import_cost(self, row, offer_id, offer, sources):
        labels = {str(label): value for value, label in Offer.Cost.choices}
        options = self.linked("cost_options", "service_id", offer_id)
        if not options:
            offer.cost, offer.cost_note = Offer.Cost.PAID, ""
            self.note(row, _("no cost option: imported as fee-based, please check."))
            return
        option = options[0]
        sources["cost_note"] = (option, "amount_description")
        if option["option"] in labels:
            offer.cost, offer.cost_note = labels[option["option"]], option["amount_description"]
            return
        amount = self.number(option, option["amount"], "amount", whole=False)
        offer.cost = Offer.Cost.FREE if amount == 0 else Offer.Cost.PAID
        amount_text = f"{option['amount']} {option['currency'].upper()}".strip() if amount else ""
        note = " ".join(
            part for part in (option["option"], amount_text, option["amount_description"]) if part
        )
        offer.cost_note = self._fit(option, note, Offer, "cost_note")

    def relations(self, row, offer_id, offer, terms, named):
        """The offer's relations from the package (``named``: the Sozialräume it names now)."""
        topics, groups = self.topics, self.groups
        chosen = {"topics": set(), "target_groups": set()}
        for attribute in self.linked("attributes", "link_id", offer_id):
            term_id = self.uuid(attribute, "taxonomy_term_id")
            term = terms.get(term_id)
            if term is None:
                self.note(attribute, _("the taxonomy term %(id)s is unknown: left out.")
                          % {"id": attribute["taxonomy_term_id"]})  # fmt: skip
                continue
            taxonomy, code, name, description = term
            if taxonomy == hsds.TOPICS.id:
                topic = topics.get(code) or Topic.objects.create(
                    slug=code, name=name, description=description if description != name else ""
                )
                topics[code] = topic
                chosen["topics"].add(topic.pk)
            elif taxonomy == hsds.GROUPS.id:
                group = groups.get(code) or TargetGroup.objects.create(slug=code, name=name)
                groups[code] = group
                chosen["target_groups"].add(group.pk)
            elif taxonomy not in (hsds.PHASES.id, hsds.FEATURES.id):
                self.note(attribute, _("the term “%(name)s” is not of our taxonomies: left out.")
                          % {"name": name})  # fmt: skip
        places = [
            self.places[location_id]
            for link in self.linked("service_at_location", "service_id", offer_id)
            if (location_id := self.uuid(link, "location_id")) in self.places
        ]
        by_name = self.districts
        placed = {place.neighbourhood.district_id for place in places if place.neighbourhood}
        # The package names the Sozialräume served, ours and those of the places: the offer
        # is named for those its places do not give, and keeps what it already names.
        districts = set()
        for area in self.linked("service_areas", "service_id", offer_id):
            if area["description"] == "Stadtweit":
                offer.citywide = True
            elif district := by_name.get(area["name"].casefold()):
                if district.pk not in placed or district.pk in named:
                    districts.add(district.pk)
            else:
                self.note(area, _("“%(name)s” is not a Sozialraum of Oberhausen: left out.")
                          % {"name": _cut(area["name"], 60)})  # fmt: skip
        languages = set()
        known = self.languages
        for held in self.linked("languages", "service_id", offer_id):
            code = held["code"].lower()
            language = known.get(code)
            if language is None:
                language = Language(code=code, name=held["name"] or code)
                if not self.validate(language, held, {}):
                    continue
                language.save()
                known[code] = language
            languages.add(language.pk)
        if offer.citywide:
            districts = named  # a citywide offer's service area is "Stadtweit" only
        return {
            "topics": sorted(chosen["topics"]),
            "target_groups": sorted(chosen["target_groups"]),
            "locations": sorted(place.pk for place in places),
            "districts": sorted(districts),
            "languages": sorted(languages),
        }

    def import_status(self, row, offer, relations):
        if not self.publish or offer.status == Offer.Status.PUBLISHED:
            return
        missing = []
        if row["status"] not in ("", "active"):
            missing.append(_("status “%(status)s”") % {"status": row["status"]})
        if not relations["topics"]:
            missing.append(_("a topic"))
        try:
            Offer.validate_place(
                relations["locations"], offer.citywide, offer.outreach, offer.online
            )
        except ValidationError:
            missing.append(_("a place"))
        if missing:
            self.note(
                row, _("stays a draft (missing: %(missing)s).") % {"missing": ", ".join(missing)}
            )
            return
        offer.status, offer.published_at = Offer.Status.PUBLISHED, timezone.now()

    # --- Values ------------------------------------------------------------------------------

    def number(self, row, value, column, whole=True):
        if value in ("", None):
            return None
        try:
            return int(value) if whole else decimal.Decimal(value)
        except (ValueError, decimal.InvalidOperation):
            self.problem(row, _("%(column)s: “%(value)s” is not a number.")
                         % {"column": column, "value": value})  # fmt: skip
            return None

    def read_date(self, row, column):
        if not row[column]:
            return None
        try:
            return datetime.date.fromisoformat(row[column][:10])
        except ValueError:
            self.problem(row, _("%(column)s: “%(value)s” is not a date (YYYY-MM-DD).")
                         % {"column": column, "value": row[column]})  # fmt: skip
            return None

    def read_datetime(self, row, column):
        if not row[column]:
            return None
        try:
            value = datetime.datetime.fromisoformat(row[column].replace("Z", "+00:00"))
        except ValueError:
            self.problem(row, _("%(column)s: “%(value)s” is not a time (ISO 8601).")
                         % {"column": column, "value": row[column]})  # fmt: skip
            return None
        return value if timezone.is_aware(value) else timezone.make_aware(value)


def _normal(value):
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return value


def _phone(number):
    """A phone number as spreadsheets keep it ('0208 …, "+49 …"), without those quotes."""
    return number.strip().strip("'\"").strip()


class Slugs:
    """The slugs of a model, taken in the database or by this import."""

    def __init__(self, model):
        self.model = model
        self.taken = {slug: ("pk", pk) for slug, pk in model.objects.values_list("slug", "pk")}

    def give(self, obj, ours, text):
        """Our slug from the package if it is free (or already the object's), else one of ``text``."""
        owner = ("pk", obj.pk) if obj.pk else ("new", id(obj))
        if ours and self.taken.get(ours, owner) == owner:
            slug = ours
        elif obj.slug:
            return
        else:
            slug = unique_slug(self.model, text, taken=self.taken)
        obj.slug = slug
        self.taken[slug] = owner


# Fields compared to tell whether an import changed an object.
IGNORED = {"id", "uuid", "created_at", "updated_at", "search_context", "search_document",
           "published_at"}  # fmt: skip


def _values(obj):
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in IGNORED and not f.generated
    }


def _relations(offer):
    return {
        name: set(getattr(offer, name).values_list("pk", flat=True)) for name in OFFER_RELATIONS
    }


def import_package(directory, publish=False, dry_run=False):
    """Import the package in ``directory`` all or nothing; returns the ``Report``.

    Raises ``PackageError`` listing every problem when anything is wrong (then
    nothing is saved). ``dry_run`` does everything and saves nothing.
    """
    tables, problems, notes = read_package(directory)
    if problems:
        raise PackageError(problems, notes)
    with transaction.atomic():
        importer = Importer(tables, publish=publish)
        importer.report.notes[:0] = notes
        importer.run()
        if importer.problems:
            transaction.set_rollback(True)
            raise PackageError(importer.problems, importer.report.notes)
        if dry_run:
            transaction.set_rollback(True)
    return importer.report
