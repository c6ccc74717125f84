"""Option counts for the offer filter: how many results each choice would give.

Each facet is counted within the current selection minus its own filter, so
the numbers answer "what if I chose this instead?". Every facet costs one or
two aggregate queries, whatever the number of offers or options.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count

from offers.ages import age_choices, parse_age
from offers.models import (
    AgePhase,
    District,
    Language,
    Offer,
    Provider,
    TargetGroup,
    Topic,
    age_overlap_q,
    related_id_column,
)


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [(group label, [Option])] for <optgroup>
    errors: list = field(default_factory=list)


def _within(queryset):
    """A plain queryset of the same offers, free of annotations and ordering."""
    return Offer.objects.filter(pk__in=queryset.values("pk"))


def through_counts(relation, queryset):
    """{related id: number of offers in ``queryset``} for one many-to-many relation of Offer."""
    through = getattr(Offer, relation).through
    column = related_id_column(relation)
    rows = (
        through.objects.filter(offer_id__in=queryset.values("pk"))
        .values(column)
        .annotate(n=Count("offer_id"))
        .order_by()
    )
    return {row[column]: row["n"] for row in rows}


def _served_counts(queryset):
    """(citywide offers, {district id: other offers serving it}) within ``queryset``."""
    citywide = queryset.filter(citywide=True).count()
    return citywide, count_by_district(queryset.filter(citywide=False).served_districts())


def count_by_district(pairs):
    """{district id: number of offers} from a query of distinct (offer id, district id) pairs."""
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        # A UNION cannot be grouped through the ORM; it is wrapped as a subquery instead.
        cursor.execute(
            f"SELECT served.district_id, COUNT(*) FROM ({sql}) AS served GROUP BY 1", params
        )
        return dict(cursor.fetchall())


def _selected_value(filterset, name, attribute="slug"):
    value = filterset.active.get(name)
    return getattr(value, attribute, value) if value is not None else None


def _vocabulary_facet(filterset, name, objects, counts, value_attribute="slug"):
    selected = _selected_value(filterset, name, value_attribute)
    return Facet(
        name=name,
        label=str(filterset.filters[name].label),
        options=[
            Option(
                value=getattr(obj, value_attribute),
                label=str(obj),
                count=counts.get(obj.pk, 0),
                selected=getattr(obj, value_attribute) == selected,
            )
            for obj in objects
        ],
    )


def age_facet(filterset):
    base = _within(filterset.queryset_without("alter"))
    _, (exact_label, exact), (range_label, ranges) = age_choices()
    values = [value for value, _ in exact + ranges]
    counts = base.aggregate(
        **{
            f"age_{i}": Count("pk", filter=age_overlap_q(*parse_age(v)))
            for i, v in enumerate(values)
        }
    )
    by_value = {value: counts[f"age_{i}"] for i, value in enumerate(values)}
    selected = filterset.active.get("alter")

    def options(choices):
        return [
            Option(value, str(label), by_value[value], value == selected)
            for value, label in choices
        ]

    return Facet(
        name="alter",
        label=str(filterset.filters["alter"].label),
        groups=[(str(exact_label), options(exact)), (str(range_label), options(ranges))],
    )


def phase_facet(filterset):
    phases = list(AgePhase.objects.all())
    base = _within(filterset.queryset_without("phase"))
    counts = base.aggregate(
        **{
            f"phase_{phase.pk}": Count(
                "pk", filter=age_overlap_q(phase.min_months, phase.max_months)
            )
            for phase in phases
        }
    )
    return _vocabulary_facet(
        filterset, "phase", phases, {phase.pk: counts[f"phase_{phase.pk}"] for phase in phases}
    )


def district_facet(filterset):
    districts = list(District.objects.all())
    citywide, counts = _served_counts(filterset.queryset_without("sozialraum"))
    return _vocabulary_facet(
        filterset,
        "sozialraum",
        districts,
        {d.pk: counts.get(d.pk, 0) + citywide for d in districts},
    )


def relation_facet(filterset, name, model, relation, value_attribute="slug"):
    counts = through_counts(relation, filterset.queryset_without(name))
    return _vocabulary_facet(filterset, name, model.objects.all(), counts, value_attribute)


def provider_facet(filterset):
    rows = (
        _within(filterset.queryset_without("traeger"))
        .values("provider_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["provider_id"]: row["n"] for row in rows}
    # Only providers with offers in the selection, or the chosen one: a list of
    # every provider of a large region would be unusable.
    selected = filterset.active.get("traeger")
    providers = Provider.objects.filter(pk__in=[*counts, getattr(selected, "pk", None)])
    return _vocabulary_facet(filterset, "traeger", providers, counts)


def build_facets(filterset):
    """Every facet with its option counts (errors are the caller's to add)."""
    return [
        age_facet(filterset),
        phase_facet(filterset),
        district_facet(filterset),
        relation_facet(filterset, "thema", Topic, "topics"),
        relation_facet(filterset, "zielgruppe", TargetGroup, "target_groups"),
        relation_facet(filterset, "sprache", Language, "languages", "code"),
        provider_facet(filterset),
    ]


def flag_counts(filterset):
    """How many results ticking each checkbox would give."""
    return {
        "kostenlos": filterset.queryset_without("kostenlos").free_of_charge().count(),
        "barrierefrei": filterset.queryset_without("barrierefrei").wheelchair_accessible().count(),
    }
