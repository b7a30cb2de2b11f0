"""import_articles as a user runs it: the sample pages, re-imports, bad files, JSON Lines."""
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from articles.models import Actor, ActorAlias, Article, ArticleActor, ArticleCountry, Source, Tag

pytestmark = pytest.mark.django_db


def table_counts():
    return {m.__name__: m.objects.count() for m in (Article, Actor, ActorAlias, ArticleActor, ArticleCountry, Source, Tag)}


def run_import(capsys, *paths, fails=False):
    if fails:
        with pytest.raises(CommandError, match="nothing imported"):
            call_command("import_articles", *map(str, paths), "--no-progress")
    else:
        call_command("import_articles", *map(str, paths), "--no-progress")
    captured = capsys.readouterr()
    return captured.out.strip(), captured.err.strip()


def test_sample_pages_are_imported_once_and_reimport_creates_no_duplicates(seeds_dir, capsys, commit_hooks):
    with commit_hooks():
        out, err = run_import(capsys, seeds_dir)
    assert out == "Import finished: 5 created, 0 updated, 0 skipped, 0 failed."
    assert err == ""
    assert sorted(Article.objects.values_list("origin", flat=True)) == sorted(p.name for p in seeds_dir.iterdir())
    before = table_counts()
    with commit_hooks():
        out, _ = run_import(capsys, seeds_dir)
    assert out == "Import finished: 0 created, 0 updated, 5 skipped, 0 failed."
    assert table_counts() == before


def test_sample_pages_are_searchable_after_import(seeds_dir, capsys, commit_hooks, client):
    with commit_hooks():
        run_import(capsys, seeds_dir)
    response = client.get("/search/", {"q": "Sullivan"})
    origins = sorted(hit.object.origin for hit in response.context["result"].page.object_list)
    assert origins == ["001_ca7b5cbb3af9af8e.txt", "002_8635cae57d8e894d.txt"]
    assert "<mark>Sullivan</mark>" in response.content.decode()


def test_bad_files_are_reported_and_leave_the_database_as_it_was(tmp_path, seeds_dir, capsys, commit_hooks):
    shutil.copy(seeds_dir / "000_31e098282308b3f9.txt", tmp_path / "good.txt")
    with commit_hooks():
        run_import(capsys, tmp_path)
    before = table_counts()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    (bad / "latin.txt").write_bytes(b"\x81\x8d\x90\x9d" * 10)
    (bad / "lines.jsonl").write_text('{"body": "Texte valable."}\n{"body": \n', encoding="utf-8")
    (bad / "furniture.txt").write_text("Please Wait...\n\nComments\n", encoding="utf-8")
    with commit_hooks():
        out, err = run_import(capsys, bad, fails=True)
    assert out == "Import finished: 0 created, 0 updated, 0 skipped, 5 failed."
    assert err.splitlines() == [
        f"failed: {bad / 'binary.txt'}: binary file, not a text, HTML or JSON Lines page",
        f"failed: {bad / 'empty.txt'}: the file is empty",
        f"failed: {bad / 'furniture.txt'}: no article text found in the page",
        f"failed: {bad / 'latin.txt'}: not valid UTF-8 (byte 0x81 at offset 0) and not Windows-1252 text either",
        f"failed: {bad / 'lines.jsonl'}: line 2: invalid JSON, expecting value (column 10)",
    ]
    assert table_counts() == before


def test_a_bad_file_does_not_stop_the_others(tmp_path, seeds_dir, capsys):
    (tmp_path / "a-empty.txt").write_bytes(b"")
    shutil.copy(seeds_dir / "004_120417579168021d.txt", tmp_path / "b-good.txt")
    out, err = run_import(capsys, tmp_path)
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 1 failed."
    assert Article.objects.get().origin == "b-good.txt"


def test_nothing_imported_is_an_error_exit(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="nothing imported: 1 file"):
        call_command("import_articles", str(tmp_path), "--no-progress")


def test_json_lines_metadata_is_taken_as_given(tmp_path, capsys, commit_hooks, client):
    record = {
        "title": "Pékin et Moscou", "published": "2022-03", "source": "Le Courrier", "url": "https://example.org/a",
        "body": "Un texte sur les relations sino-russes.", "tags": ["Diplomatie"], "actors": ["Li Keqiang"],
        "countries": ["cn", "Russie", "Germany"],
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with commit_hooks():
        out, _ = run_import(capsys, tmp_path)
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 0 failed."
    article = Article.objects.get()
    assert (article.title, str(article.published_on), article.date_precision, article.source.name, article.url, article.origin) == (
        "Pékin et Moscou", "2022-03-01", "month", "Le Courrier", "https://example.org/a", "a.jsonl:1",
    )
    assert [t.name for t in article.tags.all()] == ["Diplomatie"]
    assert [link.actor.name for link in article.actor_links.all()] == ["Li Keqiang"]
    assert sorted(article.country_links.values_list("country_id", flat=True)) == ["CN", "DE", "RU"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "mars 2022" in html


def test_json_lines_with_an_unknown_country_or_bad_date_are_refused_whole(tmp_path, capsys):
    lines = [{"body": "Premier."}, {"body": "Deuxième.", "countries": ["Atlantide"]}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"body": "x", "published": "2022-02-30"}), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), "--no-progress")
    err = capsys.readouterr().err
    assert "a.jsonl: line 2: unknown country 'Atlantide': use an ISO code such as 'FR' or a country name" in err
    assert "b.jsonl: line 1: 'published' is not a real date: '2022-02-30'" in err
    assert Article.objects.count() == 0
