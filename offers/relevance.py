"""The order of a broad search by relevance, ranking only the best candidates (PostgreSQL).

Ranking every match of a broad query reads every matching row: 30 000 of
100 000 offers for "Eltern" took 168 ms (docs/benchmarks.md). Up to
``EXACT_RANKING_LIMIT`` matches every match is still ranked; beyond,
``RelevanceOrder`` ranks the best candidates of two tiers only, found with
the facet index (``offers.facet_index``).
"""

from django.contrib.postgres.search import SearchRank
from django.db.models import F, Q
from pyroaring import BitMap

# Ranking every match costs about 4 ms per 1 000 matches at 100 000 offers.
EXACT_RANKING_LIMIT = 5000
# The relevance order ranks this many matches per tier; the rest of a tier follows by title.
RANKED_CANDIDATES = 200
# With the facet index: tier 1's candidates are looked for along the title index in at most
# this many batches, the first of RANKED_CANDIDATES rows, each next four times the last
# (then tier 1 comes from the index).
WALK_BATCHES = 3


def after_in_title_order(pk, title):
    """The offers after (``pk``, ``title``) in the order ``title, pk``."""
    return Q(title__gt=title) | Q(title=title, pk__gt=pk)


class RelevanceOrder:
    """The matches of a search by relevance, ranking only the best candidates.

    The matches (``selection``, a bitmap of the facet index's ``state``) come in
    two tiers, those with every word in the title or summary first, then the
    others (provider, places, description); in each tier the first
    ``RANKED_CANDIDATES`` by title are ranked with ``ts_rank``, the rest follow
    by title. Whenever a tier has fewer matches, its order is the exact ranking.

    A list for the paginator: ``order[20:40]`` costs the walk for tier 1's
    candidates, one ranking per tier it reaches and one query for the offers
    (tier 1 as a whole, kept per plan, only on pages past its candidates).
    """

    ordered = True

    def __init__(self, queryset, plan, state, selection, known=None, cards=False):
        self.queryset = queryset
        self.plan = plan
        self.state = state
        self.selection = selection
        self.known = known
        self.cards = cards

    def for_cards(self):
        return RelevanceOrder(
            self.queryset, self.plan, self.state, self.selection, self.known, cards=True
        )

    def ids(self, start, stop):
        """The ids of positions ``start``–``stop``: a walk along the title index finds tier 1's
        candidates (no row but theirs read, however broad the search); the rest of each tier
        comes in the index's title order, tier 2 from the bitmaps."""
        candidates, first = self.first_candidates()
        ids, position = self.tier_ids(first, self.ranked(candidates), start, stop, 0)
        if position < stop:
            first = first if first is not None else self.first_tier()
            second = self.selection - first
            candidates = self.state.orders["title"].page(second, 0, RANKED_CANDIDATES)
            more, position = self.tier_ids(second, self.ranked(candidates), start, stop, position)
            ids += more
        return ids

    def tier_ids(self, tier, ranked, start, stop, position):
        """The ids of positions ``start``–``stop`` a tier beginning at ``position`` holds: its
        ``ranked`` candidates, then the others by title; and the position after the tier.
        ``tier`` (a bitmap) is read only when the page goes past the candidates."""
        ids = ranked[max(start, position) - position : max(stop - position, 0)]
        if stop <= position + len(ranked):
            return ids, position + len(ranked)  # the tier may hold more; this page needs none
        tier = tier if tier is not None else self.first_tier()
        rest = tier - BitMap(ranked)
        low = max(start - position - len(ranked), 0)
        high = stop - position - len(ranked)
        ids += self.state.orders["title"].page(rest, low, high)
        return ids, position + len(tier)

    def first_tier(self):
        """Every offer of the selection with every word in its title or summary (kept per plan)."""
        return self.selection & self.state.search(self.plan, in_title_or_summary=True)

    def first_candidates(self):
        """(tier 1's first ``RANKED_CANDIDATES`` by title, tier 1 as a bitmap when the walk
        saw all of it, else None).

        Walks the offers with every word in their title or summary by title, a batch at a
        time, keeping those of the selection; a selection sparse among them (narrowed by other
        filters) takes tier 1 from the index instead, kept per plan.
        """
        head = (
            self.queryset.model.objects.using(self.queryset.db)
            .published()
            .search_in_title_or_summary(self.plan)
            .order_by("title", "pk")
            .values_list("pk", "title")
        )
        found, last = [], None
        for number in range(WALK_BATCHES):
            size = RANKED_CANDIDATES * 4**number
            batch = head if last is None else head.filter(after_in_title_order(*last))
            rows = list(batch[:size])
            found += [pk for pk, _ in rows if pk in self.selection]
            if len(found) >= RANKED_CANDIDATES:
                return found[:RANKED_CANDIDATES], None
            if len(rows) < size:
                return found, BitMap(found)  # all of tier 1
            last = rows[-1]
        first = self.first_tier()
        return self.state.orders["title"].page(first, 0, RANKED_CANDIDATES), first

    def ranked(self, candidates):
        """``candidates`` (ids) best match first: rank, then title."""
        if not candidates:
            return []
        rows = (
            self.queryset.model.objects.using(self.queryset.db)
            .filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_document"), self.plan.tsquery()))
            .values_list("pk", "rank", "title")
        )
        return [pk for pk, _, _ in sorted(rows, key=lambda c: (-c[1], c[2], c[0]))]

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step:
            raise TypeError("RelevanceOrder supports slices only")
        ids = self.ids(index.start or 0, index.stop)
        return self.queryset.in_order(ids, self.cards, self.known)


class RankedMatches(RelevanceOrder):
    """Every match of a counted narrow search (``selection``, the facet index's bitmap of
    them) best match first: the ranking reads only those offers, by id, and only their ids;
    a page reads its offers by id. ``whole``: the selection is every published match of the
    search, which the search in SQL ranks a little quicker (13 against 16 ms for 4 408
    matches at 100 000 offers); with other filters, their plan in SQL took up to 300 ms."""

    def __init__(self, queryset, plan, selection, known=None, cards=False, whole=False):
        super().__init__(queryset, plan, None, selection, known, cards)
        self.whole = whole

    def for_cards(self):
        return RankedMatches(self.queryset, self.plan, self.selection, self.known, True, self.whole)

    def ids(self, start, stop):
        offers = self.queryset.model.objects.using(self.queryset.db)
        offers = offers.published() if self.whole else offers.among(self.selection)
        matches = offers.search(self.plan)
        return list(
            matches.order_by("-rank", "title", "pk").values_list("pk", flat=True)[start:stop]
        )
