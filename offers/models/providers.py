"""Who and where: providers (Träger) and their locations."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offers.fields import EmailAddressField, HttpsURLField, LineField, PhoneField, TextField
from offers.models.common import (
    coordinate_constraints,
    coordinate_field,
    slug_constraint,
    stable_id_field,
)
from offers.models.places import Neighbourhood
from offers.validators import german_postal_code


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
    short_name = LineField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("The name families know it by, e.g. “AWO” or “DRK”. The search finds it."),
    )
    slug = models.SlugField(_("slug"), max_length=200)
    uuid = stable_id_field()
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = TextField(_("description"), blank=True)
    website = HttpsURLField(_("website"), blank=True)
    email = EmailAddressField(_("email"), blank=True)
    phone = PhoneField(_("phone"), max_length=40, blank=True)
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
    uuid = stable_id_field()
    street = LineField(_("street and number"), max_length=200)
    postal_code = LineField(
        _("postal code"),
        max_length=5,
        validators=[german_postal_code],
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
    latitude = coordinate_field("latitude", _("latitude"))
    longitude = coordinate_field("longitude", _("longitude"))
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
        constraints = coordinate_constraints("location")

    def __str__(self):
        return f"{self.name}, {self.street}"

    @property
    def district(self):
        return self.neighbourhood.district if self.neighbourhood else None
