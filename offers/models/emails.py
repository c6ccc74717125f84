"""The outbox: every email the site sends, stored with the change it reports."""

import datetime
import logging

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offers.models.offers import Offer

logger = logging.getLogger(__name__)


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("sending failed")


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=OutgoingEmailStatus.FAILED)

    def to_retry(self, now=None, grace=datetime.timedelta(minutes=5)):
        """Failed emails, and pending ones whose sending after the commit never happened."""
        now = now or timezone.now()
        return self.filter(
            Q(status=OutgoingEmailStatus.FAILED)
            | Q(status=OutgoingEmailStatus.PENDING, created_at__lt=now - grace)
        )


class OutgoingEmail(models.Model):
    """An email the site sends, stored with the change it reports (the outbox).

    It is written in the same transaction as the submission, report or
    decision it is about, and sent only after that transaction committed:
    a mail server that is down never loses a submission, and a failure stays
    visible to the coordinators until the email is sent again.
    """

    Status = OutgoingEmailStatus

    kind = models.CharField(_("kind"), max_length=60)
    recipients = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("offer"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutgoingEmailStatus,
        default=OutgoingEmailStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outgoingemail_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutgoingEmailStatus.values),
                name="outgoingemail_status_valid",
            ),
        ]

    def __str__(self):
        return self.subject

    def send(self):
        """Hand the email to the mail server; record the outcome instead of raising."""
        from django.core.mail import EmailMessage

        self.attempts += 1
        try:
            EmailMessage(self.subject, self.body, None, list(self.recipients)).send()
        except Exception as error:  # SMTP, network, encoding: whatever it is, nothing is lost
            logger.exception("Email %s (%s) could not be sent", self.pk, self.kind)
            self.status = self.Status.FAILED
            self.last_error = f"{type(error).__name__}: {error}"[:1000]
        else:
            self.status = self.Status.SENT
            self.sent_at = timezone.now()
            self.last_error = ""
        self.save(update_fields=["status", "attempts", "last_error", "sent_at"])
        return self.status == self.Status.SENT
