"""The filter panel of the offer list: counts, chips, loosening suggestions and sorting.

The list view is the FilterSet and a page of results; everything the panel
around it shows is worked out here, from the FilterSet and the query string.
"""

from dataclasses import dataclass

from django.utils.functional import cached_property

from directory.cache import cached
from directory.facets import build_facets, flag_counts
from directory.filters import OfferFilter


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


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield value, label


class FilterPanel:
    def __init__(self, filterset, params):
        self.filterset = filterset
        self.params = params
        # The counts depend only on the filters: cached per selection, not per page or sort.
        self.total, self.facets, self.flag_counts = cached(
            ("list", filterset.cache_key()),
            lambda: (filterset.qs.count(), build_facets(filterset), flag_counts(filterset)),
        )
        errors = filterset.form.errors
        for facet in self.facets:
            facet.errors = list(errors.get(facet.name, []))

    @property
    def searching(self):
        return "q" in self.filterset.active

    @cached_property
    def chips(self):
        """Each active filter with a link that removes just it (and the page number)."""
        chips = []
        for name, value in self.filterset.active.items():
            remaining = self.params.copy()
            remaining.pop(name, None)
            remaining.pop("page", None)
            field = self.filterset.form.fields[name]
            if name == "alter":
                shown = dict(_flat_choices(field.choices)).get(value, value)
            elif name in OfferFilter.FLAGS:
                shown = None
            else:
                shown = str(value)
            chips.append(
                Chip(name, field.label, shown, f"?{remaining.urlencode()}" if remaining else "?")
            )
        return chips

    @cached_property
    def loosen(self):
        """When nothing matches: each filter to leave out, with how many offers that would give."""
        if self.total or not self.chips:
            return []
        return [(chip, self.filterset.queryset_without(chip.name).count()) for chip in self.chips]

    @cached_property
    def sort_options(self):
        """Relevance only makes sense for a search, and is then the default."""
        default = OfferFilter.SORT_RELEVANCE if self.searching else OfferFilter.SORT_TITLE
        return [
            SortOption(value, label, value == self.filterset.sort_order, value == default)
            for value, label in self.filterset.form.fields["sortierung"].choices
            if value != OfferFilter.SORT_RELEVANCE or self.searching
        ]
