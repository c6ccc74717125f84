from django import template
from django.conf import settings

from offers.models import HIDING_WARNING_DAYS, ChangeReport, Offer, OutgoingEmail

register = template.Library()


@register.simple_tag
def moderation_counts():
    """What waits for the coordinators, for the admin start page."""
    return {
        "submitted": Offer.objects.filter(status=Offer.Status.SUBMITTED).count(),
        "open_reports": ChangeReport.objects.open().count(),
        "unverified": Offer.objects.published(hide_overdue=False).needs_verification().count(),
        # Only while overdue offers are hidden from the public (HIDE_OVERDUE_AFTER_MONTHS).
        "hidden_soon": Offer.objects.hidden_within(HIDING_WARNING_DAYS).count()
        if settings.HIDE_OVERDUE_AFTER_MONTHS
        else None,
        "failed_emails": OutgoingEmail.objects.failed().count(),
    }
