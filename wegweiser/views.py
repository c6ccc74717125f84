import functools
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.cache import (
    cache_public_page,
    cached,
    offers_version,
    public_headers,
    version_etag,
)
from directory.filters import OfferFilter
from directory.panel import active_filters, active_query
from offers.facet_index import facet_state
from offers.models import AgePhase, District, Offer
from wegweiser.guide import Guide
from wegweiser.maps import OfferMap, tile_origin
from wegweiser.pdf import TypesetError, render_guide

logger = logging.getLogger(__name__)

# The two filters a printed guide is usually made for; others come along from the list.
CHOSEN = ("sozialraum", "phase")


@require_safe
def choose(request):
    """Choose a Sozialraum and an age phase; the form opens the PDF."""
    return _choose(request, OfferFilter(request.GET or None, queryset=Offer.objects.published()))


def _choose(request, filterset, problem=None):
    state = facet_state()
    chosen = filterset.active
    return render(
        request,
        "wegweiser/choose.html",
        {
            "form": filterset.form,
            "problem": problem,
            "districts": [
                (district, len(state.get(("district", district.pk))))
                for district in District.objects.all()
            ],
            "phases": list(AgePhase.objects.all()),
            "chosen_district": getattr(chosen.get("sozialraum"), "slug", ""),
            "chosen_phase": getattr(chosen.get("phase"), "slug", ""),
            # The list's other filters, kept when the guide is chosen anew.
            "kept": [
                (name, value)
                for name, values in filterset.data.lists()
                for value in values
                if name not in CHOSEN and name in filterset.active
            ]
            if filterset.is_bound
            else [],
            "max_offers": settings.WEGWEISER_MAX_OFFERS,
        },
    )


@require_safe
def guide_pdf(request):
    """The Wegweiser of the list's selection as a PDF, kept until an offer changes.

    A selection with wrong values, no offers or more than
    ``WEGWEISER_MAX_OFFERS`` gets the choice page with a message instead.
    """
    filterset = OfferFilter(request.GET or None, queryset=Offer.objects.published())
    if filterset.is_bound and not filterset.form.is_valid():
        return _choose(request, filterset, _("Please check your selection."))
    guide = Guide(filterset)
    if not guide.total:
        return _choose(request, filterset, _("No offer matches this selection."))
    if guide.total > settings.WEGWEISER_MAX_OFFERS:
        return _choose(
            request,
            filterset,
            _(
                "This selection holds %(total)d offers; a printed guide holds at most "
                "%(max)d. Please choose a social area or an age phase."
            )
            % {"total": guide.total, "max": settings.WEGWEISER_MAX_OFFERS},
        )
    parts = ("wegweiser", filterset.cache_key(), settings.SITE_URL)
    version = offers_version()
    etag = version_etag(parts, version)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            pdf = cached(parts, lambda: render_guide(guide), version)
        except TypesetError:
            logger.exception("The Wegweiser for %s could not be set", request.get_full_path())
            response = _choose(
                request, filterset, _("The guide cannot be made just now. Please try again later.")
            )
            response.status_code = 503
            return response
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{guide.filename()}"'
    return public_headers(response, etag)


def allow_tiles(view):
    """The map page may show images from the tile server (its CSP names that origin).

    Outside the page cache, so a page served from it keeps the allowance.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origin = tile_origin()
        if origin:
            response._csp_update = {"img-src": [origin]}
        return response

    return wrapper


@require_safe
@allow_tiles
@cache_public_page
def map_page(request):
    """The list's selection by place: a map after consent, a list by Stadtteil without it."""
    filterset = OfferFilter(request.GET or None, queryset=Offer.objects.published())
    offer_map = OfferMap(filterset)
    query = active_query(filterset)
    origin = tile_origin()
    return render(
        request,
        "wegweiser/map.html",
        {
            "form": filterset.form,
            "chips": active_filters(filterset, request.GET.copy()) if filterset.is_bound else [],
            "offer_map": offer_map,
            "groups": [] if offer_map.too_large else offer_map.groups(),
            "max_offers": offer_map.max_offers,
            "query": query,
            "tile_url": settings.MAP_TILE_URL,
            "tile_host": origin and origin.split("://", 1)[1],
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "section": "offers",
        },
    )


@require_safe
@cache_public_page
def map_geojson(request):
    """The selection's places with coordinates as GeoJSON (published offers only)."""
    filterset = OfferFilter(request.GET or None, queryset=Offer.objects.published())
    offer_map = OfferMap(filterset)
    if offer_map.too_large:
        data = {"type": "FeatureCollection", "features": [], "detail": _("Too many offers.")}
        return JsonResponse(data, status=400, content_type="application/geo+json")
    return JsonResponse(
        offer_map.geojson(),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
