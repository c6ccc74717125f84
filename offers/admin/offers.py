"""Offers: filters, the change form, and the moderation actions (publish, reject, archive, verify)."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from offers import easy_language, moderation
from offers.admin.spreadsheets import SpreadsheetImport
from offers.models import (
    HIDING_WARNING_DAYS,
    OFFER_RELATIONS,
    AgePhase,
    ChangeReport,
    District,
    Language,
    Offer,
    Submission,
    TargetGroup,
    Topic,
)
from offers.spreadsheets import OfferResource


class VocabularyFilter(admin.SimpleListFilter):
    """Filters offers by a vocabulary entry's slug through an OfferQuerySet method."""

    model = None
    queryset_method = None
    key = "slug"

    def lookups(self, request, model_admin):
        return [(getattr(entry, self.key), entry.name) for entry in self.model.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        entry = self.model.objects.filter(**{self.key: self.value()}).first()
        return getattr(queryset, self.queryset_method)(entry) if entry else queryset


class PhaseFilter(VocabularyFilter):
    title = _("age phase")
    parameter_name = "phase"
    model = AgePhase
    queryset_method = "in_phase"


class DistrictFilter(VocabularyFilter):
    title = _("social area")
    parameter_name = "sozialraum"
    model = District
    queryset_method = "in_district"


class TopicFilter(VocabularyFilter):
    title = _("topic")
    parameter_name = "thema"
    model = Topic
    queryset_method = "with_topic"


class TargetGroupFilter(VocabularyFilter):
    title = _("target group")
    parameter_name = "zielgruppe"
    model = TargetGroup
    queryset_method = "for_target_group"


class LanguageFilter(VocabularyFilter):
    title = _("language")
    parameter_name = "sprache"
    model = Language
    queryset_method = "in_language"
    key = "code"


class PublicFilter(admin.SimpleListFilter):
    """What families see: published and not expired (``published()``), unlike the status alone."""

    title = _("on the public site")
    parameter_name = "oeffentlich"

    def lookups(self, request, model_admin):
        return [("ja", _("shown now"))]

    def queryset(self, request, queryset):
        return queryset.published() if self.value() == "ja" else queryset


class VerificationFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "pruefung"

    def lookups(self, request, model_admin):
        lookups = [("faellig", _("review due"))]
        if settings.HIDE_OVERDUE_AFTER_MONTHS:
            lookups.append(("ausblendung", _("leaves the public pages within two weeks")))
        return lookups

    def queryset(self, request, queryset):
        if self.value() == "faellig":
            return queryset.needs_verification()
        if self.value() == "ausblendung":
            return queryset.hidden_within(HIDING_WARNING_DAYS)
        return queryset


class OfferAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=200,
        help_text=_("Recorded in the history. Empty: the changed fields are recorded."),
    )

    class Meta:
        model = Offer
        fields = "__all__"  # noqa: DJ007 (the fieldsets below choose what is shown)

    def clean(self):
        cleaned_data = super().clean()
        Offer.validate_place(
            locations=cleaned_data.get("locations"),
            citywide=cleaned_data.get("citywide"),
            outreach=cleaned_data.get("outreach"),
            online=cleaned_data.get("online"),
        )
        return cleaned_data


def ask_for_reason(modeladmin, request, queryset, action, title, label, apply):
    """An intermediate page asking why (rejecting, resolving); ``apply(obj, reason)`` on submit."""
    reason = request.POST.get("reason", "").strip()
    if "apply" in request.POST and reason:
        for obj in queryset:
            apply(obj, reason)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "label": label,
        "action": action,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "error": _("Please give a reason.") if "apply" in request.POST else "",
        "reason": reason,
    }
    return TemplateResponse(request, "admin/offers/reason_form.html", context)


class SubmissionInline(admin.StackedInline):
    model = Submission
    can_delete = False
    extra = 0
    max_num = 0
    verbose_name_plural = _("submitted through the public form")
    fields = [
        "reference",
        "decision",
        "submitter_name",
        "submitter_organisation",
        "submitter_email",
        "language",
        "consent_at",
        "proposed_provider_name",
        "proposed_provider_kind",
        "proposed_provider_website",
        "proposed_location_name",
        "proposed_street",
        "proposed_postal_code",
        "proposed_neighbourhood",
        "decision_note",
        "decided_at",
        "decided_by",
    ]
    readonly_fields = fields


class ChangeReportInline(admin.TabularInline):
    model = ChangeReport
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["created_at", "reason", "message", "reporter_email", "status", "resolution_note"]
    readonly_fields = fields


@admin.register(Offer)
class OfferAdmin(SpreadsheetImport, SimpleHistoryAdmin, TranslationAdmin):
    form = OfferAdminForm
    resource_classes = [OfferResource]
    # Kept by django-import-export beneath its own list template (the Import link).
    change_list_template = "admin/offers/offer/change_list.html"

    def spreadsheet_queryset(self):
        return Offer.objects.select_related("provider").prefetch_related(*OFFER_RELATIONS)

    list_display = [
        "title",
        "provider",
        "status",
        "age_range",
        "cost",
        "valid_until",
        "last_verified_at",
    ]
    list_select_related = ["provider"]
    list_filter = [
        "status",
        PublicFilter,
        PhaseFilter,
        DistrictFilter,
        TopicFilter,
        TargetGroupFilter,
        LanguageFilter,
        VerificationFilter,
        "cost",
        ("provider", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "summary", "provider__name", "contact_name"]
    # Counting all offers again for "show all" costs a full scan at state scale.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "provider",
        "locations",
        "districts",
        "topics",
        "target_groups",
        "languages",
    ]
    # The state changes only through the moderation steps (actions), which check
    # the publish permission and record who did it and when.
    readonly_fields = [
        "status",
        "published_at",
        "last_verified_at",
        "last_verified_by",
        "created_at",
        "updated_at",
    ]
    actions = ["publish", "reject", "archive", "mark_verified"]
    inlines = [SubmissionInline, ChangeReportInline]
    history_list_display = ["status"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "provider", "status"]}),
        (
            _("Easy-to-read German (Leichte Sprache)"),
            {"fields": ["easy_text"], "classes": ["collapse"]},
        ),
        (
            _("Where"),
            {"fields": ["locations", "citywide", "outreach", "online", "districts"]},
        ),
        (
            _("For whom"),
            {
                "fields": [
                    "min_age_months",
                    "max_age_months",
                    "target_groups",
                    "topics",
                    "languages",
                ]
            },
        ),
        (
            _("When and how"),
            {
                "fields": [
                    "schedule",
                    "cost",
                    "cost_note",
                    "registration_required",
                    "registration_note",
                    "valid_from",
                    "valid_until",
                ]
            },
        ),
        (
            _("Contact"),
            {"fields": ["contact_name", "contact_phone", "contact_email", "website"]},
        ),
        (None, {"fields": ["change_reason"]}),
        (
            _("Curation"),
            {
                "fields": [
                    "published_at",
                    "last_verified_at",
                    "last_verified_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("age"))
    def age_range(self, offer):
        return offer.age_range_display

    def change_view(self, request, object_id, form_url="", extra_context=None):
        offer = self.get_object(request, object_id)
        hidden = offer.hidden_from_public_on if offer else None
        if hidden and offer.status == Offer.Status.PUBLISHED and request.method == "GET":
            today = timezone.localdate()
            if hidden <= today:
                messages.warning(
                    request,
                    gettext(
                        "This offer is not shown on the public pages: its review is overdue. "
                        "Mark it as verified once it is checked."
                    ),
                )
            elif hidden <= today + datetime.timedelta(days=HIDING_WARNING_DAYS):
                messages.warning(
                    request,
                    gettext(
                        "Unless it is verified, this offer leaves the public pages on %(date)s."
                    )
                    % {"date": date_format(hidden, "DATE_FORMAT")},
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves an old version as it was, status included: that would
        # publish without moderation. The history is for reading.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or self._changed_fields(
            form, change
        )
        super().save_model(request, obj, form, change)
        # Leichte Sprache's rules are advice: the text is saved, the coordinator sees what to mend.
        for problem in easy_language.problems(obj.easy_text):
            messages.warning(
                request, gettext("Easy-to-read German: %(problem)s") % {"problem": problem}
            )

    @staticmethod
    def _changed_fields(form, change):
        if not change:
            return gettext("Created in the admin.")
        labels = [
            str(form.fields[name].label) for name in form.changed_data if name != "change_reason"
        ]
        return gettext("Changed in the admin: %(fields)s.") % {"fields": ", ".join(labels) or "–"}

    def has_publish_permission(self, request):
        return request.user.has_perm("offers.publish_offer")

    def _apply(self, request, queryset, method, message):
        count = 0
        for offer in queryset:
            getattr(offer, method)(by=request.user)
            count += 1
        self.message_user(request, message(count), messages.SUCCESS)

    @admin.action(description=_("Publish selected offers"), permissions=["publish"])
    def publish(self, request, queryset):
        count = 0
        for offer in queryset.select_related("provider", "submission"):
            try:
                moderation.publish(offer, by=request.user)
                count += 1
            except ValidationError as error:
                self.message_user(request, f"{offer}: {' '.join(error.messages)}", messages.ERROR)
        if count:
            self.message_user(
                request,
                ngettext("%(count)d offer published.", "%(count)d offers published.", count)
                % {"count": count},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Reject selected submissions (with a reason)"), permissions=["publish"]
    )
    def reject(self, request, queryset):
        def apply(offer, reason):
            moderation.reject(offer, by=request.user, reason=reason)

        response = ask_for_reason(
            self,
            request,
            queryset,
            "reject",
            title=_("Reject submissions"),
            label=_("Why are they not published? The submitters receive this text by email."),
            apply=apply,
        )
        if response is None:
            self.message_user(
                request,
                ngettext(
                    "%(count)d offer rejected.", "%(count)d offers rejected.", queryset.count()
                )
                % {"count": queryset.count()},
                messages.SUCCESS,
            )
        return response

    @admin.action(description=_("Archive selected offers"), permissions=["publish"])
    def archive(self, request, queryset):
        self._apply(
            request,
            queryset,
            "archive",
            lambda n: (
                ngettext("%(count)d offer archived.", "%(count)d offers archived.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Mark selected offers as verified"), permissions=["publish"])
    def mark_verified(self, request, queryset):
        self._apply(
            request,
            queryset,
            "mark_verified",
            lambda n: (
                ngettext(
                    "%(count)d offer marked as verified.", "%(count)d offers marked as verified.", n
                )
                % {"count": n}
            ),
        )
