"""The review loop: providers confirm once a year that their offer is still right."""

import datetime

from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offers.fields import EmailAddressField
from offers.models.contributions import ChangeReport
from offers.models.offers import Offer

# How long the link in a review request works, counted from the email that carried it.
REVIEW_LINK_DAYS = 60
# A request without an answer gets one reminder after this many days.
REVIEW_REMINDER_DAYS = 28
REVIEW_SALT = "offers.review-request"


class ReviewLinkError(Exception):
    """A review link that cannot be used: ``reason`` is "invalid", "expired" or "used"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class ReviewAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("Yes, everything is right")
    CHANGED = "changed", _("Something has changed")
    ENDED = "ended", _("The offer no longer exists")


class ReviewRequest(models.Model):
    """One email asking a provider "Is this offer still up to date?", and the answer."""

    Answer = ReviewAnswer

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="review_requests", verbose_name=_("offer")
    )
    email = EmailAddressField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=ReviewAnswer, blank=True)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer__in=["", *ReviewAnswer.values]),
                name="reviewrequest_answer_valid",
            ),
        ]

    def __str__(self):
        return f"{self.offer} → {self.email}"

    # --- The link ------------------------------------------------------------------------

    def token(self):
        """Signed and dated: it opens this request's page only, for REVIEW_LINK_DAYS days."""
        return signing.dumps(self.pk, salt=REVIEW_SALT)

    @classmethod
    def from_token(cls, token, lock=False):
        """The open request a link stands for; ReviewLinkError if it cannot be used.

        ``lock``: hold the row until the transaction ends, so one link gives one answer.
        """
        try:
            pk = signing.loads(
                token, salt=REVIEW_SALT, max_age=datetime.timedelta(days=REVIEW_LINK_DAYS)
            )
        except signing.SignatureExpired:
            raise ReviewLinkError("expired") from None
        except signing.BadSignature:
            raise ReviewLinkError("invalid") from None
        requests = cls.objects.select_related("offer")
        if lock:
            requests = requests.select_for_update(of=("self",))
        request = requests.filter(pk=pk).first()
        if request is None:
            raise ReviewLinkError("invalid")
        if request.answered_at is not None or request.offer.status != Offer.Status.PUBLISHED:
            raise ReviewLinkError("used")
        return request

    # --- Answers -------------------------------------------------------------------------

    def _answer(self, answer):
        self.answer = answer
        self.answered_at = timezone.now()
        self.save(update_fields=["answer", "answered_at"])

    def confirm(self):
        """ "Yes, everything is right": the offer counts as verified today."""
        self.offer.mark_verified(
            by=None,
            reason=_("Confirmed as up to date through the review link sent to %(email)s.")
            % {"email": self.email},
        )
        self._answer(ReviewAnswer.CONFIRMED)

    def report_ended(self):
        """ "It no longer exists": a change report for the coordinators to confirm (archive)."""
        report = ChangeReport.objects.create(
            offer=self.offer,
            reason=ChangeReport.Reason.ENDED,
            message=str(
                _("Answer to the review request sent to %(email)s: the offer no longer exists.")
                % {"email": self.email}
            ),
            reporter_email=self.email,
        )
        self._answer(ReviewAnswer.ENDED)
        return report

    def record_change_reported(self):
        """ "Something has changed": the provider sent the change-report form from the link."""
        self._answer(ReviewAnswer.CHANGED)

    def needs_reminder(self, now=None):
        """No answer and no reminder yet, REVIEW_REMINDER_DAYS after the request."""
        now = now or timezone.now()
        return (
            self.answered_at is None
            and self.reminded_at is None
            and self.sent_at <= now - datetime.timedelta(days=REVIEW_REMINDER_DAYS)
        )

    def remind(self):
        self.reminded_at = timezone.now()
        self.save(update_fields=["reminded_at"])

    @property
    def state(self):
        """Where the request stands, in words for coordinators."""
        if self.answered_at:
            return _("answered: %(answer)s") % {"answer": self.get_answer_display()}
        if self.reminded_at:
            return _("reminded, no answer yet")
        return _("requested, no answer yet")
