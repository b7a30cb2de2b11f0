"""Management commands as a user runs them: start-up checks, admin account, export."""
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, **env},
    )


def test_unreachable_database_is_one_clear_line_not_a_traceback():
    result = manage("check", DATABASE_URL="postgres://postgres@127.0.0.1:1/newsarchive")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "(newsarchive.E001) PostgreSQL at 127.0.0.1:1 (database 'newsarchive') cannot be used: connection to server at" in result.stderr


def test_unusable_index_directory_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = manage("check", SEARCH_URL=str(blocker / "index"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"(newsarchive.E002) The search index directory {blocker / 'index'} cannot be written" in result.stderr


def test_an_elasticsearch_cluster_that_does_not_answer_is_one_clear_line():
    pytest.importorskip("elasticsearch", reason="the Elasticsearch 7 client is installed only where Elasticsearch is used")
    result = manage("check", SEARCH_URL="elasticsearch7://127.0.0.1:9/press")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "(newsarchive.E005) Elasticsearch at http://127.0.0.1:9/ (index 'press') cannot be used: ConnectionError(" in result.stderr


def test_a_missing_spacy_model_named_by_the_setting_is_one_clear_line():
    result = manage("check", NEWSARCHIVE_SPACY_MODEL="fr_core_news_missing")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "(newsarchive.E003) The spaCy language model 'fr_core_news_missing' is not installed" in result.stderr


@pytest.mark.django_db
def test_the_importer_loads_the_spacy_model_the_setting_names(settings, seeds_dir):
    """The setting the check verifies is the one extraction uses: an import with another model
    name asks spaCy for that model."""
    from articles.importer import import_paths

    settings.NEWSARCHIVE_SPACY_MODEL = "fr_core_news_missing"
    with pytest.raises(OSError, match="fr_core_news_missing"):
        import_paths([seeds_dir / "000_31e098282308b3f9.txt"], progress=False)


@pytest.mark.django_db
def test_admin_account_is_created_once_with_a_generated_password(capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    assert first.startswith("Admin account created: user 'admin', password '")
    password = first.split("password '")[1].split("'")[0]
    assert len(password) >= 16
    assert get_user_model().objects.get(username="admin").check_password(password)
    call_command("ensure_admin")
    again = capsys.readouterr().out
    assert password not in again
    assert "manage.py changepassword admin" in again


def jsonl(text: str) -> list[dict]:
    """Return the articles of a JSON Lines export, after checking its trailer says it is whole."""
    *rows, trailer = [json.loads(line) for line in text.splitlines()]
    assert trailer == {"export_complete": True, "articles": len(rows)}
    return rows


@pytest.mark.django_db
def test_export_writes_every_article_with_its_metadata(tmp_path, capsys):
    make_article(
        "Texte de l’article.", title="Un titre", published=date(2022, 3, 1), precision="month",
        source="Le Courrier", actors=["Li Keqiang"], countries=["CN"], tags=["Diplomatie"], origin="a.jsonl:1",
    )
    make_article("Sans date ni titre.", origin="b.txt")
    out = tmp_path / "export.jsonl"
    call_command("export_articles", "--output", str(out), "--site-url", "https://archive.example.org")
    rows = jsonl(out.read_text(encoding="utf-8"))
    for row in rows:
        assert row.pop("page_url") == f"https://archive.example.org/articles/{row['id']}/"
        del row["id"]
    assert rows == [
        {"title": "Un titre", "published": "2022-03", "date_precision": "month", "source": "Le Courrier", "agency": None,
         "tags": ["Diplomatie"], "actors": ["Li Keqiang"], "countries": ["CN"], "url": "", "origin": "a.jsonl:1",
         "language": "", "body": "Texte de l’article."},
        {"title": "", "published": None, "date_precision": "unknown", "source": None, "agency": None,
         "tags": [], "actors": [], "countries": [], "url": "", "origin": "b.txt", "language": "", "body": "Sans date ni titre."},
    ]
    assert "2 articles written to" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_to_stdout(capsys):
    make_article("Un seul.", title="Seul")
    call_command("export_articles")
    assert [row["title"] for row in jsonl(capsys.readouterr().out)] == ["Seul"]


@pytest.fixture
def searchable(commit_hooks):
    with commit_hooks():
        make_article("Les sanctions visent Moscou.", title="Un", published=date(2022, 3, 1), actors=["Vladimir Poutine"], countries=["RU"], tags=["Sanctions"])
        make_article("Les sanctions, vues de Pékin.", title="Deux", published=date(2022, 4, 1), actors=["Xi Jinping"], countries=["CN", "RU"])
        make_article("Un sommet sur le climat.", title="Trois", published=date(2021, 1, 5))


@pytest.mark.django_db
def test_export_takes_the_search_pages_query_and_filters(searchable, tmp_path):
    out = tmp_path / "found.jsonl"
    call_command("export_articles", "--q", "sanctions", "--country", "RU", "--sort", "oldest", "--output", str(out))
    assert [row["title"] for row in jsonl(out.read_text(encoding="utf-8"))] == ["Un", "Deux"]
    call_command("export_articles", "--q", "sanctions", "--actor", "xi-jinping", "--output", str(out))
    assert [row["title"] for row in jsonl(out.read_text(encoding="utf-8"))] == ["Deux"]
    call_command("export_articles", "--date-from", "2022-04", "--output", str(out))
    assert [row["title"] for row in jsonl(out.read_text(encoding="utf-8"))] == ["Deux"]


@pytest.mark.django_db
def test_export_as_csv_for_a_spreadsheet(searchable, tmp_path):
    import csv

    out = tmp_path / "found.csv"
    call_command("export_articles", "--format", "csv", "--q", "sanctions", "--sort", "newest", "--output", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,page_url,title,")  # a byte-order mark: spreadsheets read UTF-8
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert [(r["title"], r["published"], r["actors"], r["countries"]) for r in rows] == [
        ("Deux", "2022-04-01", "Xi Jinping", "CN; RU"),
        ("Un", "2022-03-01", "Vladimir Poutine", "RU"),
    ]


@pytest.mark.django_db
def test_search_page_links_to_the_same_export(client, searchable):
    html = client.get("/search/", {"q": "sanctions", "country": "RU"}).content.decode()
    assert 'href="/search/export/?q=sanctions&amp;country=RU&amp;format=csv"' in html
    response = client.get("/search/export/", {"q": "sanctions", "country": "RU", "format": "jsonl", "sort": "oldest"})
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["X-Article-Count"] == "2"
    assert [row["title"] for row in jsonl(b"".join(response.streaming_content).decode())] == ["Un", "Deux"]


@pytest.mark.django_db
def test_export_of_a_query_with_bad_syntax_falls_back_like_the_page(searchable, tmp_path, capsys, client):
    out = tmp_path / "found.jsonl"
    call_command("export_articles", "--q", "(((sanctions", "--output", str(out))
    assert sorted(row["title"] for row in jsonl(out.read_text(encoding="utf-8"))) == ["Deux", "Un"]
    assert "La syntaxe de la recherche n’a pas été comprise" in capsys.readouterr().err
    response = client.get("/search/export/", {"q": "(((sanctions", "format": "jsonl"})
    assert len(jsonl(b"".join(response.streaming_content).decode())) == 2
