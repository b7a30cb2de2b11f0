"""import_articles as a user runs it: the sample pages, re-imports, bad files, JSON Lines, web archives,
pages and feeds from a local server, dry runs, re-extraction and near-duplicate stories."""
import json
import shutil
import time

import pytest
from django.core.management import CommandError, call_command

from articles import curation, importer, services
from articles.models import Actor, ActorAlias, Article, ArticleActor, ArticleCountry, LinkStatus, Origin, Source, Tag
from articles.selectors import same_story, stories_count
from tests.conftest import SEEDS
from tests.ingest.test_warc import write_records, write_warc
from tests.ingest.webserver import article_html, serve

pytestmark = pytest.mark.django_db
TRAM = [
    "La métropole de Lyon a inauguré mardi le prolongement de la ligne de tramway vers l'est, quatre stations "
    "de plus qui desservent désormais le nouveau quartier de la gare, a annoncé la collectivité.",
    "Les travaux ont duré deux ans et coûté cent vingt millions d'euros, un budget tenu selon la présidente "
    "de la commission des transports, qui a salué le travail des équipes du chantier.",
]
STORY = ("Le conseil municipal de Grenoble a adopté lundi soir un plan de rénovation des écoles de la ville. "
         "Les travaux, estimés à quarante millions d'euros, commenceront à l'été et dureront quatre ans. "
         "L'opposition a dénoncé un calendrier trop serré et réclamé une consultation des parents d'élèves. "
         "Le maire a répondu que les premières écoles rouvriraient dès la rentrée suivante.")


def table_counts():
    return {m.__name__: m.objects.count() for m in (Article, Actor, ActorAlias, ArticleActor, ArticleCountry, Source, Tag)}


def run_import(capsys, *paths, fails=None):
    """Run import_articles; fails is "all" or "some" when inputs must fail (exit status 1)."""
    if fails:
        match = "nothing imported" if fails == "all" else r"failed \(listed above\); the others were stored"
        with pytest.raises(CommandError, match=match) as raised:
            call_command("import_articles", *map(str, paths), "--no-progress")
        assert raised.value.returncode == 1
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
        out, err = run_import(capsys, bad, fails="all")
    assert out == "Import finished: 0 created, 0 updated, 0 skipped, 5 failed."
    assert err.splitlines() == [
        f"failed: {bad / 'binary.txt'}: binary file, not a text, HTML or JSON Lines page",
        f"failed: {bad / 'empty.txt'}: the file is empty",
        f"failed: {bad / 'furniture.txt'}: no article text found in the page",
        f"failed: {bad / 'latin.txt'}: not valid UTF-8 (byte 0x81 at offset 0) and not Windows-1252 or Latin-1 text either",
        f"failed: {bad / 'lines.jsonl'}: line 2: invalid JSON, expecting value (column 10)",
    ]
    assert table_counts() == before


def test_a_bad_file_does_not_stop_the_others(tmp_path, seeds_dir, capsys):
    (tmp_path / "a-empty.txt").write_bytes(b"")
    shutil.copy(seeds_dir / "004_120417579168021d.txt", tmp_path / "b-good.txt")
    out, err = run_import(capsys, tmp_path, fails="some")
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 1 failed."
    assert Article.objects.get().origin == "b-good.txt"


def test_nothing_imported_is_an_error_exit(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="nothing imported: 1 file or page failed"):
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


def test_a_page_with_no_text_and_a_page_too_long_to_be_an_article_are_reported(tmp_path, capsys):
    shutil.copy(SEEDS / "004_120417579168021d.txt", tmp_path / "a-good.txt")
    (tmp_path / "b-no-text.html").write_text("<html><body><nav>Accueil | Monde</nav><img src='x.png'></body></html>")
    paragraph = "Le conseil {} a débattu du budget des écoles, des routes et des bibliothèques jusque tard dans la nuit."
    with open(tmp_path / "c-huge.txt", "w", encoding="utf-8") as stream:  # 20 MB of distinct paragraphs
        for n in range(200_000):
            stream.write(paragraph.format(n) + "\n\n")
    started = time.process_time()  # CPU time: the wall clock on a shared machine measures the neighbours
    out, err = run_import(capsys, tmp_path, fails="some")
    assert time.process_time() - started < 120
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 2 failed."
    assert err.splitlines() == [
        f"failed: {tmp_path / 'b-no-text.html'}: no article text found in the page",
        f"failed: {tmp_path / 'c-huge.txt'}: the page's text is 21.7 million characters, more than the 1 million "
        "an article can have",
    ]
    assert Article.objects.get().origin == "a-good.txt"


def test_a_20_mb_html_page_holding_a_short_article_is_imported(tmp_path, capsys):
    image = "data:image/png;base64," + "A" * 20_000_000
    html = article_html("Le tramway de Lyon prolongé", TRAM)
    (tmp_path / "page.html").write_bytes(html.replace(b"</article>", f"<img src='{image}'></article>".encode()))
    out, _ = run_import(capsys, tmp_path)
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 0 failed."
    assert Article.objects.get().title == "Le tramway de Lyon prolongé"


def test_web_archive_pages_are_imported_with_their_address(tmp_path, capsys):
    write_warc(tmp_path / "crawl.warc.gz", [
        ("https://example.org/tram", "200 OK", "text/html; charset=utf-8", article_html("Le tramway de Lyon prolongé", TRAM)),
        ("https://example.org/style.css", "200 OK", "text/css", b"body {}"),
        ("https://example.org/menu", "200 OK", "text/html", b"<html><body><nav>Accueil</nav></body></html>"),
    ])
    out, err = run_import(capsys, tmp_path, fails="some")
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 1 failed."
    assert err == f"failed: {tmp_path / 'crawl.warc.gz'}: https://example.org/menu: no article text found in the page"
    article = Article.objects.get()
    assert (article.url, article.origin, article.title, article.raw_format) == (
        "https://example.org/tram", "https://example.org/tram", "Le tramway de Lyon prolongé", "html")
    assert article.published_on is None  # the crawl date is not the publication date


def test_a_web_archive_record_without_target_uri_fails_alone_and_the_good_pages_are_imported(tmp_path, capsys):
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + article_html("Le tramway de Lyon prolongé", TRAM)
    path = write_records(tmp_path / "crawl.warc.gz", [(None, block), ("https://example.org/tram", block)])
    (tmp_path / "other.jsonl").write_text('{"body": "Un autre article du même lot."}\n')
    out, err = run_import(capsys, tmp_path, fails="some")
    assert out == "Import finished: 2 created, 0 updated, 0 skipped, 1 failed."
    assert err == f"failed: {path}: record 1: a response record without WARC-Target-URI"
    assert sorted(Article.objects.values_list("url", flat=True)) == ["", "https://example.org/tram"]


def test_an_import_first_applies_the_index_updates_an_earlier_killed_run_left_queued(tmp_path, capsys, commit_hooks):
    from haystack.query import SearchQuerySet

    from articles.models import PendingIndexUpdate

    from haystack import connections

    with commit_hooks():
        left = services.article_upsert(data=importer.ArticleData(body="Texte sur les céréales.", raw="x", raw_format="json"),
                                       origin="killed.jsonl:1").article
    # As a run killed between its commit and its index update leaves it: stored, queued, not indexed.
    connections["default"].get_backend().remove(f"articles.article.{left.pk}")
    PendingIndexUpdate.objects.create(article_id=left.pk)
    (tmp_path / "next.jsonl").write_text('{"body": "Un autre texte."}\n')
    with commit_hooks():
        out, _ = run_import(capsys, tmp_path / "next.jsonl")
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 0 failed; 1 earlier queued index update applied first."
    assert [int(r.pk) for r in SearchQuerySet().filter(content="cereales")] == [left.pk]
    assert not PendingIndexUpdate.objects.exists()


def test_a_feed_is_imported_entry_by_entry_and_a_feed_that_times_out_is_reported(capsys):
    routes = {"/tram": (200, "text/html", article_html("Le tramway de Lyon prolongé", TRAM), 0),
              "/gone": (404, "text/html", b"<h1>Not found</h1>", 0),
              "/slow.xml": (200, "application/rss+xml", b"<rss/>", 30)}
    with serve(routes) as base:
        routes["/feed.xml"] = (200, "application/rss+xml", (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>R</title><item><link>{base}/tram</link></item>"
            f"<item><link>{base}/gone</link></item></channel></rss>").encode(), 0)
        with pytest.raises(CommandError, match="2 failed"):
            call_command("import_articles", f"{base}/feed.xml", f"{base}/slow.xml", "--timeout", "0.5", "--no-progress")
    out, err = (s.strip() for s in capsys.readouterr())
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 2 failed."
    assert err.splitlines() == [f"failed: {base}/feed.xml: {base}/gone: HTTP 404 Not Found",
                                f"failed: {base}/slow.xml: timed out after 0.5 s"]
    article = Article.objects.get()
    assert (article.url, article.title, article.raw) == (
        f"{base}/tram", "Le tramway de Lyon prolongé", article_html("Le tramway de Lyon prolongé", TRAM).decode())


def test_a_page_url_that_is_missing_or_not_html_is_reported_and_nothing_stored(capsys):
    with serve({"/doc.pdf": (200, "application/pdf", b"%PDF-1.4", 0)}) as base:
        with pytest.raises(CommandError, match="nothing imported: 2 file"):
            call_command("import_articles", f"{base}/missing", f"{base}/doc.pdf", "--no-progress")
    assert capsys.readouterr().err.splitlines() == [f"failed: {base}/missing: HTTP 404 Not Found",
                                                    f"failed: {base}/doc.pdf: not an HTML page but application/pdf"]
    assert Article.objects.count() == 0


def test_dry_run_shows_what_would_be_extracted_and_stores_nothing(tmp_path, capsys):
    shutil.copy(SEEDS / "000_31e098282308b3f9.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="1 would fail") as raised:
        call_command("import_articles", str(tmp_path), "--dry-run")
    assert raised.value.returncode == 1
    assert capsys.readouterr().out.splitlines() == [
        str(tmp_path / "a.txt"),
        "  title:     Conflit en Ukraine: Pékin n’envoie pas d’assistance militaire à Moscou",
        "  date:      2022-03-20 (day)",
        "  source:    AlAhed, agency AFP",
        "  actors:    Qin Gang, CBS, Joe Biden, Xi Jinping, Vladimir Poutine",
        "  countries: UA, CN, RU, US",
        "  language:  fr",
        str(tmp_path / "b.txt"),
        "  would fail: the file is empty",
        "Dry run: nothing was stored (1 would fail).",
    ]
    assert table_counts() == dict.fromkeys(table_counts(), 0)


def test_near_duplicates_are_linked_as_one_story_and_counted_once(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Grenoble rénove ses écoles\n\n" + STORY.replace("lundi soir", "lundi"), encoding="utf-8")
    (tmp_path / "c.txt").write_text(TRAM[0], encoding="utf-8")
    out, _ = run_import(capsys, tmp_path)
    assert out.splitlines() == [
        "Import finished: 3 created, 0 updated, 0 skipped, 0 failed; 1 near-duplicate linked to an earlier story.",
        "3 articles in the archive, 2 once near-duplicates count once.",
    ]
    first, second, other = Article.objects.order_by("pk")
    assert (first.story, second.story, other.story) == (None, first, None)
    assert list(same_story(first)) == [second]
    assert list(same_story(second)) == [first]
    assert list(same_story(other)) == []
    assert stories_count() == (3, 2)


def curate(article):
    """Do what a curator does in the admin: edit the title, decide on links, reject an actor."""
    article.title = "Titre corrigé par la rédaction"
    article.curated_fields = ["title"]
    article.save()
    links = {link.actor.name: link for link in article.actor_links.select_related("actor")}
    links["Joe Biden"].status = LinkStatus.CONFIRMED
    links["Joe Biden"].save()
    curation.actors_reject(actors=[links["CBS"].actor])
    links["Qin Gang"].delete()  # a proposed link that extraction will propose again
    country = article.country_links.get(country_id="US")
    country.status = LinkStatus.REJECTED
    country.save()
    ArticleActor.objects.create(article=article, actor=Actor.objects.create(name="Wang Yi"), origin=Origin.CURATOR,
                                status=LinkStatus.CONFIRMED)


def links(article):
    return (sorted((link.actor.name, link.origin, link.status) for link in article.actor_links.select_related("actor")),
            sorted((link.country_id, link.status) for link in article.country_links.all()))


def test_reextract_runs_extraction_again_and_keeps_every_curator_decision(capsys):
    run_import(capsys, SEEDS)
    article = Article.objects.get(origin="000_31e098282308b3f9.txt")
    curate(article)
    Article.objects.filter(origin="004_120417579168021d.txt").update(source=None)  # as an older extraction left it
    call_command("import_articles", "--reextract", "--no-progress")
    assert capsys.readouterr().out.strip() == "Re-extraction finished: 0 created, 2 updated, 3 skipped, 0 failed."
    article.refresh_from_db()
    assert article.title == "Titre corrigé par la rédaction"
    assert links(article) == (
        [("Joe Biden", "extraction", "confirmed"), ("Qin Gang", "extraction", "proposed"),
         ("Vladimir Poutine", "extraction", "proposed"), ("Wang Yi", "curator", "confirmed"),
         ("Xi Jinping", "extraction", "proposed")],
        [("CN", "proposed"), ("RU", "proposed"), ("UA", "proposed"), ("US", "rejected")],
    )
    assert Article.objects.get(origin="004_120417579168021d.txt").source.name == "Epoch Times"


def test_article_reextract_service_restores_uncurated_fields_and_rereads_json_records(tmp_path, capsys):
    run_import(capsys, SEEDS / "003_eb24c521ba7ed0b2.txt")
    (tmp_path / "a.jsonl").write_text(json.dumps({"body": "Un texte.", "title": "Donné", "countries": ["FR"]}) + "\n")
    run_import(capsys, tmp_path / "a.jsonl")  # not the folder: the test's search index is in it
    page, record = Article.objects.order_by("pk")
    expected = (page.title, page.published_on, page.body, page.minhash)
    Article.objects.filter(pk=page.pk).update(title="", published_on=None, date_precision="unknown", minhash=None)
    page.refresh_from_db()
    assert services.article_reextract(article=page).status == "updated"
    page.refresh_from_db()
    assert (page.title, page.published_on, page.body, page.minhash) == expected
    assert services.article_reextract(article=page).status == "skipped"
    assert services.article_reextract(article=record).status == "skipped"
    assert (record.title, links(record)) == ("Donné", ([], [("FR", "proposed")]))


def test_a_file_that_fails_while_stored_leaves_none_of_its_articles_and_the_batch_goes_on(tmp_path, capsys):
    lines = [{"body": "Premier article, valable."}, {"body": "Deuxième article.", "source": "S" * 300}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    shutil.copy(SEEDS / "004_120417579168021d.txt", tmp_path / "b.txt")
    out, err = run_import(capsys, tmp_path, fails="some")
    assert out == "Import finished: 1 created, 0 updated, 0 skipped, 1 failed."
    assert err.startswith(f"failed: {tmp_path / 'a.jsonl'}: unexpected error while storing: DataError: value too long")
    assert list(Article.objects.values_list("origin", flat=True)) == ["b.txt"]


def test_import_without_anything_to_import_says_what_to_give():
    with pytest.raises(CommandError, match="give files, folders or URLs to import, or --reextract alone"):
        call_command("import_articles")


def test_batches_extracted_ahead_come_in_order_and_an_error_there_reaches_the_importer():
    def batches(fail_at):
        for n in range(5):
            if n == fail_at:
                raise RuntimeError(f"broken at {n}")
            yield [n]

    assert list(importer._ahead(batches(None))) == [[0], [1], [2], [3], [4]]
    with pytest.raises(RuntimeError, match="broken at 3"):
        list(importer._ahead(batches(3)))
    ahead = importer._ahead(batches(None))
    assert next(ahead) == [0]
    ahead.close()  # the consumer stops early: the thread ends instead of waiting forever
