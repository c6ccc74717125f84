"""What the models of the data core share."""

from django.db import models

from offers.text import german_slugify


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
