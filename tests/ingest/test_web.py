"""Fetching pages and feeds from a local server: what a user sees for each answer."""
from datetime import date

import pytest

from articles.ingest import web
from articles.ingest.types import RawPage

from .webserver import article_html, serve

PARAGRAPHS = [
    "La ville de Lyon a inauguré mardi une nouvelle ligne de tramway qui relie la gare de Perrache au campus "
    "de la Doua, a annoncé la métropole dans un communiqué publié dans la matinée.",
    "Claire Dubois, vice-présidente chargée des transports, a salué un chantier achevé avec trois mois "
    "d'avance sur le calendrier prévu et un budget respecté.",
]
PAGE = article_html("Lyon inaugure une nouvelle ligne de tramway", PARAGRAPHS, site="Rhône Matin")


def feed(base: str, *paths: str) -> bytes:
    items = "".join(f"<item><title>Article {p}</title><link>{base}{p}</link></item>" for p in paths)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Rhône Matin</title>"
            f"<link>{base}/</link>{items}</channel></rss>").encode()


def test_a_page_is_fetched_with_its_address_and_raw_response():
    with serve({"/tram": (200, "text/html; charset=utf-8", PAGE, 0)}) as base:
        [unit] = web.read_url(f"{base}/tram")
    assert (unit.name, unit.error) == (f"{base}/tram", "")
    assert unit.items == [RawPage(text=PAGE.decode(), raw_format="html", origin=f"{base}/tram", url=f"{base}/tram",
                                  seen_on=date.today())]


def test_a_page_in_latin_1_declared_by_the_server_is_decoded():
    latin = PAGE.decode().replace("charset='utf-8'", "charset='iso-8859-1'").encode("latin-1")
    with serve({"/tram": (200, "text/html; charset=ISO-8859-1", latin, 0)}) as base:
        [unit] = web.read_url(f"{base}/tram")
    assert "vice-présidente chargée" in unit.items[0].text


def test_each_feed_entry_is_a_unit_and_a_missing_entry_is_reported_alone():
    routes = {"/a": (200, "text/html", PAGE, 0), "/gone": (404, "text/html", b"<h1>Not found</h1>", 0),
              "/report.pdf": (200, "application/pdf", b"%PDF-1.4", 0)}
    with serve(routes) as base:
        routes["/feed.xml"] = (200, "application/rss+xml", feed(base, "/a", "/gone", "/report.pdf"), 0)
        units = list(web.read_url(f"{base}/feed.xml"))
    assert [(u.name, u.error, len(u.items)) for u in units] == [
        (f"{base}/feed.xml: {base}/a", "", 1),
        (f"{base}/feed.xml: {base}/gone", "HTTP 404 Not Found", 0),
        (f"{base}/feed.xml: {base}/report.pdf", "not an HTML page but application/pdf", 0),
    ]


def test_an_atom_feed_is_read_too():
    with serve({"/a": (200, "text/html", PAGE, 0)}) as base:
        atom = (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>R</title>"
                f"<entry><title>A</title><link href='{base}/a'/><id>1</id></entry></feed>").encode()
        with serve({"/atom": (200, "application/atom+xml", atom, 0)}) as feed_base:
            units = list(web.read_url(f"{feed_base}/atom"))
    assert [(u.error, u.items[0].url) for u in units] == [("", f"{base}/a")]


def test_a_feed_that_times_out_is_reported_within_the_deadline():
    with serve({"/slow.xml": (200, "application/rss+xml", b"<rss/>", 30)}) as base:
        units = list(web.read_url(f"{base}/slow.xml", timeout=0.5))
    assert [(u.name, u.error) for u in units] == [(f"{base}/slow.xml", "timed out after 0.5 s")]


@pytest.mark.parametrize(("route", "message"), [
    ((404, "text/html", b"<h1>Not found</h1>", 0), "HTTP 404 Not Found"),
    ((200, "image/png", b"\x89PNG\r\n\x1a\n\x00", 0), "not an HTML page but image/png"),
    ((200, "text/html", b"", 0), "the page is empty"),
    ((200, "application/rss+xml", b"<?xml version='1.0'?><rss><channel></channel></rss>", 0),
     "an RSS or Atom feed without any article link"),
])
def test_answers_that_give_no_page_are_explained(route, message):
    with serve({"/x": route}) as base:
        assert [u.error for u in web.read_url(f"{base}/x")] == [message]


def test_a_page_over_the_size_cap_is_refused_before_it_is_read_whole():
    with serve({"/big": (200, "text/html", b"x" * 3_000_000, 0)}) as base:
        with pytest.raises(web.FetchError, match="larger than the 2 MB limit"):
            web.fetch(f"{base}/big", max_bytes=2_000_000)


def test_an_address_nobody_answers_is_reported():
    with serve({}) as base:
        pass  # the server is closed: its port refuses connections now
    [unit] = web.read_url(f"{base}/a", timeout=2)
    assert unit.error.startswith("cannot be fetched: ")
