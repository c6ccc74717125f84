"""The coverage matrix: age phase × topic (or target group, or language), per Sozialraum.

Each cell counts the published offers and their providers, marks gaps
(no offer), thin spots (one offer) and possibly parallel offers, and with
the city's figures shows offers per 1 000 children.
"""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offers.models import AgePhase, District, Language, Offer, TargetGroup, Topic
from steering.models import ChildPopulation
from steering.parallel import parallel_pairs

# Cells whose offers per 1 000 children lie in the lowest tenth are highlighted.
LOWEST_SHARE = 0.1


@dataclass(frozen=True)
class Dimension:
    key: str  # the query parameter, as in the public filter and the admin
    relation: str
    model: type
    label: str
    value_attribute: str = "slug"

    def rows(self):
        return list(self.model.objects.all())

    def value(self, row):
        return getattr(row, self.value_attribute)


DIMENSIONS = {
    dimension.key: dimension
    for dimension in [
        Dimension("thema", "topics", Topic, _("Topic")),
        Dimension("zielgruppe", "target_groups", TargetGroup, _("Target group")),
        Dimension("sprache", "languages", Language, _("Language"), "code"),
    ]
}


@dataclass
class CoverageCell:
    row: object
    phase: AgePhase
    offers: int
    providers: int
    parallel: int
    children: int | None
    filters: dict
    lowest: bool = False

    @property
    def per_thousand(self):
        if not self.children:
            return None
        return self.offers * 1000 / self.children

    @property
    def mark(self):
        if self.offers == 0:
            return "gap"
        if self.offers == 1:
            return "thin"
        if self.parallel:
            return "parallel"
        return ""

    @property
    def offers_url(self):
        """The offers behind the numbers, in the admin's offer list."""
        query = urlencode({"oeffentlich": "ja", **self.filters})
        return f"{reverse('admin:offers_offer_changelist')}?{query}"

    @property
    def parallel_url(self):
        return f"{reverse('steering:parallel')}?{urlencode(self.filters)}"


@dataclass
class Coverage:
    dimension: Dimension
    district: District | None
    phases: list
    rows: list = field(default_factory=list)  # [(row object, [CoverageCell])]
    year: int | None = None
    demo_figures: bool = False
    pairs: list = field(default_factory=list)

    @property
    def cells(self):
        return [cell for _, cells in self.rows for cell in cells]

    @property
    def totals(self):
        return {
            "gaps": sum(cell.mark == "gap" for cell in self.cells),
            "thin": sum(cell.mark == "thin" for cell in self.cells),
            "parallel": sum(cell.mark == "parallel" for cell in self.cells),
        }


def _mark_lowest(cells):
    rated = sorted(cell.per_thousand for cell in cells if cell.per_thousand is not None)
    if not rated:
        return
    threshold = rated[max(math.ceil(len(rated) * LOWEST_SHARE), 1) - 1]
    for cell in cells:
        cell.lowest = cell.per_thousand is not None and cell.per_thousand <= threshold


def coverage(dimension, district=None):
    """The matrix for the whole city (``district`` None) or one Sozialraum, in fixed queries."""
    phases = list(AgePhase.objects.all())
    districts = list(District.objects.all())
    offers = Offer.objects.published()
    if district is not None:
        offers = offers.in_district(district)
    counts = offers.coverage(dimension.relation, phases)
    year = ChildPopulation.objects.latest_year()
    children = ChildPopulation.objects.children_by_phase(year, district) if year else {}
    result = Coverage(dimension, district, phases, year=year)
    if year:
        result.demo_figures = ChildPopulation.objects.filter(year=year, is_demo=True).exists()
    result.pairs = parallel_pairs(phases, districts, district)
    district_id = district.pk if district else None
    for row in dimension.rows():
        cells = []
        for phase in phases:
            offer_count, provider_count = counts.get((row.pk, phase.pk), (0, 0))
            filters = {"phase": phase.slug, dimension.key: dimension.value(row)}
            if district is not None:
                filters["sozialraum"] = district.slug
            cells.append(
                CoverageCell(
                    row=row,
                    phase=phase,
                    offers=offer_count,
                    providers=provider_count,
                    parallel=sum(
                        pair.shares(dimension.relation, row.pk, phase.pk, district_id)
                        for pair in result.pairs
                    ),
                    children=children.get(phase.pk),
                    filters=filters,
                )
            )
        result.rows.append((row, cells))
    _mark_lowest(result.cells)
    return result
