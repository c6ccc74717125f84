"""The public offer filter: German query parameters onto the OfferQuerySet vocabulary.

Parameters: q, alter, phase, thema, sozialraum, zielgruppe, sprache,
kostenlos, barrierefrei, traeger, sortierung. Values that name objects are
slugs (languages: their ISO code). An invalid value is reported next to its
field and otherwise ignored, so a shared link with a typo still shows offers.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from offers.ages import age_choices, parse_age
from offers.facet_index import FREE, WHEELCHAIR
from offers.geo import UnknownPlace, place_for_key
from offers.models import AgePhase, District, Language, Provider, TargetGroup, Topic
from offers.search import plan_search


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice by slug that filters through an OfferQuerySet method."""

    def __init__(self, *args, queryset_method, to_field_name="slug", **kwargs):
        self.queryset_method = queryset_method
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return getattr(qs, self.queryset_method)(value)


class FlagFilter(django_filters.Filter):
    """A checkbox sent as ``name=1`` that applies an OfferQuerySet method when ticked."""

    field_class = forms.BooleanField

    def __init__(self, *args, queryset_method, **kwargs):
        self.queryset_method = queryset_method
        super().__init__(*args, required=False, **kwargs)

    def filter(self, qs, value):
        return getattr(qs, self.queryset_method)() if value else qs


class PlaceField(forms.CharField):
    """A place's key (``offers.geo``) as the list's address carries it, cleaned to the ``Place``."""

    def clean(self, value):
        key = super().clean(value)
        if not key:
            return None
        try:
            return place_for_key(key)
        except UnknownPlace as problem:
            raise forms.ValidationError(str(problem)) from None


class PlaceFilter(django_filters.Filter):
    """Where the family lives: orders the list by distance, selects nothing."""

    field_class = PlaceField

    def filter(self, qs, value):
        return qs


class OfferFilter(django_filters.FilterSet):
    SORT_RELEVANCE = "relevanz"
    SORT_DISTANCE = "entfernung"
    SORT_TITLE = "titel"
    SORT_VERIFIED = "geprueft"
    SORT_NEWEST = "neu"

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=200, strip=True
    )
    alter = django_filters.ChoiceFilter(
        label=_("Age of your child"), choices=age_choices, method="filter_age", empty_label=None
    )
    phase = SlugChoiceFilter(
        label=_("Age phase"), queryset=AgePhase.objects.all(), queryset_method="in_phase"
    )
    thema = SlugChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.all(), queryset_method="with_topic"
    )
    sozialraum = SlugChoiceFilter(
        label=_("Social area"), queryset=District.objects.all(), queryset_method="in_district"
    )
    zielgruppe = SlugChoiceFilter(
        label=_("For whom"), queryset=TargetGroup.objects.all(), queryset_method="for_target_group"
    )
    sprache = SlugChoiceFilter(
        label=_("Language"),
        queryset=Language.objects.all(),
        queryset_method="in_language",
        to_field_name="code",
    )
    traeger = SlugChoiceFilter(
        label=_("Provider"), queryset=Provider.objects.all(), queryset_method="by_provider"
    )
    kostenlos = FlagFilter(label=_("Free of charge only"), queryset_method="free_of_charge")
    barrierefrei = FlagFilter(
        label=_("Wheelchair accessible only"), queryset_method="wheelchair_accessible"
    )
    naehe = PlaceFilter(label=_("Near"), max_length=200, required=False)
    sortierung = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            (SORT_RELEVANCE, _("best match")),
            (SORT_DISTANCE, _("distance")),
            (SORT_TITLE, _("title A–Z")),
            (SORT_VERIFIED, _("recently verified")),
            (SORT_NEWEST, _("newest")),
        ],
        method="filter_nothing",
        empty_label=None,
    )

    # Facets whose options show counts, in the order the page shows them.
    FACETS = ["alter", "phase", "sozialraum", "thema", "zielgruppe", "sprache", "traeger"]
    FLAGS = ["kostenlos", "barrierefrei"]
    # Parameters that say how to show the selection, not which offers are in it.
    NOT_FILTERS = ("sortierung", "naehe")
    # What a new place replaces: the place, the order it implies and the page.
    PLACE_PARAMS = ("naehe", "sortierung", "page")
    # The facet index's order of each choice; relevance is ranked in SQL.
    INDEX_ORDERS = {SORT_TITLE: "title", SORT_VERIFIED: "verified", SORT_NEWEST: "newest"}
    # The facet index's key of each filter's values (offers.facet_index).
    FACET_KINDS = {
        "phase": "phase",
        "thema": "topic",
        "sozialraum": "district",
        "zielgruppe": "target_group",
        "sprache": "language",
        "traeger": "provider",
    }

    def bitmap(self, name, value, state):
        """The published offers one active filter selects, from a ``FacetState``."""
        if name == "q":
            return state.search(self.search_plan(value))
        if name == "alter":
            return state.get(("age", value))
        if name == "kostenlos":
            return state.get(FREE)
        if name == "barrierefrei":
            return state.get(WHEELCHAIR)
        return state.get((self.FACET_KINDS[name], value.pk))

    def filter_search(self, qs, name, value):
        return qs.search(self.search_plan(value))

    def search_plan(self, value):
        """The search's vocabulary look-ups, made once however often the selection is built."""
        plans = self.__dict__.setdefault("_search_plans", {})
        if value not in plans:
            plans[value] = plan_search(value, self.queryset.db)
        return plans[value]

    def filter_age(self, qs, name, value):
        return qs.for_age_range(*parse_age(value))

    def filter_nothing(self, qs, name, value):
        return qs

    @property
    def cleaned(self):
        """The valid part of the input; invalid fields are left out (and shown as errors)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def active(self):
        """The valid, non-empty filter values (sorting and the family's place excluded)."""
        return {
            name: value
            for name, value in self.cleaned.items()
            if name not in self.NOT_FILTERS and value not in (None, "", False)
        }

    @property
    def place(self):
        """Where the family said it lives (an ``offers.geo.Place``), if it did."""
        return self.cleaned.get("naehe")

    def cache_key(self):
        """The active filters as plain values, for caching what depends on them."""
        return tuple(
            sorted((name, getattr(value, "pk", value)) for name, value in self.active.items())
        )

    def queryset_without(self, excluded):
        """The selection with every active filter applied except ``excluded``."""
        qs = self.queryset.all()
        for name, value in self.active.items():
            if name != excluded:
                qs = self.filters[name].filter(qs, value)
        return qs

    @property
    def default_sort(self):
        """Nearest first when the family gave its place, best match for a search, else by title."""
        if self.place:
            return self.SORT_DISTANCE
        return self.SORT_RELEVANCE if "q" in self.active else self.SORT_TITLE

    @property
    def sort_order(self):
        chosen = self.cleaned.get("sortierung")
        if (
            chosen in (None, "")
            or (chosen == self.SORT_RELEVANCE and "q" not in self.active)
            or (chosen == self.SORT_DISTANCE and not self.place)
        ):
            chosen = self.default_sort
        return chosen

    def ranked_qs(self, total=None, state=None, selection=None, known=None):
        """A search's selection best match first (``total``: how many, when counted already;
        ``state`` and ``selection``: the facet index's state and the selection's bitmap;
        ``known``: see ``OfferQuerySet.by_relevance``).

        The other orders are the facet index's (``FilterPanel.results``).
        """
        plan = self.search_plan(self.active["q"])
        return self.qs.by_relevance(plan, total, state, selection, known)
