"""Asks providers once a year whether their offers are still up to date (run daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from offers import emails
from offers.models import Offer, ReviewRequest


def review_link(review):
    return settings.SITE_URL + reverse("contributions:review", kwargs={"token": review.token()})


class Command(BaseCommand):
    help = (
        "Emails a review request for every public offer whose review is due (last verified more "
        "than REVIEW_INTERVAL_MONTHS ago) and one reminder four weeks later. Safe to run daily: "
        "an offer gets one request per interval."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        due = (
            Offer.objects.published(today, hide_overdue=False)
            .needs_verification(today)
            .select_related("provider")
            .prefetch_related(Prefetch("review_requests", queryset=ReviewRequest.objects.all()))
            .order_by("last_verified_at", "pk")
        )
        counts = {"sent": 0, "reminded": 0, "without address": 0}
        for offer in due:
            current = offer.current_review_request
            if current is None:
                if not offer.review_address:
                    counts["without address"] += 1
                    self.stdout.write(f"no email address: {offer.title} (#{offer.pk})")
                    continue
                with transaction.atomic():
                    review = ReviewRequest.objects.create(offer=offer, email=offer.review_address)
                    emails.review_request(review, review_link(review))
                counts["sent"] += 1
                self.stdout.write(f"request: {offer.title} → {review.email}")
            elif current.needs_reminder():
                with transaction.atomic():
                    current.remind()
                    emails.review_request(current, review_link(current), reminder=True)
                counts["reminded"] += 1
                self.stdout.write(f"reminder: {offer.title} → {current.email}")
        self.stdout.write(
            f"{counts['sent']} requests, {counts['reminded']} reminders, "
            f"{counts['without address']} offers without an email address"
        )
