"""Where: Stadtbezirke, Sozialräume, Stadtteile."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from offers.fields import LineField
from offers.models.common import coordinate_constraints, coordinate_field, slug_constraint


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
    latitude = coordinate_field(
        "latitude",
        _("latitude of its centre"),
        help_text=_("Used when a family sorts offers by distance from this district."),
    )
    longitude = coordinate_field("longitude", _("longitude of its centre"))

    class Meta:
        verbose_name = _("neighbourhood (Stadtteil)")
        verbose_name_plural = _("neighbourhoods (Stadtteile)")
        ordering = ["name"]
        constraints = [slug_constraint("neighbourhood"), *coordinate_constraints("neighbourhood")]

    def __str__(self):
        return self.name
