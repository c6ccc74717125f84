"""Contributions and their moderation: the steps that touch several tables and send email.

Views, admin actions and commands call these functions; the model methods
they use do the state changes, these add the emails the people involved
expect (``offers.emails``: sent after the commit). Nothing here runs from a signal.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from offers import emails
from offers.models import Offer, ReviewAnswer, ReviewRequest, Submission, unique_slug

# --- Partners ----------------------------------------------------------------------------


@transaction.atomic
def submit_offer(offer, relations, submission, request=None):
    """Store a partner's offer as *submitted*, with who sent it; tell them and the coordinators.

    ``offer`` and ``submission`` come validated and unsaved (the public form
    builds them); ``relations`` are the offer's many-to-many values.
    """
    offer.slug = unique_slug(Offer, offer.title)
    offer.status = Offer.Status.SUBMITTED
    offer.save_with_relations(relations, reason="Submitted through the public form")
    submission.offer = offer
    submission.consent_at = timezone.now()
    submission.language = translation.get_language() or settings.LANGUAGE_CODE
    submission.save()
    emails.submission_received(submission)
    emails.submission_to_coordinators(submission, request)
    return submission


@transaction.atomic
def report_change(report, request=None):
    """Store what someone says is wrong about an offer; the coordinators hear of it."""
    report.save()
    emails.change_report_to_coordinators(report, request)
    return report


@transaction.atomic
def answer_review(token, answer, request=None):
    """A provider's answer through a review link: verified, or the end reported.

    Raises ReviewLinkError when the link was answered a moment ago (in another
    tab): the row is locked, so one link gives one answer.
    """
    review = ReviewRequest.from_token(token, lock=True)
    if answer == ReviewAnswer.CONFIRMED:
        review.confirm()
    elif answer == ReviewAnswer.ENDED:
        emails.change_report_to_coordinators(review.report_ended(), request)
    else:
        raise ValueError(answer)
    return review


@transaction.atomic
def save_partner_edit(offer, relations, user, request=None):
    """A partner's edit; a published offer goes back to the coordinators for review."""
    offer.save_with_relations(relations, by=user, reason="Edited by a partner")
    if offer.status == Offer.Status.PUBLISHED:
        offer.return_to_review(by=user)
        emails.partner_edit_to_coordinators(offer, user, request)
    return offer


# --- Coordinators ------------------------------------------------------------------------


def _pending_submission(offer):
    submission = getattr(offer, "submission", None)
    if submission and submission.decision == Submission.Decision.PENDING:
        return submission
    return None


@transaction.atomic
def publish(offer, by):
    """Publish an offer; a submission's proposals become real and its sender hears of it."""
    submission = _pending_submission(offer)
    if submission:
        submission.apply_proposals()
    offer.publish(by=by)
    if submission:
        submission.decide(Submission.Decision.PUBLISHED, by)
        emails.submission_published(submission)


@transaction.atomic
def reject(offer, by, reason):
    """Turn a submission down with a reason the sender is told."""
    offer.archive(by=by, reason=f"Rejected: {reason}")
    submission = _pending_submission(offer)
    if submission:
        submission.decide(Submission.Decision.REJECTED, by, note=reason)
        emails.submission_rejected(submission)
