"""Prevention offers and the QuerySet vocabulary every view, filter and export speaks.

Ages are counted in months relative to birth (see ``offers.ages``).
"""

import calendar
import datetime
import math
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from offers import geo
from offers.ages import MAX_AGE_MONTHS, PREGNANCY_START_MONTHS, describe_age_range
from offers.fields import EmailAddressField, HttpsURLField, LineField, PhoneField, TextField
from offers.models.cards import CardPlace, OfferCard, card_text, describe_place_modes
from offers.models.choices import OfferCost, OfferStatus
from offers.models.common import pk_of as _pk
from offers.models.common import slug_constraint, stable_id_field
from offers.models.places import District
from offers.models.providers import Location, Provider
from offers.models.vocabulary import Language, TargetGroup, Topic
from offers.relevance import EXACT_RANKING_LIMIT, RankedMatches, RelevanceOrder
from offers.search import (
    SearchDocument,
    SearchDocumentField,
    search_offers,
    search_title_or_summary,
)
from offers.signals import offers_created
from offers.validators import multi_line, no_html
from offers.words import title_key

# The admin warns this many days before overdue hiding takes an offer off the public pages.
HIDING_WARNING_DAYS = 14
# Offer's many-to-many relations, as ``save_with_relations`` and bulk loads take them.
OFFER_RELATIONS = ("locations", "districts", "topics", "target_groups", "languages")


def add_months(day, months):
    """The same day ``months`` later (or earlier), on the month's last day if it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def verified_since(today=None):
    """The earliest verification date that is still current (``REVIEW_INTERVAL_MONTHS``)."""
    today = today or timezone.localdate()
    return add_months(today, -settings.REVIEW_INTERVAL_MONTHS)


def shown_since(today=None):
    """The earliest verification date an offer may have and still be public.

    None while hiding overdue offers is off (``HIDE_OVERDUE_AFTER_MONTHS`` = 0).
    """
    if not settings.HIDE_OVERDUE_AFTER_MONTHS:
        return None
    today = today or timezone.localdate()
    return add_months(verified_since(today), -settings.HIDE_OVERDUE_AFTER_MONTHS)


def published_q(prefix="", today=None, hide_overdue=True):
    """The condition of published(), for aggregates over related offers (prefix 'offers__')."""
    today = today or timezone.localdate()
    condition = Q(**{f"{prefix}status": OfferStatus.PUBLISHED}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )
    limit = shown_since(today) if hide_overdue else None
    if limit is not None:
        condition &= Q(**{f"{prefix}last_verified_at__gte": limit})
    return condition


def related_id_column(relation):
    """The column of an Offer many-to-many table that holds the other side's id.

    ``relation`` is the field's name: "topics" → "topic_id", "target_groups" →
    "targetgroup_id", "locations" → "location_id".
    """
    through = getattr(Offer, relation).through
    return next(
        field.attname
        for field in through._meta.get_fields()
        if field.many_to_one and field.related_model is not Offer
    )


def insert_relations(offers, relations):
    """Bulk-insert the many-to-many rows of saved ``offers``; returns {relation: rows}.

    ``relations`` holds one {relation name: objects or ids} per offer. No
    signals are sent: the caller refreshes what reads these rows.
    """
    rows = {}
    for name in OFFER_RELATIONS:
        through = getattr(Offer, name).through
        column = related_id_column(name)
        rows[name] = through.objects.bulk_create(
            [
                through(offer_id=offer.pk, **{column: _pk(related)})
                for offer, relation in zip(offers, relations, strict=True)
                for related in relation.get(name, ())
            ],
            batch_size=5000,
        )
    return rows


def serving_districts(districts, locations):
    """The Sozialräume named (``districts``) and those of the ``locations``, in their order.

    ``Offer.served_districts`` for relations already read (from a prefetch).
    """
    served = {district.pk: district for district in districts}
    for location in locations:
        if location.district is not None:
            served.setdefault(location.district.pk, location.district)
    return sorted(served.values(), key=lambda district: (district.position, district.name))


def age_overlap_q(min_months, max_months, prefix=""):
    """Offers whose age range overlaps the inclusive range [min_months, max_months]."""
    return (
        Q(**{f"{prefix}min_age_months__isnull": True})
        | Q(**{f"{prefix}min_age_months__lte": max_months})
    ) & (
        Q(**{f"{prefix}max_age_months__isnull": True})
        | Q(**{f"{prefix}max_age_months__gte": min_months})
    )


def ages_overlap(offer_min, offer_max, min_months, max_months):
    """``age_overlap_q`` for one offer's bounds, in Python (the facet index builds on it)."""
    return (offer_min is None or offer_min <= max_months) and (
        offer_max is None or offer_max >= min_months
    )


def refresh_deferred(instance):
    """Whether ``Offer.save_with_relations`` is saving ``instance``.

    The derived data (``offers.search_index``, ``offers.facet_index``) is then
    refreshed once, by its last save, not once per relation.
    """
    return getattr(instance, "defer_search_refresh", False)


class OfferQuerySet(models.QuerySet):
    """The vocabulary every view, filter, export and test speaks about offers.

    Queries speak German: ``filter(title=…)``, ``order_by("title")`` and
    ``values("summary")`` mean the German texts in the original columns,
    whatever the reader's language (translations: ``Offer``'s docstring).
    """

    def _post_init(self):
        # django-modeltranslation puts its queryset class under this one and
        # calls this hook to turn on its rewriting of ``title`` into the
        # reader's column (``title_ar``), which has no German fallback and
        # would sort and filter an Arabic page by mostly empty columns.
        self._rewrite = False
        self._populate = None

    def update(self, **kwargs):
        # Writing a text writes the German text: its original and its German column.
        for name in Offer.TRANSLATED_TEXTS:
            if name in kwargs:
                kwargs.setdefault(f"{name}_{settings.LANGUAGE_CODE}", kwargs[name])
        return super().update(**kwargs)

    def published(self, today=None, hide_overdue=True):
        """Published and not yet expired: what the public may see.

        With ``HIDE_OVERDUE_AFTER_MONTHS`` set, offers overdue for review by
        more than that are left out too, unless ``hide_overdue`` is False
        (the review loop and the coordinators still see them).
        """
        return self.filter(published_q(today=today, hide_overdue=hide_overdue))

    def for_age_months(self, months):
        """Offers whose age range contains ``months`` (negative: pregnancy)."""
        return self.filter(age_overlap_q(months, months))

    def for_age_range(self, min_months, max_months):
        """Offers whose age range overlaps the inclusive range given."""
        return self.filter(age_overlap_q(min_months, max_months))

    def in_phase(self, phase):
        return self.for_age_range(phase.min_months, phase.max_months)

    def in_district(self, district):
        """Offers serving a Sozialraum: named for it, with a place in it, or citywide.

        The one rule for "serves": every filter, count and matrix goes through
        this method or ``served_districts()``, so a corrected Stadtteil or place
        shows everywhere at once.
        """
        named = Offer.districts.through.objects.filter(
            offer_id=OuterRef("pk"), district_id=_pk(district)
        )
        placed = Offer.locations.through.objects.filter(
            offer_id=OuterRef("pk"), location__neighbourhood__district_id=_pk(district)
        )
        return self.filter(Q(citywide=True) | Exists(named) | Exists(placed))

    def served_districts(self):
        """Distinct (offer id, district id) pairs: the Sozialräume each offer names or has a place in.

        Citywide offers serve every Sozialraum; callers add them (``citywide=True``).
        """
        offers = self.values("pk")
        named = Offer.districts.through.objects.filter(offer_id__in=offers).values_list(
            "offer_id", "district_id"
        )
        placed = Offer.locations.through.objects.filter(
            offer_id__in=offers, location__neighbourhood__isnull=False
        ).values_list("offer_id", "location__neighbourhood__district_id")
        return named.union(placed)

    def coverage(self, relation, phases):
        """{(related id, phase id): (offers, providers)} for a many-to-many relation of Offer.

        ``relation`` is "topics", "target_groups" or "languages": the rows of
        the chain matrix. One aggregate query, whatever the number of offers.
        """
        through = getattr(Offer, relation).through
        column = related_id_column(relation)
        aggregates = {}
        for phase in phases:
            in_phase = age_overlap_q(phase.min_months, phase.max_months, prefix="offer__")
            aggregates[f"offers_{phase.pk}"] = Count("offer_id", filter=in_phase)
            aggregates[f"providers_{phase.pk}"] = Count(
                "offer__provider_id", filter=in_phase, distinct=True
            )
        rows = (
            through.objects.filter(offer_id__in=self.values("pk"))
            .values(column)
            .annotate(**aggregates)
            .order_by()
        )
        return {
            (row[column], phase.pk): (row[f"offers_{phase.pk}"], row[f"providers_{phase.pk}"])
            for row in rows
            for phase in phases
        }

    def with_topic(self, topic):
        tagged = Offer.topics.through.objects.filter(offer_id=OuterRef("pk"), topic_id=_pk(topic))
        return self.filter(Exists(tagged))

    def for_target_group(self, group):
        tagged = Offer.target_groups.through.objects.filter(
            offer_id=OuterRef("pk"), targetgroup_id=_pk(group)
        )
        return self.filter(Exists(tagged))

    def in_language(self, language):
        held_in = Offer.languages.through.objects.filter(
            offer_id=OuterRef("pk"), language_id=_pk(language)
        )
        return self.filter(Exists(held_in))

    def by_provider(self, provider):
        return self.filter(provider_id=_pk(provider))

    def free_of_charge(self):
        return self.filter(cost=Offer.Cost.FREE)

    def wheelchair_accessible(self):
        """Offers with at least one wheelchair-accessible place."""
        accessible = Offer.locations.through.objects.filter(
            offer_id=OuterRef("pk"), location__wheelchair_accessible=True
        )
        return self.filter(Exists(accessible))

    def needs_verification(self, today=None):
        """Not verified within the last ``REVIEW_INTERVAL_MONTHS`` months."""
        limit = verified_since(today)
        return self.filter(Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=limit))

    def hidden_within(self, days, today=None):
        """Public offers that overdue hiding takes off the public pages within ``days`` days."""
        today = today or timezone.localdate()
        limit = shown_since(today + datetime.timedelta(days=days))
        if limit is None:
            return self.none()
        return self.published(today).filter(last_verified_at__lt=limit)

    def search(self, text):
        """Offers matching every word of ``text`` (or a ``SearchPlan``), annotated with ``rank``.

        Words also match the provider and the places, their synonyms, compounds
        that contain them and, for unknown words, the vocabulary's nearest spelling.
        """
        return search_offers(self, text)

    def search_in_title_or_summary(self, plan):
        """Offers with every word of ``plan`` in their title or summary (no ``rank``)."""
        return search_title_or_summary(self, plan)

    def among(self, ids):
        """The offers whose ids are in ``ids`` (a bitmap or any iterable of ids), named in
        one array parameter on PostgreSQL: an IN list of 4 408 ids took it 68 ms to
        search and rank, the array 16 ms."""
        ids = list(ids)
        if connections[self.db].vendor != "postgresql":
            return self.filter(pk__in=ids)
        column = f"{connections[self.db].ops.quote_name(self.model._meta.db_table)}.id"
        return self.filter(RawSQL(f"{column} = ANY(%s::bigint[])", [ids], models.BooleanField()))

    def in_order(self, ids, cards=False, known=None):
        """The offers of ``ids`` in that order, read by id without their relations; with
        ``cards``, their cards (``OfferCard``), except those ``known(pk)`` accepts: a list
        keeps their cards rendered, so they are not read at all (stand-ins with just
        their id; any other field would be read on use)."""
        known = {pk for pk in ids if known(pk)} if cards and known else set()
        offers = {pk: self.model.from_db(self.db, ["id"], [pk]) for pk in known}
        rest = [pk for pk in ids if pk not in known]
        if rest:
            found = self.cards(rest) if cards else self.filter(pk__in=rest).order_by()
            offers.update((o.pk, o) for o in found)
        return [offers[pk] for pk in ids if pk in offers]

    def cards(self, ids):
        """The cards (``OfferCard``) of the offers among ``ids``, in no particular order:
        two queries of plain values in the reader's language."""
        language = translation.get_language()
        german = settings.LANGUAGE_CODE
        translated = language != german
        own = language if translated and language in dict(settings.LANGUAGES) else None
        texts = [
            f"{name}_{code}" for name in ("title", "summary") for code in (german, own) if code
        ]
        rows = (
            self.filter(pk__in=ids)
            .order_by()
            .values_list(
                "pk",
                "slug",
                *texts,
                "min_age_months",
                "max_age_months",
                "cost",
                "citywide",
                "outreach",
                "online",
                "provider__name",
            )
        )
        places = defaultdict(list)
        through = Offer.locations.through.objects.using(self.db)
        for offer_id, *place in (
            through.filter(offer_id__in=ids)
            .order_by("location__name", "location_id")
            .values_list(
                "offer_id",
                "location__neighbourhood__name",
                "location__city",
                "location__latitude",
                "location__longitude",
            )
        ):
            neighbourhood, city, latitude, longitude = place
            places[offer_id].append(CardPlace(neighbourhood or city, latitude, longitude))

        cards = []
        for pk, slug, *values in rows:
            if own:
                title, own_title, summary, own_summary, *values = values
            else:
                title, summary, *values = values
                own_title = own_summary = None
            titles = card_text(title, own_title, translated)
            summaries = card_text(summary, own_summary, translated)
            low, high, cost, citywide, outreach, online, provider_name = values
            modes = describe_place_modes(citywide, outreach, online)
            cards.append(
                OfferCard(
                    pk, slug, titles, summaries, (low, high), cost, modes, provider_name, places[pk]
                )
            )
        return cards

    def by_relevance(self, plan, total=None, state=None, selection=None, known=None):
        """The searched offers (``search(plan)`` applied) best match first, as a sliceable list.

        Up to ``EXACT_RANKING_LIMIT`` matches (``total``, when the caller has
        counted them) every match is ranked; given the ``selection``'s bitmap
        (the facet index's answer to this queryset), a ``RankedMatches`` ranks
        just those offers, read by id, whatever plan the database would find
        for the filters. Beyond, on PostgreSQL and given the facet index's
        ``state`` and the ``selection``, a ``RelevanceOrder`` ranks only the
        best candidates, so broad searches stay fast; without them every match
        is ranked. Both read a page's offers by id (``in_order``: with what their cards
        show, those ``known(pk)`` accepts not at all).
        """
        broad = total is None or total > EXACT_RANKING_LIMIT
        indexed = state is not None and selection is not None
        if connections[self.db].vendor == "postgresql" and plan.words and broad and indexed:
            return RelevanceOrder(self, plan, state, selection, known)
        if selection is not None and not broad:
            # The search alone (no other filter): PostgreSQL's own plan for it is the quicker.
            whole = state is not None and selection == state.search(plan)
            return RankedMatches(self, plan, selection, known, whole=whole)
        return self.order_by("-rank", "title", "pk")

    def by_distance(self, place):
        """Nearest first to ``place`` (an ``offers.geo.Place``): by each offer's nearest place.

        Annotates ``distance_sq`` (squared km, for ordering only); offers without
        a place with coordinates (citywide, at home, online) come last, by title.
        """
        kx = geo.KM_PER_DEGREE * math.cos(math.radians(place.latitude))
        dy = (Cast("location__latitude", FloatField()) - place.latitude) * geo.KM_PER_DEGREE
        dx = (Cast("location__longitude", FloatField()) - place.longitude) * kx
        nearest = (
            Offer.locations.through.objects.filter(
                offer_id=OuterRef("pk"),
                location__latitude__isnull=False,
                location__longitude__isnull=False,
            )
            .annotate(distance_sq=dx * dx + dy * dy)
            .order_by("distance_sq")
            .values("distance_sq")[:1]
        )
        return self.annotate(distance_sq=Subquery(nearest, output_field=FloatField())).order_by(
            F("distance_sq").asc(nulls_last=True), "title", "pk"
        )

    def in_title_order(self):
        """The offers as a list in German dictionary order of their German titles (the list's
        order, whatever the reader's language)."""
        german = f"title_{settings.LANGUAGE_CODE}"
        return sorted(self, key=lambda offer: (*title_key(getattr(offer, german)), offer.pk))

    def create_with_relations(self, items, by=None, reason=""):
        """Create offers with their relations in bulk, each with one history record.

        ``items``: (unsaved offer, {relation name: objects or ids}) pairs. For
        loads of many offers (the demo data): a few queries per relation
        instead of dozens per offer, with the same history as
        ``save_with_relations``. Bulk inserts send no signals, so the search
        and facet indexes are told here.
        """
        from offers.facet_index import record_change
        from offers.search_index import refresh_search_index

        offers = [offer for offer, _ in items]
        relations = [relation for _, relation in items]
        if not offers:
            return []
        for offer in offers:
            offer.blank_empty_texts()
        with translation.override(settings.LANGUAGE_CODE):  # the original columns: Offer.save()
            offers = self.bulk_create(offers, batch_size=1000)
        records = Offer.history.bulk_history_create(
            offers, default_user=by, default_change_reason=str(reason)
        )
        rows = insert_relations(offers, relations)
        record_of = {record.id: record for record in records}
        for name, created in rows.items():
            field = Offer._meta.get_field(name)
            history_model = HistoricalRecords.m2m_models[field]
            columns = [f.attname for f in field.remote_field.through._meta.fields]
            history_model.objects.bulk_create(
                [
                    history_model(
                        history=record_of[row.offer_id], **{c: getattr(row, c) for c in columns}
                    )
                    for row in created
                ],
                batch_size=5000,
            )
        refresh_search_index(self.model.objects.filter(pk__in=[offer.pk for offer in offers]))
        record_change([offer.pk for offer in offers], self.db)
        offers_created.send(sender=Offer, offers=offers, using=self.db)
        return offers

    def with_related(self):
        """Everything a list of offers shows, in a fixed number of queries."""
        return self.select_related("provider").prefetch_related(
            "topics",
            "target_groups",
            "languages",
            "districts",
            models.Prefetch(
                "locations",
                queryset=Location.objects.select_related("neighbourhood__district"),
            ),
        )

    def for_cards(self):
        """What an offer card shows (``directory.cards``): the offer, its
        provider and its places; two queries. The lists of the public site show cards,
        so they read four relations fewer than ``with_related()``."""
        return self.select_related("provider").prefetch_related(
            models.Prefetch(
                "locations",
                queryset=Location.objects.select_related("neighbourhood__district"),
            ),
        )


class OfferManager(models.Manager.from_queryset(OfferQuerySet)):
    def get_queryset(self):
        # The search columns are only ever compared in SQL; loading them would
        # multiply the bytes every list moves.
        return super().get_queryset().defer("search_context", "search_document", "search_head")


def not_reserved_slug(slug):
    if slug in Offer.RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another page; please choose another slug."),
            code="reserved",
            params={"slug": slug},
        )


class Offer(models.Model):
    """An Angebot: one prevention offer of one provider.

    Its texts (``TRANSLATED_TEXTS``, registered in offers/translation.py: title, summary,
    description, schedule, note on cost) have a column per language of the
    site (``title_de``, ``title_ar``, …; django-modeltranslation). Reading
    ``offer.title`` gives the reader's language, or German where that is
    empty. The original columns (``title``) always hold the German text:
    ``save()`` writes them in German, and queries, the search document and
    the facet index read them (``OfferQuerySet``).
    """

    Status = OfferStatus
    Cost = OfferCost
    # Addresses of other pages under /angebote/ (the map): no offer may have them as slug.
    RESERVED_SLUGS = frozenset({"karte"})
    # The texts with a column per language (offers/translation.py).
    TRANSLATED_TEXTS = ("title", "summary", "description", "schedule", "cost_note")

    title = LineField(
        _("title"),
        max_length=200,
        help_text=_("Short and clear, e.g. “Krabbelgruppe in Lirich”."),
    )
    slug = models.SlugField(_("slug"), max_length=220, validators=[not_reserved_slug])
    uuid = stable_id_field()
    summary = models.CharField(
        _("summary"),
        validators=[multi_line, no_html],
        max_length=300,
        help_text=_(
            "One or two sentences in plain language, shown in lists (at most 300 characters)."
        ),
    )
    description = TextField(_("description"), max_length=5000, blank=True)
    easy_text = TextField(
        _("text in Leichte Sprache"),
        max_length=3000,
        blank=True,
        help_text=_(
            "Optional: the offer in easy-to-read German. Short sentences, one thought each, "
            "no abbreviations, numbers as digits. Saving shows where a rule is broken."
        ),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="offers",
        null=True,
        blank=True,
        verbose_name=_("provider"),
        help_text=_(
            "Empty only for a submission that proposes a new provider; "
            "publishing creates it from the proposal."
        ),
    )
    locations = models.ManyToManyField(
        Location, blank=True, related_name="offers", verbose_name=_("locations")
    )
    citywide = models.BooleanField(
        _("citywide"),
        default=False,
        help_text=_("Open to families from every social area, wherever it takes place."),
    )
    outreach = models.BooleanField(
        _("comes to the family"),
        default=False,
        help_text=_("Home visits or outreach work instead of, or besides, a fixed place."),
    )
    online = models.BooleanField(_("online"), default=False)
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="offers",
        verbose_name=_("social areas served"),
        help_text=_(
            "The social areas of the offer's locations count anyway; name others it serves here. "
            "Leave empty for citywide offers."
        ),
    )
    topics = models.ManyToManyField(Topic, related_name="offers", verbose_name=_("topics"))
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="offers", verbose_name=_("target groups")
    )
    min_age_months = models.SmallIntegerField(
        _("minimum age (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(PREGNANCY_START_MONTHS), MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_(
            "Empty: no lower bound. 0 = from birth, 12 = from the first birthday; "
            "-9 to -1 = months of pregnancy (e.g. -9 from the start of pregnancy)."
        ),
    )
    max_age_months = models.SmallIntegerField(
        _("maximum age (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(PREGNANCY_START_MONTHS), MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_(
            "Empty: no upper bound. Inclusive: 36 includes children in their 37th month of life; "
            "-1 = only during pregnancy."
        ),
    )
    cost = models.CharField(_("cost"), max_length=10, choices=OfferCost, default=OfferCost.FREE)
    cost_note = LineField(_("note on cost"), max_length=200, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=False)
    registration_note = LineField(
        _("how to register"),
        max_length=300,
        blank=True,
        help_text=_("For example: by phone Mon–Fri 9–12, or online form."),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="offers", verbose_name=_("languages offered")
    )
    schedule = TextField(
        _("schedule"),
        max_length=1000,
        blank=True,
        help_text=_("When it takes place, in words, e.g. 'Tuesdays 9–11'."),
    )
    contact_name = LineField(_("contact person"), max_length=120, blank=True)
    contact_phone = PhoneField(_("contact phone"), max_length=40, blank=True)
    contact_email = EmailAddressField(_("contact email"), blank=True)
    website = HttpsURLField(_("website"), blank=True)
    valid_from = models.DateField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("Only for offers that start later, e.g. a course."),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("After this day the offer disappears from public pages (e.g. a course ends)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus, default=OfferStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    last_verified_at = models.DateField(_("last verified on"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last verified by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_context = models.TextField(
        _("provider and places in words"),
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "Kept by the search index: the provider's names, the places' names and the "
            "translations."
        ),
    )
    search_document = models.GeneratedField(
        # Weights A–D: title, summary, provider and places, description.
        expression=SearchDocument("title", "summary", "search_context", "description"),
        output_field=SearchDocumentField(),
        db_persist=True,
        verbose_name=_("search document"),
    )
    # Title and summary alone, with an index of their own: a broad search's best candidates
    # (every word in title or summary) without reading the rows of every match.
    search_head = models.GeneratedField(
        expression=SearchDocument("title", "summary"),
        output_field=SearchDocumentField(),
        db_persist=True,
        verbose_name=_("title and summary for the search"),
    )

    objects = OfferManager()
    history = HistoricalRecords(
        verbose_name=_("historical offer"),
        excluded_fields=["uuid", "search_context", "search_document", "search_head", "updated_at"],
        # Reasons are sentences (a rejection's reason, a coordinator's note), not labels.
        history_change_reason_field=models.TextField(null=True),
        m2m_fields=[locations, districts, topics, target_groups, languages],
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title"]
        permissions = [("publish_offer", _("Can publish, archive and verify offers"))]
        indexes = [
            # An expression, so modeltranslation does not add an index per language
            # (queries order by the German title only).
            models.Index(F("title"), name="offer_title_idx"),
            models.Index(fields=["status", "valid_until"], name="offer_status_valid_until_idx"),
            models.Index(fields=["min_age_months", "max_age_months"], name="offer_age_idx"),
            # The open data's modified_after (harvesting what changed).
            models.Index(fields=["updated_at"], name="offer_updated_at_idx"),
        ]
        constraints = [
            slug_constraint("offer"),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="offer_status_valid"
            ),
            models.CheckConstraint(condition=Q(cost__in=OfferCost.values), name="offer_cost_valid"),
            models.CheckConstraint(
                condition=Q(min_age_months__isnull=True)
                | Q(max_age_months__isnull=True)
                | Q(min_age_months__lte=models.F("max_age_months")),
                name="offer_min_age_lte_max_age",
            ),
            models.CheckConstraint(
                condition=(
                    Q(min_age_months__isnull=True)
                    | Q(
                        min_age_months__gte=PREGNANCY_START_MONTHS,
                        min_age_months__lte=MAX_AGE_MONTHS,
                    )
                )
                & (
                    Q(max_age_months__isnull=True)
                    | Q(
                        max_age_months__gte=PREGNANCY_START_MONTHS,
                        max_age_months__lte=MAX_AGE_MONTHS,
                    )
                ),
                name="offer_age_bounds_in_range",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="offer_valid_from_lte_valid_until",
            ),
            models.CheckConstraint(
                condition=Q(provider__isnull=False) | ~Q(status=OfferStatus.PUBLISHED),
                name="offer_published_has_provider",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.blank_empty_texts()
        # modeltranslation fills the original columns from the active language's columns.
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if (
            self.min_age_months is not None
            and self.max_age_months is not None
            and self.min_age_months > self.max_age_months
        ):
            errors["max_age_months"] = _("The maximum age must not be lower than the minimum age.")
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            errors["valid_until"] = _("The end date must not lie before the start date.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def validate_place(locations, citywide, outreach, online):
        """An offer happens somewhere: at a location, citywide, at home or online.

        Many-to-many values are only known to forms, so forms call this from clean():
        the admin with the chosen locations, the submission form with the proposed address.
        """
        if not locations and not (citywide or outreach or online):
            raise ValidationError(
                _(
                    "Give at least one place, or tick that the offer is citywide, "
                    "comes to the family or takes place online."
                ),
                code="no_place",
            )

    # --- State -----------------------------------------------------------------

    def is_expired(self, today=None):
        today = today or timezone.localdate()
        return self.valid_until is not None and self.valid_until < today

    def is_public(self, today=None):
        return self.status == self.Status.PUBLISHED and not self.is_expired(today)

    def needs_verification(self, today=None):
        return self.last_verified_at is None or self.last_verified_at < verified_since(today)

    @property
    def review_due_on(self):
        """The day the offer is to be checked again (None: never verified, due now)."""
        if self.last_verified_at is None:
            return None
        return add_months(self.last_verified_at, settings.REVIEW_INTERVAL_MONTHS)

    @property
    def review_address(self):
        """Where a review request goes: the offer's contact, else its provider."""
        return self.contact_email or (self.provider.email if self.provider else "")

    @property
    def current_review_request(self):
        """The latest review request since the last verification, if any (prefetch it)."""
        latest = max(self.review_requests.all(), key=lambda r: r.sent_at, default=None)
        if latest is None or self.last_verified_at is None:
            return latest
        sent_on = timezone.localtime(latest.sent_at).date()
        return latest if sent_on >= self.last_verified_at else None

    @property
    def hidden_from_public_on(self):
        """The day overdue hiding takes the offer off the public pages (None: it never does)."""
        if not settings.HIDE_OVERDUE_AFTER_MONTHS:
            return None
        if self.last_verified_at is None:
            return datetime.date.min
        return add_months(self.review_due_on, settings.HIDE_OVERDUE_AFTER_MONTHS)

    @classmethod
    def translation_columns(cls, names):
        """The columns of the texts ``names`` in the site's languages besides German
        (``title_en``, ``summary_en``, …, ``title_tr``, …), language by language."""
        return [
            f"{name}_{code}"
            for code, _name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
            for name in names
        ]

    def blank_empty_texts(self):
        """Empty is "": a new offer's columns start as NULL, a form writes "", and the
        history would record the difference as a change."""
        for name in self.TRANSLATED_TEXTS:
            for code, _name in settings.LANGUAGES:
                if getattr(self, f"{name}_{code}") is None:
                    setattr(self, f"{name}_{code}", "")

    @classmethod
    def text_columns(cls, name):
        """The columns ``offer.<name>`` reads (for ``only()``): one per language."""
        return [name, *(f"{name}_{code}" for code, _name in settings.LANGUAGES)]

    def text_language(self, name, language):
        """The language a reader of ``language`` reads ``offer.<name>`` in: theirs where the
        offer has the text in it, else German."""
        if getattr(self, f"{name}_{language}", None):
            return language
        return settings.LANGUAGE_CODE

    def untranslated_texts(self, language, names=TRANSLATED_TEXTS):
        """Those of ``names`` the offer has in German but not in ``language``."""
        return [
            name
            for name in names
            if getattr(self, f"{name}_{settings.LANGUAGE_CODE}")
            and not getattr(self, f"{name}_{language}")
        ]

    def save_with_relations(self, relations, by=None, reason=""):
        """Save the offer and its many-to-many relations as one history record."""
        self.skip_history_when_saving = True
        # The search and facet indexes (offers.search_index, offers.facet_index) are
        # refreshed once, by the last save.
        self.defer_search_refresh = True
        try:
            self.save()
            for name, objects in relations.items():
                getattr(self, name).set(objects)
        finally:
            del self.skip_history_when_saving
            del self.defer_search_refresh
        self._history_user = by
        self._change_reason = str(reason)
        self.save()

    def _change_state(self, by, reason, fields):
        """Save a state change; the history records who did it and why."""
        self._history_user = by
        self._change_reason = str(reason)
        self.save(update_fields=[*fields, "updated_at"])

    def publish(self, by):
        """Make the offer public. Publishing counts as verifying it."""
        if self.provider_id is None:
            raise ValidationError(_("Assign a provider before publishing the offer."))
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        self.last_verified_at = timezone.localdate()
        self.last_verified_by = by
        self._change_state(
            by, _("Published."), ["status", "published_at", "last_verified_at", "last_verified_by"]
        )

    def archive(self, by, reason=None):
        """Withdraw the offer from public pages, keeping it for the record."""
        self.status = self.Status.ARCHIVED
        self._change_state(by, reason or _("Archived."), ["status"])

    def mark_verified(self, by, reason=None):
        """Record that the entry was checked and is still correct (``reason``: how)."""
        self.last_verified_at = timezone.localdate()
        self.last_verified_by = by
        self._change_state(
            by, reason or _("Marked as verified."), ["last_verified_at", "last_verified_by"]
        )

    def return_to_review(self, by):
        """A partner changed the offer: it waits for a coordinator again."""
        self.status = self.Status.SUBMITTED
        self._change_state(by, _("Changed by a partner; back to review."), ["status"])

    # --- Presentation --------------------------------------------------------------

    @property
    def place_modes(self):
        """How the offer reaches families besides its locations, in words."""
        return describe_place_modes(self.citywide, self.outreach, self.online)

    @property
    def age_range_display(self):
        return describe_age_range(self.min_age_months, self.max_age_months)

    def take_related(self, **related):
        """Take ``related`` (relation name → its objects, in order) as what
        ``prefetch_related()`` would have read: ``offer.topics.all()`` then costs no query.
        For relations held elsewhere (the facet index keeps every published offer's topics,
        target groups and languages: ``FacetState.related``)."""
        kept = self.__dict__.setdefault("_prefetched_objects_cache", {})
        for name, objects in related.items():
            queryset = getattr(self, name).all()
            # As Django's prefetch leaves it (QuerySet._prefetch_related_objects).
            queryset._result_cache = list(objects)
            queryset._prefetch_done = True
            kept[name] = queryset

    @property
    def served_districts(self):
        """The Sozialräume named for the offer and those of its places (uses with_related())."""
        return serving_districts(self.districts.all(), self.locations.all())
