"""The Präventionskette at a glance: published offers per topic and age phase."""

from dataclasses import dataclass
from urllib.parse import urlencode

from offers.models import Offer


@dataclass
class Cell:
    phase: object
    count: int
    query: str

    @property
    def is_gap(self):
        return self.count == 0


def chain_matrix(topics, phases, district=None):
    """Rows of (topic, [Cell per phase]) in one aggregate query."""
    offers = Offer.objects.published()
    if district is not None:
        offers = offers.in_district(district)
    counts = offers.coverage("topics", phases)
    matrix = []
    for topic in topics:
        cells = []
        for phase in phases:
            params = {"thema": topic.slug, "phase": phase.slug}
            if district is not None:
                params["sozialraum"] = district.slug
            count, _providers = counts.get((topic.pk, phase.pk), (0, 0))
            cells.append(Cell(phase, count, urlencode(params)))
        matrix.append((topic, cells))
    return matrix
