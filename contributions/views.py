"""Partners bring offers in and report changes, without an account."""

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contributions.forms import ChangeReportForm, SubmissionForm
from contributions.ratelimit import change_report_limit, submission_limit
from offers import moderation
from offers.models import ChangeReport, Offer, new_reference

# The confirmation page shows the reference number from a signed token in its
# address, so it needs no session (and no cookie).
SIGNING_SALT = "offers.submission-reference"


def _process(request, form, limit, save, thanks):
    """The POST flow both public forms share.

    A valid form is saved and answered with ``thanks(result)``, unless it is
    spam (the same answer, nothing stored) or over the rate limit. Returns the
    response to send, or the status to show the form again with.
    """
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 400
    if form.is_spam:
        return thanks(None)
    if limit.exceeded(request):
        form.add_error(
            None,
            _(
                "You have sent %(count)d messages in the last hour. Please try again later; nothing you typed is lost."
            )
            % {"count": limit.limit},
        )
        return 429
    limit.count(request)
    return thanks(save())


require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


@require_form_methods
def submit_offer(request):
    form = SubmissionForm(request.POST or None)

    def thanks(submission):
        # A bot gets a made-up reference, so it learns nothing.
        reference = submission.reference if submission else new_reference()
        return redirect(
            "contributions:submission_thanks", token=signing.dumps(reference, salt=SIGNING_SALT)
        )

    outcome = _process(
        request,
        form,
        submission_limit,
        lambda: moderation.submit_offer(form.instance, form.relations(), form.submission, request),
        thanks,
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request, "contributions/submit.html", {"form": form, "section": "submit"}, status=outcome
    )


@require_safe
def submission_thanks(request, token):
    try:
        reference = signing.loads(token, salt=SIGNING_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        raise Http404 from None
    return render(
        request, "contributions/submit_thanks.html", {"reference": reference, "section": "submit"}
    )


@require_form_methods
def report_change(request, slug):
    offer = get_object_or_404(Offer.objects.published(), slug=slug)
    form = ChangeReportForm(request.POST or None, instance=ChangeReport(offer=offer))
    outcome = _process(
        request,
        form,
        change_report_limit,
        lambda: moderation.report_change(form.instance, request),
        lambda report: redirect("contributions:change_report_thanks", slug=offer.slug),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "contributions/report_change.html",
        {"form": form, "offer": offer, "section": "offers"},
        status=outcome,
    )


@require_safe
def change_report_thanks(request, slug):
    offer = get_object_or_404(Offer.objects.published(), slug=slug)
    return render(
        request, "contributions/report_change_thanks.html", {"offer": offer, "section": "offers"}
    )
