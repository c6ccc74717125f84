from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from networks.models import Network
from offers.cache import cache_public_page
from offers.models import Offer, published_q


@require_safe
@cache_public_page
def network_list(request):
    networks = (
        Network.objects.with_related()
        .annotate(offer_total=Count("offers", filter=published_q("offers__")))
        .order_by("name")
    )
    return render(request, "networks/network_list.html", {"networks": networks, "section": "networks"})


@require_safe
@cache_public_page
def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.with_related().prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.published().with_related().order_by("title"),
                to_attr="published_offers",
            )
        ),
        slug=slug,
    )
    return render(request, "networks/network_detail.html", {"network": network, "section": "networks"})
