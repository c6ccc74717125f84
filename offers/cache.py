"""Caching of what is expensive to count: option counts, totals, the chain matrix.

Every cached value is keyed by a version number that any change to an offer
or to the vocabulary bumps, so an edit shows up at once. The receivers below
only invalidate the cache; they hold no business logic, and they catch every
write path (admin, forms, commands, shell) that an explicit call could miss.
"""

import hashlib

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

VERSION_KEY = "offers:version"
TIMEOUT = 60 * 60


def offers_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def bump_offers_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def cached(parts, compute):
    """``compute()``, remembered for this version of the offers, day and language.

    The day is part of the key because what is published depends on it (offers expire).
    """
    raw = repr((offers_version(), timezone.localdate().isoformat(), translation.get_language(), parts))
    key = "offers:cached:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def connect_invalidation():
    from offers.models import (
        AgePhase,
        District,
        Language,
        Location,
        Neighbourhood,
        Offer,
        Provider,
        TargetGroup,
        Topic,
    )

    for model in (Offer, AgePhase, District, Language, Location, Neighbourhood, Provider, TargetGroup, Topic):
        post_save.connect(bump_offers_version, sender=model, dispatch_uid=f"bump-save-{model.__name__}")
        post_delete.connect(bump_offers_version, sender=model, dispatch_uid=f"bump-delete-{model.__name__}")
    for relation in ("locations", "districts", "topics", "target_groups", "languages"):
        m2m_changed.connect(
            bump_offers_version,
            sender=getattr(Offer, relation).through,
            dispatch_uid=f"bump-m2m-{relation}",
        )
