"""The index follows the database, and no committed change is lost, even if the process dies."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from haystack.query import SearchQuerySet

from articles.models import Article, PendingIndexUpdate
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]


def hits(word):
    return sorted(int(r.pk) for r in SearchQuerySet().auto_query(word))


@pytest.mark.django_db
def test_a_committed_change_is_searchable_and_leaves_nothing_queued(commit_hooks):
    with commit_hooks():
        article = make_article("Texte sur les sanctions.")
    assert hits("sanctions") == [article.pk]
    assert PendingIndexUpdate.objects.count() == 0


@pytest.mark.django_db
def test_a_rolled_back_change_is_never_indexed(commit_hooks):
    with commit_hooks():
        article = make_article("Texte sur les sanctions.")
    with commit_hooks():
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                Article.objects.filter(pk=article.pk).update(body="x")
                article.title = "Titre annulé"
                article.save()
                raise RuntimeError
    assert [r.title for r in SearchQuerySet().auto_query("sanctions")] == [""]
    assert PendingIndexUpdate.objects.count() == 0


@pytest.mark.django_db
def test_a_change_after_a_rolled_back_savepoint_is_still_indexed(commit_hooks):
    with commit_hooks():
        article = make_article("Texte sur les sanctions.")
    with commit_hooks():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    article.title = "Perdu"
                    article.save()
                    raise RuntimeError
            except RuntimeError:
                pass
            article.title = "Gardé"
            article.save()
    assert [r.title for r in SearchQuerySet().auto_query("sanctions")] == ["Gardé"]


@pytest.mark.django_db
def test_deleting_an_article_removes_it_from_search(commit_hooks):
    with commit_hooks():
        article = make_article("Texte sur les sanctions.")
        make_article("Autre texte sur les sanctions.")
    with commit_hooks():
        article.delete()
    assert len(hits("sanctions")) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_process_killed_between_commit_and_index_update_loses_nothing(search_backend, capsys):
    article = make_article("Le texte d’avant.", title="Avant")
    assert hits("avant") == [article.pk]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "SEARCH_URL": search_backend.path,
    }
    script = (
        "import os\n"
        "from django.db import transaction\n"
        "from articles.models import Article\n"
        "with transaction.atomic():\n"
        "    transaction.on_commit(lambda: os._exit(9))  # dies right after the commit, before the index update\n"
        "    a = Article.objects.get()\n"
        "    a.title = 'Après'\n"
        "    a.body = 'Le texte modifié sur les céréales.'\n"
        "    a.save()\n"
    )
    killed = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    assert Article.objects.get().title == "Après"  # committed
    assert hits("cereales") == []  # but not in the index yet
    assert PendingIndexUpdate.objects.count() == 1

    call_command("index_status")
    assert "Queued index updates: 1 article" in capsys.readouterr().out

    restarted = subprocess.run([sys.executable, "manage.py", "process_index_queue"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert restarted.stdout.strip() == "1 article re-indexed."
    assert hits("cereales") == [article.pk]
    assert PendingIndexUpdate.objects.count() == 0


@pytest.mark.django_db
def test_index_status_finds_drift_and_repair_fixes_it(search_backend, capsys, commit_hooks):
    with commit_hooks():
        kept = make_article("Texte gardé sur les sanctions.")
        gone = make_article("Texte supprimé sur les sanctions.")
        changed = make_article("Texte changé sur les sanctions.")
    # Changes made behind the index's back: queryset updates send no signal.
    Article.objects.filter(pk=gone.pk).delete()  # deletes through the ORM queue a row ...
    PendingIndexUpdate.objects.all().delete()  # ... that a crash would lose
    Article.objects.filter(pk=changed.pk).update(title="Nouveau titre", updated_at=changed.updated_at.replace(year=2030))
    Article.objects.bulk_create([Article(body="Texte inséré sur les sanctions.", raw="", content_hash="h")])  # no signal either
    call_command("index_status")
    out = capsys.readouterr().out
    assert "Articles: 3 in the database, 3 in the search index." in out
    assert "Drift: 1 missing from the index, 1 no longer in the database, 1 stale." in out
    call_command("index_status", "--repair")
    out = capsys.readouterr().out
    assert "Repaired: 3 articles re-indexed; drift now 0, queued 0." in out
    assert len(hits("sanctions")) == 3
    assert kept.pk in hits("sanctions")


@pytest.mark.django_db
def test_a_locked_index_delays_an_update_but_never_loses_it(search_backend, commit_hooks):
    with commit_hooks():
        article = make_article("Le texte d’avant.", title="Avant")
    search_backend.setup()
    holder = search_backend.index.writer()  # another process writing: the index is locked
    try:
        with commit_hooks():
            article.title = "Après"
            article.body = "Le texte modifié sur les céréales."
            article.save()
        assert hits("cereales") == []
        assert PendingIndexUpdate.objects.count() == 1  # kept for later, not lost
    finally:
        holder.cancel()
    call_command("process_index_queue")
    assert hits("cereales") == [article.pk]
    assert PendingIndexUpdate.objects.count() == 0


@pytest.mark.django_db
def test_a_locked_index_delays_a_deletion_but_never_loses_it(search_backend, commit_hooks):
    with commit_hooks():
        article = make_article("Le texte sur les céréales.")
    search_backend.setup()
    holder = search_backend.index.writer()
    try:
        with commit_hooks():
            article.delete()
        assert len(hits("cereales")) == 1
    finally:
        holder.cancel()
    call_command("process_index_queue")
    assert hits("cereales") == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_editing_at_once_lose_no_update(search_backend):
    articles = [make_article(f"Dépêche numéro {n} sur les sanctions.", title=f"Dépêche {n}") for n in range(20)]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "SEARCH_URL": search_backend.path,
    }
    script = (
        "import sys\n"
        "from articles.models import Article\n"
        "for pk in sys.argv[1:]:\n"
        "    a = Article.objects.get(pk=int(pk))\n"
        "    a.title = f'Révisée {pk}'\n"
        "    a.body = a.body + ' Révision céréalière.'\n"
        "    a.save()\n"
    )
    halves = [[str(a.pk) for a in articles[:10]], [str(a.pk) for a in articles[10:]]]
    workers = [subprocess.Popen([sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsarchive.settings'); django.setup(); exec(open(0).read())", *half],
                                cwd=ROOT, env=env, stdin=subprocess.PIPE, text=True) for half in halves]
    for worker in workers:
        worker.communicate(script, timeout=120)
        assert worker.returncode == 0
    subprocess.run([sys.executable, "manage.py", "process_index_queue"], cwd=ROOT, env=env, check=True, capture_output=True)
    assert hits("cerealiere") == sorted(a.pk for a in articles)
    assert sorted(r.title for r in SearchQuerySet().auto_query("cerealiere")) == sorted(f"Révisée {a.pk}" for a in articles)
    assert PendingIndexUpdate.objects.count() == 0
