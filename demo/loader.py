"""Loads the fictional Oberhausen demo data set, and bulk load-test offers.

Everything is keyed by slug and only created when missing, so loading twice
changes nothing. Randomness is seeded per item, so every machine gets the
same data set.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo import content
from directory.cache import bump_offers_version, one_version_bump
from networks.models import Membership, Network
from offers.facet_index import record_change
from offers.models import (
    REFERENCE_ALPHABET,
    AgePhase,
    ChangeReport,
    District,
    Language,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    Submission,
    SynonymGroup,
    TargetGroup,
    Topic,
    insert_relations,
)
from offers.search_index import rebuild_search_index
from offers.text import german_slugify
from offers.vocabulary import load_vocabulary
from steering.models import ChildPopulation

GENERATED_SLUG_PREFIX = "generiert-"
# A few neighbourhood offers are left out on purpose: the chain matrix should show gaps.
GAP_PROBABILITY = 0.06
# Where a neighbourhood offer goes when no provider of its own kind works in a Sozialraum:
# family centres and welfare providers host other providers' consultation hours.
HOST_KINDS = ("daycare", "free", "public")
CENTRE = (Decimal("51.4963"), Decimal("6.8638"))


@dataclass
class DemoStats:
    providers: int = 0
    locations: int = 0
    offers: int = 0
    networks: int = 0


def load_demo_data(today=None):
    """Create whatever part of the demo data set is missing; returns what was created."""
    today = today or timezone.localdate()
    stats = DemoStats()
    # One replacement of the cache version for the whole load, not one per row.
    with transaction.atomic(), one_version_bump():
        load_vocabulary()
        providers = _load_providers(stats)
        locations = _load_locations(providers, stats)
        offers_by_key = _load_offers(providers, locations, today, stats)
        _load_networks(providers, offers_by_key, stats)
        _load_synonyms()
        _load_moderation_queue(today)
        _load_child_population(today.year - 1)
    return stats


def _phone(seed):
    return f"0208 000-{random.Random(seed).randint(1000, 9999)}"


def _load_providers(stats):
    providers = {}
    for slug, name, kind, description in content.PROVIDERS:
        providers[slug], created = Provider.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "description": description,
                "website": f"https://{slug}.example.org/",
                "email": f"kontakt@{slug}.example.org",
                "phone": _phone(slug),
                "short_name": content.PROVIDER_SHORT_NAMES.get(slug, ""),
            },
        )
        stats.providers += created
    return providers


def _load_synonyms():
    for terms, note in content.SYNONYMS:
        if not SynonymGroup.objects.filter(terms=terms).exists():
            group = SynonymGroup(terms=terms, note=note)
            group.full_clean()
            group.save()


def _centre(neighbourhood):
    """A Stadtteil's centroid (latitude, longitude), or the city's where it has none."""
    if neighbourhood.latitude is None or neighbourhood.longitude is None:
        return CENTRE
    return neighbourhood.latitude, neighbourhood.longitude


def _load_locations(providers, stats):
    neighbourhoods = {n.slug: n for n in Neighbourhood.objects.all()}
    locations = []
    for provider_slug, places in content.LOCATIONS:
        for index, (name, neighbourhood_slug, wheelchair) in enumerate(places):
            rng = random.Random(f"{provider_slug}-{index}")
            street, postal_code = content.STREETS[neighbourhood_slug]
            latitude, longitude = _centre(neighbourhoods[neighbourhood_slug])
            location, created = Location.objects.get_or_create(
                provider=providers[provider_slug],
                name=name,
                defaults={
                    "street": f"{street} {rng.randint(1, 180)}",
                    "postal_code": postal_code,
                    "neighbourhood": neighbourhoods[neighbourhood_slug],
                    # Within about 350 m of the middle of its Stadtteil.
                    "latitude": latitude + Decimal(rng.randint(-30, 30)) / 10000,
                    "longitude": longitude + Decimal(rng.randint(-45, 45)) / 10000,
                    "wheelchair_accessible": wheelchair,
                    "accessibility_note": (
                        "Stufenloser Eingang, barrierefreies WC."
                        if wheelchair
                        else "Eingang mit drei Stufen, Klingel für Hilfe vorhanden."
                    ),
                },
            )
            stats.locations += created
            locations.append(location)
    return locations


def _contact(seed):
    rng = random.Random(seed)
    first = rng.choice(content.CONTACT_FIRST_NAMES)
    last = rng.choice(content.CONTACT_LAST_NAMES)
    return {
        "contact_name": f"{first} {last}",
        "contact_phone": _phone(f"contact-{seed}"),
        "contact_email": f"{german_slugify(first)}.{german_slugify(last)}@example.org",
    }


def _curation(seed, today):
    """Publication state: mostly published, a few drafts, submissions, archived, expired."""
    rng = random.Random(f"state-{seed}")
    roll = rng.random()
    fields = {
        "status": Offer.Status.PUBLISHED,
        "last_verified_at": today - datetime.timedelta(days=rng.randint(5, 600)),
    }
    if roll < 0.03:
        fields["status"] = Offer.Status.DRAFT
    elif roll < 0.06:
        fields["status"] = Offer.Status.SUBMITTED
        fields["last_verified_at"] = None
    elif roll < 0.08:
        fields["status"] = Offer.Status.ARCHIVED
    elif roll < 0.11:
        fields["valid_from"] = today - datetime.timedelta(days=200)
        fields["valid_until"] = today - datetime.timedelta(days=rng.randint(1, 90))
    elif roll < 0.16:
        fields["valid_until"] = today + datetime.timedelta(days=rng.randint(30, 300))
    return fields


class _Vocabulary:
    def __init__(self):
        self.topics = {t.slug: t for t in Topic.objects.all()}
        self.groups = {g.slug: g for g in TargetGroup.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}


class _NewOffers:
    """The demo offers to create: collected, then inserted in bulk with their relations.

    Offers already in the database (by slug) are kept as they are.
    """

    def __init__(self):
        demo = Offer.objects.exclude(slug__startswith=GENERATED_SLUG_PREFIX)
        self.existing = {offer.slug: offer for offer in demo}
        self.items = []

    def add(self, fields, slug, relations):
        """The offer with this slug (unsaved if new) and whether it is new."""
        if slug in self.existing:
            return self.existing[slug], False
        offer = Offer(slug=slug, **fields)
        self.existing[slug] = offer
        self.items.append((offer, relations))
        return offer, True

    def create(self):
        Offer.objects.create_with_relations(self.items, reason="Demo data")


def _load_offers(providers, locations, today, stats):
    vocabulary = _Vocabulary()
    new_offers = _NewOffers()
    offers_by_key = {}
    now = timezone.now()

    def relations(topics, groups, languages, places, districts):
        return {
            "topics": [vocabulary.topics[t] for t in topics],
            "target_groups": [vocabulary.groups[g] for g in groups],
            "languages": [vocabulary.languages[code] for code in languages],
            "locations": places,
            "districts": districts,
        }

    def translations(key, place=""):
        """The offer's texts in other languages (content.TRANSLATIONS), titled like the German."""
        fields = {}
        for code, texts in content.TRANSLATIONS.get(key, {}).items():
            fields[f"title_{code}"] = texts[0] + place
            fields[f"summary_{code}"] = texts[1]
            if len(texts) > 2:
                fields[f"description_{code}"] = texts[2]
        return fields

    def common(title, summary, description, minimum, maximum, cost, registration, schedule, seed):
        state = _curation(seed, today)
        return {
            "title": title,
            "summary": summary,
            "description": description,
            "min_age_months": minimum,
            "max_age_months": maximum,
            "cost": cost,
            "cost_note": "Ermäßigung mit Familienpass" if cost != Offer.Cost.FREE else "",
            "registration_required": bool(registration),
            "registration_note": registration,
            "schedule": schedule,
            "published_at": now if state["status"] == Offer.Status.PUBLISHED else None,
            **_contact(seed),
            **state,
        }

    for district in District.objects.all():
        district_locations = [
            loc
            for loc in locations
            if loc.neighbourhood and loc.neighbourhood.district_id == district.pk
        ]
        for (
            key,
            title,
            summary,
            description,
            topics,
            groups,
            minimum,
            maximum,
            cost,
            registration,
            schedule,
            languages,
            kinds,
        ) in content.NEIGHBOURHOOD_OFFERS:
            seed = f"{key}-{district.slug}"
            rng = random.Random(seed)
            if rng.random() < GAP_PROBABILITY:
                continue
            location = rng.choice(
                [loc for loc in district_locations if loc.provider.kind in kinds]
                or [loc for loc in district_locations if loc.provider.kind in HOST_KINDS]
                or district_locations
            )
            full_title = f"{title} – {location.name}"
            fields = common(
                full_title,
                summary,
                description,
                minimum,
                maximum,
                cost,
                registration,
                schedule,
                seed,
            )
            fields["provider"] = location.provider
            fields["easy_text"] = content.EASY_TEXTS.get(key, "")
            fields.update(translations(key, f" – {location.name}"))
            offer, created = new_offers.add(
                fields,
                german_slugify(full_title),
                relations(topics, groups, languages, [location], [district]),
            )
            stats.offers += created
            offers_by_key.setdefault(key, []).append(offer)
            if (key, district.slug) in content.PARALLEL_OFFERS:
                stats.offers += _load_parallel_offer(
                    new_offers,
                    fields,
                    location,
                    district_locations,
                    relations(topics, groups, languages, [], [district]),
                    now,
                )

    for (
        key,
        title,
        summary,
        description,
        topics,
        groups,
        minimum,
        maximum,
        cost,
        registration,
        schedule,
        languages,
        provider_slug,
        flags,
    ) in content.CITYWIDE_OFFERS:
        provider = providers[provider_slug]
        places = [] if flags else [loc for loc in locations if loc.provider_id == provider.pk][:1]
        districts = (
            []
            if flags.get("citywide")
            else list({loc.neighbourhood.district for loc in places if loc.neighbourhood})
        )
        fields = common(
            title, summary, description, minimum, maximum, cost, registration, schedule, key
        )
        fields.update(provider=provider, easy_text=content.EASY_TEXTS.get(key, ""), **flags)
        fields.update(translations(key))
        offer, created = new_offers.add(
            fields, german_slugify(title), relations(topics, groups, languages, places, districts)
        )
        stats.offers += created
        offers_by_key.setdefault(key, []).append(offer)
    new_offers.create()
    return offers_by_key


def _load_parallel_offer(new_offers, fields, location, district_locations, relations, now):
    """The same kind of offer by another provider nearby: the steering area's parallel offers."""
    other = next(
        (loc for loc in district_locations if loc.provider_id != location.provider_id), None
    )
    if other is None:
        return 0
    title = fields["title"].replace(location.name, other.name)
    fields = {
        **fields,
        # The titles in every language name the other place.
        **{
            name: text.replace(location.name, other.name)
            for name, text in fields.items()
            if name.startswith("title_") and text
        },
        "title": title,
        "provider": other.provider,
        "status": Offer.Status.PUBLISHED,
        "published_at": now,
        "valid_until": None,
    }
    _, created = new_offers.add(fields, german_slugify(title), {**relations, "locations": [other]})
    return created


def _load_networks(providers, offers_by_key, stats):
    phases = {p.slug: p for p in AgePhase.objects.all()}
    districts = {d.slug: d for d in District.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    for (
        slug,
        name,
        description,
        coordinators,
        members,
        topic_slugs,
        phase_slugs,
        district_slugs,
        offer_keys,
    ) in content.NETWORKS:
        network, created = Network.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "website": f"https://{slug}.example.org/",
                **_contact(slug),
            },
        )
        if not created:
            continue
        stats.networks += 1
        Membership.objects.bulk_create(
            [
                Membership(
                    network=network, provider=providers[p], role=Membership.Role.COORDINATION
                )
                for p in coordinators
            ]
            + [
                Membership(network=network, provider=providers[p], role=Membership.Role.MEMBER)
                for p in members
            ]
        )
        network.topics.set([topics[t] for t in topic_slugs])
        network.age_phases.set([phases[p] for p in phase_slugs])
        network.districts.set([districts[d] for d in district_slugs])
        network.offers.set([offer for key in offer_keys for offer in offers_by_key.get(key, [])])


def _load_moderation_queue(today):
    """Submitted offers come with who sent them; a few change reports wait."""
    now = timezone.now()
    for offer in Offer.objects.filter(status=Offer.Status.SUBMITTED, submission__isnull=True):
        contact = _contact(f"submitter-{offer.slug}")
        Submission.objects.create(
            offer=offer,
            reference="".join(random.Random(offer.slug).choices(REFERENCE_ALPHABET, k=8)),
            submitter_name=contact["contact_name"],
            submitter_organisation=offer.provider.name if offer.provider else "",
            submitter_email=contact["contact_email"],
            consent_at=now,
        )
    if ChangeReport.objects.exists():
        return
    published = list(Offer.objects.published().order_by("slug")[:3])
    for offer, (reason, message) in zip(published, content.CHANGE_REPORTS, strict=False):
        ChangeReport.objects.create(offer=offer, reason=reason, message=message)


# --- Load-test offers ---------------------------------------------------------------


def _load_child_population(year):
    """Plausible, invented numbers of children per Sozialraum and phase, marked as demo."""
    districts = {district.slug: district for district in District.objects.all()}
    for phase in AgePhase.objects.all():
        # Births count once for pregnancy; otherwise the years the phase spans.
        years = 1 if phase.max_months < 0 else (phase.max_months - phase.min_months + 1) / 12
        for slug, share in content.CHILDREN_SHARE.items():
            if slug not in districts:
                continue
            jitter = random.Random(f"children-{year}-{slug}-{phase.slug}").uniform(0.92, 1.08)
            ChildPopulation.objects.get_or_create(
                year=year,
                district=districts[slug],
                phase=phase,
                defaults={
                    "children": round(content.BIRTHS_PER_YEAR * years * share * jitter),
                    "is_demo": True,
                },
            )


def generate_offers(total, batch_size=2000, today=None, progress=None):
    """Make sure ``total`` generated load-test offers exist; returns how many were added.

    Uses bulk inserts for offers and their relations: 100 000 offers load into
    PostgreSQL in well under two minutes.
    """
    today = today or timezone.localdate()
    existing = Offer.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).count()
    if existing >= total:
        return 0
    providers = list(Provider.objects.order_by("pk").values_list("pk", flat=True))
    if not providers:
        raise ValueError("Load the demo data first: generated offers need providers.")
    locations_by_provider = {}
    for location_id, provider_id, district_id in Location.objects.values_list(
        "pk", "provider_id", "neighbourhood__district_id"
    ):
        locations_by_provider.setdefault(provider_id, []).append((location_id, district_id))
    district_ids = list(District.objects.values_list("pk", flat=True))
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    group_ids = list(TargetGroup.objects.values_list("pk", flat=True))
    language_ids = list(Language.objects.values_list("pk", flat=True))
    german = Language.objects.filter(code="de").values_list("pk", flat=True).first()
    neighbourhoods = list(Neighbourhood.objects.values_list("name", flat=True))
    phases = list(AgePhase.objects.values_list("min_months", "max_months"))
    now = timezone.now()

    for start in range(existing, total, batch_size):
        numbers = range(start + 1, min(start + batch_size, total) + 1)
        offers, plans = [], []
        for number in numbers:
            rng = random.Random(number)
            provider_id = rng.choice(providers)
            places = locations_by_provider.get(provider_id, [])
            place = [rng.choice(places)] if places and rng.random() < 0.8 else []
            low, high = rng.choice(phases)
            subject = rng.choice(content.GENERATED_SUBJECTS)
            theme = rng.choice(content.GENERATED_THEMES)
            phrases = rng.sample(content.GENERATED_PHRASES, 5)
            state = _curation(f"generated-{number}", today)
            offers.append(
                Offer(
                    title=f"{subject} {theme} in {rng.choice(neighbourhoods)} ({number})",
                    slug=f"{GENERATED_SLUG_PREFIX}{number:06d}",
                    summary=f"{phrases[0]}: {subject} {theme}, {phrases[1]}.",
                    description=". ".join(phrases[2:]) + ".",
                    provider_id=provider_id,
                    citywide=not place and rng.random() < 0.5,
                    outreach=not place and rng.random() < 0.5,
                    online=rng.random() < 0.1,
                    min_age_months=max(low - rng.choice([0, 0, 12]), -9)
                    if rng.random() < 0.9
                    else None,
                    max_age_months=high + rng.choice([0, 12, 24]) if rng.random() < 0.9 else None,
                    cost=rng.choice(Offer.Cost.values),
                    registration_required=rng.random() < 0.4,
                    schedule=rng.choice(
                        ["Montags 9–11 Uhr", "Mittwochs 15–17 Uhr", "Nach Vereinbarung"]
                    ),
                    published_at=now,
                    **_contact(f"generated-{number}"),
                    **state,
                )
            )
            plans.append(
                {
                    "locations": [location_id for location_id, _ in place],
                    "districts": sorted(
                        {district_id for _, district_id in place if district_id}
                        | set(rng.sample(district_ids, rng.choice([0, 1, 2])))
                    ),
                    "topics": rng.sample(topic_ids, rng.randint(1, 3)),
                    "target_groups": rng.sample(group_ids, rng.randint(1, 2)),
                    "languages": sorted(
                        {german} | set(rng.sample(language_ids, rng.choice([0, 0, 1, 2])))
                    ),
                }
            )
        with transaction.atomic():
            Offer.objects.bulk_create(offers, batch_size=batch_size)
            insert_relations(offers, plans)
        if progress:
            progress(numbers[-1])
    # Bulk inserts send no signals: tell the search index, the facet index and the caches themselves.
    rebuild_search_index(prune=False)
    record_change(None)
    bump_offers_version()
    return total - existing
