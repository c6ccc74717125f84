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
from django.utils.translation import get_language

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


def _facet(selection, name, choices, value_attribute="slug"):
    """A facet of ``choices``: (value, label, bitmap) each, counted within the selection."""
    filterset = selection.filterset
    base = selection.without(name)
    selected = _selected_value(filterset, name, value_attribute)
    return Facet(
        name=name,
        label=str(filterset.filters[name].label),
        options=[
            Option(value, label, base.intersection_cardinality(offers), value == selected)
            for value, label, offers in choices
        ],
    )


def vocabulary_choices(state, kind, value_attribute="slug", by_name=False):
    """(value, label, bitmap) of every value of ``kind`` in the reader's language.

    Made once per picture and language: the labels are translated fields,
    and topics and languages are sorted by their names in the reader's
    language (``by_name``).
    """

    def make():
        choices = [
            (getattr(obj, value_attribute), str(obj), state.get((kind, obj.pk)))
            for obj in state.vocabulary[kind]
        ]
        if by_name:
            choices.sort(key=lambda choice: title_key(choice[1]))
        return choices

    return state.derived(("choices", kind, get_language()), make)


def age_facet(selection):
    filterset, state = selection.filterset, selection.state
    base = selection.without("alter")
    selected = filterset.active.get("alter")

    def make():
        _, (exact_label, exact), (range_label, ranges) = age_choices()
        return [
            (
                str(group),
                [(value, str(label), state.get(("age", value))) for value, label in group_choices],
            )
            for group, group_choices in ((exact_label, exact), (range_label, ranges))
        ]

    return Facet(
        name="alter",
        label=str(filterset.filters["alter"].label),
        groups=[
            (
                group,
                [
                    Option(value, label, base.intersection_cardinality(offers), value == selected)
                    for value, label, offers in choices
                ],
            )
            for group, choices in state.derived(("age-choices", get_language()), make)
        ],
    )


def provider_choices(state, version):
    """(slug, name, bitmap) of every provider with published offers, in alphabetical order.

    Read once per picture and version of the offers (``directory.cache``):
    renaming a provider replaces the version, not the picture.
    """
    kept = state.derived(("providers",), dict)
    choices = kept.get(version)
    if choices is None:
        offers = state.keys("provider")
        providers = Provider.objects.using(state.using).filter(pk__in=list(offers))
        choices = sorted(
            (
                (slug, name, offers[pk])
                for pk, slug, name in providers.values_list("pk", "slug", "name")
            ),
            key=lambda choice: title_key(choice[1]),
        )
        kept.clear()
        kept[version] = choices
    return choices


def provider_facet(selection, version):
    facet = _facet(selection, "traeger", provider_choices(selection.state, version))
    # Only providers with offers in the selection, or the chosen one: a list of
    # every provider of a large region would be unusable.
    facet.options = [option for option in facet.options if option.count or option.selected]
    chosen = selection.filterset.active.get("traeger")
    if chosen is not None and not any(option.selected for option in facet.options):
        # Chosen, but without published offers: shown with none.
        facet.options.append(Option(chosen.slug, chosen.name, 0, True))
        facet.options.sort(key=lambda option: title_key(option.label))
    return facet


def build_facets(selection, version):
    """Every facet with its option counts (errors are the caller's to add).

    ``version``: the version of the offers (``directory.cache.offers_version``).
    """
    state = selection.state
    return [
        age_facet(selection),
        _facet(selection, "phase", vocabulary_choices(state, "phase")),
        _facet(selection, "sozialraum", vocabulary_choices(state, "district")),
        _facet(selection, "thema", vocabulary_choices(state, "topic", by_name=True)),
        _facet(selection, "zielgruppe", vocabulary_choices(state, "target_group")),
        _facet(
            selection,
            "sprache",
            vocabulary_choices(state, "language", "code", by_name=True),
            "code",
        ),
        provider_facet(selection, version),
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
