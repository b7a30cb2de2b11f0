"""Load and faults: many readers, curators editing, workers killed; then count errors, lost updates and drift.

    .venv/bin/python scripts/load_fault.py [--n 4000] [--clients 20] [--editors 2] [--duration 120]
        [--kill-every 10] [--think 0] [--reuse] [--database-url postgres://postgres@127.0.0.1:5432/newsarchive_loadfault]

1. A separate database and index (never the development ones) hold N synthetic articles made by
   scripts/bench_search.py's generator (`--reuse` keeps them when they are the same corpus).
2. gunicorn starts as `make run` starts it (newsarchive/gunicorn.conf.py, its page cache of 1,000
   pages a worker unless NEWSARCHIVE_PAGE_CACHE_SIZE says otherwise) with the queue worker, on
   127.0.0.1 and a free port only.
3. For --duration seconds: --clients readers loop over a fixed mix of public pages (the
   benchmark's searches, the issue's fuzzing request, article, entity and home pages, small
   exports), each waiting --think seconds between pages; --editors curators each log in and add a
   new tag to one random article at a time through the admin's bulk action; every --kill-every
   seconds one fault, in turn: kill -9 of a web worker (gunicorn starts another), of the queue
   worker (restarted 2 s later), or of an import of 50 articles in one JSON Lines file.
4. Then the queue is left to drain and the script checks, in the database and in the index:
   every acknowledged edit stored, recorded in the admin history and searchable; every killed
   import stored whole or not at all; no drift between the database and the index.

A reader's request cut by a killed worker is retried once, as a reverse proxy retries a GET on a
connection error (counted as "retried"); an error is a 5xx answer or a request that fails twice.
An edit cut by a killed worker is not retried (a POST); it is counted apart and checked: stored
whole (with its history) or not at all.
Prints requests, errors, p50/p95/p99 per kind of page and for edits, how the page cache answered
(X-Page-Cache: hit, revalidated, stale, or made for the request), and the checks; the LAST line is
one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench_search  # noqa: E402  (the corpus generator and the benchmark's database set-up)

HOST = "127.0.0.1"  # never anything else: this script attacks what it starts


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=4000, help="articles in the corpus (default 4000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent readers (default 20)")
    parser.add_argument("--editors", type=int, default=2, help="concurrent curators (default 2)")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (default 120, at most 900)")
    parser.add_argument("--kill-every", type=float, default=10, help="seconds between faults (default 10; 0: none)")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a reader waits between pages (default 0)")
    parser.add_argument("--timings", default="", help="write every request's end time, kind, seconds, cache answer and the faults' times to this JSON file")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep the stored corpus if it is the same")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsarchive_loadfault")
    parser.add_argument("--index", default=str(ROOT / "var" / "loadfault_index"))
    args = parser.parse_args()
    args.duration = min(args.duration, 900)
    args.batch_size = 2000
    return args


def prepare(args):
    """Set up the database and the index with the corpus; return the query mix."""
    bench_search.setup_django(args)
    from articles.models import Article

    corpus = bench_search.Corpus(args.n, args.seed)
    if args.reuse and Article.objects.count() == args.n and Path(args.index).exists():
        print(f"Reusing the {args.n} stored articles and their index", file=sys.stderr)
        for start in range(0, args.n, 1000):  # replay the draws so that the query mix is the same
            corpus.articles(start, min(args.n, start + 1000))
    else:
        print(f"Generating and storing {args.n} articles, then building the index", file=sys.stderr)
        bench_search.load(corpus)
        bench_search.build_index(args.batch_size)
    return corpus.query_mix()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Services:
    """gunicorn and the queue worker, as `make run` starts them, on 127.0.0.1."""

    def __init__(self, args, port: int, access_log_format: str = ""):
        self.var = Path(tempfile.mkdtemp(prefix="loadfault-"))
        self.env = {**os.environ, "DATABASE_URL": args.database_url, "SEARCH_URL": str(Path(args.index).resolve()),
                    "SECRET_KEY": secrets.token_urlsafe(50), "NEWSARCHIVE_VAR_DIR": str(self.var), "LOG_LEVEL": "ERROR",
                    # the pages make run keeps (its Makefile sets this for gunicorn)
                    "NEWSARCHIVE_PAGE_CACHE_SIZE": os.environ.get("NEWSARCHIVE_PAGE_CACHE_SIZE", "1000")}
        self.base = f"http://{HOST}:{port}"
        log = open(self.var / "gunicorn.log", "w")
        self.access_log = self.var / "access.log"  # with access_log_format only: load_pages.py reads server times in it
        access = ["--access-logfile", str(self.access_log), "--access-logformat", access_log_format] if access_log_format else [
            "--access-logfile", "/dev/null"]
        self.web = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "newsarchive/gunicorn.conf.py",
                                     "newsarchive.wsgi", "--bind", f"{HOST}:{port}", *access],
                                    cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.queue = None
        self.start_queue()

    def start_queue(self):
        self.queue = subprocess.Popen([sys.executable, "manage.py", "process_index_queue", "--watch", "--interval", "1"],
                                      cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.web.poll() is not None:
                sys.exit(f"gunicorn stopped: see {self.var / 'gunicorn.log'}")
            time.sleep(0.5)
        sys.exit("gunicorn did not answer /healthz in time")

    def web_workers(self) -> list[int]:
        children = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def manage(self, *args, **kwargs):
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)

    def stop(self):
        for process in (self.queue, self.web):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.queue, self.web):
            if process:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)  # kind -> seconds
        self.errors = defaultdict(int)
        self.retried = 0
        self.examples: list[str] = []
        self.answers = defaultdict(list)  # how the page cache answered (X-Page-Cache, "made") -> seconds of search pages
        self.answered = defaultdict(int)  # the same, count over every public page
        self.log: list[tuple] = []  # (when it ended, kind, seconds, answer), for --timings

    def add(self, kind, seconds, error: str = "", answer: str = ""):
        with self.lock:
            if error:
                self.errors[kind] += 1
                if len(self.examples) < 5:
                    self.examples.append(f"{kind}: {error}")
            else:
                self.times[kind].append(seconds)
                self.log.append((time.monotonic(), kind, seconds, answer))
                if answer:
                    self.answered[answer] += 1
                    if kind in ("search", "fuzz"):
                        self.answers[answer].append(seconds)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))] if ordered else None


def reader_pages(mix, article_ids, actor_slugs) -> list[tuple[str, str]]:
    """Return (kind, path) pairs: the benchmark's searches and the other public pages."""
    pages = []
    for kind, queries in mix.items():
        for q in queries:
            params = [(k, v) for k, v in q.items() if k != "filters"]
            params += [(p, v) for p, vs in q.get("filters", {}).items() for v in vs]
            pages.append(("search", "/search/?" + urlencode(params)))
    prefixes = ["".join(pair) + "*" for pair in zip("abcdefghijklmnopqrstuvwxyz" * 3, "etaoinsrludcmpbgvhfqyzjkxw" * 3)][:65]
    fuzz = [("q", " ".join(prefixes))] + [(p, f"{p[:2]}{n}") for p in ("actor", "country", "tag", "source") for n in range(20)]
    pages += [("fuzz", "/search/?" + urlencode(fuzz))] * 3
    pages += [("article", f"/articles/{pk}/") for pk in article_ids[:30]]
    pages += [("entity", f"/actors/{slug}/") for slug in actor_slugs[:10]]
    pages += [("home", "/")] * 5 + [("export", "/search/export/?format=jsonl&q=" + q["q"]) for q in mix["rare"][:3]]
    return pages


def new_session() -> requests.Session:
    """A client that opens a connection per request: a kept-alive one the server has closed would be
    mistaken for a killed worker."""
    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


def idle_timings(base, pages, repeat: int = 7) -> dict:
    """Time the fuzzing request and one search alone, before the load: median and worst, in ms."""
    fuzz = next(path for kind, path in pages if kind == "fuzz")
    search = next(path for kind, path in pages if kind == "search")
    session = new_session()
    for path in (fuzz, search):  # each worker opens the index once; not timed
        for _ in range(4):
            session.get(base + path, timeout=60)
    figures = {}
    for name, path in (("fuzz", fuzz), ("search", search)):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            session.get(base + path, timeout=60)
            times.append(1000 * (time.perf_counter() - started))
        figures[name] = {"p50": round(percentile(times, 50), 1), "max": round(max(times), 1)}
    return figures


def reader(base, pages, stats, stop, think, rng):
    session = new_session()
    while not stop.is_set():
        kind, path = rng.choice(pages)
        started = time.perf_counter()
        answer = ""
        for attempt in (1, 2):
            try:
                response = session.get(base + path, timeout=60)
                error = f"HTTP {response.status_code} {path[:80]}" if response.status_code >= 500 else ""
                answer = response.headers.get("X-Page-Cache", "made")
                break
            except requests.RequestException as exc:
                error = f"{exc.__class__.__name__} {path[:80]}"
                if attempt == 1:
                    with stats.lock:
                        stats.retried += 1
        stats.add(kind, time.perf_counter() - started, error, answer)
        if think:
            stop.wait(think)


def editor(number, base, password, article_ids, stats, stop, acknowledged, cut, rng):
    """Log in, then add a new tag to one random article at a time; note each acknowledged edit."""
    session = new_session()
    while not stop.is_set() and "sessionid" not in session.cookies:
        try:
            page = session.get(base + "/admin/login/", timeout=60)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            session.post(base + "/admin/login/", data={"username": f"charge{number}", "password": password,
                                                       "csrfmiddlewaretoken": token, "next": "/admin/"},
                         headers={"Referer": base + "/admin/login/"}, timeout=60, allow_redirects=False)
        except requests.RequestException:  # a worker killed under the login: log in again
            stop.wait(1)
    edit = 0
    while not stop.is_set():
        edit += 1
        article, tag = rng.choice(article_ids), f"Charge {number}-{edit}"
        started = time.perf_counter()
        try:
            response = session.post(base + "/admin/articles/article/", allow_redirects=False, timeout=120, data={
                "action": "add_tag", "_selected_action": [str(article)], "new_tag": tag, "step": "apply",
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}, headers={"Referer": base + "/admin/"})
            error = "" if response.status_code == 302 else f"HTTP {response.status_code}"
        except requests.RequestException:  # its worker was killed: not acknowledged, the curator tries again
            cut.append((article, tag))
            continue
        stats.add("edit", time.perf_counter() - started, error)
        if not error:
            acknowledged.append((article, tag))
        stop.wait(0.2)


def faults(services, stop, every, imports, log, tmp: Path, times: list):
    """Every `every` seconds, kill -9 one of: a web worker, the queue worker, an import midway."""
    turn = 0
    while not stop.wait(every):
        kind = ("web worker", "queue worker", "import")[turn % 3]
        turn += 1
        if kind == "web worker" and services.web_workers():
            os.kill(random.choice(services.web_workers()), signal.SIGKILL)
        elif kind == "queue worker":
            services.queue.send_signal(signal.SIGKILL)
            services.queue.wait()
            stop.wait(2)
            services.start_queue()
        else:
            name = f"killed-{turn}"
            path = tmp / f"{name}.jsonl"
            path.write_text("".join(json.dumps({"body": f"Dépêche {name} numéro {n} : le conseil a voté le budget {turn}.",
                                                "title": f"{name} {n}"}) + "\n" for n in range(50)))
            process = services.manage("import_articles", str(path), "--no-progress")
            stop.wait(random.uniform(1.0, 4.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
            imports.append(path.name)
        log.append(kind)
        times.append((time.monotonic(), kind))


def check(acknowledged, cut, imports):
    """Return what the database and the index say after the load: lost updates, history, imports, drift.

    An edit cut by a killed worker may have been stored or not, but never half: its tag and its
    history entry are both there or both missing.
    """
    from django.contrib.admin.models import LogEntry
    from haystack.query import SearchQuerySet

    from articles.models import Article, PendingIndexUpdate, Tag
    from articles.search.indexing.drift import index_status

    deadline = time.monotonic() + 120
    while PendingIndexUpdate.objects.exists() and time.monotonic() < deadline:
        time.sleep(1)
    by_name = {t.name: t for t in Tag.objects.filter(name__in=[tag for _, tag in acknowledged])}
    lost = [(a, t) for a, t in acknowledged if t not in by_name or not by_name[t].articles.filter(pk=a).exists()]
    unlogged = [(a, t) for a, t in acknowledged
                if not LogEntry.objects.filter(object_id=str(a), change_message=f"Thème « {t} » ajouté.").exists()]
    unsearchable = [(a, t) for a, t in acknowledged if t in by_name
                    and a not in {int(r.pk) for r in SearchQuerySet().filter(tags_exact=by_name[t].slug)}]
    def done(article, tag):
        return (Tag.objects.filter(name=tag, articles=article).exists(),
                LogEntry.objects.filter(object_id=str(article), change_message=f"Thème « {tag} » ajouté.").exists())

    cut_half_done = [(a, t) for a, t in cut if len(set(done(a, t))) > 1]
    halves = {}
    for name in imports:
        stored = Article.objects.filter(origin__startswith=f"{name}:").count()
        if stored not in (0, 50):
            halves[name] = stored
    status = index_status()
    return {"acknowledged_edits": len(acknowledged), "lost_updates": len(lost), "edits_without_history": len(unlogged),
            "edits_not_searchable": len(unsearchable), "edits_cut_by_a_kill": len(cut),
            "cut_edits_half_done": len(cut_half_done), "killed_imports": len(imports), "half_written_imports": len(halves),
            "queued_left": status.pending, "drift": len(status.drift), "missing": len(status.missing),
            "extra": len(status.extra), "stale": len(status.stale)}


def main():
    args = parse_args()
    mix = prepare(args)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Actor, Article

    password = secrets.token_urlsafe(16)
    for number in range(args.editors):
        user, _ = get_user_model().objects.get_or_create(username=f"charge{number}", defaults={"is_staff": True})
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Curators"))
    article_ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:500])
    pages = reader_pages(mix, article_ids, list(Actor.objects.values_list("slug", flat=True)[:10]))

    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", file=sys.stderr)
    services = Services(args, free_port())
    try:
        services.wait_ready()
        idle = idle_timings(services.base, pages)
        stats, stop, acknowledged, cut, imports, fault_log, fault_times = Stats(), threading.Event(), [], [], [], [], []
        threads = [threading.Thread(target=reader, args=(services.base, pages, stats, stop, args.think, random.Random(n)))
                   for n in range(args.clients)]
        threads += [threading.Thread(target=editor, args=(n, services.base, password, article_ids, stats, stop, acknowledged,
                                                          cut, random.Random(100 + n))) for n in range(args.editors)]
        if args.kill_every:
            threads.append(threading.Thread(target=faults, args=(services, stop, args.kill_every, imports, fault_log, services.var, fault_times)))
        print(f"Load: {args.clients} readers, {args.editors} editors, {args.duration:.0f} s, a fault every "
              f"{args.kill_every:g} s, on {services.base}", file=sys.stderr)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(args.duration)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        checks = check(acknowledged, cut, imports)
    finally:
        services.stop()

    kinds = {}
    for kind in sorted(set(stats.times) | set(stats.errors)):
        times = stats.times[kind]
        kinds[kind] = {"requests": len(times) + stats.errors[kind], "errors": stats.errors[kind],
                       **{f"p{p}": round(1000 * percentile(times, p), 1) if times else None for p in (50, 95, 99)}}
    pages_times = [t for k, v in stats.times.items() if k != "edit" for t in v]
    search_times = stats.times["search"] + stats.times["fuzz"]
    report = {
        "load_average_after": [round(x, 1) for x in os.getloadavg()], "cpus": os.cpu_count(),
        "n": args.n, "clients": args.clients, "editors": args.editors, "seconds": round(elapsed, 1), "think": args.think,
        "requests": sum(v["requests"] for v in kinds.values()), "errors": sum(v["errors"] for v in kinds.values()),
        "retried_after_a_killed_worker": stats.retried, "faults": {k: fault_log.count(k) for k in sorted(set(fault_log))},
        "search_p50_ms": round(1000 * percentile(search_times, 50), 1), "search_p95_ms": round(1000 * percentile(search_times, 95), 1),
        "search_p99_ms": round(1000 * percentile(search_times, 99), 1),
        "pages_per_second": round(len(pages_times) / elapsed, 1), "idle_ms": idle, "kinds": kinds,
        "page_cache": {answer: {"pages": count, "search_p50_ms": round(1000 * percentile(stats.answers[answer], 50), 1) if stats.answers[answer] else None,
                                "search_p95_ms": round(1000 * percentile(stats.answers[answer], 95), 1) if stats.answers[answer] else None}
                       for answer, count in sorted(stats.answered.items())},
        **checks,
    }
    print(f"\nAlone, before the load: the fuzzing request p50 {idle['fuzz']['p50']} ms (worst {idle['fuzz']['max']}), "
          f"a search p50 {idle['search']['p50']} ms (worst {idle['search']['max']})")
    print(f"{report['requests']} requests in {elapsed:.0f} s, {report['errors']} errors, "
          f"{stats.retried} retried after a killed worker; faults: {report['faults']}")
    print("\n| kind | requests | errors | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|")
    for kind, row in kinds.items():
        print(f"| {kind} | {row['requests']} | {row['errors']} | {row['p50']} | {row['p95']} | {row['p99']} |")
    print(f"\nSearch pages (search + fuzz): p50 {report['search_p50_ms']} ms, p95 {report['search_p95_ms']} ms, "
          f"p99 {report['search_p99_ms']} ms")
    served = sum(stats.answered.values()) or 1
    print("Pages by the page cache's answer (X-Page-Cache; made: made for the request): " + ", ".join(
        f"{answer} {100 * row['pages'] / served:.0f} % (search pages p50 / p95 {row['search_p50_ms']} / {row['search_p95_ms']} ms)"
        for answer, row in report["page_cache"].items()))
    print("Checks: " + ", ".join(f"{k} {v}" for k, v in checks.items()))
    for example in stats.examples:
        print("error:", example)
    if args.timings:
        Path(args.timings).write_text(json.dumps({"started": started, "requests": stats.log, "faults": fault_times}))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
