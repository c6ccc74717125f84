"""Partner accounts: a provider's staff edit their own offers, nothing else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contributions.forms import PartnerOfferForm
from offers import moderation
from offers.models import Offer


def _partner_provider(user):
    account = getattr(user, "partner_account", None)
    if account is None:
        raise PermissionDenied
    return account.provider


@require_safe
@login_required
def dashboard(request):
    provider = _partner_provider(request.user)
    offers = Offer.objects.filter(provider=provider).order_by("title")
    return render(
        request,
        "contributions/dashboard.html",
        {"provider": provider, "offers": offers, "section": "partner"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_offer(request, pk):
    provider = _partner_provider(request.user)
    # Another provider's offer does not exist for this partner: 404, not a hint.
    offer = get_object_or_404(
        Offer.objects.exclude(status=Offer.Status.ARCHIVED), pk=pk, provider=provider
    )
    form = PartnerOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        was_published = offer.status == Offer.Status.PUBLISHED
        moderation.save_partner_edit(offer, form.relations(), request.user, request)
        if was_published:
            messages.success(
                request,
                _("Saved. The coordination office checks the change before it is public again."),
            )
        else:
            messages.success(request, _("Saved."))
        return redirect("contributions:partner_dashboard")
    return render(
        request,
        "contributions/edit_offer.html",
        {"form": form, "offer": offer, "section": "partner"},
        status=400 if request.method == "POST" else 200,
    )
