#!/usr/bin/env python
"""How long the search takes in PostgreSQL at N offers: the list's first page for each query.

    .venv/bin/python scripts/bench_search.py --offers 100000 --repeat 15

Uses (and if needed fills) the database ``bench_<N>`` of ``scripts/bench.py``,
then for every query makes the plan (vocabulary and synonym look-ups) and
reads the first page of published offers by relevance as the list does
(``by_relevance`` with the facet index's selection; the count comes from the
index's search, outside the time), several times, and reports the first
time (nothing of the search kept) and the others (p50, p95; wall clock, and
the sum of its queries' times), per query and over all queries. Only loopback addresses are used.
"""

import argparse
import json
import statistics

from bench import prepare_database, shell

QUERIES = [
    "Sprachförderung Kita",  # broad: thousands of generated offers
    "Eltern",  # broad, one word
    "Kinder Familie",  # broad, two words
    "Beratung",  # broad, many compounds
    "Förderung",  # compound tail
    "Hebame",  # typo
    "Krabelgruppe Osterfeld",  # typo and place
    "Kindergarten",  # synonym
    "Lirich",  # place
    "FHR",  # short name
    "Schwimmen",  # compound head
    "Hebamme",  # selective
    "xyzzyq",  # nothing (nearest spellings)
]

CODE = """
import json, time
from django.core.cache import cache
from django.db import connection
from offers.facet_index import facet_state
from offers.models import Offer
from offers.search import plan_search
cache.clear()  # no search kept from an earlier run
state = facet_state()
connection.force_debug_cursor = True  # record every query's time
results = {}
for text in QUERIES:
    plans, pages, database = [], [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        plan = plan_search(text)
        plans.append((time.perf_counter() - started) * 1000)
        matches = Offer.objects.published().search(plan)
        # The list counts from the facet index's search, kept per plan (issue 12).
        selection = state.search(plan)
        connection.queries_log.clear()
        started = time.perf_counter()
        order = matches.by_relevance(plan, len(selection), state=state, selection=selection)
        page = list(order[0:20])
        pages.append((time.perf_counter() - started) * 1000)
        database.append(sum(float(q["time"]) for q in connection.queries) * 1000)
    results[text] = {
        "plan_ms": plans, "page_ms": pages, "db_ms": database, "matches": len(selection),
        "first": page[0].title if page else "",
    }
print("RESULT " + json.dumps(results))
"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    database, env, _ = prepare_database(args.offers)
    code = CODE.replace("QUERIES", repr(QUERIES)).replace("REPEAT", str(args.repeat))
    output = shell(env, code)
    results = json.loads(output.split("RESULT ", 1)[1])
    print(
        f"Search at {args.offers} generated offers (database {database}), {args.repeat} runs each"
    )
    print(
        "| query | matches | first time: page ms | in the database ms "
        "| again: page p50 ms | page p95 ms | in the database p95 ms | plan p50 ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    first_pages, first_database, pages, database = [], [], [], []
    for text, r in results.items():
        first_pages.append(r["page_ms"][0])
        first_database.append(r["db_ms"][0])
        again, again_database = r["page_ms"][1:], r["db_ms"][1:]
        pages += again
        database += again_database
        print(
            f"| {text} | {r['matches']} | {r['page_ms'][0]:.1f} | {r['db_ms'][0]:.1f} | "
            f"{statistics.median(again):.1f} | {percentile(again, 0.95):.1f} | "
            f"{percentile(again_database, 0.95):.1f} | {statistics.median(r['plan_ms']):.1f} |"
        )
    print(
        f"All queries, the first time: first page p95 {percentile(first_pages, 0.95):.1f} ms "
        f"({percentile(first_database, 0.95):.1f} ms in the database, slowest "
        f"{max(first_database):.1f}); again: p95 {percentile(pages, 0.95):.1f} ms "
        f"({percentile(database, 0.95):.1f} ms in the database)"
    )


if __name__ == "__main__":
    main()
