"""Benchmark of the HSDS read API (issue 13): pages of 50 services at 100 000 offers.

Target: a page of 50 services answers in at most 50 ms at the 95th percentile.
Runs gunicorn on 127.0.0.1 (the project's gunicorn.conf.py) against the
PostgreSQL database that ``scripts/bench.py`` prepares (``bench_<size>``),
asks 100 different pages and filters once each, in turn (nothing repeated,
nothing cached: the API has no cache), then measures throughput with wrk.

    .venv/bin/python scripts/bench_api.py --offers 100000
"""

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402
    get,
    manage,
    one_at_a_time,
    percentile,
    prepare_database,
    serving,
    wait_for_workers,
    wrk,
)

PER_PAGE = 50
KINDS = {
    "page": "a page of all services",
    "full": "a page with full=true",
    "term": "taxonomy_term_id",
    "organization": "organization_id",
    "modified": "modified_after",
    "search": "search",
}


def api_urls(base, count, seed=13):
    """``count`` distinct list URLs: pages, full or not, by taxonomy term, provider, date, search."""
    rng = random.Random(seed)
    _, body, _ = get(f"{base}/api/hsds/taxonomy_terms?per_page=200")
    terms = [term["id"] for term in json.loads(body)["contents"]]
    _, body, _ = get(f"{base}/api/hsds/organizations?per_page=200")
    organizations = [org["id"] for org in json.loads(body)["contents"]]
    urls = {}
    while len(urls) < count:
        params = {"per_page": PER_PAGE, "page": rng.randint(1, 60)}
        kind = rng.choice(["page", "full", "term", "organization", "modified", "search"])
        if kind == "full":
            params["full"] = "true"
        elif kind == "term":
            params["taxonomy_term_id"] = rng.choice(terms)
            params["page"] = rng.randint(1, 5)
        elif kind == "organization":
            params["organization_id"] = rng.choice(organizations)
            params["page"] = 1
        elif kind == "modified":
            params["modified_after"] = f"2020-01-{rng.randint(1, 28):02d}"
        elif kind == "search":
            params["search"] = rng.choice(["Familie", "Sprache", "Hebamme", "Beratung", "Kita"])
            params["page"] = 1
        url = "/api/hsds/services?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        urls[url] = kind
    return urls


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    args = parser.parse_args()
    database, env, _ = prepare_database(args.offers)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    with serving(env) as (_, base):
        wait_for_workers(base)  # the workers read their facet index at start
        kinds = api_urls(base, 120)
        urls = sorted(kinds)
        first = {url: one_at_a_time(base, [url])[0] for url in urls}
        latencies = sorted(first.values())
        by_kind = {
            kind: one_at_a_time(base, [url for url in urls if kinds[url] == kind])
            for kind in sorted(set(kinds.values()))
        }
        full_page = f"/api/hsds/services?per_page={PER_PAGE}&full=true&page=7"
        results = {
            "/healthz": wrk(base, ["/healthz"], args.duration, args.connections),
            "one page of 50, full": wrk(base, [full_page], args.duration, args.connections),
            "120 different pages": wrk(base, urls, args.duration, args.connections),
            "list pages only": wrk(
                base, [u for u in urls if kinds[u] == "page"], args.duration, args.connections
            ),
        }
    print(f"## HSDS API at {args.offers} offers ({database})\n")
    print(
        f"First request of 120 different pages of {PER_PAGE} services, one at a time: "
        f"p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
        f"slowest {latencies[-1]:.1f} ms (target p95 ≤ 50 ms)\n"
    )
    print("| kind of page (first request) | pages | p50 ms | p95 ms | slowest ms |")
    print("|---|---|---|---|---|")
    for kind in by_kind:
        values = sorted(ms for url, ms in first.items() if kinds[url] == kind)
        print(
            f"| {KINDS[kind]} | {len(values)} | {percentile(values, 0.5):.1f} "
            f"| {percentile(values, 0.95):.1f} | {values[-1]:.1f} |"
        )
    print()
    print("| kind of page (asked again, one at a time) | pages | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for kind, values in by_kind.items():
        print(
            f"| {KINDS[kind]} | {len(values)} | {percentile(values, 0.5):.1f} "
            f"| {percentile(values, 0.95):.1f} |"
        )
    print()
    print("| workload | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    for name, result in results.items():
        print(
            f"| {name} | {result['rps']:.0f} | {result['p50'] / 1000:.1f} "
            f"| {result['p95'] / 1000:.1f} | {result['p99'] / 1000:.1f} "
            f"| {result['errors'] + result['non2xx']} |"
        )


if __name__ == "__main__":
    main()
