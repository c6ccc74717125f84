"""Option counts for the offer filter: how many results each choice would give.

Each facet is counted within the current selection minus its own filter, so
the numbers answer "what if I chose this instead?". The counts come from the
facet index (``offers.facet_index``): each active filter is a bitmap of the
published offers it selects, a count is the size of an intersection. No
aggregate query runs, whatever the number of offers or options.
"""

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

from offers.ages import age_choices
from offers.facet_index import FREE, WHEELCHAIR
from offers.models import Provider
from offers.words import title_key


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


def _options_html(options):
    # html.escape is what django.utils.html.escape applies; format_html per option was slower.
    return "".join(
        f'<option value="{escape(o.value)}"{" selected" if o.selected else ""}>'
        f"{escape(o.label)} ({o.count:d})</option>"
        for o in options
    )


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [(group label, [Option])] for <optgroup>
    errors: list = field(default_factory=list)

    def options_html(self):
        """The select's options and option groups: about 150 on the list, made in Python.

        A template loop over them took a third of the page's rendering time.
        """
        html = _options_html(self.options) + "".join(
            f'<optgroup label="{escape(label)}">{_options_html(options)}</optgroup>'
            for label, options in self.groups
        )
        return mark_safe(html)  # every value escaped above


@dataclass
class Named:
    """What an option needs of a provider (reading whole rows cost more than the rest)."""

    pk: int
    slug: str
    name: str

    def __str__(self):
        return self.name


class Selection:
    """The active filters of an ``OfferFilter`` as bitmaps of the published offers."""

    def __init__(self, filterset):
        self.filterset = filterset
        self.state = filterset.state
        self.parts = {
            name: filterset.bitmap(name, value, self.state)
            for name, value in filterset.active.items()
        }

    def without(self, excluded=None):
        """The offers every active filter selects except ``excluded``."""
        return self.state.select([b for name, b in self.parts.items() if name != excluded])

    def count(self, excluded=None):
        return len(self.without(excluded))


def _selected_value(filterset, name, attribute="slug"):
    value = filterset.active.get(name)
    return getattr(value, attribute, value) if value is not None else None


def _vocabulary_facet(selection, name, kind, objects, value_attribute="slug"):
    filterset = selection.filterset
    base = selection.without(name)
    selected = _selected_value(filterset, name, value_attribute)
    return Facet(
        name=name,
        label=str(filterset.filters[name].label),
        options=[
            Option(
                value=getattr(obj, value_attribute),
                label=str(obj),
                count=base.intersection_cardinality(selection.state.get((kind, obj.pk))),
                selected=getattr(obj, value_attribute) == selected,
            )
            for obj in objects
        ],
    )


def age_facet(selection):
    filterset, state = selection.filterset, selection.state
    base = selection.without("alter")
    _, (exact_label, exact), (range_label, ranges) = age_choices()
    selected = filterset.active.get("alter")

    def options(choices):
        return [
            Option(
                value,
                str(label),
                base.intersection_cardinality(state.get(("age", value))),
                value == selected,
            )
            for value, label in choices
        ]

    return Facet(
        name="alter",
        label=str(filterset.filters["alter"].label),
        groups=[(str(exact_label), options(exact)), (str(range_label), options(ranges))],
    )


def provider_facet(selection):
    base = selection.without("traeger")
    # Only providers with offers in the selection, or the chosen one: a list of
    # every provider of a large region would be unusable.
    shown = [
        pk
        for pk, offers in selection.state.keys("provider").items()
        if base.intersection_cardinality(offers)
    ]
    selected = selection.filterset.active.get("traeger")
    providers = (
        Provider.objects.filter(pk__in=[*shown, getattr(selected, "pk", None)])
        .order_by("name")
        .values_list("pk", "slug", "name")
    )
    return _vocabulary_facet(selection, "traeger", "provider", [Named(*row) for row in providers])


def in_name_order(objects):
    """Topics and languages in the alphabetical order of the reader's language.

    The facet index keeps one list for every language; their names are read in the reader's.
    """
    return sorted(objects, key=lambda obj: title_key(str(obj)))


def build_facets(selection):
    """Every facet with its option counts (errors are the caller's to add)."""
    vocabulary = selection.state.vocabulary
    return [
        age_facet(selection),
        _vocabulary_facet(selection, "phase", "phase", vocabulary["phase"]),
        _vocabulary_facet(selection, "sozialraum", "district", vocabulary["district"]),
        _vocabulary_facet(selection, "thema", "topic", in_name_order(vocabulary["topic"])),
        _vocabulary_facet(selection, "zielgruppe", "target_group", vocabulary["target_group"]),
        _vocabulary_facet(
            selection, "sprache", "language", in_name_order(vocabulary["language"]), "code"
        ),
        provider_facet(selection),
    ]


def flag_counts(selection):
    """How many results ticking each checkbox would give."""
    return {
        "kostenlos": selection.without("kostenlos").intersection_cardinality(
            selection.state.get(FREE)
        ),
        "barrierefrei": selection.without("barrierefrei").intersection_cardinality(
            selection.state.get(WHEELCHAIR)
        ),
    }
