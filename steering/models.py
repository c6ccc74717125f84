"""What coordinators add to steer with: population figures and reviewed parallel offers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from offers.fields import TextField
from offers.models import AgePhase, District, Offer


class ChildPopulationQuerySet(models.QuerySet):
    def latest_year(self):
        return self.aggregate(year=Max("year"))["year"]

    def children_by_phase(self, year, district=None):
        """{phase id: children} in ``year``, for one Sozialraum or summed over the city."""
        rows = self.filter(year=year)
        if district is not None:
            rows = rows.filter(district=district)
        return dict(
            rows.values("phase_id")
            .annotate(children=Sum("children"))
            .values_list("phase_id", "children")
        )


class ChildPopulation(models.Model):
    """How many children of an age phase live in a Sozialraum, in one year (the city's statistics).

    For the phase of pregnancy and birth, the number of births in the year.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", verbose_name=_("social area")
    )
    phase = models.ForeignKey(
        AgePhase, on_delete=models.CASCADE, related_name="+", verbose_name=_("age phase")
    )
    children = models.PositiveIntegerField(
        _("children"), help_text=_("For pregnancy and birth: the births of the year.")
    )
    is_demo = models.BooleanField(
        _("demo figure"),
        default=False,
        help_text=_("Invented for the demo data set, not from the city's statistics."),
    )

    objects = ChildPopulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("number of children")
        verbose_name_plural = _("numbers of children")
        ordering = ["-year", "district__position", "district__name", "phase__position"]
        permissions = [("use_steering", _("Can use the steering area"))]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "district", "phase"], name="childpopulation_unique_per_year"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.district} {self.phase}: {self.children}"


class SimilarPair(models.Model):
    """Two published offers of different providers with similar titles or summaries.

    Found by ``manage.py find_parallel_offers`` (nightly): comparing every
    offer with every other is too slow for a page at state scale.
    """

    first = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("offer")
    )
    second = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar offer")
    )
    similarity = models.FloatField(_("similarity"))
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("similar pair")
        verbose_name_plural = _("similar pairs")
        ordering = ["-similarity", "first", "second"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="similarpair_unique_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="similarpair_ordered_pair"
            ),
        ]

    def __str__(self):
        return f"{self.first} / {self.second}"


class ParallelReview(models.Model):
    """A coordinator looked at two similar offers and found them deliberate, not a duplicate."""

    first = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("offer")
    )
    second = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar offer")
    )
    note = TextField(_("note"), max_length=1000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    reviewed_at = models.DateTimeField(_("checked on"), auto_now_add=True)

    class Meta:
        verbose_name = _("checked pair of similar offers")
        verbose_name_plural = _("checked pairs of similar offers")
        ordering = ["-reviewed_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="parallelreview_unique_pair"),
            # One row per pair, whichever offer the coordinator saw first.
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="parallelreview_ordered_pair"
            ),
        ]

    def __str__(self):
        return f"{self.first} / {self.second}"

    @classmethod
    def record(cls, offer, other, by, note=""):
        """Mark the pair as checked: it no longer shows among the possible parallel offers."""
        first, second = sorted([offer, other], key=lambda o: o.pk)
        review, _ = cls.objects.get_or_create(
            first=first, second=second, defaults={"reviewed_by": by, "note": note}
        )
        return review
