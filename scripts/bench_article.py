"""Article pages: server time, and "more like this" against Whoosh's own, on one archive.

    .venv/bin/python scripts/bench_article.py [--sample 40] [--profile]
        [--database-url postgres://postgres@127.0.0.1:5432/newsarchive_bench] [--index var/bench_index]
    .venv/bin/python scripts/bench_article.py --seeds     # the five sample pages, in a database of their own

1. Uses the database and index scripts/bench_search.py built (the same defaults; run it first),
   or with --seeds imports fixtures/seeds into `newsarchive_bench_article_seeds` and its own index.
2. For a fixed sample of articles, runs "more like this" both ways on the same index generation,
   side by side: the engine's (key terms and their search on arrays, similar.py) and Whoosh's own
   Searcher.more_like on the same shared searcher (what article pages did before). Prints the
   time of each (p50 / p95) and the overlap of their top 5 (shared articles / 5).
3. Times whole article pages through Django's test client (server time: the view, its queries,
   the template), each page once after one warm-up page; --profile prints where one pass of the
   sample spends its time (cProfile, by cumulative time). The LAST line is one JSON object.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench_search  # noqa: E402  (the benchmark's database set-up)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=40, help="articles compared and timed (default 40)")
    parser.add_argument("--seeds", action="store_true", help="the sample pages, in a database and index of their own")
    parser.add_argument("--profile", action="store_true", help="print cProfile's view of the article pages")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsarchive_bench")
    parser.add_argument("--index", default=str(ROOT / "var" / "bench_index"))
    args = parser.parse_args()
    if args.seeds:
        args.database_url = args.database_url.rsplit("/", 1)[0] + "/newsarchive_bench_article_seeds"
        args.index = str(ROOT / "var" / "bench_article_seeds_index")
    return args


def ms(values, p) -> float:
    return round(float(np.percentile(values, p)), 1) if values else 0.0


def compare(sample) -> dict:
    """Time both ways of "more like this" on each article; return timings and top-5 overlaps."""
    from haystack import connections
    from haystack.utils import get_identifier

    from articles.search.backends.whoosh import similar, snapshot

    backend = connections["default"].get_backend()
    backend.setup()
    ours, whoosh, overlaps, shown = [], [], [], 0
    with snapshot.lock:
        snap = snapshot.current(backend.index)
        for article in sample:
            docnum = snap.searcher.document_number(id=get_identifier(article))
            started = time.perf_counter()
            hits = similar.more_like(snap, docnum, backend.content_field_name)
            mine = [d for d, _ in snapshot_page(snap, hits, 5)]
            ours.append(1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            theirs = [hit.docnum for hit in snap.searcher.more_like(docnum, backend.content_field_name, top=5)]
            whoosh.append(1000 * (time.perf_counter() - started))
            if theirs:
                overlaps.append(len(set(mine) & set(theirs)) / min(5, len(theirs)))
                shown += mine == theirs
    return {"ours_ms": {"p50": ms(ours, 50), "p95": ms(ours, 95)}, "whoosh_ms": {"p50": ms(whoosh, 50), "p95": ms(whoosh, 95)},
            "top5_overlap_mean": round(float(np.mean(overlaps)), 3) if overlaps else None,
            "top5_overlap_min": round(float(np.min(overlaps)), 3) if overlaps else None,
            "same_top5_in_order": f"{shown}/{len(overlaps)}"}


def snapshot_page(snap, hits, size):
    from articles.search.backends.whoosh.evaluation import EvaluatedQuery

    found = EvaluatedQuery(hits, None)
    return found.page(snap, 0, min(size, found.size))


def time_pages(sample, profile: bool) -> dict:
    from django.test import Client

    client = Client()
    client.get(f"/articles/{sample[0].pk}/")  # the process opens the index once
    times = []
    profiler = cProfile.Profile() if profile else None
    for article in sample:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.get(f"/articles/{article.pk}/")
        if profiler:
            profiler.disable()
        times.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, response.status_code
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return {"p50": ms(times, 50), "p95": ms(times, 95), "max": round(max(times), 1)}


def main():
    args = parse_args()
    bench_search.setup_django(args)
    from django.core.management import call_command

    from articles.models import Article

    if args.seeds and not Article.objects.exists():
        call_command("import_articles", str(ROOT / "fixtures" / "seeds"), "--no-progress")
        call_command("rebuild_index", interactive=False, verbosity=0)
    ids = sorted(Article.objects.values_list("pk", flat=True))
    if not ids:
        sys.exit("no articles: run scripts/bench_search.py first (or use --seeds)")
    sample = list(Article.objects.filter(pk__in=random.Random(14).sample(ids, min(args.sample, len(ids)))).order_by("pk"))
    report = {"articles": len(ids), "sample": len(sample), "more_like_this": compare(sample),
              "article_page_ms": time_pages(sample, args.profile)}
    mlt, page = report["more_like_this"], report["article_page_ms"]
    print(f"\n{len(ids)} articles, {len(sample)} article pages (the machine is shared: absolute times are noisy)")
    print("| more like this | p50 ms | p95 ms |\n|---|---:|---:|")
    print(f"| ours (arrays) | {mlt['ours_ms']['p50']} | {mlt['ours_ms']['p95']} |")
    print(f"| Whoosh's more_like | {mlt['whoosh_ms']['p50']} | {mlt['whoosh_ms']['p95']} |")
    print(f"Top 5 overlap with Whoosh's: mean {mlt['top5_overlap_mean']}, lowest {mlt['top5_overlap_min']}, "
          f"the same five in the same order for {mlt['same_top5_in_order']}")
    print(f"Whole article page (server time): p50 {page['p50']} ms, p95 {page['p95']} ms, worst {page['max']} ms")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
