"""Contributions and their moderation: the steps that touch several tables and send email.

Views, admin actions and commands call these functions; the model methods
they use do the state changes, these add the emails the people involved
expect (``offers.emails``: sent after the commit). Nothing here runs from a signal.
"""

from django.db import transaction
from django.utils import timezone

from offers import emails
from offers.models import ChangeReport, Offer, Submission, unique_slug

OFFER_FIELDS = [
    "title",
    "summary",
    "description",
    "provider",
    "citywide",
    "outreach",
    "online",
    "min_age_months",
    "max_age_months",
    "cost",
    "cost_note",
    "registration_required",
    "registration_note",
    "schedule",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "valid_from",
    "valid_until",
]
OFFER_RELATIONS = ["districts", "topics", "target_groups", "languages"]
SUBMISSION_FIELDS = [
    "submitter_name",
    "submitter_organisation",
    "submitter_email",
    "proposed_provider_name",
    "proposed_provider_kind",
    "proposed_provider_website",
    "proposed_location_name",
    "proposed_street",
    "proposed_postal_code",
    "proposed_neighbourhood",
]


# --- Partners ----------------------------------------------------------------------------


@transaction.atomic
def submit_offer(data, request=None):
    """Store a partner's offer as *submitted*, with who sent it; tell them and the coordinators."""
    offer = Offer(
        slug=unique_slug(Offer, data["title"]),
        status=Offer.Status.SUBMITTED,
        **{name: data.get(name) for name in OFFER_FIELDS if name in data},
    )
    offer.save_with_relations(
        {relation: data.get(relation) or [] for relation in OFFER_RELATIONS},
        reason="Submitted through the public form",
    )
    proposal = {name: data.get(name) or "" for name in SUBMISSION_FIELDS}
    proposal["proposed_neighbourhood"] = data.get("proposed_neighbourhood")
    submission = Submission.objects.create(offer=offer, consent_at=timezone.now(), **proposal)
    emails.submission_received(submission)
    emails.submission_to_coordinators(submission, request)
    return submission


@transaction.atomic
def report_change(offer, data, request=None):
    report = ChangeReport.objects.create(
        offer=offer,
        reason=data["reason"],
        message=data.get("message", ""),
        reporter_email=data.get("reporter_email", ""),
    )
    emails.change_report_to_coordinators(report, request)
    return report


@transaction.atomic
def save_partner_edit(offer, data, user, request=None):
    """A partner's edit; a published offer goes back to the coordinators for review."""
    for name in OFFER_FIELDS:
        if name != "provider":
            setattr(offer, name, data.get(name))
    offer.save_with_relations(
        {relation: data.get(relation) or [] for relation in [*OFFER_RELATIONS, "locations"]},
        by=user,
        reason="Edited by a partner",
    )
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
