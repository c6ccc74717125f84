"""Providers and their locations."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from offers.admin.spreadsheets import SpreadsheetImport
from offers.models import (
    Location,
    Provider,
)
from offers.spreadsheets import LocationResource, ProviderResource


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    autocomplete_fields = ["neighbourhood"]


@admin.register(Provider)
class ProviderAdmin(SpreadsheetImport, TranslationAdmin):
    resource_classes = [ProviderResource]
    list_display = ["name", "short_name", "kind", "location_count", "offer_count", "email", "phone"]
    ordering = ["name"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LocationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                location_total=Count("locations", distinct=True),
                offer_total=Count("offers", distinct=True),
            )
        )

    @admin.display(description=_("locations"), ordering="location_total")
    def location_count(self, provider):
        return provider.location_total

    @admin.display(description=_("offers"), ordering="offer_total")
    def offer_count(self, provider):
        return provider.offer_total


@admin.register(Location)
class LocationAdmin(SpreadsheetImport, admin.ModelAdmin):
    resource_classes = [LocationResource]
    list_display = [
        "name",
        "provider",
        "street",
        "neighbourhood",
        "district",
        "wheelchair_accessible",
    ]
    list_select_related = ["provider", "neighbourhood__district"]
    list_filter = ["wheelchair_accessible", "neighbourhood__district"]
    search_fields = ["name", "street", "provider__name", "neighbourhood__name"]
    autocomplete_fields = ["provider", "neighbourhood"]

    @admin.display(description=_("social area"), ordering="neighbourhood__district__name")
    def district(self, location):
        return location.district
