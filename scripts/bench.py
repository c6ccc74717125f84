#!/usr/bin/env python
"""Benchmark the production setup: gunicorn + PostgreSQL on 127.0.0.1 with N offers.

    .venv/bin/python scripts/bench.py --offers 10000 100000 --duration 10 --output docs/benchmarks.md

For each size it loads the demo data plus N generated offers into the
PostgreSQL database ``bench_<N>`` (made if missing, topped up if smaller),
starts gunicorn with production settings on a free loopback port, warms the
caches with one pass over every URL, and drives each page type with wrk
(10 connections): /healthz, /, /angebote/, an offer, /praeventionskette/ and a
mixed workload rotating through more than 50 distinct filter and search URLs.
It reports requests per second, p50/p95/p99 latency, errors, each page type's
throughput as a share of /healthz's, EXPLAIN ANALYZE of the search query, and
the compressed weight of the start page and the list. Then, with the page
cache off in fresh servers: issue 12's cold path (URLs never requested,
first requests, requests right after edits) and where a page's time goes
(the offer page and the list with a part left out, ``page_parts.py``).
Only loopback addresses are used. Needs PostgreSQL (make postgres) and wrk (apt-get install wrk).
"""

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin

PROJECT = Path(__file__).resolve().parent.parent
PG = {"user": "app", "password": "app", "host": "127.0.0.1", "port": 5432}
HEALTHZ_AGAIN = "/healthz (again, after the rows above)"
SEARCH_WORDS = [
    "Familie",
    "Sprachförderung",
    "Kita",
    "Hebamme",
    "Schwimmkurs",
    "Elterncafé",
    "Beratung",
    "Väter",
    "Bewerbung",
    "Medien",
    "Lesekreis",
    "Natur",
]
DISTRICTS = [
    "alstaden-lirich",
    "mitte-styrum",
    "oberhausen-ost",
    "osterfeld",
    "sterkrade-mitte",
    "sterkrade-nord",
]
TOPICS = [
    "betreuung",
    "bildung",
    "erziehung",
    "gesundheit",
    "kultur",
    "sport",
    "sprache",
    "beratung",
    "fruehe-hilfen",
    "soziales",
    "wirtschaft",
    "mobilitaet",
    "stadtentwicklung",
]

WRK_SCRIPT = """
local urls = {%(urls)s}
local counter = 0
local offset = 0
setup = function(thread) thread:set("offset", math.random(0, #urls - 1)) end
init = function() counter = tonumber(offset) or 0 end
request = function()
  counter = counter + 1
  return wrk.format("GET", urls[(counter %% #urls) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, "non2xx": %%d, "p50": %%d, "p95": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def mixed_urls():
    """More than 50 distinct filter and search URLs, so no cache of one URL decides the result."""
    urls = []
    for index, district in enumerate(DISTRICTS):
        urls.append("/angebote/?" + urlencode({"alter": index * 2, "sozialraum": district}))
        urls.append("/angebote/?" + urlencode({"sozialraum": district, "thema": TOPICS[index]}))
    for index, topic in enumerate(TOPICS):
        urls.append("/angebote/?" + urlencode({"thema": topic, "kostenlos": 1}))
        urls.append(
            "/angebote/?" + urlencode({"thema": topic, "alter": f"{1 + index % 5}-{6 + index % 5}"})
        )
    for index, word in enumerate(SEARCH_WORDS):
        urls.append("/angebote/?q=" + quote(word))
        urls.append("/angebote/?" + urlencode({"q": word, "sozialraum": DISTRICTS[index % 6]}))
    urls += [
        "/angebote/?page=2",
        "/angebote/?page=3&sortierung=neu",
        "/angebote/?barrierefrei=1",
        "/angebote/?phase=schwangerschaft-geburt",
        "/angebote/?phase=16-27&sprache=tr",
    ]
    return sorted(set(urls))


def fresh_urls(vocabulary, count, seen, seed):
    """``count`` filter and search URLs of the list that are not in ``seen`` (which grows)."""
    import random

    rng = random.Random(seed)
    urls = []
    while len(urls) < count:
        params = {}
        for name in rng.sample(sorted(vocabulary), rng.randint(1, 4)):
            params[name] = rng.choice(vocabulary[name])
        if rng.random() < 0.3:
            params["q"] = rng.choice(SEARCH_WORDS)
        if rng.random() < 0.2:
            params["sortierung"] = rng.choice(["neu", "geprueft", "titel"])
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 4)
        url = "/angebote/?" + urlencode(sorted(params.items()))
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def filter_vocabulary(database):
    import psycopg

    ages = [str(age) for age in range(0, 28)] + ["1-2", "3-5", "6-9", "10-15", "16-27"]
    with psycopg.connect(dbname=database, **PG) as connection:

        def column(sql):
            return [row[0] for row in connection.execute(sql)]

        return {
            "alter": ages,
            "phase": column("SELECT slug FROM offers_agephase"),
            "sozialraum": column("SELECT slug FROM offers_district"),
            "thema": column("SELECT slug FROM offers_topic"),
            "zielgruppe": column("SELECT slug FROM offers_targetgroup"),
            "sprache": column("SELECT code FROM offers_language"),
            "kostenlos": ["1"],
            "barrierefrei": ["1"],
        }


def one_at_a_time(base, urls):
    """Each URL once, in turn: latencies in ms (every answer must be a 200)."""
    latencies = []
    for url in urls:
        started = time.monotonic()
        status, _, _ = get(base + url)
        latencies.append((time.monotonic() - started) * 1000)
        assert status == 200, url
    return sorted(latencies)


def percentile(values, share):
    return values[min(len(values) - 1, int(len(values) * share))]


def edit_an_offer(env):
    """What a coordinator does in the admin: change an offer's title and topics, and save."""
    shell(
        env,
        "from offers.models import Offer, Topic;"
        "offer = Offer.objects.published().order_by('?').first();"
        "offer.title = offer.title + ' (geändert)'; offer.save();"
        "offer.topics.add(Topic.objects.order_by('?').first())",
    )


def cold_path(env, database, slug, duration, connections):
    """Issue 12's measures: page cache off, URLs nobody asked for before, and after an edit."""
    import psycopg

    vocabulary, seen = filter_vocabulary(database), set(mixed_urls())
    with psycopg.connect(dbname=database, autocommit=True, **PG) as connection:
        connection.execute("DELETE FROM django_cache")  # nothing cached from the run before
    with serving({**env, "PAGE_CACHE": "false"}) as (_, base):
        wait_for_workers(base)
        rows = {
            "/healthz": wrk(base, ["/healthz"], duration, connections),
            "/angebote/": wrk(base, ["/angebote/"], duration, connections),
            "offer page": wrk(base, [f"/angebote/{slug}/"], duration, connections),
        }
        first_urls = fresh_urls(vocabulary, 100, seen, seed=1)
        first = one_at_a_time(base, first_urls)
        # The same kind of URLs without a search: filter combinations alone.
        filters_only = one_at_a_time(
            base, [u for u in fresh_urls(vocabulary, 300, seen, seed=3) if "q=" not in u][:100]
        )
        mixed = fresh_urls(vocabulary, 80, seen, seed=2)
        rows[f"mixed ({len(mixed)} URLs never requested before)"] = wrk(
            base, mixed, duration, connections
        )
        # The machine's speed drifts within a minute: the shares are taken of the mean of
        # /healthz before and after the other rows.
        rows[HEALTHZ_AGAIN] = wrk(base, ["/healthz"], duration, connections)
        after_edit = []
        for attempt in range(3):
            edit_an_offer(env)
            after_edit += one_at_a_time(base, fresh_urls(vocabulary, 50, seen, seed=10 + attempt))
    return {
        "rows": rows,
        "first": first,
        "filters_only": filters_only,
        "after_edit": sorted(after_edit),
    }


PARTS = {
    "/healthz": "/healthz",
    "offer page, its HTML from memory (no database, no rendering)": "/bench/bytes/{slug}/",
    "offer page, read but not rendered": "/bench/read/{slug}/",
    "offer page, only its template (from data read once)": "/bench/template/{slug}/",
    "offer page": "/angebote/{slug}/",
    "/angebote/, read but not rendered": "/bench/read/",
    "/angebote/, only its template (from data read once)": "/bench/template/",
    "/angebote/": "/angebote/",
    HEALTHZ_AGAIN: "/healthz",
}


def page_parts(env, slug, duration, connections):
    """Where a page's time goes: the offer page and the list with a part left out (page_parts.py)."""
    with serving({**env, "PAGE_CACHE": "false"}, app="page_parts:application") as (_, base):
        wait_for_workers(base)
        urls = {name: url.format(slug=slug) for name, url in PARTS.items()}
        for url in urls.values():  # (a worker's first request of a part is a whole page)
            assert get(base + url)[0] == 200, url
        return {name: wrk(base, [url], duration, connections) for name, url in urls.items()}


def wait_for_workers(base, seconds=60):
    """Until the list answers at once 20 times in a row: every worker has read its facet index."""
    deadline = time.monotonic() + seconds
    quick = 0
    while quick < 20 and time.monotonic() < deadline:
        started = time.monotonic()
        get(base + "/angebote/")
        quick = quick + 1 if time.monotonic() - started < 0.5 else 0


def environment(database):
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(PROJECT / "staticfiles"),
        "DATABASE_URL": f"postgres://{PG['user']}:{PG['password']}@{PG['host']}:{PG['port']}/{database}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True)


def prepare_database(size):
    import psycopg

    database = f"bench_{size}"
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')
    env = environment(database)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "createcachetable")
    started = time.monotonic()
    manage(env, "load_demo_data", "--offers", str(size), "--verbosity", "0")
    load_seconds = time.monotonic() - started
    with psycopg.connect(dbname=database, autocommit=True, **PG) as connection:
        connection.execute("VACUUM ANALYZE")
        connection.execute("DELETE FROM django_cache")  # the warm-up pass starts cold
    return database, env, load_seconds


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(env, app="oberhausen_praevention.wsgi"):
    """gunicorn (``app``, with ``env``) on a free loopback port: (its process, its address),
    stopped at the end."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--pythonpath",
            str(PROJECT / "scripts"),
            app,
        ],
        cwd=PROJECT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=open(env.get("BENCH_SERVER_LOG", os.devnull), "a"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not come up")
        yield server, base
    finally:
        server.terminate()
        server.wait(timeout=20)


def get(url, headers=None, timeout=30):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read(), response.headers


def wrk(base, urls, duration, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT % {"urls": ", ".join(json.dumps(u, ensure_ascii=False) for u in urls)}
        )
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    result = json.loads(re.search(r"RESULT (\{.*\})", output).group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def shell(env, code):
    """What ``code`` prints when run by ``manage.py shell`` with the benchmark's settings."""
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def explain_search(env):
    return shell(
        env,
        "from offers.models import Offer;"
        "qs = Offer.objects.published().search('Sprachförderung Kita').order_by('-rank', 'title')[:20];"
        "print(qs.explain(analyze=True));print('----');"
        "print(Offer.objects.search('Hebamme').explain(analyze=True))",
    )


def page_weight(base):
    """Compressed bytes of a page's HTML plus its CSS and JS, as a browser fetches them."""
    _, html, _ = get(base)
    total = len(gzip.compress(html, 6))
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        _, body, _ = get(urljoin(base, asset.decode()), {"Accept-Encoding": "gzip"})
        total += len(body)
    return total


def run(size, duration, connections):
    database, env, load_seconds = prepare_database(size)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    with serving(env) as (_, base):
        import psycopg

        with psycopg.connect(dbname=database, **PG) as connection:
            offers = connection.execute("SELECT count(*) FROM offers_offer").fetchone()[0]
            slug = connection.execute(
                "SELECT slug FROM offers_offer WHERE status = 'published' AND valid_until IS NULL "
                "AND slug LIKE 'generiert-%%' ORDER BY id LIMIT 1"
            ).fetchone()[0]
        scenarios = {
            "/healthz": ["/healthz"],
            "/": ["/"],
            "/angebote/": ["/angebote/"],
            "offer page": [f"/angebote/{slug}/"],
            "/praeventionskette/": ["/praeventionskette/"],
            f"mixed ({len(mixed_urls())} URLs)": mixed_urls(),
        }
        cold = []
        for urls in scenarios.values():  # warm-up pass: fills the caches of counts
            for url in urls:
                started = time.monotonic()
                status, _, _ = get(base + url)
                cold.append((time.monotonic() - started) * 1000)
                assert status == 200, url
        results = {name: wrk(base, urls, duration, connections) for name, urls in scenarios.items()}
        weights = {"/": page_weight(base + "/"), "/angebote/": page_weight(base + "/angebote/")}
        plan = explain_search(env)
    cold_path_results = cold_path(env, database, slug, duration, connections)
    return {
        "cold_path": cold_path_results,
        "parts": page_parts(env, slug, duration, connections),
        "size": size,
        "offers": offers,
        "load_seconds": load_seconds,
        "results": results,
        "cold_ms": sorted(cold),
        "weights": weights,
        "plan": plan,
    }


def report(runs, duration, connections, command):
    lines = [
        f"Command: `{command}`",
        "",
        f"Machine: {os.cpu_count()} cores; gunicorn {os.environ.get('WEB_CONCURRENCY') or 'default'} workers "
        f"(2 per core + 1); wrk with 2 threads and {connections} connections, {duration} s per row, "
        "on the same machine.",
        "",
    ]
    for run in runs:
        healthz = run["results"]["/healthz"]["rps"]
        cold = run["cold_ms"]
        lines += [
            f"### {run['offers']:,} offers (`load_demo_data --offers {run['size']}`: {run['load_seconds']:.0f} s)",
            "",
            "| page | requests/s | share of /healthz | p50 ms | p95 ms | p99 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, result in run["results"].items():
            lines.append(
                f"| {name} | {result['rps']:.0f} | {result['rps'] / healthz:.0%} | {result['p50'] / 1000:.1f} "
                f"| {result['p95'] / 1000:.1f} | {result['p99'] / 1000:.1f} | {result['errors'] + result['non2xx']} |"
            )
        cold_path_results = run["cold_path"]
        cold_healthz = statistics.mean(
            row["rps"]
            for name, row in cold_path_results["rows"].items()
            if name in ("/healthz", HEALTHZ_AGAIN)
        )
        first, after_edit = cold_path_results["first"], cold_path_results["after_edit"]
        filters_only = cold_path_results["filters_only"]
        lines += [
            "",
            "Page cache off (every page rendered anew), in a fresh server; the shares are of "
            f"the mean of the two /healthz rows ({cold_healthz:.0f} requests/s):",
            "",
            "| page | requests/s | share of /healthz | p50 ms | p95 ms | p99 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, result in cold_path_results["rows"].items():
            lines.append(
                f"| {name} | {result['rps']:.0f} | {result['rps'] / cold_healthz:.0%} | {result['p50'] / 1000:.1f} "
                f"| {result['p95'] / 1000:.1f} | {result['p99'] / 1000:.1f} | {result['errors'] + result['non2xx']} |"
            )
        lines += [
            "",
            f"First request of {len(first)} filter and search combinations never requested "
            f"before, one at a time: p50 {percentile(first, 0.5):.0f} ms, "
            f"p95 {percentile(first, 0.95):.0f} ms, slowest {first[-1]:.0f} ms (a third of them "
            "search for a word).",
            "",
            f"First request of {len(filters_only)} filter combinations without a search, never "
            f"requested before: p50 {percentile(filters_only, 0.5):.0f} ms, "
            f"p95 {percentile(filters_only, 0.95):.0f} ms, slowest {filters_only[-1]:.0f} ms.",
            "",
            f"Right after an offer is edited (title and a topic, three times), the next 50 "
            f"requests each ({len(after_edit)} new combinations): p50 {percentile(after_edit, 0.5):.0f} ms, "
            f"p95 {percentile(after_edit, 0.95):.0f} ms, slowest {after_edit[-1]:.0f} ms.",
        ]
        parts = run["parts"]
        parts_healthz = statistics.mean(parts[name]["rps"] for name in ("/healthz", HEALTHZ_AGAIN))
        lines += [
            "",
            "Where a page's time goes: page cache off, in a fresh server (`scripts/page_parts.py`); "
            f"the shares are of the mean of the two /healthz rows ({parts_healthz:.0f} requests/s), "
            f"machine ms is what a request costs the {os.cpu_count()} cores (wrk and PostgreSQL "
            "included):",
            "",
            "| page | requests/s | share of /healthz | machine ms per request | p95 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, result in parts.items():
            lines.append(
                f"| {name} | {result['rps']:.0f} | {result['rps'] / parts_healthz:.0%} "
                f"| {os.cpu_count() * 1000 / result['rps']:.1f} | {result['p95'] / 1000:.1f} "
                f"| {result['errors'] + result['non2xx']} |"
            )
        lines += [
            "",
            f"Warm-up pass (cold caches, one request at a time): median {cold[len(cold) // 2]:.0f} ms, "
            f"slowest {cold[-1]:.0f} ms over {len(cold)} URLs.",
            "",
            "Page weight (HTML + CSS + JS, compressed): "
            + ", ".join(
                f"`{page}` {weight / 1024:.1f} KB" for page, weight in run["weights"].items()
            ),
            "",
            "EXPLAIN ANALYZE of the search (first page by relevance, then a plain match):",
            "",
            "```",
            run["plan"],
            "```",
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--offers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--output", type=Path, help="also write the report (Markdown) to this file")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    runs = [run(size, arguments.duration, arguments.connections) for size in arguments.offers]
    command = "python scripts/bench.py " + " ".join(sys.argv[1:])
    text = report(runs, arguments.duration, arguments.connections, command)
    print(text)
    if arguments.output:
        arguments.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
