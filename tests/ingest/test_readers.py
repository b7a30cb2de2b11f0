"""Reading files: what a user sees when a file cannot be imported."""
from pathlib import Path

import pytest

from articles.ingest import readers


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path: Path) -> str:
    with pytest.raises(readers.ReadError) as caught:
        readers.read_file(path)
    return str(caught.value)


def test_folders_are_walked_recursively_for_supported_files_in_name_order(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ["b/2.html", "1.txt", "b/3.jsonl", "notes.pdf", ".hidden.txt"]:
        write(tmp_path, name, b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in readers.find_files([tmp_path])] == ["1.txt", "b/2.html", "b/3.jsonl"]


def test_text_page_is_decoded_and_kept_as_text(tmp_path):
    result = readers.read_file(write(tmp_path, "page.txt", "Pékin et Moscou".encode("utf-8")))
    assert result.items == [readers.RawPage(text="Pékin et Moscou", raw_format="text", origin="page.txt")]


def test_windows_1252_page_is_decoded(tmp_path):
    result = readers.read_file(write(tmp_path, "page.txt", "Pékin a déclaré « non »".encode("cp1252")))
    assert result.items[0].text == "Pékin a déclaré « non »"


def test_html_is_recognised_by_content_as_well_as_by_name(tmp_path):
    result = readers.read_file(write(tmp_path, "saved", b"<!DOCTYPE html><html><body><p>x</p></body></html>"))
    assert result.items[0].raw_format == "html"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not a text, HTML or JSON Lines page"),
        ("broken.txt", b"Caf\xc3 \x81\x8d\x90 bad", "not valid UTF-8 (byte 0xc3 at offset 3) and not Windows-1252 or Latin-1 text either"),
    ],
)
def test_unreadable_files_are_reported_with_the_reason(tmp_path, name, data, message):
    assert read_error(write(tmp_path, name, data)) == message


def test_missing_file_is_reported(tmp_path):
    assert read_error(tmp_path / "nowhere.txt") == "no such file or folder"


def test_json_lines_give_records_with_their_line(tmp_path):
    path = write(tmp_path, "a.jsonl", b'{"body": "Un texte."}\n\n{"body": "Un autre.", "tags": ["diplomatie"]}\n')
    result = readers.read_file(path)
    assert [(r.origin, r.line, r.values) for r in result.items] == [
        ("a.jsonl:1", 1, {"body": "Un texte."}),
        ("a.jsonl:3", 3, {"body": "Un autre.", "tags": ["diplomatie"]}),
    ]


def test_every_bad_json_line_is_named_and_the_file_is_refused(tmp_path):
    path = write(
        tmp_path, "bad.jsonl",
        b'{"body": "ok"}\n{"body": "unterminated\n[1, 2]\n{"title": "no body"}\n{"body": "x", "colour": "red"}\n{"body": "\xff"}\n',
    )
    assert read_error(path) == (
        "line 2: invalid JSON, unterminated string starting at (column 10); "
        "line 3: expected a JSON object with at least a 'body'; "
        "line 4: 'body' is missing or empty; "
        "line 5: unknown field colour; expected some of actors, body, countries, published, source, tags, title, url; "
        "line 6: not valid UTF-8"
    )


def test_wrong_types_in_a_json_line_are_explained(tmp_path):
    path = write(tmp_path, "types.jsonl", b'{"body": "x", "tags": "diplomatie"}\n')
    assert read_error(path) == "line 1: 'tags' must be a list of non-empty strings"
