"""What the models of the data core share."""

import uuid

from django.db import models
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

    ``taken``: the slugs known to be taken (a bulk import's), instead of asking the database.
    """

    def is_taken(slug):
        if taken is not None:
            return slug in taken
        return model.objects.filter(slug=slug).exists()

    base = german_slugify(text)[:180] or "eintrag"
    slug, number = base, 1
    while is_taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def pk_of(obj):
    return obj.pk if isinstance(obj, models.Model) else obj
