from django import template

from offers.models import ChangeReport, Offer, OutgoingEmail

register = template.Library()


@register.simple_tag
def moderation_counts():
    """What waits for the coordinators, for the admin start page."""
    return {
        "submitted": Offer.objects.filter(status=Offer.Status.SUBMITTED).count(),
        "open_reports": ChangeReport.objects.open().count(),
        "unverified": Offer.objects.published().needs_verification().count(),
        "failed_emails": OutgoingEmail.objects.failed().count(),
    }
