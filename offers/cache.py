"""Caching of what is expensive: option counts, totals, the chain matrix, public pages.

Every cached value is keyed by a version number that any change to an offer,
a provider, a network or the vocabulary bumps, so an edit shows up at once. The receivers below
only invalidate the cache; they hold no business logic, and they catch every
write path (admin, forms, commands, shell) that an explicit call could miss.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
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


def _key(parts):
    """A key for this version of the offers, day and language.

    The day is part of it because what is published depends on it (offers expire).
    """
    raw = repr((offers_version(), timezone.localdate().isoformat(), translation.get_language(), parts))
    return "offers:cached:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(parts, compute):
    """``compute()``, remembered for this version of the offers, day and language."""
    key = _key(parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def connect_invalidation():
    from networks.models import Membership, Network
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

    models = (Offer, AgePhase, District, Language, Location, Neighbourhood, Provider, TargetGroup,
              Topic, Network, Membership)
    for model in models:
        post_save.connect(bump_offers_version, sender=model, dispatch_uid=f"bump-save-{model.__name__}")
        post_delete.connect(bump_offers_version, sender=model, dispatch_uid=f"bump-delete-{model.__name__}")
    relations = [getattr(Offer, name).through
                 for name in ("locations", "districts", "topics", "target_groups", "languages")]
    relations += [getattr(Network, name).through
                  for name in ("offers", "topics", "age_phases", "districts")]
    for through in relations:
        m2m_changed.connect(bump_offers_version, sender=through, dispatch_uid=f"bump-m2m-{through.__name__}")


# --- Whole pages ------------------------------------------------------------------------------

CACHED_HEADERS = ("Content-Type", "Content-Language", "Vary")


def cache_public_page(view):
    """Serve anonymous GETs of a public page from the cache, for this version of the offers.

    Only complete 200 answers are kept. Pages with forms are never wrapped:
    their CSRF token is personal. Set PAGE_CACHE=false to measure without.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = "sessionid" in request.COOKIES or "messages" in request.COOKIES
        if not settings.PAGE_CACHE or request.method != "GET" or personal:
            return view(request, *args, **kwargs)
        parts = ("page", request.get_full_path(), bool(request.headers.get("X-Partial")))
        key = _key(parts)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            cache.set(key, (response.content, headers), TIMEOUT)
        return response

    return wrapper
