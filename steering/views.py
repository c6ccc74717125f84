"""The steering area for coordinators: /koordination/ behind the admin login and a permission."""

from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from offers.models import UNMET_SEARCH_MIN_DAYS, AgePhase, District, Offer, UnmetSearch
from steering import exports
from steering.coverage import coverage
from steering.forms import PairFilterForm, ReviewForm, ScopeForm
from steering.models import ParallelReview
from steering.parallel import parallel_pairs

PERMISSION = "steering.use_steering"
# The most frequent searches without result shown next to the matrix.
UNMET_SEARCHES_SHOWN = 50


def steering_required(view):
    """Anonymous visitors get the admin login; a user without the permission a 403."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


@require_safe
@steering_required
def coverage_view(request):
    form = ScopeForm(request.GET or None)
    dimension, district = form.scope()
    searches = UnmetSearch.objects.all()
    if district is not None:
        searches = searches.filter(district=district)
    return render(
        request,
        "steering/coverage.html",
        {
            "form": form,
            "coverage": coverage(dimension, district),
            "unmet_searches": searches.recurring()[:UNMET_SEARCHES_SHOWN],
            "unmet_min_days": UNMET_SEARCH_MIN_DAYS,
            "section": "steering",
        },
    )


@require_safe
@steering_required
def coverage_print(request):
    """The matrix alone, for A4 landscape."""
    form = ScopeForm(request.GET or None)
    dimension, district = form.scope()
    return render(
        request, "steering/coverage_print.html", {"coverage": coverage(dimension, district)}
    )


@require_safe
@steering_required
def coverage_export(request, format):
    dimension, district = ScopeForm(request.GET or None).scope()
    return exports.FORMATS[format](exports.coverage_table(coverage(dimension, district)))


@require_safe
@steering_required
def offers_export(request, format):
    """The admin's offer list as filtered there (the same query string), as a file."""
    model_admin = admin.site.get_model_admin(Offer)
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        messages.error(request, _("These filters are not valid; please choose them again."))
        return redirect("admin:offers_offer_changelist")
    about = [
        (str(spec.title), str(choice["display"]))
        for spec in changelist.filter_specs
        if spec.used_parameters
        for choice in spec.choices(changelist)
        if choice["selected"]
    ]
    if changelist.query:
        about.append((_("Search"), changelist.query))
    offers = changelist.get_queryset(request).with_related()
    return exports.FORMATS[format](exports.offers_table(offers, about))


@require_safe
@steering_required
def overdue_view(request):
    """Offers whose review is due, the longest overdue first, with where the request stands."""
    today = timezone.localdate()
    offers = (
        Offer.objects.published(today, hide_overdue=False)
        .needs_verification(today)
        .select_related("provider")
        .prefetch_related("review_requests")
        .order_by(F("last_verified_at").asc(nulls_first=True), "title", "pk")
    )
    return render(
        request,
        "steering/overdue.html",
        {
            "offers": offers,
            "today": today,
            "hiding": settings.HIDE_OVERDUE_AFTER_MONTHS,
            "interval": settings.REVIEW_INTERVAL_MONTHS,
            "section": "steering",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@steering_required
def parallel_view(request):
    review = ReviewForm(request.POST or None)
    if request.method == "POST":
        if review.is_valid():
            ParallelReview.record(
                review.cleaned_data["first"],
                review.cleaned_data["second"],
                by=request.user,
                note=review.cleaned_data["note"],
            )
            messages.success(
                request,
                _("Marked as checked: “%(first)s” and “%(second)s” are no longer shown as a pair.")
                % {
                    "first": review.cleaned_data["first"],
                    "second": review.cleaned_data["second"],
                },
            )
            return redirect(request.get_full_path())
        messages.error(request, _("This pair could not be marked; please reload the page."))
    cell = PairFilterForm(request.GET or None)
    pairs = [
        pair
        for pair in parallel_pairs(list(AgePhase.objects.all()), list(District.objects.all()))
        if cell.matches(pair)
    ]
    return render(
        request,
        "steering/parallel.html",
        {"pairs": pairs, "cell": cell, "section": "steering"},
        status=400 if request.method == "POST" else 200,
    )
