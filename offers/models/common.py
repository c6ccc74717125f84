"""What the models of the data core share."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offers.text import german_slugify


def stable_id_field():
    """A UUID that never changes: the id the open data interface (HSDS) gives the row."""
    return models.UUIDField(
        _("stable id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The id in the open data (HSDS); it never changes."),
    )


def slug_constraint(model_name):
    return models.UniqueConstraint(fields=["slug"], name=f"{model_name}_slug_unique")


def unique_slug(model, text, taken=None):
    """A slug for ``text`` not yet taken in ``model`` ("elterncafe", "elterncafe-2", …).

    Nor one of the model's ``RESERVED_SLUGS`` (addresses of other pages).

    ``taken``: the slugs known to be taken (a bulk import's), instead of asking the database.
    """

    def is_taken(slug):
        if slug in getattr(model, "RESERVED_SLUGS", ()):
            return True
        if taken is not None:
            return slug in taken
        return model.objects.filter(slug=slug).exists()

    base = german_slugify(text)[:180] or "eintrag"
    slug, number = base, 1
    while is_taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def copy_into_german_column(app_label, model_name, field):
    """A migration step: the texts ``field`` held so far are German; one UPDATE copies them into
    the German column that django-modeltranslation added (``description_de``)."""

    def copy(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        model.objects.update(**{f"{field}_{settings.LANGUAGE_CODE}": models.F(field)})

    return copy


def pk_of(obj):
    return obj.pk if isinstance(obj, models.Model) else obj


# The range of each coordinate, in degrees (WGS 84).
COORDINATE_RANGES = {"latitude": 90, "longitude": 180}


def coordinate_field(name, verbose_name, **options):
    """An optional latitude or longitude (``name``), six decimals, checked against its range."""
    limit = COORDINATE_RANGES[name]
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
        **options,
    )


def coordinate_constraints(model_name):
    """The database's own check of both coordinates' ranges (empty allowed)."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True})
            | Q(**{f"{name}__gte": -limit, f"{name}__lte": limit}),
            name=f"{model_name}_{name}_in_range",
        )
        for name, limit in COORDINATE_RANGES.items()
    ]
