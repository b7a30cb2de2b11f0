"""Time an index rebuild phase by phase, on the corpus bench_search.py stored.

    .venv/bin/python scripts/bench_build.py [--rounds 1] [--batch-size 10000]
        [--database-url postgres://postgres@127.0.0.1:5432/newsarchive_bench] [--index var/bench_index]

Rebuilds the index (`rebuild_index --batch-size`, as bench_search.py does) `--rounds` times, one
after the other, and prints for each: articles/s; the seconds spent fetching the batches' rows
(this process and PostgreSQL, the writer processes idle), waiting for the writers' commit, and
deriving the segments' arrays in this process after each batch (one core idle); the CPU of this
process and of its writer processes, in ms an article. Rates move by ±10 % on a shared machine:
compare CPU, and rounds of two trees alternated. The LAST line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_search import setup_django  # noqa: E402  (the same refusals of the dev database and index)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=10_000, help="rebuild_index --batch-size")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsarchive_bench")
    parser.add_argument("--index", default=str(ROOT / "var" / "bench_index"))
    return parser.parse_args()


def timed(phases: Counter, name: str, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[name] += time.perf_counter() - started
    return wrapper


def rebuild(batch_size: int) -> dict:
    from django.core.management import call_command
    from django.db.models.query import QuerySet

    from articles.models import Article
    from articles.search.backends.whoosh import writing

    phases = Counter()
    patched = [(QuerySet, "_fetch_all", "fetch rows"), (writing._BulkMpWriter, "commit", "wait for the writers"),
               (writing.IndexWriting, "derive_arrays", "derive after each batch")]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patched]
    for (owner, name, label), (_, _, original) in zip(patched, originals):
        setattr(owner, name, timed(phases, label, original))
    try:
        started, before = time.perf_counter(), os.times()
        call_command("rebuild_index", interactive=False, verbosity=0, batchsize=batch_size)
        wall, after = time.perf_counter() - started, os.times()
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    n = Article.objects.count()
    own = after.user - before.user + after.system - before.system
    writers = after.children_user - before.children_user + after.children_system - before.children_system
    return {"articles": n, "rate": round(n / wall, 1), "seconds": round(wall, 1),
            "phases_s": {k: round(v, 1) for k, v in phases.items()},
            "cpu_ms_per_article": {"this_process": round(1000 * own / max(n, 1), 2), "writers": round(1000 * writers / max(n, 1), 2)}}


def main():
    args = parse_args()
    setup_django(args)
    runs = []
    for number in range(args.rounds):
        run = rebuild(args.batch_size)
        runs.append(run)
        print(f"round {number + 1}: {run['articles']} articles in {run['seconds']} s, {run['rate']} articles/s; "
              + ", ".join(f"{k} {v} s" for k, v in run["phases_s"].items())
              + f"; CPU ms an article: this process {run['cpu_ms_per_article']['this_process']}, "
              f"writers {run['cpu_ms_per_article']['writers']}", flush=True)
    rates = [run["rate"] for run in runs]
    print(f"articles/s: median {statistics.median(rates)}, from {min(rates)} to {max(rates)}")
    print(json.dumps({"rounds": runs, "median_rate": statistics.median(rates)}))


if __name__ == "__main__":
    main()
