"""Possibly parallel offers: similar offers of different providers for the same families.

Two published offers are shown as a pair when they come from different
providers, share a topic, an age phase and a Sozialraum, and their titles
or summaries are similar: on PostgreSQL by trigram similarity (``pg_trgm``),
on SQLite by a plain rule (the share of words of four letters or more that
both titles, or both summaries, have in common). A pair a coordinator marked
as checked (``ParallelReview``) is not shown again.
"""

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections

from offers.models import Offer
from steering.models import ParallelReview

# pg_trgm similarity of the titles or of the summaries from which two offers count as similar.
TRIGRAM_SIMILARITY = 0.4
# The plain rule: shared words / all words of the two titles (or summaries).
WORD_SIMILARITY = 0.5
# At most this many pairs, the most similar first: enough to work through, bounded at any size.
PAIR_LIMIT = 300
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


def similar_pairs(offers, limit=PAIR_LIMIT):
    """[(offer id, offer id, similarity)] of similar offers of different providers with a topic in common."""
    if connections[offers.db].vendor == "postgresql":
        return _trigram_pairs(offers, limit)
    return _word_pairs(offers, limit)


def _trigram_pairs(offers, limit):
    scope, params = offers.values("pk").query.sql_with_params()
    table = Offer._meta.db_table
    topics = Offer.topics.through._meta.db_table
    score = "GREATEST(similarity(a.title, b.title), similarity(a.summary, b.summary))"
    sql = f"""
        WITH scope AS ({scope})
        SELECT a.id, b.id, {score} AS score
        FROM {table} a
        JOIN {table} b ON a.id < b.id AND a.provider_id <> b.provider_id
        WHERE a.id IN (SELECT * FROM scope) AND b.id IN (SELECT * FROM scope)
          AND (a.title %% b.title OR a.summary %% b.summary)
          AND {score} >= %s
          AND EXISTS (
            SELECT 1 FROM {topics} ta JOIN {topics} tb ON tb.topic_id = ta.topic_id
            WHERE ta.offer_id = a.id AND tb.offer_id = b.id
          )
        ORDER BY score DESC, a.id, b.id
        LIMIT %s
    """
    with connections[offers.db].cursor() as cursor:
        cursor.execute(sql, [*params, TRIGRAM_SIMILARITY, limit])
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
    candidates = similar_pairs(Offer.objects.published())
    reviewed = set(ParallelReview.objects.values_list("first_id", "second_id"))
    candidates = [(a, b, s) for a, b, s in candidates if (a, b) not in reviewed]
    ids = {pk for a, b, _ in candidates for pk in (a, b)}
    offers = Offer.objects.filter(pk__in=ids).with_related().in_bulk()
    district_ids = [d.pk for d in districts]
    pairs = []
    for a, b, score in candidates:
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
        if not (pair.shared["topics"] and pair.phases and pair.districts):
            continue
        if district is not None and district.pk not in pair.districts:
            continue
        pairs.append(pair)
    return pairs
