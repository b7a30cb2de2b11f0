"""Served pages: a realistic mix of public pages through `make run`'s gunicorn, with and without edits.

    .venv/bin/python scripts/load_pages.py [--clients 20] [--duration 60] [--edits both|0|1]
        [--workers 2] [--threads 4] [--page-cache 1000] [--database-url postgres://postgres@127.0.0.1:5432/newsarchive_bench]
        [--index var/bench_index] [--n 100000]

The load mode of scripts/load_fault.py without its faults (it reuses its gunicorn and queue worker
set-up and its statistics), on the archive scripts/bench_search.py built (run it first, same
--n, database and index).

1. gunicorn starts as `make run` starts it (newsarchive/gunicorn.conf.py, WEB_WORKERS x
   WEB_THREADS from --workers and --threads, NEWSARCHIVE_PAGE_CACHE_SIZE from --page-cache) with
   the queue worker, on 127.0.0.1 only; its access
   log records each request's server time (gunicorn's %(D)s: from the request read to the
   response written).
2. For --duration seconds, --clients clients that never pause request pages drawn from a fixed
   realistic mix: the home page; searches of each kind of the benchmark (a rare word, a common
   word, two words, a phrase, a word and two facet filters, browse newest first); facet
   narrowing (an actor, a country, a tag alone); later pages of a common word; a search sorted
   by date; article pages; actor, country and tag pages.
3. With --edits 1, a curator also adds a new tag to one random article every second (each edit on
   its second, whether or not the one before was answered, at most 5 at once) through the
   admin's bulk action, and a watcher asks the search page for that tag every 0.2 s until the
   article is in the results: the time from the acknowledged edit to its sight in search.
   `--edits both` (the default) runs the load without edits, then with, one after the other.
4. Prints, per run: requests/s, errors, p50/p95/p99 per page kind as the clients saw them and as
   the server spent them, the edits that reached search (within 2 s, and at all within 10 s), and
   the CPU time per request of the web workers, of PostgreSQL and of the clients, with the share
   of the machine's cores they used together: on a shared machine the CPU per request compares
   runs that other work slowed unequally. The LAST line is one JSON object with every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench_search  # noqa: E402
import load_fault  # noqa: E402  (gunicorn and the queue worker as `make run` starts them, the statistics)

HOST = load_fault.HOST
MIX = {  # page kind -> share of the requests
    "home": 0.08, "search_rare": 0.07, "search_common": 0.07, "search_two_words": 0.07, "search_phrase": 0.06,
    "search_filters": 0.06, "browse": 0.05, "facet": 0.08, "paging": 0.06, "sort": 0.05, "article": 0.25, "entity": 0.10,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles of the benchmark's archive (default 100000)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per run (default 60, at most 900)")
    parser.add_argument("--edits", choices=("both", "0", "1"), default="both", help="curator edits per second")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    parser.add_argument("--page-cache", type=int, default=int(os.environ.get("NEWSARCHIVE_PAGE_CACHE_SIZE", "1000")),
                        help="pages each web process keeps (NEWSARCHIVE_PAGE_CACHE_SIZE; 0: none)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsarchive_bench")
    parser.add_argument("--index", default=str(ROOT / "var" / "bench_index"))
    args = parser.parse_args()
    args.duration = min(args.duration, 900)
    return args


def query_mix(args) -> dict:
    """Return the benchmark's query mix for its stored archive (its words' document counts)."""
    saved_file = Path(args.index).with_suffix(".corpus.json")
    saved = json.loads(saved_file.read_text()) if saved_file.exists() else {}
    if saved.get("n") != args.n or saved.get("seed") != args.seed:
        sys.exit(f"no benchmark archive of {args.n} articles at {args.index}: run scripts/bench_search.py --n {args.n} first")
    corpus = bench_search.Corpus(args.n, args.seed)
    corpus.doc_freq = np.array(saved["doc_freq"])
    return corpus.query_mix()


def pages(mix) -> dict[str, list[str]]:
    """Return the paths of each page kind."""
    from articles.models import Actor, Article, Country, Tag

    def search(params):
        pairs = [(k, v) for k, v in params.items() if k != "filters"]
        pairs += [(p, v) for p, vs in params.get("filters", {}).items() for v in vs]
        return "/search/?" + urlencode(pairs)

    ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:300])
    actors = list(Actor.objects.order_by("?").values_list("slug", flat=True)[:20])
    countries = [c.lower() for c in Country.objects.filter(article_links__isnull=False).distinct().values_list("code", flat=True)[:20]]
    tags = list(Tag.objects.values_list("slug", flat=True)[:20])
    kinds = {f"search_{k}": [search(q) for q in mix[k]] for k in ("rare", "common", "two_words", "phrase")}
    kinds["search_filters"] = [search(q) for q in mix["word_2_filters"]]
    kinds["browse"] = ["/search/?sort=newest"]
    kinds["home"] = ["/"]
    kinds["facet"] = ([f"/search/?actor={a}" for a in actors[:5]] + [f"/search/?country={c}" for c in countries[:5]]
                      + [f"/search/?tag={t}" for t in tags[:5]])
    kinds["paging"] = [search({**q, "page": str(page)}) for q in mix["common"][:5] for page in (2, 5, 20)]
    kinds["sort"] = [search({**q, "sort": "newest"}) for q in mix["two_words"][:5] + mix["common"][:5]]
    kinds["article"] = [f"/articles/{pk}/" for pk in ids]
    kinds["entity"] = ([f"/actors/{a}/" for a in actors] + [f"/countries/{c}/" for c in countries[:10]]
                       + [f"/tags/{t}/" for t in tags[:10]])
    return kinds


def client(base, kinds, stats, stop, rng):
    names, weights = list(MIX), list(MIX.values())
    session = requests.Session()
    while not stop.is_set():
        kind = rng.choices(names, weights)[0]
        path = rng.choice(kinds[kind])
        started = time.perf_counter()
        try:
            response = session.get(base + path, timeout=60, headers={"X-Load-Kind": kind})
            error = f"HTTP {response.status_code} {path[:80]}" if response.status_code >= 400 else ""
        except requests.RequestException as exc:
            error = f"{exc.__class__.__name__} {path[:80]}"
        stats.add(kind, time.perf_counter() - started, error)


MAX_EDITS_AT_ONCE = 5  # edits in flight; one more is skipped (and counted as failed) rather than queued


def curator(base, password, article_ids, stop, edits):
    """Add a new tag to one random article every second; watch each until search shows it.

    Each edit starts on the second whether or not the one before was answered (at most
    MAX_EDITS_AT_ONCE in flight): a slow server gets as many edits as a fast one, rather than
    fewer, and with them fewer pages to make again."""
    session = load_fault.new_session()
    page = session.get(base + "/admin/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(base + "/admin/login/", data={"username": "charge0", "password": password, "csrfmiddlewaretoken": token,
                                               "next": "/admin/"}, headers={"Referer": base + "/admin/login/"}, timeout=60)
    cookies = session.cookies.get_dict()
    rng, number, threads = random.Random(14), 0, []
    in_flight = threading.BoundedSemaphore(MAX_EDITS_AT_ONCE)
    next_edit = time.monotonic()
    while not stop.is_set():
        stop.wait(max(0.0, next_edit - time.monotonic()))
        if stop.is_set():
            break
        next_edit += 1.0
        number += 1
        if not in_flight.acquire(blocking=False):
            edits.append({"error": f"skipped: {MAX_EDITS_AT_ONCE} edits still unanswered"})
            continue
        thread = threading.Thread(target=edit, args=(base, cookies, rng.choice(article_ids),
                                                     f"Charge visible {os.getpid()}-{number}", edits, in_flight))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()


def edit(base, cookies, article, name, edits, in_flight):
    """One curator edit through the admin's bulk action, then watch search until it shows it."""
    from articles.models import Tag

    try:
        session = load_fault.new_session()
        session.cookies.update(cookies)
        try:
            response = session.post(base + "/admin/articles/article/", allow_redirects=False, timeout=60, data={
                "action": "add_tag", "_selected_action": [str(article)], "new_tag": name, "step": "apply",
                "csrfmiddlewaretoken": cookies.get("csrftoken", "")}, headers={"Referer": base + "/admin/"})
        except requests.RequestException as exc:
            edits.append({"error": type(exc).__name__})
            return
        acknowledged = time.perf_counter()
        if response.status_code != 302:
            edits.append({"error": f"HTTP {response.status_code}"})
            return
        slug = Tag.objects.get(name=name).slug
    finally:
        in_flight.release()
    watch(base, slug, article, acknowledged, edits)


def watch(base, slug, article, acknowledged, edits, limit=10.0):
    session = requests.Session()
    while time.perf_counter() - acknowledged < limit:
        try:
            found = f'href="/articles/{article}/"' in session.get(f"{base}/search/?tag={slug}", timeout=30).text
        except requests.RequestException:
            found = False
        if found:
            edits.append({"seconds": time.perf_counter() - acknowledged})
            return
        time.sleep(0.2)
    edits.append({"seconds": None})


def server_times(log: Path) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Return the server time (s) of each request of the access log, by page kind, and by the
    page cache's answer (X-Page-Cache: hit, stale, shared, revalidated; made: none)."""
    times, answers = defaultdict(list), defaultdict(list)
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in MIX:
            times[parts[0]].append(int(parts[1]) / 1e6)
            answers["made" if parts[2] == "-" else parts[2]].append(int(parts[1]) / 1e6)
    return times, answers


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> dict[int, float]:
    """Return the CPU time (user + system, s) each living process of pids has used."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return used


def database_backends() -> list[int]:
    """Return the PostgreSQL server processes serving the benchmark's database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [pid for (pid,) in cursor.fetchall()]


def cpu_used(before: dict, after: dict) -> float:
    """CPU seconds used between two readings, by processes alive at the second (new ones from 0)."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def run(args, kinds, password, article_ids, edits_per_second: int) -> dict:
    os.environ["WEB_WORKERS"], os.environ["WEB_THREADS"] = str(args.workers), str(args.threads)
    os.environ["NEWSARCHIVE_PAGE_CACHE_SIZE"] = str(args.page_cache)
    services = load_fault.Services(args, load_fault.free_port(), access_log_format="%({x-load-kind}i)s %(D)s %({x-page-cache}o)s")
    stats, stop, edits = load_fault.Stats(), threading.Event(), []
    try:
        services.wait_ready()
        warm = requests.Session()
        for kind in MIX:  # every worker opens the index and fills its caches once; not timed
            for path in kinds[kind][:3]:
                for _ in range(args.workers):
                    warm.get(services.base + path, timeout=120)
        services.access_log.write_text("")
        web_before = cpu_seconds(services.web_workers() + [services.web.pid, services.queue.pid])
        database_before = cpu_seconds(database_backends())
        client_before = time.process_time()
        threads = [threading.Thread(target=client, args=(services.base, kinds, stats, stop, random.Random(n)))
                   for n in range(args.clients)]
        if edits_per_second:
            threads.append(threading.Thread(target=curator, args=(services.base, password, article_ids, stop, edits)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(args.duration)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        cpu = {"web": cpu_used(web_before, cpu_seconds(services.web_workers() + [services.web.pid, services.queue.pid])),
               "database": cpu_used(database_before, cpu_seconds(database_backends())),
               "clients": time.process_time() - client_before}
        server, answers = server_times(services.access_log)
    finally:
        services.stop()
    pct = load_fault.percentile
    rows = {}
    for kind in MIX:
        client_times, server_kind = stats.times[kind], server[kind]
        rows[kind] = {"requests": len(client_times) + stats.errors[kind], "errors": stats.errors[kind],
                      **{f"client_p{p}": round(1000 * pct(client_times, p), 1) if client_times else None for p in (50, 95, 99)},
                      **{f"server_p{p}": round(1000 * pct(server_kind, p), 1) if server_kind else None for p in (50, 95, 99)}}
    every_client = [t for kind in MIX for t in stats.times[kind]]
    every_server = [t for kind in MIX for t in server[kind]]
    seen = [e["seconds"] for e in edits if e.get("seconds") is not None]
    served = max(1, sum(r["requests"] for r in rows.values()) + len(edits))
    return {
        "edits_per_second": edits_per_second, "workers": args.workers, "threads": args.threads, "clients": args.clients,
        "page_cache": args.page_cache,
        "seconds": round(elapsed, 1), "requests_per_second": round(sum(r["requests"] for r in rows.values()) / elapsed, 1),
        "errors": sum(r["errors"] for r in rows.values()), "error_examples": stats.examples,
        # answered from the page cache: a page of the archive's current state, or a stale one
        "from_page_cache": round((len(answers["hit"]) + len(answers["stale"])) / max(1, len(every_server)), 3),
        "client_p95_ms": round(1000 * pct(every_client, 95), 1) if every_client else None,
        "server_p95_ms": round(1000 * pct(every_server, 95), 1) if every_server else None,
        "kinds": rows, "answers": {answer: {"requests": len(times), "server_p50": round(1000 * pct(times, 50), 1),
                                            "server_p95": round(1000 * pct(times, 95), 1)}
                                   for answer, times in sorted(answers.items())},
        "edits": len(edits), "edit_errors": sum(1 for e in edits if "error" in e),
        "edits_in_search_within_2s": sum(1 for s in seen if s <= 2.0), "edits_in_search": len(seen),
        "edit_visible_p50_s": round(pct(seen, 50), 2) if seen else None, "edit_visible_max_s": round(max(seen), 2) if seen else None,
        # CPU per request: the web workers (and the queue worker), PostgreSQL, this script's clients;
        # and the share of the machine's cores all of it used (the rest went to other work, or idled).
        "cpu_ms_per_request": {k: round(1000 * v / served, 1) for k, v in cpu.items()},
        "cpu_share_of_machine": round(sum(cpu.values()) / (elapsed * os.cpu_count()), 2),
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
    }


def show(report: dict) -> None:
    print(f"\n{report['clients']} clients, {report['workers']} workers x {report['threads']} threads, page cache "
          f"{report['page_cache']}, "
          f"{report['edits_per_second']} edit/s, {report['seconds']:.0f} s: {report['requests_per_second']} requests/s, "
          f"{report['errors']} errors; p95 client {report['client_p95_ms']} ms, server {report['server_p95_ms']} ms "
          f"({report['from_page_cache']:.0%} from the page cache; load average after {report['load_average_after'][0]})")
    cpu = report["cpu_ms_per_request"]
    print(f"CPU per request: web {cpu['web']} ms, PostgreSQL {cpu['database']} ms, clients {cpu['clients']} ms; "
          f"all of it {report['cpu_share_of_machine']:.0%} of the machine's {os.cpu_count()} cores")
    print("| kind | requests | errors | client p50 / p95 / p99 ms | server p50 / p95 / p99 ms |\n|---|---:|---:|---:|---:|")
    for kind, row in report["kinds"].items():
        print(f"| {kind} | {row['requests']} | {row['errors']} | {row['client_p50']} / {row['client_p95']} / {row['client_p99']}"
              f" | {row['server_p50']} / {row['server_p95']} / {row['server_p99']} |")
    print("Server time by the page cache's answer: " + "; ".join(
        f"{answer} {row['requests']} (p50 {row['server_p50']}, p95 {row['server_p95']} ms)" for answer, row in report["answers"].items()))
    if report["edits_per_second"]:
        print(f"Edits: {report['edits']} ({report['edit_errors']} failed), in search within 2 s: "
              f"{report['edits_in_search_within_2s']}, at all within 10 s: {report['edits_in_search']} "
              f"(p50 {report['edit_visible_p50_s']} s, worst {report['edit_visible_max_s']} s)")
    for example in report["error_examples"]:
        print("error:", example)


def main():
    args = parse_args()
    bench_search.setup_django(args)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Article

    kinds = pages(query_mix(args))
    password = secrets.token_urlsafe(16)
    user, _ = get_user_model().objects.get_or_create(username="charge0", defaults={"is_staff": True})
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name="Curators"))
    article_ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:500])
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine)", file=sys.stderr)
    runs = []
    for edits_per_second in ((0, 1) if args.edits == "both" else (int(args.edits),)):
        runs.append(run(args, kinds, password, article_ids, edits_per_second))
        show(runs[-1])
    print(json.dumps({"n": args.n, "runs": runs}))


if __name__ == "__main__":
    main()
