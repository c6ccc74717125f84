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


def unique_slug(model, text):
    """A slug for ``text`` not yet taken in ``model`` ("elterncafe", "elterncafe-2", …)."""
    base = german_slugify(text)[:180] or "eintrag"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def pk_of(obj):
    return obj.pk if isinstance(obj, models.Model) else obj
