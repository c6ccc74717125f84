"""The order of a broad search by relevance, ranking only the best candidates (PostgreSQL).

Ranking every match of a broad query reads every matching row: 30 000 of
100 000 offers for "Eltern" took 168 ms (docs/benchmarks.md). Up to
``EXACT_RANKING_LIMIT`` matches every match is still ranked; beyond,
``RelevanceOrder`` ranks the best candidates of two tiers only.
"""

# Ranking every match costs about 4 ms per 1 000 matches at 100 000 offers.
EXACT_RANKING_LIMIT = 5000
# The relevance order ranks this many matches per tier; the rest of a tier follows by title.
RANKED_CANDIDATES = 200


class RelevanceOrder:
    """The matches of a search by relevance, ranking only the best candidates.

    The matches come in two tiers, those with every word in the title or
    summary first, then the others (provider, places, description); in each tier the first
    ``RANKED_CANDIDATES`` by title are ranked with ``ts_rank``, the rest follow
    by title. Each part is a walk along the title index that stops early.
    Whenever a tier has fewer matches, its order is the exact ranking.

    A list for the paginator: ``order[20:40]`` costs one query per tier it
    reaches and one for the offers (a count only on pages past a large tier).
    """

    ordered = True

    def __init__(self, queryset, plan, related=False):
        self.queryset = queryset
        self.plan = plan
        self.related = related

    def with_related(self):
        return RelevanceOrder(self.queryset, self.plan, related=True)

    def tiers(self):
        in_title_or_summary = self.plan.tsquery(weights="AB")
        return [
            self.queryset.filter(search_document=in_title_or_summary),
            self.queryset.exclude(search_document=in_title_or_summary),
        ]

    def ids(self, start, stop):
        ids, position = [], 0
        for tier in self.tiers():
            if position >= stop:
                break
            by_title = tier.order_by("title", "pk")
            candidates = by_title.values_list("pk", "rank", "title")[:RANKED_CANDIDATES]
            ranked = [pk for pk, _, _ in sorted(candidates, key=lambda c: (-c[1], c[2], c[0]))]
            size = len(ranked)
            if size == RANKED_CANDIDATES and stop > position + size:
                size = tier.count()  # a page past the ranked part of a large tier
            low, high = max(start, position) - position, min(stop, position + size) - position
            if low < high:
                ids += ranked[low:high]
                if high > len(ranked):
                    ids += by_title.values_list("pk", flat=True)[max(low, len(ranked)) : high]
            position += size
        return ids

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step:
            raise TypeError("RelevanceOrder supports slices only")
        start, stop = index.start or 0, index.stop
        ids = self.ids(start, stop)
        queryset = self.queryset.with_related() if self.related else self.queryset
        offers = {offer.pk: offer for offer in queryset.filter(pk__in=ids).order_by()}
        return [offers[pk] for pk in ids if pk in offers]
