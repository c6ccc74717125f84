from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from networks.models import Membership, Network


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["provider"]


@admin.register(Network)
class NetworkAdmin(TranslationAdmin):
    list_display = ["name", "coordination", "member_count", "offer_count", "contact_name"]
    ordering = ["name"]
    list_filter = ["topics", "age_phases", "districts"]
    search_fields = ["name", "description", "contact_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["topics", "age_phases", "districts", "offers"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=Count("memberships", distinct=True),
                offer_total=Count("offers", distinct=True),
            )
            .with_memberships()
        )

    @admin.display(description=_("coordination"))
    def coordination(self, network):
        return ", ".join(provider.name for provider in network.coordinating_providers)

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, network):
        return network.member_total

    @admin.display(description=_("offers"), ordering="offer_total")
    def offer_count(self, network):
        return network.offer_total


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["provider", "network", "role"]
    list_select_related = ["provider", "network"]
    list_filter = ["role", "network"]
    search_fields = ["provider__name", "network__name"]
    autocomplete_fields = ["provider", "network"]
