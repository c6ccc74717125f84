"""The public offer filter: German query parameters onto the OfferQuerySet vocabulary.

Parameters: q, alter, phase, thema, sozialraum, zielgruppe, sprache,
kostenlos, barrierefrei, traeger, sortierung. Values that name objects are
slugs (languages: their ISO code). An invalid value is reported next to its
field and otherwise ignored, so a shared link with a typo still shows offers.
"""

import copy

import django_filters
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from offers.ages import age_choices, parse_age
from offers.facet_index import FREE, WHEELCHAIR, facet_state
from offers.geo import UnknownPlace, place_for_key
from offers.kept import Kept
from offers.models import AgePhase, District, Language, Provider, TargetGroup, Topic
from offers.search import plan_search


class CopiedPerRequest:
    """A filter that copies itself cheaply for each FilterSet.

    django-filter deep-copies every declared filter for each request,
    querysets and lazy labels included (a third of a millisecond). A filter
    keeps nothing of a request but its parent FilterSet, so a shallow copy
    serves, with its own method binding.
    """

    def __deepcopy__(self, memo):
        twin = copy.copy(self)
        twin.extra = dict(self.extra)
        twin.__dict__.pop("_field", None)
        twin.method = self.method  # binds a new FilterMethod to the copy
        return twin


class CharFilter(CopiedPerRequest, django_filters.CharFilter):
    pass


class ChoiceFilter(CopiedPerRequest, django_filters.ChoiceFilter):
    pass


class VocabularyField(forms.CharField):
    """A value of the filters' vocabulary or a provider, as the address names it (its slug).

    The form (``OfferFilterForm``) finds the object; the field knows where.
    """

    def __init__(self, *, model, to_field_name, **kwargs):
        self.model = model
        self.to_field_name = to_field_name
        kwargs.pop("empty_label", None)
        super().__init__(strip=False, **kwargs)


class OfferFilterForm(forms.Form):
    """Finds each named value among those of the facet index's picture, without a query.

    ``find(filter name, value)`` is set by the FilterSet. A value that names
    nothing gets the message of Django's ``ModelChoiceField``.
    """

    find = None

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not isinstance(field, VocabularyField) or value in (None, ""):
                continue
            found = self.find(name, value)
            if found is None:
                self.add_error(
                    name,
                    forms.ValidationError(
                        forms.ModelChoiceField.default_error_messages["invalid_choice"],
                        code="invalid_choice",
                    ),
                )
            else:
                cleaned[name] = found
        return cleaned


class SlugChoiceFilter(CopiedPerRequest, django_filters.Filter):
    """A choice by slug that filters through an OfferQuerySet method."""

    field_class = VocabularyField

    def __init__(self, *args, model, queryset_method, to_field_name="slug", **kwargs):
        self.queryset_method = queryset_method
        super().__init__(*args, model=model, to_field_name=to_field_name, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return getattr(qs, self.queryset_method)(value)


class FlagFilter(CopiedPerRequest, django_filters.Filter):
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


class PlaceFilter(CopiedPerRequest, django_filters.Filter):
    """Where the family lives: orders the list by distance, selects nothing."""

    field_class = PlaceField

    def filter(self, qs, value):
        return qs


# Search plans kept per picture of the offers (their words change with them) and version of
# the offers (the coordinators' synonyms replace it): planning reads both, two queries.
_plans = Kept(1000)


class OfferFilter(django_filters.FilterSet):
    class Meta:
        form = OfferFilterForm

    SORT_RELEVANCE = "relevanz"
    SORT_DISTANCE = "entfernung"
    SORT_TITLE = "titel"
    SORT_VERIFIED = "geprueft"
    SORT_NEWEST = "neu"

    q = CharFilter(label=_("Search"), method="filter_search", max_length=200, strip=True)
    alter = ChoiceFilter(
        label=_("Age of your child"), choices=age_choices, method="filter_age", empty_label=None
    )
    phase = SlugChoiceFilter(label=_("Age phase"), model=AgePhase, queryset_method="in_phase")
    thema = SlugChoiceFilter(label=_("Topic"), model=Topic, queryset_method="with_topic")
    sozialraum = SlugChoiceFilter(
        label=_("Social area"), model=District, queryset_method="in_district"
    )
    zielgruppe = SlugChoiceFilter(
        label=_("For whom"), model=TargetGroup, queryset_method="for_target_group"
    )
    sprache = SlugChoiceFilter(
        label=_("Language"),
        model=Language,
        queryset_method="in_language",
        to_field_name="code",
    )
    traeger = SlugChoiceFilter(label=_("Provider"), model=Provider, queryset_method="by_provider")
    kostenlos = FlagFilter(label=_("Free of charge only"), queryset_method="free_of_charge")
    barrierefrei = FlagFilter(
        label=_("Wheelchair accessible only"), queryset_method="wheelchair_accessible"
    )
    naehe = PlaceFilter(label=_("Near"), max_length=200, required=False)
    sortierung = ChoiceFilter(
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

    def __init__(self, data=None, queryset=None, *, version=None, **kwargs):
        """``version``: the version of the offers (``directory.cache``), when the caller has
        read it; searches are then planned once per version, not per request."""
        super().__init__(data, queryset, **kwargs)
        self.version = version

    @cached_property
    def state(self):
        """The facet index's picture this FilterSet reads (one per request)."""
        return facet_state(self.queryset.db)

    def get_form_class(self):
        """The form class, made once (django-filter makes a class per FilterSet)."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form.find = self.find
        return self._form

    def find(self, name, value):
        """The object filter ``name``'s value names: from the picture's vocabulary, else (a
        provider, or a value the picture does not hold) the database."""
        field = self.form.fields[name]
        kind, attribute = self.FACET_KINDS[name], field.to_field_name
        if kind in self.state.vocabulary:
            found = self.state.derived(
                ("by", kind, attribute),
                lambda: {getattr(obj, attribute): obj for obj in self.state.vocabulary[kind]},
            ).get(value)
            if found is not None:
                return found
        return field.model.objects.using(self.queryset.db).filter(**{attribute: value}).first()

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
            plans[value] = self._kept_plan(value)
        return plans[value]

    def _kept_plan(self, value):
        if self.version is None:
            return plan_search(value, self.queryset.db)
        key = (self.queryset.db, self.state.token, self.version, value)
        plan = _plans.get(key)
        if plan is None:
            plan = plan_search(value, self.queryset.db)
            _plans.put(key, plan)
        return plan

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
