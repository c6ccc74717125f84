"""Prevention offers and the vocabulary they are described with.

Ages are counted in months relative to birth: 0 is a newborn, 36 a child's
third birthday, and negative months are the pregnancy (-9 its start,
-1 its last month). Age bounds are inclusive and either may be open.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext, npgettext
from simple_history.models import HistoricalRecords

from offers.fields import EmailAddressField, HttpsURLField, LineField, TextField
from offers.search import SearchDocument, SearchDocumentField, search_offers
from offers.text import german_slugify
from offers.validators import multi_line

PREGNANCY_START_MONTHS = -9
MAX_AGE_MONTHS = 99 * 12
VERIFICATION_INTERVAL_DAYS = 365

logger = logging.getLogger(__name__)


def slug_constraint(model_name):
    return models.UniqueConstraint(fields=["slug"], name=f"{model_name}_slug_unique")


# --- Where: Stadtbezirke, Sozialräume, Stadtteile -----------------------------


class Borough(models.Model):
    """A Stadtbezirk: Alt-Oberhausen, Osterfeld or Sterkrade."""

    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("borough (Stadtbezirk)")
        verbose_name_plural = _("boroughs (Stadtbezirke)")
        ordering = ["position", "name"]
        constraints = [slug_constraint("borough")]

    def __str__(self):
        return self.name


class District(models.Model):
    """A Sozialraum, the unit the city's family services plan in."""

    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, related_name="districts", verbose_name=_("borough")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("social area (Sozialraum)")
        verbose_name_plural = _("social areas (Sozialräume)")
        ordering = ["position", "name"]
        constraints = [slug_constraint("district")]

    def __str__(self):
        return self.name


class Neighbourhood(models.Model):
    """A Stadtteil. Which Sozialraum it belongs to is editable: no official list exists."""

    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        verbose_name=_("social area"),
    )

    class Meta:
        verbose_name = _("neighbourhood (Stadtteil)")
        verbose_name_plural = _("neighbourhoods (Stadtteile)")
        ordering = ["name"]
        constraints = [slug_constraint("neighbourhood")]

    def __str__(self):
        return self.name


# --- What and for whom --------------------------------------------------------


class AgePhase(models.Model):
    """A link of the Präventionskette, from pregnancy to the start of working life."""

    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    min_months = models.SmallIntegerField(
        _("from (months)"),
        validators=[MinValueValidator(PREGNANCY_START_MONTHS)],
        help_text=_("Age in months at which the phase starts; negative months are the pregnancy."),
    )
    max_months = models.SmallIntegerField(
        _("up to (months)"),
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_("Last month of age that still belongs to the phase (inclusive)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("age phase")
        verbose_name_plural = _("age phases")
        ordering = ["position", "min_months"]
        constraints = [
            slug_constraint("agephase"),
            models.CheckConstraint(
                condition=Q(min_months__lte=models.F("max_months")),
                name="agephase_min_months_lte_max_months",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.min_months is not None
            and self.max_months is not None
            and self.min_months > self.max_months
        ):
            raise ValidationError(
                {"max_months": _("The end of the phase must not lie before its start.")}
            )


class Topic(models.Model):
    """A Handlungsfeld of the city's prevention conference, or a cross-cutting field."""

    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    description = TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [slug_constraint("topic")]

    def __str__(self):
        return self.name


class TargetGroup(models.Model):
    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["position", "name"]
        constraints = [slug_constraint("targetgroup")]

    def __str__(self):
        return self.name


class Language(models.Model):
    """A language an offer is held in, by its ISO 639-1 code."""

    code = models.CharField(
        _("ISO 639-1 code"),
        max_length=2,
        validators=[
            RegexValidator(r"^[a-z]{2}$", _("Enter the two lower-case letters of ISO 639-1."))
        ],
    )
    name = LineField(_("name"), max_length=60)
    native_name = LineField(
        _("native name"), max_length=60, blank=True, help_text=_("The language's name for itself.")
    )

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="language_code_unique"),
            models.CheckConstraint(
                condition=Exact(Length("code"), 2) & Exact(Lower("code"), models.F("code")),
                name="language_code_two_lowercase_letters",
            ),
        ]

    def __str__(self):
        return self.name


# --- Who and where ------------------------------------------------------------


class ProviderKind(models.TextChoices):
    PUBLIC = "public", _("public body")
    FREE = "free", _("independent welfare provider")
    ASSOCIATION = "association", _("association or initiative")
    HEALTH = "health", _("health service")
    SCHOOL = "school", _("school")
    DAYCARE = "daycare", _("day-care centre or family centre")
    MIGRANT_ORGANISATION = "migrant_organisation", _("migrant organisation")
    EMPLOYMENT = "employment", _("job centre or business")
    OTHER = "other", _("other")


class Provider(models.Model):
    """A Träger: the organisation responsible for offers."""

    Kind = ProviderKind

    name = LineField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = TextField(_("description"), blank=True)
    website = HttpsURLField(_("website"), blank=True)
    email = EmailAddressField(_("email"), blank=True)
    phone = LineField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            slug_constraint("provider"),
            models.CheckConstraint(
                condition=Q(kind__in=ProviderKind.values), name="provider_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Location(models.Model):
    """A Standort of a provider where offers take place."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="locations", verbose_name=_("provider")
    )
    name = LineField(_("name"), max_length=200)
    street = LineField(_("street and number"), max_length=200)
    postal_code = LineField(
        _("postal code"),
        max_length=5,
        validators=[RegexValidator(r"^[0-9]{5}\Z", _("Enter a postal code of five digits."))],
    )
    city = LineField(_("city"), max_length=100, default="Oberhausen")
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="locations",
        null=True,
        blank=True,
        verbose_name=_("neighbourhood (Stadtteil)"),
        help_text=_("Leave empty for places outside Oberhausen."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    accessibility_note = LineField(
        _("accessibility note"),
        max_length=300,
        blank=True,
        help_text=_("For example: lift at the side entrance, accessible toilet, induction loop."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.street}"

    @property
    def district(self):
        return self.neighbourhood.district if self.neighbourhood else None


# --- Offers -------------------------------------------------------------------


def published_q(prefix="", today=None):
    """The condition of published(), for aggregates over related offers (prefix 'offers__')."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": OfferStatus.PUBLISHED}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


def age_overlap_q(min_months, max_months, prefix=""):
    """Offers whose age range overlaps the inclusive range [min_months, max_months]."""
    return (
        Q(**{f"{prefix}min_age_months__isnull": True})
        | Q(**{f"{prefix}min_age_months__lte": max_months})
    ) & (
        Q(**{f"{prefix}max_age_months__isnull": True})
        | Q(**{f"{prefix}max_age_months__gte": min_months})
    )


class OfferQuerySet(models.QuerySet):
    """The vocabulary every view, filter, export and test speaks about offers."""

    def published(self, today=None):
        """Published and not yet expired: what the public may see."""
        return self.filter(published_q(today=today))

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
        named = Offer.districts.through.objects.filter(offer_id=OuterRef("pk"), district_id=_pk(district))
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
        """Not verified within the last VERIFICATION_INTERVAL_DAYS days."""
        today = today or timezone.localdate()
        limit = today - datetime.timedelta(days=VERIFICATION_INTERVAL_DAYS)
        return self.filter(Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=limit))

    def search(self, text):
        """Offers matching every word of ``text``, annotated with ``rank``."""
        return search_offers(self, text)

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


class OfferManager(models.Manager.from_queryset(OfferQuerySet)):
    def get_queryset(self):
        # The search vector is only ever compared in SQL; loading it would
        # multiply the bytes every list moves.
        return super().get_queryset().defer("search_document")


def _pk(obj):
    return obj.pk if isinstance(obj, models.Model) else obj


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")

class OfferCost(models.TextChoices):
    FREE = "free", _("free of charge")
    LOW = "low", _("small contribution")
    PAID = "paid", _("fee-based")


class Offer(models.Model):
    """An Angebot: one prevention offer of one provider."""

    Status = OfferStatus
    Cost = OfferCost

    title = LineField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    summary = models.CharField(
        _("summary"),
        validators=[multi_line],
        max_length=300,
        help_text=_("One or two sentences in plain language, shown in lists (at most 300 characters)."),
    )
    description = TextField(_("description"), blank=True)
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
    cost = models.CharField(_("cost"), max_length=10, choices=OfferCost.choices, default=OfferCost.FREE)
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
        _("schedule"), blank=True, help_text=_("When it takes place, in words, e.g. 'Tuesdays 9–11'.")
    )
    contact_name = LineField(_("contact person"), max_length=120, blank=True)
    contact_phone = LineField(_("contact phone"), max_length=40, blank=True)
    contact_email = EmailAddressField(_("contact email"), blank=True)
    website = HttpsURLField(_("website"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("After this day the offer disappears from public pages (e.g. a course ends)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.DRAFT
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
    search_document = models.GeneratedField(
        expression=SearchDocument("title", "summary", "description"),
        output_field=SearchDocumentField(),
        db_persist=True,
        verbose_name=_("search document"),
    )

    objects = OfferManager()
    history = HistoricalRecords(
        verbose_name=_("historical offer"),
        excluded_fields=["search_document", "updated_at"],
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
            models.Index(fields=["title"], name="offer_title_idx"),
            models.Index(fields=["status", "valid_until"], name="offer_status_valid_until_idx"),
            models.Index(fields=["min_age_months", "max_age_months"], name="offer_age_idx"),
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
                    | Q(min_age_months__gte=PREGNANCY_START_MONTHS, min_age_months__lte=MAX_AGE_MONTHS)
                )
                & (
                    Q(max_age_months__isnull=True)
                    | Q(max_age_months__gte=PREGNANCY_START_MONTHS, max_age_months__lte=MAX_AGE_MONTHS)
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

        Many-to-many values are only known to forms, so forms call this from clean().
        """
        if not locations and not (citywide or outreach or online):
            raise ValidationError(
                _(
                    "Choose at least one location, or say that the offer is citywide, "
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
        today = today or timezone.localdate()
        if self.last_verified_at is None:
            return True
        return (today - self.last_verified_at).days > VERIFICATION_INTERVAL_DAYS

    def save_with_relations(self, relations, by=None, reason=""):
        """Save the offer and its many-to-many relations as one history record."""
        self.skip_history_when_saving = True
        try:
            self.save()
            for name, objects in relations.items():
                getattr(self, name).set(objects)
        finally:
            del self.skip_history_when_saving
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

    def mark_verified(self, by):
        """Record that a coordinator checked the entry is still correct."""
        self.last_verified_at = timezone.localdate()
        self.last_verified_by = by
        self._change_state(by, _("Marked as verified."), ["last_verified_at", "last_verified_by"])

    def return_to_review(self, by):
        """A partner changed the offer: it waits for a coordinator again."""
        self.status = self.Status.SUBMITTED
        self._change_state(by, _("Changed by a partner; back to review."), ["status"])

    # --- Presentation --------------------------------------------------------------

    @property
    def place_modes(self):
        """How the offer reaches families besides its locations, in words."""
        modes = [
            (self.citywide, _("citywide")),
            (self.outreach, _("comes to the family")),
            (self.online, _("online")),
        ]
        return [str(label) for flag, label in modes if flag]

    @property
    def age_range_display(self):
        return describe_age_range(self.min_age_months, self.max_age_months)

    @property
    def served_districts(self):
        """The Sozialräume named for the offer and those of its places (uses with_related())."""
        served = {district.pk: district for district in self.districts.all()}
        for location in self.locations.all():
            if location.district is not None:
                served.setdefault(location.district.pk, location.district)
        return sorted(served.values(), key=lambda district: (district.position, district.name))


def _whole_years(months, upper):
    """Years when ``months`` is a whole number of years for the bound given.

    A lower bound of 36 is the third birthday; an upper bound of 71 is the
    last month before the sixth, so a child of 5 years still fits.
    """
    if upper and months >= 23 and (months + 1) % 12 == 0:
        return (months + 1) // 12 - 1
    if months > 0 and months % 12 == 0:
        return months // 12
    return None


def describe_age(months, upper=False):
    """'6 months' or '3 years', for a non-negative age in months, after a preposition."""
    # German declines after "von", "bis", "ab": "von 6 Monaten bis 3 Jahren".
    years = _whole_years(months, upper)
    if years:
        return npgettext(
            "age after a preposition", "%(count)d year", "%(count)d years", years
        ) % {"count": years}
    return npgettext(
        "age after a preposition", "%(count)d month", "%(count)d months", months
    ) % {"count": months}


def describe_age_range(min_months, max_months):
    """An age range in words, as families read it ('from 1 to 3 years')."""
    if max_months is not None and max_months < 0:
        return gettext("during pregnancy")
    if min_months is not None and min_months < 0:
        if max_months is None:
            return gettext("from pregnancy on")
        return gettext("from pregnancy up to %(age)s") % {
            "age": describe_age(max_months, upper=True)
        }
    if min_months in (None, 0) and max_months is None:
        return gettext("all ages")
    if max_months is None:
        return gettext("from %(age)s") % {"age": describe_age(min_months)}
    if min_months == max_months:
        return gettext("at %(age)s") % {"age": describe_age(min_months)}
    if min_months is None or min_months == 0:
        return gettext("from birth up to %(age)s") % {"age": describe_age(max_months, upper=True)}
    low, high = _whole_years(min_months, upper=False), _whole_years(max_months, upper=True)
    if low and high:
        return gettext("from %(min)d to %(max)d years") % {"min": low, "max": high}
    return gettext("from %(min)s to %(max)s") % {
        "min": describe_age(min_months),
        "max": describe_age(max_months, upper=True),
    }


# --- Contributions from partners ---------------------------------------------------------

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class SubmissionDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class SubmissionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(decision=SubmissionDecision.PENDING)


class Submission(models.Model):
    """Who submitted an offer through the public form, and what they proposed.

    A proposed provider or place is kept here, not created, so nothing unseen
    appears on public pages; publishing turns the proposal into real rows.
    """

    Decision = SubmissionDecision

    offer = models.OneToOneField(
        Offer, on_delete=models.CASCADE, related_name="submission", verbose_name=_("offer")
    )
    reference = models.CharField(_("reference number"), max_length=8, default=new_reference)
    submitter_name = LineField(_("name of the submitter"), max_length=120)
    submitter_organisation = LineField(_("organisation"), max_length=200, blank=True)
    submitter_email = EmailAddressField(_("email of the submitter"))
    consent_at = models.DateTimeField(_("consent to publication given at"))
    proposed_provider_name = LineField(_("proposed provider"), max_length=200, blank=True)
    proposed_provider_kind = models.CharField(
        _("kind of the proposed provider"), max_length=30, choices=ProviderKind.choices, blank=True
    )
    proposed_provider_website = HttpsURLField(_("website of the proposed provider"), blank=True)
    proposed_location_name = LineField(_("proposed place"), max_length=200, blank=True)
    proposed_street = LineField(_("street and number"), max_length=200, blank=True)
    proposed_postal_code = LineField(_("postal code"), max_length=5, blank=True)
    proposed_neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood (Stadtteil)"),
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=SubmissionDecision.choices, default=SubmissionDecision.PENDING
    )
    decision_note = TextField(_("reason given"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="submission_reference_unique"),
            models.CheckConstraint(
                condition=Q(decision__in=SubmissionDecision.values), name="submission_decision_valid"
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.offer}"

    @property
    def proposes_place(self):
        return bool(self.proposed_location_name or self.proposed_street)

    def apply_proposals(self):
        """Create the proposed provider and place if the offer still lacks them."""
        offer = self.offer
        if offer.provider_id is None:
            if not self.proposed_provider_name:
                raise ValidationError(_("Assign a provider before publishing the offer."))
            offer.provider = Provider.objects.create(
                name=self.proposed_provider_name,
                slug=unique_slug(Provider, self.proposed_provider_name),
                kind=self.proposed_provider_kind or ProviderKind.OTHER,
                website=self.proposed_provider_website,
            )
            offer.save(update_fields=["provider", "updated_at"])
        if self.proposes_place and not offer.locations.exists():
            location = Location.objects.create(
                provider=offer.provider,
                name=self.proposed_location_name or self.proposed_street,
                street=self.proposed_street,
                postal_code=self.proposed_postal_code,
                neighbourhood=self.proposed_neighbourhood,
            )
            offer.locations.add(location)

    def decide(self, decision, by, note=""):
        self.decision = decision
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note
        self.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])


def unique_slug(model, text):
    base = german_slugify(text)[:180] or "eintrag"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class ChangeReportReason(models.TextChoices):
    CONTACT = "contact", _("Contact details are wrong")
    ENDED = "ended", _("The offer has ended")
    TIMES = "times", _("The times have changed")
    OTHER = "other", _("Something else")


class ChangeReportStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class ChangeReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ChangeReportStatus.OPEN)


class ChangeReport(models.Model):
    """Someone told us an offer's entry is no longer right ("Änderung melden")."""

    Reason = ChangeReportReason
    Status = ChangeReportStatus

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="change_reports", verbose_name=_("offer")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ChangeReportReason.choices)
    message = TextField(_("message"), blank=True)
    reporter_email = EmailAddressField(_("email for questions"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeReportStatus.choices, default=ChangeReportStatus.OPEN
    )
    resolution_note = TextField(_("how it was resolved"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    objects = ChangeReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("change report")
        verbose_name_plural = _("change reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ChangeReportReason.values), name="changereport_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeReportStatus.values), name="changereport_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.offer}"

    def resolve(self, by, note):
        self.status = self.Status.RESOLVED
        self.resolved_by = by
        self.resolved_at = timezone.now()
        self.resolution_note = note
        self.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])


class PartnerAccount(models.Model):
    """A partner's login: it may edit the offers of one provider, nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_account",
        verbose_name=_("user"),
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="partner_accounts", verbose_name=_("provider")
    )

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self):
        return f"{self.user} – {self.provider}"


# --- Email ---------------------------------------------------------------------------------


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("sending failed")


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=OutgoingEmailStatus.FAILED)

    def to_retry(self, now=None, grace=datetime.timedelta(minutes=5)):
        """Failed emails, and pending ones whose sending after the commit never happened."""
        now = now or timezone.now()
        return self.filter(
            Q(status=OutgoingEmailStatus.FAILED)
            | Q(status=OutgoingEmailStatus.PENDING, created_at__lt=now - grace)
        )


class OutgoingEmail(models.Model):
    """An email the site sends, stored with the change it reports (the outbox).

    It is written in the same transaction as the submission, report or
    decision it is about, and sent only after that transaction committed:
    a mail server that is down never loses a submission, and a failure stays
    visible to the coordinators until the email is sent again.
    """

    Status = OutgoingEmailStatus

    kind = models.CharField(_("kind"), max_length=60)
    recipients = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("offer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outgoingemail_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutgoingEmailStatus.values), name="outgoingemail_status_valid"
            ),
        ]

    def __str__(self):
        return self.subject

    def send(self):
        """Hand the email to the mail server; record the outcome instead of raising."""
        from django.core.mail import EmailMessage

        self.attempts += 1
        try:
            EmailMessage(self.subject, self.body, None, list(self.recipients)).send()
        except Exception as error:  # SMTP, network, encoding: whatever it is, nothing is lost
            logger.exception("Email %s (%s) could not be sent", self.pk, self.kind)
            self.status = self.Status.FAILED
            self.last_error = f"{type(error).__name__}: {error}"[:1000]
        else:
            self.status = self.Status.SENT
            self.sent_at = timezone.now()
            self.last_error = ""
        self.save(update_fields=["status", "attempts", "last_error", "sent_at"])
        return self.status == self.Status.SENT
