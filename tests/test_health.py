"""Monitoring and outages: /healthz, a 503 page when the database does not answer, gunicorn refusing to start."""
import json
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from articles.models import PendingIndexUpdate
from tests.factories import make_article

REPO = Path(__file__).resolve().parent.parent
NO_DATABASE = "postgres://postgres@127.0.0.1:1/newsarchive"  # nothing listens on port 1


@pytest.mark.django_db
def test_healthz_reports_the_database_the_index_and_the_queue(client, commit_hooks):
    with commit_hooks():
        make_article("Un texte indexé.")
    PendingIndexUpdate.objects.create(article_id=99)
    response = client.get("/healthz")
    report = response.json()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert (report["status"], report["database"]["ok"], report["index"], report["queue"]["pending"]) == (
        "ok", True, {"ok": True, "documents": 1, "ms": report["index"]["ms"]}, 1)


@pytest.mark.django_db
def test_healthz_says_degraded_when_the_queue_is_not_being_applied(client):
    row = PendingIndexUpdate.objects.create(article_id=99)
    PendingIndexUpdate.objects.filter(pk=row.pk).update(created_at=row.created_at - timedelta(minutes=10))
    response = client.get("/healthz")
    assert (response.status_code, response.json()["status"]) == (200, "degraded")


@pytest.mark.django_db
def test_healthz_says_degraded_when_index_updates_fail(client):
    PendingIndexUpdate.objects.create(article_id=99, attempts=3, last_error="OSError: [Errno 28] No space left on device")
    response = client.get("/healthz")
    assert (response.status_code, response.json()["status"], response.json()["queue"]["failing"]) == (200, "degraded", 1)


def run_without_database(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": NO_DATABASE, "DJANGO_SETTINGS_MODULE": "newsarchive.settings"}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_pages_say_the_database_does_not_answer_with_a_503_and_healthz_tells_monitoring():
    run = run_without_database(
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(raise_request_exception=False)\n"
        "out = {}\n"
        "for url in ['/', '/search/?q=sanctions', '/articles/1/', '/actors/xi-jinping/', '/tags/diplomatie/', '/healthz']:\n"
        "    r = c.get(url)\n"
        "    out[url] = [r.status_code, r.get('Retry-After'), r.content.decode()]\n"
        "print(json.dumps(out))\n")
    pages = json.loads(run.stdout.strip().splitlines()[-1])
    health = json.loads(pages.pop("/healthz")[2])
    for url, (status, retry, html) in pages.items():
        assert (status, retry) == (503, "30"), url
        assert "La base de données de l’archive ne répond pas" in html, url
        assert "syntaxe" not in html, url
    assert (health["status"], health["database"]["ok"]) == ("down", False)
    assert health["database"]["error"].startswith("OperationalError: connection to server at \"127.0.0.1\", port 1 failed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_runs_the_checks_and_refuses_to_serve_when_one_fails():
    port = free_port()
    env = {**os.environ, "DATABASE_URL": NO_DATABASE}
    run = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "-c", "newsarchive/gunicorn.conf.py", "newsarchive.wsgi",
                          "--bind", f"127.0.0.1:{port}"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "(newsarchive.E001) PostgreSQL at 127.0.0.1:1 (database 'newsarchive') cannot be used" in run.stderr
    assert "NewsArchive: not serving until the errors above are fixed." in run.stderr
    assert "Listening at" not in run.stderr and "Booting worker" not in run.stderr
