from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from directory import cards
from directory.cache import cache_public_page, cached, offers_version
from directory.chain import chain_matrix
from directory.filters import OfferFilter
from directory.forms import NearForm
from directory.panel import FilterPanel
from directory.schema_org import offer_structured_data
from networks.models import Membership, Network
from offers.ages import AGE_RANGES
from offers.facet_index import RELATIONS, facet_state
from offers.models import (
    AgePhase,
    District,
    Location,
    Offer,
    OfferCard,
    Provider,
    Topic,
    UnmetSearch,
    published_q,
)

OFFERS_PER_PAGE = 20
PROVIDERS_PER_PAGE = 50
# Sent by static/js/directory.js: answer with the directory fragment only.
PARTIAL_HEADER = "X-Partial"


@require_safe
@cache_public_page
def home(request):
    state = facet_state()
    total = len(state.published)
    topics = [(topic, len(state.get(("topic", topic.pk)))) for topic in state.vocabulary["topic"]]
    age_buttons = [
        (_("Pregnancy"), "phase=schwangerschaft-geburt"),
        (_("under 1 year"), "alter=0"),
    ] + [
        (_("%(low)d–%(high)d years") % {"low": low, "high": high}, f"alter={low}-{high}")
        for low, high in AGE_RANGES
    ]
    return render(
        request,
        "home.html",
        {
            "total": total,
            "age_buttons": age_buttons,
            "topics": topics,
            "districts": District.objects.select_related("borough"),
        },
    )


class CountedPaginator(Paginator):
    """A paginator told the total, which was counted (and cached) with the option counts."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


@require_safe
@cache_public_page
def offer_list(request):
    # The version of the offers (read by cache_public_page for anonymous visitors): the
    # key of the kept cards, the providers' names and the search plans.
    version = getattr(request, "offers_version", None) or offers_version()
    filterset = OfferFilter(
        request.GET or None, queryset=Offer.objects.published(), version=version
    )
    panel = FilterPanel(filterset, request.GET, version)
    place = filterset.place
    # Cards near a place show how far: rendered for this page, not kept.
    known = None if place else (lambda pk: cards.is_kept(version, pk))
    results = panel.results(known=known)
    paginator = CountedPaginator(results, OFFERS_PER_PAGE, panel.total)
    page = paginator.get_page(request.GET.get("page"))
    if place:
        version = None
        page.object_list = [OfferCard.of(offer) for offer in page.object_list]
        for card in page.object_list:
            card.show_distance = True
            card.distance_km = place.nearest_km(card.places)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "panel": panel,
        "page": page,
        "section": "offers",
        "offers_version": version,
    }
    template = (
        "directory/_directory.html"
        if request.headers.get(PARTIAL_HEADER)
        else "directory/offer_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, [PARTIAL_HEADER])
    unmet = panel.unmet_search() if request.method == "GET" else None
    if unmet:
        UnmetSearch.objects.record(**unmet)
        # Counted again each time the page cache serves this page (see cache_public_page).
        response.unmet_search = unmet
    return response


@csrf_exempt  # it changes nothing: it only turns what was typed into the list's address
@require_http_methods(["GET", "HEAD", "POST"])
def near(request):
    """ "In meiner Nähe": a street, a postal code or a Stadtteil, then the list nearest first.

    The address is sent by POST, so it appears in no URL and no access log;
    the list's address carries only the place it was matched to
    (``offers.geo``: a Stadtteil, a postal code, or a street of our places
    without house number). Nothing typed is stored.
    """
    source = request.POST if request.method == "POST" else request.GET
    form = NearForm(source if request.method == "POST" else None)
    kept = [
        (name, value)
        for name, values in source.lists()
        if name in OfferFilter.base_filters and name not in OfferFilter.PLACE_PARAMS
        for value in values
    ]
    if form.is_valid():
        query = QueryDict(mutable=True)
        for name, value in kept:
            query.appendlist(name, value)
        query["naehe"] = form.cleaned_data["place"].key
        response = redirect(f"{reverse('directory:list')}?{query.urlencode()}")
        response.status_code = 303  # See Other: the list, fetched with GET
        return response
    return render(
        request,
        "directory/near.html",
        {"form": form, "kept": kept, "section": "offers"},
        status=200,
    )


@require_safe
@cache_public_page
def offer_detail(request, slug):
    state = facet_state()
    offer = get_object_or_404(Offer.objects.published().select_related("provider"), slug=slug)
    # Its places, Sozialräume and networks read by the offer's id: a query each, half of
    # what prefetch_related() spends on one object.
    offer.take_related(
        districts=District.objects.filter(offers=offer.pk),
        locations=Location.objects.select_related("neighbourhood__district").filter(
            offers=offer.pk
        ),
        networks=Network.objects.filter(offers=offer.pk).order_by("name"),
    )
    # Its topics, target groups and languages from the facet index (three queries fewer);
    # from the database in the moment an edit has not reached the index yet.
    if offer.pk in state.published:
        offer.take_related(**state.related(offer.pk))
    else:
        prefetch_related_objects([offer], *RELATIONS)
    return render(
        request,
        "directory/offer_detail.html",
        {
            "offer": offer,
            "structured_data": offer_structured_data(offer, request.build_absolute_uri()),
            "section": "offers",
        },
    )


@require_safe
@cache_public_page
def offer_easy(request, slug):
    """An offer in Leichte Sprache, where its provider or the coordinators wrote one."""
    offer = get_object_or_404(Offer.objects.published().exclude(easy_text=""), slug=slug)
    return render(request, "directory/offer_easy.html", {"offer": offer, "section": "easy"})


@require_safe
@cache_public_page
def provider_list(request):
    providers = Provider.objects.annotate(
        offer_total=Count("offers", filter=published_q("offers__"))
    ).order_by("name")
    page = Paginator(providers, PROVIDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "directory/provider_list.html", {"page": page, "section": "providers"})


@require_safe
@cache_public_page
def provider_detail(request, slug):
    provider = get_object_or_404(
        Provider.objects.prefetch_related(
            Prefetch(
                "locations",
                queryset=Location.objects.select_related("neighbourhood__district"),
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("network").order_by("network__name"),
            ),
        ),
        slug=slug,
    )
    offers = provider.offers.published().for_cards().order_by("title")
    return render(
        request,
        "directory/provider_detail.html",
        {"provider": provider, "offers": offers, "section": "providers"},
    )


@require_safe
@cache_public_page
def chain(request):
    districts = list(District.objects.all())
    chosen = next((d for d in districts if d.slug == request.GET.get("sozialraum")), None)
    phases = list(AgePhase.objects.all())
    return render(
        request,
        "directory/chain.html",
        {
            "phases": phases,
            "rows": cached(
                ("chain", getattr(chosen, "pk", None)),
                lambda: chain_matrix(Topic.objects.all(), phases, chosen),
            ),
            "districts": districts,
            "chosen": chosen,
            "unknown_district": bool(request.GET.get("sozialraum")) and chosen is None,
            "section": "chain",
        },
    )


@require_safe
@cache_public_page
def network_list(request):
    networks = (
        Network.objects.with_related()
        .annotate(offer_total=Count("offers", filter=published_q("offers__")))
        .order_by("name")
    )
    return render(
        request, "directory/network_list.html", {"networks": networks, "section": "networks"}
    )


@require_safe
@cache_public_page
def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.with_related().prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.published().for_cards().order_by("title"),
                to_attr="published_offers",
            )
        ),
        slug=slug,
    )
    return render(
        request, "directory/network_detail.html", {"network": network, "section": "networks"}
    )
