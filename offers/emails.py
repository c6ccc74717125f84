"""Every email the site sends, one function each.

Each function writes an ``OutgoingEmail`` in the caller's transaction and
sends it after that transaction commits. A mail server that is down or slow
(``EMAIL_TIMEOUT``) therefore never turns a submission into a 500 or loses
it: the failure is logged, recorded on the email, counted on the admin start
page, and ``manage.py send_emails`` or the admin action sends it again.

Emails to people outside the city repeat nothing they typed except what a
coordinator has seen: the confirmation of a submission only names its
reference number, so the form cannot be used to send text to strangers.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from offers.groups import COORDINATION_GROUP
from offers.models import REVIEW_LINK_DAYS, OutgoingEmail


def coordinator_emails():
    if settings.COORDINATION_EMAILS:
        return list(settings.COORDINATION_EMAILS)
    return list(
        get_user_model()
        .objects.filter(groups__name=COORDINATION_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def single_line(text):
    """A header value: line breaks and other separators become single spaces."""
    return " ".join(str(text).split())


def _queue(kind, context, recipients, offer=None, language=None):
    """Store the email now; send it once the current transaction has committed.

    In ``language``, else in the site's: coordinators and providers read German.
    """
    if not recipients:
        return None
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, _, body = render_to_string(f"emails/{kind}.txt", context).strip().partition("\n")
    email = OutgoingEmail.objects.create(
        kind=kind,
        recipients=list(recipients),
        subject=single_line(subject)[:300],
        body=body.strip() + "\n",
        offer=offer,
    )
    transaction.on_commit(email.send, robust=True)
    return email


def _admin_url(request, obj):
    opts = obj._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return request.build_absolute_uri(path) if request else path


# --- To partners ---------------------------------------------------------------------------


def submission_received(submission):
    """The neutral confirmation: the reference number, nothing the form said.

    The emails to a submitter are in the language of the form they used.
    """
    return _queue(
        "submission_received",
        {"submission": submission},
        [submission.submitter_email],
        submission.offer,
        submission.language,
    )


def submission_published(submission):
    return _queue(
        "submission_published",
        {"submission": submission, "offer": submission.offer},
        [submission.submitter_email],
        submission.offer,
        submission.language,
    )


def submission_rejected(submission):
    return _queue(
        "submission_rejected",
        {"submission": submission, "offer": submission.offer},
        [submission.submitter_email],
        submission.offer,
        submission.language,
    )


def review_request(review, link, reminder=False):
    """ "Is this offer still up to date?" to the offer's contact (or its provider)."""
    context = {
        "review": review,
        "offer": review.offer,
        "link": link,
        "reminder": reminder,
        "valid_until": (timezone.now() + datetime.timedelta(days=REVIEW_LINK_DAYS)).date(),
    }
    return _queue("review_request", context, [review.email], review.offer)


# --- To the coordinators --------------------------------------------------------------------


def submission_to_coordinators(submission, request=None):
    offer = submission.offer
    context = {"submission": submission, "offer": offer, "admin_url": _admin_url(request, offer)}
    return _queue("submission_to_coordinators", context, coordinator_emails(), offer)


def change_report_to_coordinators(report, request=None):
    context = {"report": report, "offer": report.offer, "admin_url": _admin_url(request, report)}
    return _queue("change_report_to_coordinators", context, coordinator_emails(), report.offer)


def partner_edit_to_coordinators(offer, user, request=None):
    context = {"offer": offer, "user": user, "admin_url": _admin_url(request, offer)}
    return _queue("partner_edit_to_coordinators", context, coordinator_emails(), offer)
