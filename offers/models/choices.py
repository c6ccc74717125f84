"""What state an offer is in and what it costs: ``Offer`` and its card (``offers.models.cards``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class OfferCost(models.TextChoices):
    FREE = "free", _("free of charge")
    LOW = "low", _("small contribution")
    PAID = "paid", _("fee-based")
