"""Our offers as Open Referral HSDS 3 objects (services, organizations, locations, taxonomies).

Ids: offers, providers and locations carry a stable UUID (``uuid``); every
other object's id is derived from them with ``uuid5`` (a service's phone, a
service at a location, a taxonomy term from its taxonomy and slug), so the
same data gets the same ids in every export and on every installation.

Empty values are left out: HSDS types a text as ``string``, so ``null`` would
not be valid.
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from pyroaring import BitMap

from offers.ages import describe_age_range
from offers.models import (
    AgePhase,
    Location,
    Offer,
    TargetGroup,
    Topic,
    ages_overlap,
    serving_districts,
)

# Fixed namespace of the derived ids (never change it: every derived id would change).
NAMESPACE = uuid.UUID("6f1c0e1e-9b1f-4c52-9a57-3d0d3c2b7a10")
HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"


def derived_id(*parts):
    """A stable UUID for an object that has none of its own ("phone", offer uuid, …).

    ``uuid.uuid5(NAMESPACE, "phone/<uuid>")`` as text, computed without UUID
    objects: a page of 50 full services needs about a thousand.
    """
    name = "/".join(part if isinstance(part, str) else str(part) for part in parts)
    h = hashlib.sha1(_NAMESPACE_BYTES + name.encode()).hexdigest()
    # Version 5 in the 13th hex digit, the RFC 4122 variant in the top bits of the 17th.
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_NAMESPACE_BYTES = NAMESPACE.bytes
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


@functools.cache
def _page_path(view, language):
    return reverse(view, args=["--slug--"])


def page_url(view, slug):
    """The address of our page of ``view`` for ``slug`` (reversed once per view and language)."""
    path = _page_path(view, translation.get_language())
    return f"{settings.SITE_URL}{path.replace('--slug--', slug)}"


def _clean(data):
    """The object without empty values (HSDS texts are strings, never null)."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# --- Taxonomies: topics, age phases, target groups, and the offers' features -------------------


class Taxonomy:
    def __init__(self, slug, name, description):
        self.slug, self.name, self.description = slug, name, description
        self.id = derived_id("taxonomy", slug)

    @property
    def hsds(self):  # not kept: it names SITE_URL, a setting
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "version": "1",
            "uri": f"{settings.SITE_URL}/daten/#{self.slug}",
        }


TOPICS = Taxonomy("themen", "Themen", "Handlungsfelder der Oberhausener Präventionskette")
PHASES = Taxonomy(
    "altersphasen",
    "Altersphasen",
    "Glieder der Präventionskette von der Schwangerschaft bis zum Berufseinstieg",
)
GROUPS = Taxonomy("zielgruppen", "Zielgruppen", "Für wen ein Angebot gedacht ist")
FEATURES = Taxonomy(
    "merkmale", "Merkmale", "Genaue Angaben zu Angeboten, die HSDS nicht eigens vorsieht"
)
TAXONOMIES = [TOPICS, PHASES, GROUPS, FEATURES]
TAXONOMY_BY_ID = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}
# The features: (slug, name, description). Values travel in the attribute's ``value``.
FEATURE_TERMS = [
    ("mindestalter-monate", "Mindestalter in Monaten", "Negative Monate: in der Schwangerschaft"),
    ("hoechstalter-monate", "Höchstalter in Monaten", "Einschließlich dieses Monats"),
    ("stadtweit", "Stadtweit", "Für Familien aus allen Sozialräumen"),
    ("aufsuchend", "Aufsuchend", "Kommt zur Familie (Hausbesuche, aufsuchende Arbeit)"),
    ("online", "Online", "Auch online"),
    ("anmeldung", "Anmeldung erforderlich", "Vorher anmelden"),
    ("webseite", "Webseite", "Die eigene Webseite des Angebots (Wert: die Adresse)"),
]
# The features that are a flag of the offer ("ja" when set): feature slug → Offer field.
FLAG_FEATURES = {
    "stadtweit": "citywide",
    "aufsuchend": "outreach",
    "online": "online",
    "anmeldung": "registration_required",
}
# Stock texts of ``application_process`` when an offer has no note on how to register.
APPLICATION_TEXTS = {True: "Anmeldung erforderlich.", False: "Ohne Anmeldung."}


class Term:
    """A taxonomy term: a topic, age phase or target group, or one of the features."""

    def __init__(self, taxonomy, slug, name, description, obj=None):
        self.taxonomy, self.slug, self.name = taxonomy, slug, name
        self.description, self.obj = description or name, obj
        self.id = derived_id("term", taxonomy.slug, slug)

    @cached_property
    def hsds(self):
        return {
            "id": self.id,
            "code": self.slug,
            "name": self.name,
            "description": self.description,
            "taxonomy": self.taxonomy.name,
            "taxonomy_id": self.taxonomy.id,
            "language": "de",
        }


class Vocabulary:
    """Every taxonomy term: ``terms``, and by object.

    Read in three queries, or without one from the facet index's picture of the
    vocabulary (``current``).
    """

    def __init__(self, topics=None, phases=None, groups=None):
        with translation.override("de"):
            topics = Topic.objects.all() if topics is None else topics
            self.phases = list(AgePhase.objects.all() if phases is None else phases)
            groups = TargetGroup.objects.all() if groups is None else groups
            self.terms = [Term(TOPICS, t.slug, t.name, t.description, t) for t in topics]
            self.terms += [
                Term(PHASES, p.slug, p.name, describe_age_range(p.min_months, p.max_months), p)
                for p in self.phases
            ]
            self.terms += [Term(GROUPS, g.slug, g.name, "", g) for g in groups]
        self.terms += [Term(FEATURES, *feature) for feature in FEATURE_TERMS]
        self.by_id = {term.id: term for term in self.terms}
        self._positions = {term.id: position for position, term in enumerate(self.terms)}
        self._by_object = {
            (term.taxonomy.slug, term.obj.pk): term for term in self.terms if term.obj is not None
        }
        self.feature = {term.slug: term for term in self.terms if term.taxonomy is FEATURES}

    _kept = (None, None)

    @classmethod
    def current(cls, state):
        """The vocabulary of the facet index's ``state`` (``offers.facet_index``), made once for
        each picture of it: the index reads the vocabulary anew whenever it changes."""
        source, vocabulary = cls._kept
        if source is not state.vocabulary:
            source = state.vocabulary
            vocabulary = cls(source["topic"], source["phase"], source["target_group"])
            cls._kept = (source, vocabulary)
        return vocabulary

    def of(self, taxonomy, obj):
        return self.by_pk(taxonomy, obj.pk)

    def by_pk(self, taxonomy, pk):
        return self._by_object[(taxonomy.slug, pk)]

    def position(self, term):
        """Where ``term`` stands in the vocabulary (the order of topics, phases, groups)."""
        return self._positions[term.id]


# --- Organizations, locations -----------------------------------------------------------------


def organization(provider):
    provider_id = str(provider.uuid)
    return _clean(
        {
            "id": provider_id,
            "name": provider.name,
            "alternate_name": provider.short_name,
            "description": provider.description_de or provider.name,
            "email": provider.email,
            "website": provider.website,
            "uri": page_url("directory:provider_detail", provider.slug),
            "phones": [{"id": derived_id("phone", provider_id), "number": provider.phone}]
            if provider.phone
            else [],
        }
    )


def location(place):
    place_id = str(place.uuid)
    district = place.district
    where = [
        place.neighbourhood.name if place.neighbourhood else "",
        district.name if district else "",
    ]
    return _clean(
        {
            "id": place_id,
            "location_type": "physical",
            "organization_id": str(place.provider.uuid),
            "name": place.name,
            "description": ", ".join(
                text
                for text in [
                    f"Stadtteil {where[0]}" if where[0] else "",
                    f"Sozialraum {where[1]}" if where[1] else "",
                ]
                if text
            ),
            "latitude": float(place.latitude) if place.latitude is not None else None,
            "longitude": float(place.longitude) if place.longitude is not None else None,
            "addresses": [
                {
                    "id": derived_id("address", place_id),
                    "location_id": place_id,
                    "address_1": place.street,
                    "city": place.city,
                    "region": where[0] or place.city,
                    "state_province": "Nordrhein-Westfalen",
                    "postal_code": place.postal_code,
                    "country": "DE",
                    "address_type": "physical",
                }
            ],
            "accessibility": [
                _clean(
                    {
                        "id": derived_id("accessibility", place_id),
                        "location_id": place_id,
                        "description": place.accessibility_note,
                        "details": "rollstuhlgerecht"
                        if place.wheelchair_accessible
                        else "nicht rollstuhlgerecht",
                    }
                )
            ],
        }
    )


# --- Services ---------------------------------------------------------------------------------


# What ``service()`` reads of an offer and its provider (open data speaks German: the
# texts' other languages are not read); ``with_related()`` reads nothing else.
SERVICE_FIELDS = [
    "uuid",
    "slug",
    *(f"{name}_de" for name in Offer.TRANSLATED_TEXTS),
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "registration_required",
    "registration_note",
    "cost",
    "min_age_months",
    "max_age_months",
    "citywide",
    "outreach",
    "online",
    "valid_from",
    "valid_until",
    "last_verified_at",
    "updated_at",
    *(
        f"provider__{name}"
        for name in ("uuid", "slug", "name", "short_name", "description_de", "email", "website")
    ),
    "provider__phone",
]


def with_related(offers):
    """The offers with their provider; ``read_related`` adds the rest to a page of them."""
    return offers.select_related("provider").only(*SERVICE_FIELDS)


class _Language:
    def __init__(self, code, name):
        self.code, self.name = code, name


class _District:
    def __init__(self, pk, slug, name, position):
        self.pk, self.slug, self.name, self.position = pk, slug, name, position


def read_related(offers, vocabulary, state=None):
    """Give each offer of the list everything a full service shows.

    Topics and target groups come as the vocabulary's terms, languages and
    Sozialräume as plain values, the places once each (a place serves many
    offers): the relations land in plain lists (``hsds_topics``, …), which cost
    a fraction of model instances from a prefetch at 50 services a page.

    ``hsds_areas``: the Sozialräume the offer names or has a place in (read
    only for an offer that is not citywide: one that is serves Oberhausen). Six queries; with
    the facet index's ``state`` (``offers.facet_index``), for
    offers it holds as published, one: their topics, target groups, languages and
    the Sozialräume they serve are its bitmaps (the same relations, read on every
    change), only their places are read.
    """
    by_pk = {offer.pk: offer for offer in offers}
    for offer in offers:
        offer.hsds_topics, offer.hsds_target_groups, offer.hsds_languages = [], [], []
        offer.hsds_areas, offer.hsds_locations = [], []
    if not by_pk:
        return offers
    ids = list(by_pk)
    if state is not None and all(pk in state.published for pk in ids):
        _related_from_index(by_pk, vocabulary, state)
    else:
        _related_from_database(by_pk, vocabulary)
    for offer in offers:
        offer.hsds_topics.sort(key=vocabulary.position)
        offer.hsds_target_groups.sort(key=vocabulary.position)
    return offers


def _related_from_database(by_pk, vocabulary):
    ids = list(by_pk)
    for offer_id, pk in Offer.topics.through.objects.filter(offer_id__in=ids).values_list(
        "offer_id", "topic_id"
    ):
        by_pk[offer_id].hsds_topics.append(vocabulary.by_pk(TOPICS, pk))
    for offer_id, pk in Offer.target_groups.through.objects.filter(offer_id__in=ids).values_list(
        "offer_id", "targetgroup_id"
    ):
        by_pk[offer_id].hsds_target_groups.append(vocabulary.by_pk(GROUPS, pk))
    languages = Offer.languages.through.objects.filter(offer_id__in=ids).order_by(
        "language__name", "language__code"
    )
    for offer_id, code, name in languages.values_list(
        "offer_id", "language__code", "language__name"
    ):
        by_pk[offer_id].hsds_languages.append(_Language(code, name))
    districts = {pk: [] for pk in ids}
    named = Offer.districts.through.objects.filter(offer_id__in=ids).values_list(
        "offer_id", "district_id", "district__slug", "district__name", "district__position"
    )
    for offer_id, *district in named:
        districts[offer_id].append(_District(*district))
    _read_places(by_pk)
    for pk, offer in by_pk.items():
        offer.hsds_areas = serving_districts(districts[pk], offer.hsds_locations)


def _related_from_index(by_pk, vocabulary, state):
    page = BitMap(by_pk)
    relations = [
        ("topic", lambda offer, obj: offer.hsds_topics.append(vocabulary.of(TOPICS, obj))),
        (
            "target_group",
            lambda offer, obj: offer.hsds_target_groups.append(vocabulary.of(GROUPS, obj)),
        ),
        ("language", lambda offer, obj: offer.hsds_languages.append(obj)),
        ("district", lambda offer, obj: offer.hsds_areas.append(obj)),
    ]
    with translation.override("de"):
        for kind, add in relations:
            objects = state.vocabulary[kind]
            if kind == "language":  # in the order of their German names, as from the database
                objects = sorted(objects, key=lambda language: (language.name, language.code))
            for obj in objects:
                for pk in state.get((kind, obj.pk)) & page:
                    add(by_pk[pk], obj)
    _read_places(by_pk)


def _read_places(by_pk):
    """Each offer's places (``hsds_locations``), by name; a place read once for all its offers."""
    pairs = list(
        Offer.locations.through.objects.filter(offer_id__in=list(by_pk))
        .order_by("location__name", "location_id")
        .values_list("offer_id", "location_id")
    )
    places = Location.objects.select_related("provider", "neighbourhood__district").in_bulk(
        {location_id for _offer, location_id in pairs}
    )
    for offer_id, location_id in pairs:
        by_pk[offer_id].hsds_locations.append(places[location_id])


@functools.cache
def _german_cost(value):
    with translation.override("de"):
        return str(Offer.Cost(value).label)


@functools.lru_cache(maxsize=4096)
def _german_ages(low, high):
    with translation.override("de"):
        return describe_age_range(low, high)


def _years(months):
    """HSDS ages are years: the lower bound rounds down to the year begun, the upper too."""
    if months is None:
        return None
    return max(months, 0) // 12


def _attribute(service_id, term, value=None):
    return _clean(
        {
            "id": derived_id("attribute", service_id, term.id),
            "link_id": service_id,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": term.id,
            "taxonomy_term": term.hsds,
            "value": value,
        }
    )


def service_at_location(offer, place):
    service_id = str(offer.uuid)
    return {
        "id": derived_id("service_at_location", service_id, str(place.uuid)),
        "service_id": service_id,
        "location_id": str(place.uuid),
        # The standard's OpenAPI file gives this answer the service's schema: name and status too.
        "name": f"{offer.title_de} – {place.name}",
        "status": "active",
        "location": location(place),
    }


def service(offer, vocabulary, full=True):
    """A published offer as an HSDS service (``full``: with every nested object).

    ``offer`` comes from ``with_related()``; for ``full``, through ``read_related()``.
    """
    service_id = str(offer.uuid)
    cost, ages = _german_cost(offer.cost), _german_ages(offer.min_age_months, offer.max_age_months)
    fees = f"{cost}. {offer.cost_note_de}" if offer.cost_note_de else cost
    application = offer.registration_note or APPLICATION_TEXTS[offer.registration_required]
    data = {
        "id": service_id,
        "organization_id": str(offer.provider.uuid),
        "name": offer.title_de,
        "description": "\n\n".join(
            text for text in [offer.summary_de, offer.description_de] if text
        ),
        "url": page_url("directory:detail", offer.slug),
        "email": offer.contact_email,
        "status": "active",
        "application_process": application,
        "fees_description": fees,
        "eligibility_description": ages[:1].upper() + ages[1:] if ages else "",
        "minimum_age": _years(offer.min_age_months),
        "maximum_age": _years(offer.max_age_months),
        "assured_date": offer.last_verified_at.isoformat() if offer.last_verified_at else None,
        "last_modified": offer.updated_at.isoformat(),
        "organization": organization(offer.provider),
    }
    if not full:
        return _clean(data)
    features = vocabulary.feature
    attributes = [_attribute(service_id, term) for term in offer.hsds_topics]
    attributes += [
        _attribute(service_id, vocabulary.of(PHASES, phase))
        for phase in vocabulary.phases
        if ages_overlap(
            offer.min_age_months, offer.max_age_months, phase.min_months, phase.max_months
        )
    ]
    attributes += [_attribute(service_id, term) for term in offer.hsds_target_groups]
    if offer.min_age_months is not None:
        attributes.append(
            _attribute(service_id, features["mindestalter-monate"], str(offer.min_age_months))
        )
    if offer.max_age_months is not None:
        attributes.append(
            _attribute(service_id, features["hoechstalter-monate"], str(offer.max_age_months))
        )
    for flag, field in FLAG_FEATURES.items():
        if getattr(offer, field):
            attributes.append(_attribute(service_id, features[flag], "ja"))
    if offer.website:
        attributes.append(_attribute(service_id, features["webseite"], offer.website))
    phones = (
        [
            {
                "id": derived_id("phone", service_id),
                "service_id": service_id,
                "number": offer.contact_phone,
            }
        ]
        if offer.contact_phone
        else []
    )
    contact = _clean(
        {
            "id": derived_id("contact", service_id),
            "service_id": service_id,
            "name": offer.contact_name,
            "email": offer.contact_email,
            "phones": phones,
        }
    )
    areas = (
        [
            {
                "id": derived_id("service_area", service_id, "stadtweit"),
                "service_id": service_id,
                "name": "Oberhausen",
                "description": "Stadtweit",
            }
        ]
        if offer.citywide
        else [
            {
                "id": derived_id("service_area", service_id, district.slug),
                "service_id": service_id,
                "name": district.name,
                "description": f"Sozialraum {district.name}",
            }
            for district in offer.hsds_areas
        ]
    )
    data.update(
        {
            "phones": phones,
            "schedules": [
                _clean(
                    {
                        "id": derived_id("schedule", service_id),
                        "service_id": service_id,
                        "description": offer.schedule_de,
                        "valid_from": offer.valid_from.isoformat() if offer.valid_from else None,
                        "valid_to": offer.valid_until.isoformat() if offer.valid_until else None,
                    }
                )
            ]
            if offer.schedule_de or offer.valid_from or offer.valid_until
            else [],
            "service_areas": areas,
            "service_at_locations": [
                service_at_location(offer, place) for place in offer.hsds_locations
            ],
            "languages": [
                {
                    "id": derived_id("language", service_id, language.code),
                    "service_id": service_id,
                    "name": language.name,
                    "code": language.code,
                }
                for language in offer.hsds_languages
            ],
            "cost_options": [
                _clean(
                    {
                        "id": derived_id("cost_option", service_id),
                        "service_id": service_id,
                        "option": cost,
                        "currency": "EUR",
                        "amount": 0 if offer.cost == Offer.Cost.FREE else None,
                        "amount_description": offer.cost_note_de,
                    }
                )
            ],
            "contacts": [contact] if len(contact) > 2 else [],
            "attributes": attributes,
        }
    )
    return _clean(data)
