"""Web archives: each successful HTML response is a page, with its address; the rest is passed over."""
from datetime import date
from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from articles.ingest import readers, warc


def write_warc(path, responses, *, gzip=True):
    """Write (url, status, content type, body) responses, each after its request, as a crawler would."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for url, status, content_type, body in responses:
            writer.write_record(writer.create_warc_record(url, "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2023-02-05T08:00:00Z"}))
    return path


def test_html_responses_are_pages_with_their_address_and_crawl_date(tmp_path):
    html = "<html><body><p>Le conseil a voté à l'unanimité.</p></body></html>"
    path = write_warc(tmp_path / "crawl.warc.gz", [
        ("https://example.org/a", "200 OK", "text/html; charset=windows-1252", html.encode("cp1252")),
        ("https://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
        ("https://example.org/old", "301 Moved Permanently", "text/html", b"<a href='/a'>moved</a>"),
        ("https://example.org/missing", "404 Not Found", "text/html", b"<h1>Not found</h1>"),
    ])
    units = list(warc.read_warc(path))
    assert [(u.name, u.error) for u in units] == [(f"{path}: https://example.org/a", "")]
    assert units[0].items == [readers.RawPage(text=html, raw_format="html", origin="https://example.org/a",
                                              url="https://example.org/a", seen_on=date(2023, 2, 5))]


def test_web_archives_are_found_in_folders_uncompressed_too(tmp_path):
    write_warc(tmp_path / "a.warc", [("https://example.org/a", "200 OK", "text/html", b"<p>x</p>")], gzip=False)
    assert [p.name for p in readers.find_files([tmp_path])] == ["a.warc"]
    assert [u.error for u in readers.read_inputs([tmp_path / "a.warc"])] == [""]


def test_a_damaged_archive_keeps_the_pages_before_the_damage_and_says_where(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", [
        ("https://example.org/a", "200 OK", "text/html", b"<p>un</p>"),
        ("https://example.org/b", "200 OK", "text/html", b"<p>deux</p>"),
    ])
    path.write_bytes(path.read_bytes() + b"\x1f\x8b\x08\x00 a broken record")
    units = list(warc.read_warc(path))
    assert [u.error for u in units[:-1]] == ["", ""]
    assert units[-1].name == str(path)
    assert units[-1].error.startswith("not a readable web archive after 2 HTML pages: Unknown archive format")


def test_a_file_that_is_no_archive_and_an_archive_without_pages_are_reported(tmp_path):
    (tmp_path / "fake.warc").write_bytes(b"this is not a web archive at all\n" * 3)
    empty = write_warc(tmp_path / "images.warc.gz", [("https://example.org/x.png", "200 OK", "image/png", b"\x89PNG")])
    assert [u.error for u in warc.read_warc(tmp_path / "fake.warc")] == [
        "not a web archive: it does not start with a WARC header"]
    assert [u.error for u in warc.read_warc(empty)] == ["no HTML page in the web archive"]


def write_records(path, records):
    """Write response records given as (target URI or None, raw HTTP block bytes)."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, block in records:
            record = writer.create_warc_record(url or "https://placeholder.invalid/", "response", payload=BytesIO(block),
                                               warc_headers_dict={"WARC-Date": "2023-02-05T08:00:00Z"})
            if url is None:
                record.rec_headers.remove_header("WARC-Target-URI")
            writer.write_record(record)
    return path


def test_bad_records_are_failures_of_their_own_and_the_archive_goes_on(tmp_path):
    page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>une page</p>"
    path = write_records(tmp_path / "crawl.warc.gz", [
        (None, page),
        ("https://example.org/a", page),
        ("http:///no-host", page),
        ("https://example.org/b", page),
    ])
    units = list(warc.read_warc(path))
    assert [(u.name, u.error[:40], [i.url for i in u.items]) for u in units] == [
        (f"{path}: record 1", "a response record without WARC-Target-UR", []),
        (f"{path}: https://example.org/a", "", ["https://example.org/a"]),
        (f"{path}: http:///no-host", "the record's WARC-Target-URI is not an h", []),
        (f"{path}: https://example.org/b", "", ["https://example.org/b"]),
    ]
