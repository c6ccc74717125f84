from django.contrib import admin

from steering.models import ChildPopulation, ParallelReview


@admin.register(ChildPopulation)
class ChildPopulationAdmin(admin.ModelAdmin):
    list_display = ["year", "district", "phase", "children", "is_demo"]
    list_editable = ["children"]
    list_filter = ["year", "district", "phase", "is_demo"]
    list_select_related = ["district", "phase"]
    list_per_page = 100


@admin.register(ParallelReview)
class ParallelReviewAdmin(admin.ModelAdmin):
    """Checked pairs; deleting one shows the pair again among the possible parallel offers."""

    list_display = ["first", "second", "reviewed_by", "reviewed_at", "note"]
    list_select_related = ["first", "second", "reviewed_by"]
    readonly_fields = ["first", "second", "reviewed_by", "reviewed_at"]
    fields = ["first", "second", "note", "reviewed_by", "reviewed_at"]

    def has_add_permission(self, request):
        return False  # pairs are marked from the list of possible parallel offers
