"""Benchmark the JSON API's search against the HTML search page, side by side, in one run.

    .venv/bin/python scripts/bench_api.py [--n 100000] [--repeat 20]
        [--database-url postgres://postgres@127.0.0.1:5432/newsarchive_bench] [--index var/bench_index]

Runs on the synthetic corpus that scripts/bench_search.py stores and indexes (same --n, --seed,
--database-url and --index; run that first), with its fixed mix of queries. For each query,
GET /api/search/ and GET /search/ with the same parameters go through Django's whole stack
(middleware, view, JSON or template rendering; Django's test client, no network), one after the
other in alternating order, the engine's query cache emptied before each. Prints p50/p95 per
kind for both and the API/page ratios (above 1: the API is slower); the LAST line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_search  # noqa: E402  (the corpus, its query mix and the benchmark's set-up)
from bench_search import KINDS, ROOT, Corpus, _forget_cached_queries, _percentile  # noqa: E402

URLS = ("/api/search/", "/search/")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of articles bench_search.py stored (default 100000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed queries per kind and address")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsarchive_bench")
    parser.add_argument("--index", default=str(ROOT / "var" / "bench_index"))
    return parser.parse_args()


def query_string(params) -> dict:
    """Return a query of the mix as the search page's query-string parameters."""
    query = {k: v for k, v in (("q", params.get("q", "")), ("sort", params.get("sort", ""))) if v}
    query.update(params.get("filters", {}))
    return query


def time_api_and_page(mix, repeat: int) -> tuple[dict, dict]:
    """Return, per kind, the timings of /api/search/ and of /search/ for the same queries, interleaved."""
    from django.test import Client

    client = Client()
    figures = ({}, {})
    for kind in KINDS:
        queries = mix[kind]
        for url in URLS:  # warm the process and the caches of both code paths
            assert client.get(url, query_string(queries[0])).status_code == 200
        timings, hits = ([], []), []
        for i in range(repeat):
            query = query_string(queries[i % len(queries)])
            for j in ((0, 1) if i % 2 == 0 else (1, 0)):  # alternate which goes first
                _forget_cached_queries()
                started = time.perf_counter()
                response = client.get(URLS[j], query)
                content = response.content
                timings[j].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (URLS[j], query, response.status_code)
                if j == 0:
                    hits.append(json.loads(content)["total"])
        for j in (0, 1):
            figures[j][kind] = {"p50": _percentile(timings[j], 50), "p95": _percentile(timings[j], 95), "hits": int(statistics.median(hits))}
    return figures


def main():
    args = parse_args()
    bench_search.setup_django(args)
    from articles.models import Article

    corpus_file = Path(args.index).with_suffix(".corpus.json")
    saved = json.loads(corpus_file.read_text()) if corpus_file.exists() else {}
    if saved.get("n") != args.n or saved.get("seed") != args.seed or Article.objects.count() != args.n or "index_build_rate" not in saved:
        sys.exit(f"no corpus of {args.n} articles (seed {args.seed}) there: run scripts/bench_search.py --n {args.n} "
                 f"--database-url {args.database_url} --index {args.index} first")
    corpus = Corpus(args.n, args.seed)
    corpus.doc_freq = np.array(saved["doc_freq"])
    api, page = time_api_and_page(corpus.query_mix(), args.repeat)
    print(f"\n{args.n} articles; /api/search/ and /search/ through Django's whole stack, {args.repeat} queries per kind, interleaved")
    print("\n| query kind | hits | /api/search/ p50 / p95 ms | /search/ p50 / p95 ms | API/page p50 | API/page p95 |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        a, p = api[kind], page[kind]
        print(f"| {kind} | {a['hits']} | {a['p50']} / {a['p95']} | {p['p50']} / {p['p95']} | {a['p50'] / p['p50']:.2f} | {a['p95'] / p['p95']:.2f} |")
    print(json.dumps({"n": args.n, "kinds": {kind: {"api": api[kind], "page": page[kind]} for kind in KINDS}}))


if __name__ == "__main__":
    main()
