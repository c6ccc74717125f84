"""Partners bring offers in and report changes, without an account."""

from urllib.parse import urlencode

from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contributions.forms import ChangeReportForm, SubmissionForm
from contributions.ratelimit import change_report_limit, submission_limit
from offers import moderation
from offers.models import (
    ChangeReport,
    Offer,
    ReviewAnswer,
    ReviewLinkError,
    ReviewRequest,
    new_reference,
)

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


def _review_from(token, offer=None, lock=False):
    """The open review request of a link, or None (also when it is for another offer)."""
    try:
        review = ReviewRequest.from_token(token, lock=lock)
    except ReviewLinkError:
        return None
    return review if offer is None or review.offer_id == offer.pk else None


@require_form_methods
def report_change(request, slug):
    # From a review request's "Something has changed": the form starts from the entry
    # (and works for an offer hidden as overdue: the answer is what brings it back).
    token = request.GET.get("pruefung", "")
    offer = get_object_or_404(Offer.objects.published(hide_overdue=not token), slug=slug)
    review = _review_from(token, offer) if token else None
    initial = {}
    if review:
        initial = {"reason": ChangeReport.Reason.OTHER, "reporter_email": review.email}
    form = ChangeReportForm(
        request.POST or None, instance=ChangeReport(offer=offer), initial=initial
    )

    def save():
        with transaction.atomic():
            report = moderation.report_change(form.instance, request)
            answered = _review_from(token, offer, lock=True) if token else None
            if answered:
                answered.record_change_reported()
        return report

    outcome = _process(
        request,
        form,
        change_report_limit,
        save,
        lambda report: redirect("contributions:change_report_thanks", slug=offer.slug),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "contributions/report_change.html",
        {"form": form, "offer": offer, "review": review, "section": "offers"},
        status=outcome,
    )


@require_safe
def change_report_thanks(request, slug):
    offer = get_object_or_404(Offer.objects.published(), slug=slug)
    return render(
        request, "contributions/report_change_thanks.html", {"offer": offer, "section": "offers"}
    )


REVIEW_PROBLEM_STATUS = {"invalid": 400, "expired": 410, "used": 410}


@require_form_methods
def review(request, token):
    """ "Is this offer still up to date?": the page a review request links to.

    Opening the page changes nothing (mail scanners open links too); only a
    chosen answer does, once.
    """
    answer = request.POST.get("answer", "")
    try:
        open_request = ReviewRequest.from_token(token)
        offer = open_request.offer
        if request.method == "POST" and answer == ReviewAnswer.CHANGED:
            url = reverse("contributions:report_change", kwargs={"slug": offer.slug})
            return redirect(f"{url}?{urlencode({'pruefung': token})}")
        if request.method == "POST" and answer in (ReviewAnswer.CONFIRMED, ReviewAnswer.ENDED):
            moderation.answer_review(token, answer, request)
            return render(
                request, "contributions/review_thanks.html", {"offer": offer, "answer": answer}
            )
    except ReviewLinkError as error:
        return render(
            request,
            "contributions/review_problem.html",
            {"reason": error.reason},
            status=REVIEW_PROBLEM_STATUS[error.reason],
        )
    return render(
        request,
        "contributions/review.html",
        {
            "review": open_request,
            "offer": offer,
            "answers": ReviewAnswer,
            "error": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )
