#!/usr/bin/env python
"""How long the search takes in PostgreSQL at N offers: the list's first page for each query.

    .venv/bin/python scripts/bench_search.py --offers 100000 --repeat 15

Uses (and if needed fills) the database ``bench_<N>`` of ``scripts/bench.py``,
then for every query runs the plan (vocabulary and synonym look-ups) and the
first page of published offers by relevance with EXPLAIN ANALYZE, several
times, and reports the database's execution time per query (p50, p95) and
over all queries. Only loopback addresses are used.
"""

import argparse
import json
import statistics
import subprocess
import sys

from bench import PROJECT, prepare_database

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
results = {}
for text in QUERIES:
    plans, pages = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        plan = plan_search(text)
        plans.append((time.perf_counter() - started) * 1000)
        qs = Offer.objects.published().search(plan).order_by("-rank", "title", "pk")[:20]
        explained = qs.explain(analyze=True, format="json")
        pages.append(json.loads(explained)[0]["Execution Time"])
    results[text] = {"plan_ms": plans, "page_ms": pages, "matches": Offer.objects.published().search(plan).count()}
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
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    results = json.loads(output.split("RESULT ", 1)[1])
    print(
        f"Search at {args.offers} generated offers (database {database}), {args.repeat} runs each"
    )
    print("| query | matches | page p50 ms | page p95 ms | plan p50 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    every = []
    for text, r in results.items():
        every += r["page_ms"]
        print(
            f"| {text} | {r['matches']} | {statistics.median(r['page_ms']):.1f} | "
            f"{percentile(r['page_ms'], 0.95):.1f} | {statistics.median(r['plan_ms']):.1f} |"
        )
    print(f"All queries: p95 {percentile(every, 0.95):.1f} ms in the database")


if __name__ == "__main__":
    main()
