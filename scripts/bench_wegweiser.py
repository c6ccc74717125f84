#!/usr/bin/env python
"""How long the printed Wegweiser of a whole Sozialraum takes at city scale (issue 15).

    .venv/bin/python scripts/bench_wegweiser.py --offers 1000 --rounds 3

Uses (and if needed fills) the PostgreSQL database ``bench_<N>`` of
``scripts/bench.py`` (the demo data plus N generated offers: with 1 000, each
Sozialraum has 300–450 offers), starts gunicorn with production settings on a
free loopback port and asks for each Sozialraum's guide (``/wegweiser/pdf/?sozialraum=…``)
one at a time. Every guide is cold: each round follows an edit of an offer,
which makes every kept guide stale, as in production. The first round runs in
workers that have made no QR code yet; later rounds find the codes of
unchanged addresses in the process. Reports the offers, pages and seconds per
guide, a kept guide's time and the worker's memory. Only loopback addresses
are used.
"""

import argparse
import io
import statistics
import time
from pathlib import Path

import pypdf
from bench import (
    DISTRICTS,
    edit_an_offer,
    get,
    manage,
    prepare_database,
    serving,
    shell,
    wait_for_workers,
)


def offers_per_district(env):
    output = shell(
        env,
        "from offers.facet_index import facet_state; from offers.models import District;"
        "state = facet_state();"
        "print('RESULT', {d.slug: len(state.get(('district', d.pk))) for d in District.objects.all()})",
    )
    return eval(output.split("RESULT", 1)[1])  # noqa: S307 (our own shell's dict of counts)


def guide(base, slug):
    started = time.monotonic()
    status, body, headers = get(f"{base}/wegweiser/pdf/?sozialraum={slug}", timeout=120)
    seconds = time.monotonic() - started
    assert status == 200 and headers["Content-Type"] == "application/pdf", slug
    return seconds, len(pypdf.PdfReader(io.BytesIO(body)).pages), len(body)


def worker_memory(server):
    """(peak, now) resident MB of the server's worker (gunicorn's child; one worker)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    kilobytes = dict(
        (line.split(":")[0], int(line.split()[1]))
        for line in status.splitlines()
        if line.startswith(("VmHWM", "VmRSS"))
    )
    return kilobytes["VmHWM"] / 1024, kilobytes["VmRSS"] / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    database, env, _ = prepare_database(args.offers)
    env = {**env, "PAGE_CACHE": "false", "WEB_CONCURRENCY": "1"}
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    counts = offers_per_district(env)
    with serving(env) as (server, base):
        wait_for_workers(base)
        rounds = []
        for number in range(args.rounds):
            if number:
                edit_an_offer(env)
            rounds.append({slug: guide(base, slug) for slug in DISTRICTS})
        kept = [guide(base, DISTRICTS[0])[0] for _ in range(5)]
        peak, resident = worker_memory(server)

    print(f"## Wegweiser of a whole Sozialraum, {database} (PostgreSQL, gunicorn, 1 worker)\n")
    print(
        "| Sozialraum | offers | pages | MB | "
        + " | ".join(f"round {n + 1} s" for n in range(args.rounds))
        + " |"
    )
    print("| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in range(args.rounds)) + " |")
    for slug in DISTRICTS:
        _, pages, size = rounds[0][slug]
        times = " | ".join(f"{r[slug][0]:.2f}" for r in rounds)
        print(f"| {slug} | {counts[slug]} | {pages} | {size / 1e6:.1f} | {times} |")
    later = sorted(seconds for r in rounds[1:] for seconds, _, _ in r.values())
    first = sorted(seconds for seconds, _, _ in rounds[0].values())
    print(
        f"\nFirst round (no QR code made yet): median {statistics.median(first):.2f} s, "
        f"slowest {first[-1]:.2f} s"
    )
    if later:
        print(
            f"After an edit (QR codes kept): median {statistics.median(later):.2f} s, "
            f"slowest {later[-1]:.2f} s"
        )
    print(f"A kept guide: median {statistics.median(kept) * 1000:.0f} ms")
    print(
        f"The worker (Typst runs in a process of its own): peak {peak:.0f} MB, now {resident:.0f} MB"
    )


if __name__ == "__main__":
    main()
