"""Measure how long a curator's change takes to show in search, through real web processes.

Usage: .venv/bin/python scripts/bench_index_latency.py [--edits 30] [--port 8765]

Sets up a separate database (newsarchive_latency) and index folder with the sample pages, starts
gunicorn with two workers and the index queue worker as `make run` does, logs into the admin as a
superuser, then repeats: add a new tag to every article with the admin's bulk action, and poll the
public search (from either worker) until the tag's facet count is right. Prints the median and p95
seconds from sending the change to seeing it, first with an idle index, then while another process
holds the Whoosh write lock for 1.5 s at each edit. Its last line is one JSON object.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def manage(*args, env):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def p95(values):
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    index_dir = tempfile.mkdtemp(prefix="latency_index_")
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsarchive_latency", "SEARCH_URL": index_dir}
    manage("ensure_database", env=env)
    manage("migrate", "--noinput", env=env)
    manage("import_articles", "--no-progress", "fixtures/seeds", env=env)
    manage("index_status", "--repair", env=env)
    password = "latency-bench-password-1"
    subprocess.run([PY, "manage.py", "shell", "-c",
                    "from django.contrib.auth import get_user_model as g; U=g(); U.objects.filter(username='bench').delete(); "
                    f"U.objects.create_superuser('bench', password='{password}')"], cwd=ROOT, env=env, check=True)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen([str(Path(PY).parent / "gunicorn"), "newsarchive.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers", "2"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([PY, "manage.py", "process_index_queue", "--watch", "--interval", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        session = requests.Session()
        login = session.get(base + "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        session.post(base + "/admin/login/", data={"username": "bench", "password": password, "csrfmiddlewaretoken": token,
                                                    "next": "/admin/"}, headers={"Referer": base + "/admin/login/"})
        changelist = session.get(base + "/admin/articles/article/").text
        ids = re.findall(r'name="_selected_action" value="(\d+)"', changelist)
        token = session.cookies["csrftoken"]
        results = {}
        for mode in ("idle", "locked"):
            delays = []
            for n in range(args.edits):
                tag = f"latence {mode} {n}"
                slug = f"latence-{mode}-{n}"
                holder = None
                if mode == "locked":
                    holder = subprocess.Popen([PY, "-c", (
                        "import sys, time; from whoosh.index import open_dir; w = open_dir(sys.argv[1]).writer(); "
                        "print('locked', flush=True); time.sleep(1.5); w.cancel()"), index_dir], stdout=subprocess.PIPE, text=True)
                    holder.stdout.readline()
                start = time.monotonic()
                session.post(base + "/admin/articles/article/", data={
                    "action": "add_tag", "_selected_action": ids, "new_tag": tag, "step": "apply", "csrfmiddlewaretoken": token,
                }, headers={"Referer": base + "/admin/articles/article/"})
                while True:
                    page = requests.get(base + "/search/", params={"tag": slug}, timeout=10).text
                    if f"{len(ids)} articles" in page:
                        break
                    if time.monotonic() - start > 30:
                        raise SystemExit(f"{tag}: not visible after 30 s")
                    time.sleep(0.05)
                delays.append(time.monotonic() - start)
                if holder:
                    holder.wait()
            results[mode] = {"median_s": round(statistics.median(delays), 3), "p95_s": round(p95(delays), 3), "max_s": round(max(delays), 3)}
            print(f"{mode:6}: median {results[mode]['median_s']} s, p95 {results[mode]['p95_s']} s, max {results[mode]['max_s']} s "
                  f"({args.edits} bulk tag edits of {len(ids)} articles)")
        print(json.dumps(results))
    finally:
        server.terminate()
        worker.terminate()
        server.wait()
        worker.wait()


if __name__ == "__main__":
    main()
