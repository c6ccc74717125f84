"""The HSDS 3 read API (``/api/hsds/``): published offers only, GET only, open to every origin.

Paths and parameters follow the standard's OpenAPI file (``schema/openapi.json``
of Open Referral's specification). Bad parameters are answered 400 with a
German message in ``detail``; unknown ids 404. Every answer carries an ETag
(of its body) and ``Cache-Control: public``; a matching ``If-None-Match``
gets 304.
"""

import functools
import hashlib
import json
import math
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import quote_etag
from django.utils.timezone import is_naive, make_aware
from django.views.decorators.http import require_safe
from pyroaring import BitMap

from offers.facet_index import IndexedOrder, facet_state
from offers.models import Location, Offer, Provider
from offers.search import plan_search
from opendata import hsds, tabular

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def api(view):
    """GET and HEAD only, JSON errors in German, CORS for everyone, ETag and caching."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _error(405, "Diese Schnittstelle kann nur gelesen werden (GET).")
            response["Allow"] = "GET, HEAD"
            return _open(response)
        try:
            data = view(request, *args, **kwargs)
        except BadRequest as error:
            return _open(_error(400, str(error)))
        except Http404 as error:
            return _open(_error(404, str(error) or "Diesen Eintrag gibt es nicht."))
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        return _cacheable(request, body, "application/json; charset=utf-8")

    return wrapper


def _cacheable(request, body, content_type):
    """``body`` with an ETag of its bytes and ``Cache-Control: public``; 304 when it matches."""
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.HTTP_CACHE_SECONDS)
    return _open(response)


def _error(status, message):
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _open(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Parameters -------------------------------------------------------------------------------


def _integer(request, name, default, low, high):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"„{name}“ muss eine ganze Zahl sein.")
    if not low <= value <= high:
        raise BadRequest(f"„{name}“ muss zwischen {low} und {high} liegen.")
    return value


def _boolean(request, name, default=False):
    raw = request.GET.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise BadRequest(f"„{name}“ muss true oder false sein.")


def _moment(request, name):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = parse_datetime(f"{day.isoformat()}T00:00:00") if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(
            f"„{name}“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein, z. B. 2026-01-31."
        )
    return make_aware(moment) if is_naive(moment) else moment


def _uuid(raw):
    try:
        return uuid.UUID(str(raw).strip())
    except ValueError:
        return None


def _check_format(request):
    if request.GET.get("format", "json").strip().lower() not in ("", "json"):
        raise BadRequest("„format“: Diese Schnittstelle antwortet nur als JSON (format=json).")


def _paged(request, items, total, render_item):
    """The standard's page object around ``items`` (already sliced)."""
    page, per_page = request.hsds_page
    pages = math.ceil(total / per_page) if total else 0
    contents = [render_item(item) for item in items]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _page_slice(request, queryset):
    _check_format(request)
    page = _integer(request, "page", 1, 1, 100_000)
    per_page = _integer(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    request.hsds_page = (page, per_page)
    start = (page - 1) * per_page
    return queryset[start : start + per_page]


# --- Services -----------------------------------------------------------------------------------


def _services(request, vocabulary):
    """The published offers the parameters ask for (``search``, taxonomies, organization, date)."""
    offers = Offer.objects.published()
    text = request.GET.get("search", "").strip()
    if text:
        offers = offers.filter(pk__in=Offer.objects.published().search(text).values("pk"))
    term_id = request.GET.get("taxonomy_term_id", "").strip()
    if term_id:
        offers = _with_term(offers, vocabulary.by_id.get(term_id))
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id:
        offers = _in_taxonomy(offers, taxonomy_id)
    organization_id = request.GET.get("organization_id", "").strip()
    if organization_id:
        offers = offers.filter(provider__uuid=_uuid(organization_id))
    modified_after = _moment(request, "modified_after")
    if modified_after:
        offers = offers.filter(updated_at__gte=modified_after)
    return offers


def _with_term(offers, term):
    if term is None:
        return offers.none()
    taxonomy = term.taxonomy
    if taxonomy is hsds.TOPICS:
        return offers.with_topic(term.obj)
    if taxonomy is hsds.PHASES:
        return offers.in_phase(term.obj)
    if taxonomy is hsds.GROUPS:
        return offers.for_target_group(term.obj)
    return offers.filter(_FEATURES[term.slug])


_FEATURES = {
    "mindestalter-monate": Q(min_age_months__isnull=False),
    "hoechstalter-monate": Q(max_age_months__isnull=False),
    **{slug: Q(**{field: True}) for slug, field in hsds.FLAG_FEATURES.items()},
    "webseite": ~Q(website=""),
}


_ANY_FEATURE = functools.reduce(lambda a, b: a | b, _FEATURES.values())

# The same features as the facet index's bitmaps (offers.facet_index: FLAGS, FILLED).
_FEATURE_KEYS = {
    "mindestalter-monate": ("has", "min_age_months"),
    "hoechstalter-monate": ("has", "max_age_months"),
    **{slug: ("flag", field) for slug, field in hsds.FLAG_FEATURES.items()},
    "webseite": ("has", "website"),
}


def _in_taxonomy(offers, taxonomy_id):
    taxonomy = hsds.TAXONOMY_BY_ID.get(taxonomy_id)
    if taxonomy is None:
        return offers.none()
    if taxonomy is hsds.PHASES:
        return offers  # every offer lies in at least one phase
    if taxonomy is hsds.FEATURES:
        return offers.filter(_ANY_FEATURE)
    relation = "topics" if taxonomy is hsds.TOPICS else "target_groups"
    through = getattr(Offer, relation).through
    return offers.filter(Exists(through.objects.filter(offer_id=OuterRef("pk"))))


@api
def index(request):
    return {
        "version": hsds.HSDS_VERSION,
        "profile": f"{settings.SITE_URL}/daten/",
        "openapi_url": hsds.OPENAPI_URL,
    }


def _narrowed(selection, condition):
    """``selection`` with only the offers that meet ``condition`` (a Q on Offer's own fields).

    The ids are read from the smaller side when one is small: a harvester's
    recent date keeps the few ids changed since, an old date takes away the
    few changed before (``updated_at`` has an index for this). Finding out
    counts at most ``PROBE`` rows per side.
    """
    meeting = Offer.objects.filter(condition).order_by().values_list("pk", flat=True)
    missing = Offer.objects.exclude(condition).order_by().values_list("pk", flat=True)
    if meeting[:PROBE].count() < PROBE:
        return selection & BitMap(meeting)
    if missing[:PROBE].count() < PROBE:
        return selection - BitMap(missing)
    return selection & BitMap(meeting)


PROBE = 2000


# The facet index's bitmaps (offers.facet_index) for these taxonomies.
_INDEXED_TAXONOMIES = {"themen": "topic", "altersphasen": "phase", "zielgruppen": "target_group"}


def _indexed_services(request, state, vocabulary):
    """The published offers the parameters select, as a bitmap of the facet ``state``.

    Counting and finding a page in the index's title order cost no query; the
    page's offers are read by id. A search is the site's search, kept by the
    index per query; the dates are read as ids.
    """
    selection = state.published
    text = request.GET.get("search", "").strip()
    if text:
        selection = selection & state.search(plan_search(text))
    term_id = request.GET.get("taxonomy_term_id", "").strip()
    if term_id:
        term = vocabulary.by_id.get(term_id)
        kind = _INDEXED_TAXONOMIES.get(term.taxonomy.slug) if term else None
        if term is None:
            selection = BitMap()
        elif kind is not None:
            selection = selection & state.get((kind, term.obj.pk))
        else:
            selection = selection & state.get(_FEATURE_KEYS[term.slug])
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id:
        taxonomy = hsds.TAXONOMY_BY_ID.get(taxonomy_id)
        kind = _INDEXED_TAXONOMIES.get(taxonomy.slug) if taxonomy else None
        if taxonomy is None:
            selection = BitMap()
        elif taxonomy is hsds.FEATURES:
            features = [state.get(key) for key in _FEATURE_KEYS.values()]
            selection = selection & BitMap.union(BitMap(), *features)
        elif taxonomy is not hsds.PHASES:  # every offer lies in at least one phase
            selection = selection & BitMap.union(BitMap(), *state.keys(kind).values())
    organization_id = request.GET.get("organization_id", "").strip()
    if organization_id:
        organization = _uuid(organization_id)
        providers = Provider.objects.filter(uuid=organization).values_list("pk", flat=True)
        provider = providers.first() if organization else None
        selection = selection & state.get(("provider", provider)) if provider else BitMap()
    modified_after = _moment(request, "modified_after")
    if modified_after:
        selection = _narrowed(selection, Q(updated_at__gte=modified_after))
    return selection


@api
def service_list(request):
    state = facet_state()
    vocabulary = hsds.Vocabulary.current(state)
    full = _boolean(request, "full")
    _boolean(request, "minimal")  # accepted; the list is already small without ``full``
    selection = _indexed_services(request, state, vocabulary)
    offers = hsds.with_related(Offer.objects.all())
    page = list(_page_slice(request, IndexedOrder(state, "title", selection, offers)))
    total = len(selection)
    if full:
        hsds.read_related(page, vocabulary, state)
    return _paged(request, page, total, lambda offer: hsds.service(offer, vocabulary, full))


@api
def service_detail(request, id):
    offer = (
        hsds.with_related(Offer.objects.published()).filter(uuid=_uuid(id)).first()
        if _uuid(id)
        else None
    )
    if offer is None:
        raise Http404("Dieses Angebot gibt es nicht (oder es ist nicht veröffentlicht).")
    vocabulary = hsds.Vocabulary()
    hsds.read_related([offer], vocabulary)
    return hsds.service(offer, vocabulary)


# --- Services at locations --------------------------------------------------------------------

_PLACES = ("location__provider", "location__neighbourhood__district")


def _services_at_locations(request, vocabulary):
    offers = _services(request, vocabulary)
    pairs = Offer.locations.through.objects.filter(offer__in=offers.values("pk"))
    postcode = request.GET.get("postcode", "").strip()
    if postcode:
        pairs = pairs.filter(location__postal_code=postcode)
    return pairs.select_related("offer__provider", *_PLACES).order_by(
        "offer__title", "offer_id", "location__name", "location_id"
    )


@api
def service_at_location_list(request):
    vocabulary = hsds.Vocabulary()
    _boolean(request, "full")
    pairs = _services_at_locations(request, vocabulary)
    page = list(_page_slice(request, pairs))

    def item(pair):
        data = hsds.service_at_location(pair.offer, pair.location)
        data["service"] = hsds.service(pair.offer, vocabulary, full=False)
        return data

    return _paged(request, page, pairs.count(), item)


@api
def service_at_location_detail(request, id):
    """One offer at one place. Its id is derived, so the pairs' ids are computed to find it
    (about 0.2 s at 100 000 offers: fine for a single look-up, not for a page)."""
    vocabulary = hsds.Vocabulary()
    pairs = _services_at_locations(request, vocabulary)
    columns = ("pk", "offer__uuid", "location__uuid")
    for pk, offer_uuid, location_uuid in pairs.values_list(*columns).iterator(chunk_size=5000):
        if hsds.derived_id("service_at_location", offer_uuid, location_uuid) == id:
            pair = pairs.get(pk=pk)
            data = hsds.service_at_location(pair.offer, pair.location)
            data["service"] = hsds.service(pair.offer, vocabulary, full=False)
            return data
    raise Http404("Dieses Angebot an diesem Ort gibt es nicht.")


# --- Organizations ------------------------------------------------------------------------------


def _organizations(request):
    providers = Provider.objects.prefetch_related(
        Prefetch("locations", queryset=Location.objects.select_related("neighbourhood__district"))
    )
    text = request.GET.get("search", "").strip()
    if text:
        providers = providers.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    return providers.order_by("name", "pk")


def _organization(provider, full):
    data = hsds.organization(provider)
    if full:
        data["locations"] = [hsds.location(place) for place in provider.locations.all()]
    return data


@api
def organization_list(request):
    full = _boolean(request, "full")
    _boolean(request, "full_service")
    providers = _organizations(request)
    page = list(_page_slice(request, providers))
    return _paged(request, page, providers.count(), lambda p: _organization(p, full))


@api
def organization_detail(request, id):
    _boolean(request, "full_service")
    provider = _organizations(request).filter(uuid=_uuid(id)).first() if _uuid(id) else None
    if provider is None:
        raise Http404("Diesen Träger gibt es nicht.")
    return _organization(provider, full=True)


# --- Taxonomies ---------------------------------------------------------------------------------


@api
def taxonomy_list(request):
    text = request.GET.get("search", "").strip().lower()
    taxonomies = [t for t in hsds.TAXONOMIES if not text or text in t.name.lower()]
    page = _page_slice(request, taxonomies)
    return _paged(request, page, len(taxonomies), lambda t: t.hsds)


@api
def taxonomy_detail(request, id):
    taxonomy = hsds.TAXONOMY_BY_ID.get(id)
    if taxonomy is None:
        raise Http404("Diese Taxonomie gibt es nicht.")
    return taxonomy.hsds


@api
def taxonomy_term_list(request):
    terms = hsds.Vocabulary().terms
    text = request.GET.get("search", "").strip().lower()
    if text:
        terms = [t for t in terms if text in t.name.lower() or text in t.slug]
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id:
        terms = [t for t in terms if t.taxonomy.id == taxonomy_id]
    _boolean(request, "top_only")  # every term is a top term: there is no hierarchy
    if request.GET.get("parent_id", "").strip():
        terms = []
    page = _page_slice(request, terms)
    return _paged(request, page, len(terms), lambda t: t.hsds)


@api
def taxonomy_term_detail(request, id):
    term = hsds.Vocabulary().by_id.get(id)
    if term is None:
        raise Http404("Diesen Begriff gibt es nicht.")
    return term.hsds


# --- The page for developers ------------------------------------------------------------------


@require_safe
def package_download(request):
    """The whole tabular package as a zip (built on request: seconds at state scale)."""
    response = _cacheable(request, tabular.package_zip(), "application/zip")
    response["Content-Disposition"] = 'attachment; filename="praeventionsangebote-hsds.zip"'
    return response


@require_safe
def data_page(request):
    return render(
        request,
        "opendata/data.html",
        {
            "licence_name": settings.DATA_LICENCE_NAME,
            "licence_url": settings.DATA_LICENCE_URL,
            "api_url": request.build_absolute_uri("/api/hsds/"),
        },
    )
