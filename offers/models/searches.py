"""What families search: the search vocabulary, synonyms, and searches that found nothing.

``SearchTerm`` is the vocabulary of the offers' own texts (titles, summaries,
descriptions, providers and places), kept by ``offers.search_index``; the
search corrects typos and completes compounds from it. ``SynonymGroup`` holds
words coordinators treat as one (Kita = Kindertagesstätte).

Searches that found nothing are counted per day as the normalised text and the filters, nothing else: no
address, no cookie, no browser, nothing about a person. Coordinators only see
what was looked for on several days, and counts are deleted after a while.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offers.fields import LineField
from offers.models.places import District
from offers.words import WORD, fold, strip_suffix

# Coordinators see a search once it found nothing on this many different days.
UNMET_SEARCH_MIN_DAYS = 3
# Counts older than this are deleted (``manage.py purge_unmet_searches``, daily).
UNMET_SEARCH_KEEP_DAYS = 180
UNMET_SEARCH_TEXT_LENGTH = 100


def normalise_search_text(text):
    """Lower case, single spaces, at most UNMET_SEARCH_TEXT_LENGTH characters."""
    return " ".join((text or "").lower().split())[:UNMET_SEARCH_TEXT_LENGTH]


class UnmetSearchQuerySet(models.QuerySet):
    def record(self, text, filters, description="", district_id=None, day=None):
        """Count one search that found nothing, today; safe when two count at once."""
        day = day or timezone.localdate()
        text = normalise_search_text(text)
        rows = self.filter(day=day, text=text, filters=filters)
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                self.create(
                    day=day,
                    text=text,
                    filters=filters,
                    description=description[:300],
                    district_id=district_id,
                )
        except IntegrityError:  # counted by another request a moment ago
            rows.update(count=F("count") + 1)

    def recurring(self, min_days=UNMET_SEARCH_MIN_DAYS):
        """Searches that found nothing on at least ``min_days`` different days, most days first."""
        return (
            self.values("text", "filters")
            .annotate(
                days=Count("day", distinct=True),
                searches=Sum("count"),
                last_day=Max("day"),
                description=Max("description"),
                district=Max("district__name"),
            )
            .filter(days__gte=min_days)
            .order_by("-days", "-searches", "text", "filters")
        )

    def expired(self, today=None):
        today = today or timezone.localdate()
        return self.filter(day__lt=today - datetime.timedelta(days=UNMET_SEARCH_KEEP_DAYS))


class UnmetSearch(models.Model):
    day = models.DateField(_("day"))
    text = models.CharField(_("search text"), max_length=UNMET_SEARCH_TEXT_LENGTH, blank=True)
    filters = models.CharField(_("filters"), max_length=300, blank=True)
    description = models.CharField(_("filters in words"), max_length=300, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social area"),
    )
    count = models.PositiveIntegerField(_("searches"), default=1)

    objects = UnmetSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("search without result")
        verbose_name_plural = _("searches without result")
        ordering = ["-day", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "text", "filters"], name="unmetsearch_unique_per_day"
            )
        ]

    def __str__(self):
        return f"{self.day}: {self.text} {self.description}".strip()


class SearchTerm(models.Model):
    """One folded word of the offers' texts: what typos and compounds are matched against.

    Rows are added whenever an offer's text changes and pruned by
    ``manage.py rebuild_search_index``; a word left over from an edited offer
    does no harm (it finds nothing), and suggestions are checked before they show.
    """

    term = models.CharField(_("word"), max_length=60, unique=True)
    spelling = models.CharField(
        _("spelling"), max_length=60, help_text=_("As first written in an offer, for suggestions.")
    )

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.term


class SynonymGroupQuerySet(models.QuerySet):
    def alternatives(self):
        """{folded word: other folded words of its groups}, also under each word's stem."""
        alternatives = {}
        for group in self:
            words = group.words
            for word in words:
                for key in {word, strip_suffix(word)}:
                    alternatives.setdefault(key, set()).update(w for w in words if w != word)
        return alternatives


class SynonymGroup(models.Model):
    """Words that mean the same to a family: a search for one finds the others."""

    terms = LineField(
        _("words"),
        max_length=300,
        help_text=_(
            "Single words separated by commas, e.g. “Kita, Kindertagesstätte, Kindergarten”. "
            "A search for any of them finds offers with any of them."
        ),
    )
    note = LineField(_("note"), max_length=200, blank=True)

    objects = SynonymGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("synonyms")
        verbose_name_plural = _("synonyms")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    @property
    def words(self):
        """The group's words, folded as the search compares them."""
        return sorted({fold(term.strip()) for term in self.terms.split(",") if term.strip()})

    def clean(self):
        terms = [term.strip() for term in self.terms.split(",") if term.strip()]
        not_single = [term for term in terms if WORD.fullmatch(term) is None]
        if not_single:
            raise ValidationError(
                {
                    "terms": _("Give single words only, separated by commas: %(words)s")
                    % {"words": ", ".join(not_single)}
                }
            )
        if len({fold(term) for term in terms}) < 2:
            raise ValidationError({"terms": _("Give at least two different words.")})
