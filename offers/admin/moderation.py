"""The queues of moderation: submissions, change reports, the email outbox, partner accounts."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from offers.admin.offers import ask_for_reason
from offers.models import (
    ChangeReport,
    OutgoingEmail,
    PartnerAccount,
    Submission,
)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """The queue of what partners sent in; publishing and rejecting happen on the offer."""

    list_display = [
        "reference",
        "offer",
        "submitter_name",
        "submitter_organisation",
        "decision",
        "created_at",
        "email_delivered",
    ]
    list_select_related = ["offer"]
    list_filter = ["decision"]
    search_fields = [
        "reference",
        "offer__title",
        "submitter_name",
        "submitter_email",
        "submitter_organisation",
    ]
    readonly_fields = [field.name for field in Submission._meta.fields]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        failed = OutgoingEmail.objects.failed().filter(offer_id=OuterRef("offer_id"))
        return super().get_queryset(request).annotate(email_failed=Exists(failed))

    @admin.display(description=_("emails sent"), boolean=True)
    def email_delivered(self, submission):
        return not submission.email_failed


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: what could not be sent stays here until it is sent again."""

    list_display = ["subject", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "offer__title"]
    fields = [
        "kind",
        "recipients",
        "subject",
        "body",
        "offer",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send selected emails again"), permissions=["change"])
    def send_again(self, request, queryset):
        unsent = [email for email in queryset if email.status != OutgoingEmail.Status.SENT]
        sent = sum(email.send() for email in unsent)
        self.message_user(
            request,
            ngettext("%(count)d email sent.", "%(count)d emails sent.", sent) % {"count": sent},
            messages.SUCCESS if sent == len(unsent) else messages.WARNING,
        )


@admin.register(ChangeReport)
class ChangeReportAdmin(admin.ModelAdmin):
    list_display = ["offer", "reason", "status", "created_at", "resolved_at"]
    list_select_related = ["offer"]
    list_filter = ["status", "reason"]
    search_fields = ["offer__title", "message", "reporter_email"]
    # Resolving is a moderation step (the action below), never an edit of the status.
    fields = [
        "offer",
        "reason",
        "message",
        "reporter_email",
        "created_at",
        "status",
        "resolution_note",
        "resolved_at",
        "resolved_by",
    ]
    readonly_fields = fields
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Resolve selected reports (with a note)"), permissions=["change"])
    def resolve(self, request, queryset):
        def apply(report, note):
            report.resolve(by=request.user, note=note)

        response = ask_for_reason(
            self,
            request,
            queryset,
            "resolve",
            title=_("Resolve change reports"),
            label=_("What was done?"),
            apply=apply,
        )
        if response is None:
            self.message_user(request, _("Change reports resolved."), messages.SUCCESS)
        return response


@admin.register(PartnerAccount)
class PartnerAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "provider"]
    list_select_related = ["user", "provider"]
    search_fields = ["user__username", "user__email", "provider__name"]
    autocomplete_fields = ["provider"]
