"""Caching of what is expensive: option counts, totals, the chain matrix, public pages.

Every cached value is keyed by a version token that any change to an offer,
a provider, a network, the vocabulary or the synonyms replaces, so an edit
shows up at once. The receivers below only invalidate the cache; they hold
no business logic, and they catch every write path (admin, forms, commands,
shell) that an explicit call could miss.

The token is replaced *after* the change commits: a reader that rendered
the old state before the commit can only have stored it under the old token.
A token is random and never reused, so neither two edits at the same moment
nor an evicted version key can bring back a page stored long ago.
"""

import contextlib
import functools
import hashlib
import secrets
import threading
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from networks.models import Membership, Network
from offers.models import (
    OFFER_RELATIONS,
    AgePhase,
    District,
    Language,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    SynonymGroup,
    TargetGroup,
    Topic,
    UnmetSearch,
)
from offers.signals import offers_created

VERSION_KEY = "offers:version"
TIMEOUT = 60 * 60


def _new_token():
    return f"{time.time_ns():x}-{secrets.token_hex(8)}"


def offers_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never set, or evicted: a new token, so nothing stored before is found again.
        token = _new_token()
        cache.add(VERSION_KEY, token, None)
        version = cache.get(VERSION_KEY) or token
    return version


def replace_offers_version():
    cache.set(VERSION_KEY, _new_token(), None)


def bump_offers_version(using=None, **kwargs):
    """Replace the version once the current transaction has committed (at once outside one)."""
    if getattr(_bumps, "deferred", False):
        return
    transaction.on_commit(replace_offers_version, using=using, robust=True)


_bumps = threading.local()


@contextlib.contextmanager
def one_version_bump(using=None):
    """Changes made inside replace the version once, not once per saved row.

    For bulk work (the demo load saves thousands of rows, and every
    replacement is a write to the cache after the commit).
    """
    outermost = not getattr(_bumps, "deferred", False)
    _bumps.deferred = True
    try:
        yield
    finally:
        if outermost:
            _bumps.deferred = False
    if outermost:
        bump_offers_version(using)


def _key(parts, version=None):
    """A key for this version of the offers, day and language.

    The day is part of it because what is published depends on it (offers expire).
    """
    raw = repr(
        (
            version or offers_version(),
            timezone.localdate().isoformat(),
            translation.get_language(),
            parts,
        )
    )
    return "offers:cached:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(parts, compute, version=None):
    """``compute()``, remembered for this version of the offers, day and language."""
    key = _key(parts, version)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def connect_invalidation():
    models = (
        Offer,
        AgePhase,
        District,
        Language,
        Location,
        Neighbourhood,
        Provider,
        TargetGroup,
        Topic,
        Network,
        Membership,
        # The coordinators' synonyms change what a search finds and how it is planned.
        SynonymGroup,
    )
    for model in models:
        post_save.connect(
            bump_offers_version, sender=model, dispatch_uid=f"bump-save-{model.__name__}"
        )
        post_delete.connect(
            bump_offers_version, sender=model, dispatch_uid=f"bump-delete-{model.__name__}"
        )
    relations = [getattr(Offer, name).through for name in OFFER_RELATIONS]
    relations += [
        getattr(Network, name).through for name in ("offers", "topics", "age_phases", "districts")
    ]
    for through in relations:
        m2m_changed.connect(
            bump_offers_version, sender=through, dispatch_uid=f"bump-m2m-{through.__name__}"
        )
    offers_created.connect(bump_offers_version, sender=Offer, dispatch_uid="bump-bulk-offers")


# --- Whole pages ------------------------------------------------------------------------------

CACHED_HEADERS = ("Content-Type", "Content-Language", "Vary")


def version_etag(parts, version=None):
    """An ETag for ``parts`` in this version of the offers, day and language."""
    return quote_etag(_key(parts, version).rsplit(":", 1)[1][:32])


def public_headers(response, etag):
    """What lets a browser or a reverse proxy keep an anonymous page for a short while."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.HTTP_CACHE_SECONDS)
    patch_vary_headers(response, ["Cookie"])
    return response


def cache_public_page(view):
    """Anonymous GETs of a public page: HTTP caching, and the page cache for this version.

    Every anonymous answer carries an ETag made of the version of the offers,
    the day, the language and the address, and ``Cache-Control: public`` with
    a short max-age (``HTTP_CACHE_SECONDS``), so nginx, Varnish or a CDN in
    front may keep it; a revalidation that still matches is answered 304
    without rendering anything. A search that found nothing gets no ETag and
    ``no-cache``: it is counted each time (``UnmetSearch``).

    The page cache keeps complete 200 answers (PAGE_CACHE=false to measure
    without). Pages with forms are never wrapped: their CSRF token is personal.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
        )
        if request.method != "GET" or personal:
            return view(request, *args, **kwargs)
        # The absolute address: pages carry absolute URLs (JSON-LD, alternates).
        # ("page-2": entries hold the search to count since the unmet-search count.)
        parts = ("page-2", request.build_absolute_uri(), bool(request.headers.get("X-Partial")))
        # Read once per request; the list's offer cards are kept under it too.
        request.offers_version = offers_version()
        key = _key(parts, request.offers_version)
        etag = version_etag(parts, request.offers_version)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return public_headers(not_modified, etag)
        response = _cached_page(request, key) if settings.PAGE_CACHE else None
        if response is None:
            response = view(request, *args, **kwargs)
            if settings.PAGE_CACHE:
                _keep_page(key, response)
        if response.status_code != 200 or response.cookies:
            return response
        if getattr(response, "unmet_search", None):
            patch_cache_control(response, no_cache=True)
            return response
        return public_headers(response, etag)

    return wrapper


def _cached_page(request, key):
    hit = cache.get(key)
    if hit is None:
        return None
    content, headers, unmet = hit
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    if unmet:  # a search that found nothing counts however it is served
        UnmetSearch.objects.record(**unmet)
        response.unmet_search = unmet
    return response


def _keep_page(key, response):
    if response.status_code == 200 and not response.streaming and not response.cookies:
        headers = {name: response[name] for name in CACHED_HEADERS if name in response}
        unmet = getattr(response, "unmet_search", None)
        cache.set(key, (response.content, headers, unmet), TIMEOUT)
