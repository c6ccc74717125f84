"""Contributions and their moderation: the steps that touch several tables and send email.

Views, admin actions and commands call these functions; the model methods
they use do the state changes, these add the emails the people involved
expect. Nothing here runs from a signal.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from offers.groups import COORDINATION_GROUP
from offers.models import ChangeReport, Offer, Submission, unique_slug

OFFER_FIELDS = [
    "title", "summary", "description", "provider", "citywide", "outreach", "online",
    "min_age_months", "max_age_months", "cost", "cost_note", "registration_required",
    "registration_note", "schedule", "contact_name", "contact_phone", "contact_email",
    "website", "valid_from", "valid_until",
]
OFFER_RELATIONS = ["districts", "topics", "target_groups", "languages"]
SUBMISSION_FIELDS = [
    "submitter_name", "submitter_organisation", "submitter_email",
    "proposed_provider_name", "proposed_provider_kind", "proposed_provider_website",
    "proposed_location_name", "proposed_street", "proposed_postal_code", "proposed_neighbourhood",
]


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


def _send(template, context, recipients):
    """A plain-text email in German, the site's language; subject is the first line."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, _, body = render_to_string(template, context).strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, recipients)


def _admin_url(request, obj):
    opts = obj._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return request.build_absolute_uri(path) if request else path


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
    context = {"submission": submission, "offer": offer, "admin_url": _admin_url(request, offer)}
    _send("emails/submission_received.txt", context, [submission.submitter_email])
    _send("emails/submission_to_coordinators.txt", context, coordinator_emails())
    return submission


@transaction.atomic
def report_change(offer, data, request=None):
    report = ChangeReport.objects.create(
        offer=offer,
        reason=data["reason"],
        message=data.get("message", ""),
        reporter_email=data.get("reporter_email", ""),
    )
    context = {"report": report, "offer": offer, "admin_url": _admin_url(request, report)}
    _send("emails/change_report_to_coordinators.txt", context, coordinator_emails())
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
        context = {"offer": offer, "user": user, "admin_url": _admin_url(request, offer)}
        _send("emails/partner_edit_to_coordinators.txt", context, coordinator_emails())
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
        _send("emails/submission_published.txt", {"submission": submission, "offer": offer},
              [submission.submitter_email])


@transaction.atomic
def reject(offer, by, reason):
    """Turn a submission down with a reason the sender is told."""
    offer.archive(by=by, reason=f"Rejected: {reason}")
    submission = _pending_submission(offer)
    if submission:
        submission.decide(Submission.Decision.REJECTED, by, note=reason)
        _send("emails/submission_rejected.txt", {"submission": submission, "offer": offer},
              [submission.submitter_email])
