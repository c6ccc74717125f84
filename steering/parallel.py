"""Possibly parallel offers: similar offers of different providers for the same families.

Two published offers are shown as a pair when they come from different
providers, share a topic, an age phase and a Sozialraum, and their titles
or summaries are similar: on PostgreSQL by trigram similarity (``pg_trgm``),
on SQLite by a plain rule (the share of words of four letters or more that
both titles, or both summaries, have in common). Comparing every offer
with every other is too slow for a page, so ``manage.py find_parallel_offers``
finds the pairs at night (``SimilarPair``); the pages read them and apply the
rest of the rule. A pair a coordinator marked as checked (``ParallelReview``)
is not shown again.
"""

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Exists, OuterRef

from offers.models import AgePhase, District, Offer
from steering.models import ParallelReview, SimilarPair

# pg_trgm similarity of the titles or of the summaries from which two offers count as similar.
TRIGRAM_SIMILARITY = 0.4
# The plain rule: shared words / all words of the two titles (or summaries).
WORD_SIMILARITY = 0.5
# At most this many pairs are shown, the most similar first: enough to work through.
PAIR_LIMIT = 300
# A run of find_parallel_offers looks at this many similar pairs, the most similar
# first, and stores at most STORED_PAIR_LIMIT of those that meet the whole rule.
CANDIDATE_LIMIT = 50000
STORED_PAIR_LIMIT = 5000
WORD = re.compile(r"\w{4,}")


@dataclass
class ParallelPair:
    first: Offer
    second: Offer
    similarity: float
    # What the two share: related ids per relation, phase ids, district ids.
    shared: dict = field(default_factory=dict)
    phases: set = field(default_factory=set)
    districts: set = field(default_factory=set)

    def shares(self, relation, row_id, phase_id, district_id=None):
        return (
            row_id in self.shared[relation]
            and phase_id in self.phases
            and (district_id is None or district_id in self.districts)
        )

    @property
    def percent(self):
        return round(self.similarity * 100)


def find_similar_pairs(offers, limit=CANDIDATE_LIMIT):
    """[(offer id, offer id, similarity)] of similar offers of different providers with a topic in common.

    Slow at state scale (each offer is compared through the trigram index):
    ``manage.py find_parallel_offers`` runs it at night and stores the result.
    """
    if connections[offers.db].vendor == "postgresql":
        return _trigram_pairs(offers, limit)
    return _word_pairs(offers, limit)


def store_similar_pairs(offers=None):
    """Replace the stored pairs with those found now that meet the whole rule; returns how many.

    Only pairs that also share a topic, an age phase and a Sozialraum are kept, so
    offers alike in words but for other places (the same course in every
    Sozialraum) do not crowd out the real ones.
    """
    offers = offers if offers is not None else Offer.objects.published()
    candidates = find_similar_pairs(offers)
    phases = list(AgePhase.objects.all())
    districts = list(District.objects.all())
    kept = []
    for start in range(0, len(candidates), 1000):
        chunk = candidates[start : start + 1000]
        kept += _pairs(chunk, _offers_of(chunk), phases, districts)
        if len(kept) >= STORED_PAIR_LIMIT:
            break
    kept = kept[:STORED_PAIR_LIMIT]
    with transaction.atomic(using=offers.db):
        SimilarPair.objects.all().delete()
        SimilarPair.objects.bulk_create(
            SimilarPair(
                first_id=pair.first.pk, second_id=pair.second.pk, similarity=pair.similarity
            )
            for pair in kept
        )
    return len(kept)


def _trigram_pairs(offers, limit):
    scope, params = offers.values("pk").query.sql_with_params()
    table = Offer._meta.db_table
    topics = Offer.topics.through._meta.db_table
    score = "GREATEST(similarity(a.title, b.title), similarity(a.summary, b.summary))"
    # For each offer, the trigram index finds the similar titles (and summaries).
    sql = f"""
        WITH scope AS ({scope})
        SELECT a.id, b.id, {score} AS score
        FROM {table} a
        JOIN LATERAL (
            SELECT c.id, c.title, c.summary, c.provider_id FROM {table} c
            WHERE c.title %% a.title AND c.id > a.id
            UNION
            SELECT c.id, c.title, c.summary, c.provider_id FROM {table} c
            WHERE c.summary %% a.summary AND c.id > a.id
        ) b ON true
        WHERE a.id IN (SELECT * FROM scope) AND b.id IN (SELECT * FROM scope)
          AND a.provider_id <> b.provider_id
          AND EXISTS (
            SELECT 1 FROM {topics} ta JOIN {topics} tb ON tb.topic_id = ta.topic_id
            WHERE ta.offer_id = a.id AND tb.offer_id = b.id
          )
        ORDER BY score DESC, a.id, b.id
        LIMIT %s
    """
    with transaction.atomic(using=offers.db), connections[offers.db].cursor() as cursor:
        # What "%" counts as similar, for this transaction only.
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [TRIGRAM_SIMILARITY])
        cursor.execute(sql, [*params, limit])
        return [(a, b, float(s)) for a, b, s in cursor.fetchall()]


def _words(text):
    return set(WORD.findall(text.lower()))


def _word_similarity(one, other):
    if not one or not other:
        return 0.0
    return len(one & other) / len(one | other)


def _word_pairs(offers, limit):
    rows = {
        pk: (provider_id, _words(title), _words(summary))
        for pk, provider_id, title, summary in offers.values_list(
            "pk", "provider_id", "title", "summary"
        )
    }
    by_topic = defaultdict(list)
    for offer_id, topic_id in Offer.topics.through.objects.filter(
        offer_id__in=offers.values("pk")
    ).values_list("offer_id", "topic_id"):
        by_topic[topic_id].append(offer_id)
    found = {}
    for offer_ids in by_topic.values():
        for a, b in itertools.combinations(sorted(offer_ids), 2):
            if (a, b) in found or rows[a][0] == rows[b][0]:
                continue
            score = max(
                _word_similarity(rows[a][1], rows[b][1]), _word_similarity(rows[a][2], rows[b][2])
            )
            if score >= WORD_SIMILARITY:
                found[(a, b)] = score
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(a, b, score) for (a, b), score in ranked]


def _served(offer, all_districts):
    if offer.citywide:
        return set(all_districts)
    return {district.pk for district in offer.served_districts}


def _phases(offer, phases):
    low, high = offer.min_age_months, offer.max_age_months
    return {
        phase.pk
        for phase in phases
        if (low is None or low <= phase.max_months) and (high is None or high >= phase.min_months)
    }


RELATIONS = ["topics", "target_groups", "languages"]


def parallel_pairs(phases, districts, district=None):
    """Unchecked pairs of possibly parallel published offers, in a fixed number of queries.

    ``district``: only pairs that share this Sozialraum.
    """
    reviewed = ParallelReview.objects.filter(
        first_id=OuterRef("first_id"), second_id=OuterRef("second_id")
    )
    candidates = list(
        SimilarPair.objects.exclude(Exists(reviewed)).values_list(
            "first_id", "second_id", "similarity"
        )[:PAIR_LIMIT]
    )
    pairs = _pairs(candidates, _offers_of(candidates), phases, districts)
    if district is not None:
        pairs = [pair for pair in pairs if district.pk in pair.districts]
    return pairs


def _offers_of(candidates):
    """The published offers of candidate pairs, with what the rule looks at (fixed queries)."""
    ids = {pk for a, b, _ in candidates for pk in (a, b)}
    return Offer.objects.published().filter(pk__in=ids).with_related().in_bulk()


def _pairs(candidates, offers, phases, districts):
    """The candidates that meet the whole rule; offers no longer public drop out."""
    district_ids = [d.pk for d in districts]
    pairs = []
    for a, b, score in candidates:
        if a not in offers or b not in offers:
            continue
        first, second = offers[a], offers[b]
        pair = ParallelPair(
            first,
            second,
            score,
            shared={
                relation: {o.pk for o in getattr(first, relation).all()}
                & {o.pk for o in getattr(second, relation).all()}
                for relation in RELATIONS
            },
            phases=_phases(first, phases) & _phases(second, phases),
            districts=_served(first, district_ids) & _served(second, district_ids),
        )
        if pair.shared["topics"] and pair.phases and pair.districts:
            pairs.append(pair)
    return pairs
