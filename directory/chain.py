"""The Präventionskette at a glance: published offers per topic and age phase."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count

from offers.models import Offer, age_overlap_q


@dataclass
class Cell:
    phase: object
    count: int
    query: str

    @property
    def is_gap(self):
        return self.count == 0


def chain_matrix(topics, phases, district=None):
    """Rows of (topic, [Cell per phase]) in two aggregate queries in all."""
    offers = Offer.objects.published()
    if district is not None:
        offers = offers.in_district(district)
    rows = (
        Offer.topics.through.objects.filter(offer_id__in=offers.values("pk"))
        .values("topic_id")
        .annotate(
            **{
                f"phase_{phase.pk}": Count(
                    "offer_id",
                    filter=age_overlap_q(phase.min_months, phase.max_months, prefix="offer__"),
                )
                for phase in phases
            }
        )
        .order_by()
    )
    counts = {row["topic_id"]: row for row in rows}
    matrix = []
    for topic in topics:
        row = counts.get(topic.pk, {})
        cells = []
        for phase in phases:
            params = {"thema": topic.slug, "phase": phase.slug}
            if district is not None:
                params["sozialraum"] = district.slug
            cells.append(Cell(phase, row.get(f"phase_{phase.pk}", 0), urlencode(params)))
        matrix.append((topic, cells))
    return matrix
