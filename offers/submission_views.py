"""Partners bring offers in and report changes, without an account."""

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from offers import moderation
from offers.forms import ChangeReportForm, SubmissionForm
from offers.models import Offer, new_reference
from offers.ratelimit import change_report_limit, submission_limit

# The confirmation page shows the reference number from a signed token in its
# address, so it needs no session (and no cookie).
SIGNING_SALT = "offers.submission-reference"


def _limited(form, limit, request):
    if limit.exceeded(request):
        form.add_error(
            None,
            _("You have sent %(count)d messages in the last hour. Please try again later; nothing you typed is lost.")
            % {"count": limit.limit},
        )
        return True
    return False


def submit_offer(request):
    form = SubmissionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            # A normal-looking answer, so the bot learns nothing; nothing is stored.
            return redirect("offers:submission_thanks", token=signing.dumps(new_reference(), salt=SIGNING_SALT))
        if _limited(form, submission_limit, request):
            status = 429
        else:
            submission_limit.count(request)
            submission = moderation.submit_offer(form.cleaned_data, request)
            token = signing.dumps(submission.reference, salt=SIGNING_SALT)
            return redirect("offers:submission_thanks", token=token)
    elif request.method == "POST":
        status = 400
    return render(request, "offers/submit.html", {"form": form, "section": "submit"}, status=status)


def submission_thanks(request, token):
    try:
        reference = signing.loads(token, salt=SIGNING_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        raise Http404 from None
    return render(request, "offers/submit_thanks.html", {"reference": reference, "section": "submit"})


def report_change(request, slug):
    offer = get_object_or_404(Offer.objects.published(), slug=slug)
    form = ChangeReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect("offers:change_report_thanks", slug=offer.slug)
        if _limited(form, change_report_limit, request):
            status = 429
        else:
            change_report_limit.count(request)
            moderation.report_change(offer, form.cleaned_data, request)
            return redirect("offers:change_report_thanks", slug=offer.slug)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "offers/report_change.html",
        {"form": form, "offer": offer, "section": "offers"},
        status=status,
    )


def change_report_thanks(request, slug):
    offer = get_object_or_404(Offer.objects.published(), slug=slug)
    return render(request, "offers/report_change_thanks.html", {"offer": offer, "section": "offers"})
