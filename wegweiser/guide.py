"""The printed "Wegweiser für Familien": a selection of the list, in sections by age phase.

A family opens the section of their child's age and finds every offer for
it. An offer for several ages is described once, in the first section it
belongs to; the later ones list it with the page it is described on, so a
guide for a whole Sozialraum does not print the same text four times.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.facets import Selection
from directory.panel import active_filters, active_query
from offers.ages import describe_age_range, parse_age
from offers.models import AgePhase, Offer, ages_overlap


@dataclass
class Section:
    phase: AgePhase | None
    offers: list = field(default_factory=list)
    # Offers of this age described in an earlier section: (offer, that section).
    see_also: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"phase-{self.phase.slug}" if self.phase else "weitere-angebote"

    @property
    def title(self):
        return self.phase.name if self.phase else _("Further offers")

    @property
    def ages(self):
        return (
            describe_age_range(self.phase.min_months, self.phase.max_months) if self.phase else ""
        )

    @property
    def total(self):
        return len(self.offers) + len(self.see_also)


def phases_for(active, phases):
    """The age phases a selection covers: the chosen phase, those of the chosen age, or all."""
    if "phase" in active:
        return [active["phase"]]
    if "alter" in active:
        low, high = parse_age(active["alter"])
        return [phase for phase in phases if phase.min_months <= high and phase.max_months >= low]
    return phases


def sections(offers, phases):
    """``offers`` (in print order) in one section per phase; each described in its first one.

    A section's ``see_also`` holds (offer, section it is described in) pairs.
    """
    described_in = {}
    result = []
    for phase in phases:
        section = Section(phase)
        for offer in offers:
            if not ages_overlap(
                offer.min_age_months, offer.max_age_months, phase.min_months, phase.max_months
            ):
                continue
            if offer.pk in described_in:
                section.see_also.append((offer, described_in[offer.pk]))
            else:
                section.offers.append(offer)
                described_in[offer.pk] = section
        if section.total:
            result.append(section)
    rest = [offer for offer in offers if offer.pk not in described_in]
    if rest:
        result.append(Section(None, rest))
    return result


def absolute(path):
    """The public address of ``path``: printed paper outlives the request that made it."""
    return settings.SITE_URL + path


class Guide:
    """What one Wegweiser shows, for an ``OfferFilter`` of the public list.

    ``total`` and the offers come from the facet index, the same selection
    the list shows; reading the offers costs a fixed number of queries.
    """

    def __init__(self, filterset):
        self.filterset = filterset
        self.active = filterset.active
        self.ids = Selection(filterset).without()
        self.total = len(self.ids)
        self.date = timezone.localdate()

    def filters(self):
        """The filters besides the Sozialraum in words, as the list's chips name them."""
        chips = active_filters(self.filterset, self.filterset.data.copy())
        return [(chip.label, chip.value) for chip in chips if chip.name != "sozialraum"]

    @property
    def district(self):
        return self.active.get("sozialraum")

    @property
    def place(self):
        return self.district.name if self.district else _("All of Oberhausen")

    def filename(self):
        parts = ["wegweiser", self.district.slug if self.district else "oberhausen"]
        if "phase" in self.active:
            parts.append(self.active["phase"].slug)
        return "-".join(parts) + ".pdf"

    def list_url(self):
        """The online list with the same filters (always current), for the cover's QR code."""
        query = active_query(self.filterset)
        return absolute(reverse("directory:list")) + (f"?{query}" if query else "")

    def offers(self):
        """The selection's offers with what an entry shows, in German dictionary order."""
        return Offer.objects.filter(pk__in=list(self.ids)).with_related().in_title_order()

    def sections(self):
        phases = phases_for(self.active, list(AgePhase.objects.all()))
        return sections(self.offers(), phases)
