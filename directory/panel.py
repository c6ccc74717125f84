"""The filter panel of the offer list: counts, chips, loosening suggestions and sorting.

The list view is the FilterSet and a page of results; everything the panel
around it shows is worked out here, from the FilterSet and the query string.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation
from django.utils.functional import cached_property

from directory.cache import cached, offers_version
from directory.facets import Selection, build_facets, flag_counts
from directory.filters import OfferFilter
from offers.facet_index import IndexedOrder


@dataclass
class Chip:
    """One active filter, with the address of the same list without it."""

    name: str
    label: str
    value: str | None
    remove_url: str


@dataclass
class SortOption:
    value: str
    label: str
    selected: bool
    default: bool


def _url_value(value):
    """A filter value as it appears in the address: slug, language code or "1"."""
    if value is True:
        return "1"
    return getattr(value, "slug", None) or getattr(value, "code", None) or str(value)


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield value, label


def active_query(filterset, exclude=()):
    """The active filters as a query string ("alter=2&sozialraum=osterfeld"), sorted by name."""
    return urlencode(
        sorted(
            (name, _url_value(value))
            for name, value in filterset.active.items()
            if name not in exclude
        )
    )


def active_filters(filterset, params):
    """Each active filter of ``filterset`` as a ``Chip``, with the address of the list without it."""
    chips = []
    for name, value in filterset.active.items():
        remaining = params.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        field = filterset.form.fields[name]
        if name == "alter":
            shown = dict(_flat_choices(field.choices)).get(value, value)
        elif name in OfferFilter.FLAGS:
            shown = None
        else:
            shown = str(value)
        chips.append(
            Chip(
                name,
                str(field.label),
                str(shown) if shown is not None else None,
                f"?{remaining.urlencode()}" if remaining else "?",
            )
        )
    return chips


class FilterPanel:
    def __init__(self, filterset, params, version=None):
        """``version``: the version of the offers (``directory.cache``), when read already."""
        self.filterset = filterset
        self.params = params
        # Counted in the facet index's bitmaps: no aggregate query, so nothing to cache.
        self.selection = Selection(filterset)
        self.total = self.selection.count()
        self.facets = build_facets(self.selection, version or offers_version())
        self.flag_counts = flag_counts(self.selection)
        errors = filterset.form.errors
        for facet in self.facets:
            facet.errors = list(errors.get(facet.name, []))

    @property
    def searching(self):
        return "q" in self.filterset.active

    @cached_property
    def chips(self):
        """Each active filter with a link that removes just it (and the page number)."""
        return self._chips()

    def unmet_search(self):
        """What ``UnmetSearch`` counts when nothing matched (None when something did).

        The text and the filters only, described in the site's language for the
        coordinators: nothing about who searched.
        """
        if self.total or not self.filterset.active:
            return None
        active = self.filterset.active
        filters = active_query(self.filterset, exclude=("q",))
        with translation.override(settings.LANGUAGE_CODE):
            description = " · ".join(
                f"{chip.label}: {chip.value}" if chip.value else str(chip.label)
                for chip in self._chips()
                if chip.name not in ("q", "naehe")  # where the family lives is never kept
            )
        district = active.get("sozialraum")
        return {
            "text": active.get("q", ""),
            "filters": filters,
            "description": description,
            "district_id": district.pk if district else None,
        }

    def _chips(self):
        chips = active_filters(self.filterset, self.params)
        place = self.filterset.place
        if place:
            label = str(self.filterset.form.fields["naehe"].label)
            chips.append(Chip("naehe", label, place.label, f"?{self.near_query}"))
        return chips

    @cached_property
    def loosen(self):
        """When nothing matches: each filter to leave out, with how many offers that would give."""
        if self.total or not self.chips:
            return []
        return [(chip, self.selection.count(chip.name)) for chip in self.chips]

    @cached_property
    def did_you_mean(self):
        """When a search found nothing: [(other spelling, its address, how many it finds)]."""
        if self.total or not self.searching:
            return []
        text = self.filterset.active["q"]
        return [
            (suggestion, self._url_with(q=suggestion), count)
            for suggestion, count in cached(
                ("did-you-mean", self.filterset.cache_key()), lambda: self._suggestions(text)
            )
        ]

    def _suggestions(self, text):
        others = self.filterset.queryset_without("q")
        counted = [
            (suggestion, others.search(suggestion).count())
            for suggestion in self.filterset.search_plan(text).suggestions()
        ]
        return [(suggestion, count) for suggestion, count in counted if count]

    def _url_with(self, **values):
        params = self.params.copy()
        params.pop("page", None)
        for name, value in values.items():
            params[name] = value
        return f"?{params.urlencode()}"

    def results(self, known=None):
        """The selection in the chosen order, for the paginator.

        ``known(pk)``: offers the page need not read (their cards are kept rendered).
        """
        filterset = self.filterset
        if filterset.sort_order == OfferFilter.SORT_RELEVANCE:
            return filterset.ranked_qs(
                self.total, self.selection.state, self.selection.without(), known
            ).for_cards()
        if filterset.sort_order == OfferFilter.SORT_DISTANCE:
            return filterset.qs.by_distance(filterset.place).for_cards()
        return IndexedOrder(
            self.selection.state,
            OfferFilter.INDEX_ORDERS[filterset.sort_order],
            self.selection.without(),
            filterset.queryset,
            known,
        ).for_cards()

    @cached_property
    def sort_options(self):
        """Relevance only makes sense for a search (and is then the default)."""
        chosen, default = self.filterset.sort_order, self.filterset.default_sort
        return [
            SortOption(value, label, value == chosen, value == default)
            for value, label in self.filterset.form.fields["sortierung"].choices
            if (value != OfferFilter.SORT_RELEVANCE or self.searching)
            and (value != OfferFilter.SORT_DISTANCE or self.filterset.place)
        ]

    @cached_property
    def near_query(self):
        """The list's parameters without the family's place: for the "near me" form and its chip."""
        params = self.params.copy()
        for name in OfferFilter.PLACE_PARAMS:
            params.pop(name, None)
        return params.urlencode()
