"""A web worker makes its first pages before it takes a visitor's request, at start and when it is replaced."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.factories import make_article

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def workers(master) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def test_a_new_worker_has_made_its_first_pages_before_its_first_visitor(search_backend, tmp_path):
    article = make_article("Le blé ukrainien quitte Odessa malgré la guerre.", title="Le blé", actors=["Vladimir Poutine"])
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
           "SEARCH_URL": search_backend.path, "SECRET_KEY": "warm-up-test-key", "NEWSARCHIVE_VAR_DIR": str(tmp_path),
           "NEWSARCHIVE_PAGE_CACHE_SIZE": "100", "WEB_WORKERS": "1", "LOG_LEVEL": "ERROR"}
    master = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "newsarchive/gunicorn.conf.py",
                               "newsarchive.wsgi", "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: requests.get(base + "/healthz", timeout=5).status_code == 200)
        # The pages the worker made for itself are kept (its page cache): the first visitor gets them made.
        first = requests.get(base + "/", timeout=30)
        assert first.status_code == 200 and first.headers.get("X-Page-Cache") == "hit"
        page = requests.get(base + article.get_absolute_url(), timeout=30)
        assert page.headers.get("X-Page-Cache") == "hit" and "Le blé" in page.text
        old = workers(master)
        assert len(old) == 1
        os.kill(old[0], signal.SIGKILL)  # the worker dies; gunicorn starts another
        assert wait_for(lambda: workers(master) not in ([], old) and requests.get(base + "/healthz", timeout=5).ok)
        again = requests.get(base + "/search/?q=guerre", timeout=30)
        assert again.headers.get("X-Page-Cache") == "hit" and "Le blé" in again.text
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=60)


def test_what_a_worker_loaded_before_its_first_visitor_is_out_of_the_collectors_reach(monkeypatch):
    """After the warm-up, a full garbage collection no longer walks the worker's long-lived objects
    (at 100,000 articles one took ~180 ms, holding every thread of the worker)."""
    import gc
    import importlib.util

    from newsarchive import warmup

    spec = importlib.util.spec_from_file_location("gunicorn_conf", REPO / "newsarchive" / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    monkeypatch.setattr(warmup, "warm", lambda application: {})
    loaded = [{"made": "at warm-up"}]  # a tracked object alive when the worker starts serving
    gc.unfreeze()
    try:
        conf.post_worker_init(type("Worker", (), {"wsgi": None})())
        assert gc.get_freeze_count() > 0
        assert all(o is not loaded for o in gc.get_objects())
    finally:
        gc.unfreeze()
