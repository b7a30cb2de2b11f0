"""Addresses from outside are kept only when they are http or https, from every reader; no page links another scheme."""
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from articles.ingest import readers, warc, web
from articles.ingest.addresses import web_address
from articles.ingest.pipeline import extract_article
from articles.models import Article
from tests.factories import make_article

from .webserver import article_html, serve

HOSTILE = ["javascript:alert(document.domain)", " JavaScript:alert(1)", "java\tscript:alert(1)", "\x01javascript:x",
           "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.org/a",
           "//example.org/a", "/relative/path", "http://", "https://[::1", "https://example.org/" + "a" * 2000]
PARAGRAPHS = ["Le conseil municipal a voté lundi soir le budget de la nouvelle médiathèque du quartier nord, "
              "après trois heures de débat et plusieurs amendements de l'opposition sur le calendrier des travaux.",
              "La maire a promis une ouverture avant la fin de l'année prochaine et un accès gratuit pour les écoles."]


@pytest.mark.parametrize("address", HOSTILE)
def test_only_absolute_http_and_https_addresses_are_web_addresses(address):
    assert web_address(address) == ""


def test_web_addresses_are_kept_as_given_without_surrounding_spaces():
    assert web_address("  https://example.org/a?b=1#c ") == "https://example.org/a?b=1#c"
    assert web_address("HTTP://Example.org/") == "HTTP://Example.org/"


def test_a_json_lines_record_with_a_script_address_is_refused_with_its_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"body": "Un texte.", "url": "https://example.org/ok"}\n'
                    '{"body": "Un autre.", "url": "javascript:alert(document.domain)"}\n')
    with pytest.raises(readers.ReadError) as error:
        readers.read_file(path)
    assert str(error.value) == "line 2: 'url' must be an http:// or https:// address of at most 2000 characters"


@pytest.mark.django_db
def test_an_imported_script_address_is_refused_and_nothing_of_its_file_stored(tmp_path, capsys):
    path = tmp_path / "x.jsonl"
    path.write_text('{"body": "Un texte piégé.", "title": "Piège", "url": "javascript:alert(document.domain)"}\n')
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_articles", str(tmp_path), "--no-progress")
    assert capsys.readouterr().err.strip() == (
        f"failed: {path}: line 1: 'url' must be an http:// or https:// address of at most 2000 characters")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_an_article_stored_before_with_another_scheme_shows_its_address_as_text_not_a_link(client, commit_hooks):
    with commit_hooks():
        article = make_article("Un texte ancien.", title="Ancien")
        Article.objects.filter(pk=article.pk).update(url="javascript:alert(document.domain)")
        safe = make_article("Un texte sûr.", title="Sûr")
        Article.objects.filter(pk=safe.pk).update(url="https://example.org/a")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "href=\"javascript:" not in html
    assert '<dd class="url">javascript:alert(document.domain)</dd>' in html
    html = client.get(safe.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">https://example.org/a</a>' in html


@pytest.mark.django_db
def test_the_admin_form_refuses_addresses_other_than_http_and_https(admin_client, commit_hooks):
    with commit_hooks():
        article = make_article("Un texte.", title="Titre")
    def save(address):
        return admin_client.post(f"/admin/articles/article/{article.pk}/change/", {
            "title": "Titre", "body": "Un texte.", "raw": "Un texte.", "url": address, "date_precision": "unknown", "language": "",
            "tag_links-TOTAL_FORMS": "0", "tag_links-INITIAL_FORMS": "0",
            "actor_links-TOTAL_FORMS": "0", "actor_links-INITIAL_FORMS": "0",
            "country_links-TOTAL_FORMS": "0", "country_links-INITIAL_FORMS": "0"})

    for address in ("javascript:alert(1)", "ftp://example.org/a"):
        page = save(address)
        assert page.status_code == 200, address  # the form again, with its error
        assert page.context["adminform"].form.errors == {"url": ["Saisissez une URL valide."]}
    assert Article.objects.get().url == ""
    assert save("https://example.org/a").status_code == 302
    assert Article.objects.get().url == "https://example.org/a"


def test_a_saved_page_takes_its_address_from_its_canonical_link_only_when_it_is_http():
    html = article_html("La médiathèque votée", PARAGRAPHS).decode()
    canonical = html.replace("<head>", '<head><link rel="canonical" href="https://example.org/mediatheque">')
    hostile = html.replace("<head>", '<head><link rel="canonical" href="javascript:alert(1)">'
                                     '<meta property="og:url" content="javascript:alert(2)">')
    assert extract_article(canonical, raw_format="html").url == "https://example.org/mediatheque"
    assert extract_article(hostile, raw_format="html").url == ""
    assert extract_article(canonical, raw_format="html", url="https://example.org/fetched").url == "https://example.org/fetched"


def test_feed_entries_that_are_not_http_are_reported_and_never_fetched(tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_bytes(article_html("Secret", PARAGRAPHS))
    with serve({"/a": (200, "text/html", article_html("La médiathèque votée", PARAGRAPHS), 0)}) as base:
        items = "".join(f"<item><title>x</title><link>{link}</link></item>"
                        for link in (f"{base}/a", "javascript:alert(1)", f"file://{secret}"))
        rss = f"<?xml version='1.0'?><rss version='2.0'><channel><title>R</title>{items}</channel></rss>".encode()
        with serve({"/feed.xml": (200, "application/rss+xml", rss, 0)}) as feed_base:
            units = list(web.read_url(f"{feed_base}/feed.xml"))
    assert [(u.error, [i.url for i in u.items]) for u in units if u.items] == [("", [f"{base}/a"])]
    assert sorted(u.error for u in units if not u.items) == ["not an http:// or https:// address"] * (len(units) - 1)
    assert not any("Secret" in i.text for u in units for i in u.items)


def test_a_file_address_given_to_fetch_is_refused():
    with pytest.raises(web.FetchError, match="not an http:// or https:// address"):
        web.fetch("file:///etc/passwd")


def test_a_web_archive_response_whose_target_is_not_http_is_not_a_page(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url in ("javascript:alert(1)", "https://example.org/a"):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(b"<p>x</p>"), http_headers=headers))
    assert [(u.error, [i.url for i in u.items]) for u in warc.read_warc(path)] == [("", ["https://example.org/a"])]
