"""Where: Stadtbezirke, Sozialräume, Stadtteile."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offers.fields import LineField
from offers.models.common import slug_constraint


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
    # A point in the middle, for "near me": a family may choose its Stadtteil.
    latitude = models.DecimalField(
        _("latitude of its centre"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Used when a family sorts offers by distance from this district."),
    )
    longitude = models.DecimalField(
        _("longitude of its centre"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        verbose_name = _("neighbourhood (Stadtteil)")
        verbose_name_plural = _("neighbourhoods (Stadtteile)")
        ordering = ["name"]
        constraints = [
            slug_constraint("neighbourhood"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="neighbourhood_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="neighbourhood_longitude_in_range",
            ),
        ]

    def __str__(self):
        return self.name
