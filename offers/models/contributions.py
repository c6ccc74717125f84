"""What partners send in: submissions, change reports, partner accounts."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offers.fields import EmailAddressField, HttpsURLField, LineField, TextField
from offers.models.common import unique_slug
from offers.models.offers import Offer
from offers.models.places import Neighbourhood
from offers.models.providers import Location, Provider, ProviderKind
from offers.validators import german_postal_code

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class SubmissionDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class SubmissionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(decision=SubmissionDecision.PENDING)


def default_language():
    return settings.LANGUAGE_CODE


class Submission(models.Model):
    """Who submitted an offer through the public form, and what they proposed.

    A proposed provider or place is kept here, not created, so nothing unseen
    appears on public pages; publishing turns the proposal into real rows.
    """

    Decision = SubmissionDecision

    offer = models.OneToOneField(
        Offer, on_delete=models.CASCADE, related_name="submission", verbose_name=_("offer")
    )
    reference = models.CharField(_("reference number"), max_length=8, default=new_reference)
    submitter_name = LineField(_("name of the submitter"), max_length=120)
    submitter_organisation = LineField(_("organisation"), max_length=200, blank=True)
    submitter_email = EmailAddressField(_("email of the submitter"))
    consent_at = models.DateTimeField(_("consent to publication given at"))
    proposed_provider_name = LineField(_("proposed provider"), max_length=200, blank=True)
    proposed_provider_kind = models.CharField(
        _("kind of the proposed provider"), max_length=30, choices=ProviderKind.choices, blank=True
    )
    proposed_provider_website = HttpsURLField(_("website of the proposed provider"), blank=True)
    proposed_location_name = LineField(_("proposed place"), max_length=200, blank=True)
    proposed_street = LineField(_("street and number"), max_length=200, blank=True)
    proposed_postal_code = LineField(
        _("postal code"),
        max_length=5,
        blank=True,
        validators=[german_postal_code],
    )
    proposed_neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood (Stadtteil)"),
    )
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=SubmissionDecision,
        default=SubmissionDecision.PENDING,
    )
    decision_note = TextField(_("reason given"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    # The language of the form they used (a code of settings.LANGUAGES): the emails to them
    # are written in it. No choices here, so a new language needs no migration.
    language = models.CharField(
        _("language of the submitter"), max_length=10, default=default_language
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="submission_reference_unique"),
            models.CheckConstraint(
                condition=Q(decision__in=SubmissionDecision.values),
                name="submission_decision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.offer}"

    def clean(self):
        """A submission names its provider and, if it gives an address, all of it."""
        errors = {}
        offer = getattr(self, "offer", None)
        if offer is not None and offer.provider_id is None and not self.proposed_provider_name:
            errors["proposed_provider_name"] = _(
                "Choose the provider from the list or enter a new one."
            )
        if self.proposed_street and not self.proposed_postal_code:
            errors["proposed_postal_code"] = _("Please give street and postal code of the place.")
        if self.proposed_postal_code and not self.proposed_street:
            errors["proposed_street"] = _("Please give street and postal code of the place.")
        if errors:
            raise ValidationError(errors)

    @property
    def proposes_place(self):
        return bool(self.proposed_location_name or self.proposed_street)

    def apply_proposals(self):
        """Create the proposed provider and place if the offer still lacks them."""
        offer = self.offer
        if offer.provider_id is None:
            if not self.proposed_provider_name:
                raise ValidationError(_("Assign a provider before publishing the offer."))
            offer.provider = Provider.objects.create(
                name=self.proposed_provider_name,
                slug=unique_slug(Provider, self.proposed_provider_name),
                kind=self.proposed_provider_kind or ProviderKind.OTHER,
                website=self.proposed_provider_website,
            )
            offer.save(update_fields=["provider", "updated_at"])
        if self.proposes_place and not offer.locations.exists():
            location = Location.objects.create(
                provider=offer.provider,
                name=self.proposed_location_name or self.proposed_street,
                street=self.proposed_street,
                postal_code=self.proposed_postal_code,
                neighbourhood=self.proposed_neighbourhood,
            )
            offer.locations.add(location)

    def decide(self, decision, by, note=""):
        self.decision = decision
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note
        self.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])


class ChangeReportReason(models.TextChoices):
    CONTACT = "contact", _("Contact details are wrong")
    ENDED = "ended", _("The offer has ended")
    TIMES = "times", _("The times have changed")
    OTHER = "other", _("Something else")


class ChangeReportStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class ChangeReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ChangeReportStatus.OPEN)


class ChangeReport(models.Model):
    """Someone told us an offer's entry is no longer right ("Änderung melden")."""

    Reason = ChangeReportReason
    Status = ChangeReportStatus

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="change_reports", verbose_name=_("offer")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ChangeReportReason)
    message = TextField(_("message"), max_length=2000, blank=True)
    reporter_email = EmailAddressField(_("email for questions"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeReportStatus,
        default=ChangeReportStatus.OPEN,
    )
    resolution_note = TextField(_("how it was resolved"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    objects = ChangeReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("change report")
        verbose_name_plural = _("change reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ChangeReportReason.values), name="changereport_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeReportStatus.values), name="changereport_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.offer}"

    def resolve(self, by, note):
        self.status = self.Status.RESOLVED
        self.resolved_by = by
        self.resolved_at = timezone.now()
        self.resolution_note = note
        self.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])


class PartnerAccount(models.Model):
    """A partner's login: it may edit the offers of one provider, nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_account",
        verbose_name=_("user"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="partner_accounts",
        verbose_name=_("provider"),
    )

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self):
        return f"{self.user} – {self.provider}"
