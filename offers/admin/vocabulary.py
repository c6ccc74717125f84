"""The city's vocabulary: areas, phases, topics, groups, languages, and the search's synonyms.

Phases, topics, groups and languages are named in every language of the site
(offers/translation.py): their forms show one field per language side by side.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from offers.models import (
    AgePhase,
    Borough,
    District,
    Language,
    Neighbourhood,
    SynonymGroup,
    TargetGroup,
    Topic,
)


class NeighbourhoodInline(admin.TabularInline):
    model = Neighbourhood
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Borough)
class BoroughAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "borough", "position"]
    list_editable = ["position"]
    list_select_related = ["borough"]
    list_filter = ["borough"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NeighbourhoodInline]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_select_related = ["district"]
    list_filter = ["district"]
    search_fields = ["name", "district__name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AgePhase)
class AgePhaseAdmin(TranslationAdmin):
    list_display = ["name", "min_months", "max_months", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(TranslationAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(TranslationAdmin):
    list_display = ["name", "code", "native_name"]
    search_fields = ["name", "code", "native_name"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]
