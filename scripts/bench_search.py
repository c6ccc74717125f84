#!/usr/bin/env python
"""How long the search takes in PostgreSQL at N offers: the list's first page for each query.

    .venv/bin/python scripts/bench_search.py --offers 100000 --repeat 15

Uses (and if needed fills) the database ``bench_<N>`` of ``scripts/bench.py``,
then for every query makes the plan (vocabulary and synonym look-ups) and
reads the first page of published offers by relevance as the list does
(``by_relevance``), several times, and reports the time per query (p50, p95;
wall clock, and the sum of its queries' times) and over all queries. Only loopback addresses are used.
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
from django.db import connection
from offers.models import Offer
from offers.search import plan_search
connection.force_debug_cursor = True  # record every query's time
results = {}
for text in QUERIES:
    plans, pages, database = [], [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        plan = plan_search(text)
        plans.append((time.perf_counter() - started) * 1000)
        matches = Offer.objects.published().search(plan)
        total = matches.count()  # the list counts once per selection, cached (issue 12)
        connection.queries_log.clear()
        started = time.perf_counter()
        page = list(matches.by_relevance(plan, total)[0:20])
        pages.append((time.perf_counter() - started) * 1000)
        database.append(sum(float(q["time"]) for q in connection.queries) * 1000)
    results[text] = {
        "plan_ms": plans, "page_ms": pages, "db_ms": database, "matches": total,
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
    print("| query | matches | page p50 ms | page p95 ms | in the database p95 ms | plan p50 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    pages, database = [], []
    for text, r in results.items():
        pages += r["page_ms"]
        database += r["db_ms"]
        print(
            f"| {text} | {r['matches']} | {statistics.median(r['page_ms']):.1f} | "
            f"{percentile(r['page_ms'], 0.95):.1f} | {percentile(r['db_ms'], 0.95):.1f} | "
            f"{statistics.median(r['plan_ms']):.1f} |"
        )
    print(
        f"All queries: first page p95 {percentile(pages, 0.95):.1f} ms "
        f"({percentile(database, 0.95):.1f} ms in the database)"
    )


if __name__ == "__main__":
    main()
