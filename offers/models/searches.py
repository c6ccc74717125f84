"""Searches of the public list that found nothing: where families miss an offer.

Counted per day as the normalised text and the filters, nothing else: no
address, no cookie, no browser, nothing about a person. Coordinators only see
what was looked for on several days, and counts are deleted after a while.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offers.models.places import District

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
