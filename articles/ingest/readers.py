"""Find the pages to import and decode them: files and folders of text, HTML, JSON Lines and WARC,
web pages and RSS/Atom feeds.

Reading never touches the database. Each problem becomes a ReadError, or an ImportUnit carrying
the reason, with the name of the file or URL and a reason a person can act on; the others go on.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import warc, web
from .addresses import MAX_ADDRESS_CHARS, web_address
from .decoding import DecodeError, decode_text, looks_like_html
from .types import MAX_FILE_BYTES, ImportUnit, JsonRecord, RawPage, ReadError

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
URL_PREFIXES = ("http://", "https://")
JSONL_FIELDS = {"title", "published", "source", "url", "body", "tags", "actors", "countries"}


@dataclass
class ReadResult:
    path: Path
    items: list = field(default_factory=list)  # RawPage or JsonRecord


def is_url(value) -> bool:
    return str(value).lower().startswith(URL_PREFIXES)


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def find_files(paths) -> list[Path]:
    """Return the files named, and those below the folders named, in a stable order."""
    found: list[Path] = []
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in sorted(files) if not f.startswith(".")
                          and (Path(f).suffix.lower() in SUPPORTED_SUFFIXES or is_warc(Path(f)))]
        else:
            found.append(path)
    return found


def find_inputs(inputs) -> list[Path | str]:
    """Return the URLs given and the files named or found below the folders, in the order given."""
    found: list[Path | str] = []
    for value in inputs:
        found += [str(value)] if is_url(value) else find_files([value])
    return found


def read_inputs(inputs, *, timeout: float | None = None) -> Iterator[ImportUnit]:
    """Yield the import units of files, folders, web archives, web pages and feeds, one by one.

    A plain file is one unit; each HTML response of a web archive and each entry of a feed is
    a unit of its own, so that a crawl of thousands of pages is never held in memory at once.
    """
    for value in inputs:
        if is_url(value):
            yield from web.read_url(value, timeout=timeout or web.TIMEOUT_SECONDS)
        elif is_warc(Path(value)):
            yield from warc.read_warc(Path(value))
        else:
            try:
                yield ImportUnit(name=str(value), items=read_file(Path(value)).items)
            except ReadError as exc:
                yield ImportUnit(name=str(value), error=str(exc))


def read_file(path: Path) -> ReadResult:
    """Read and decode one file; raise ReadError with the reason when it cannot be imported."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(f"file is {size / 1e6:.0f} MB, larger than the {MAX_FILE_BYTES // 1_000_000} MB limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError("no such file or folder") from None
    except IsADirectoryError:
        raise ReadError("is a folder") from None
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    if not data.strip():
        raise ReadError("the file is empty")
    if b"\x00" in data[:8192]:
        raise ReadError("binary file, not a text, HTML or JSON Lines page")
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return ReadResult(path, parse_jsonl(data, origin=path.name))
    try:
        text = decode_text(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from None
    raw_format = "html" if suffix in HTML_SUFFIXES or looks_like_html(text) else "text"
    return ReadResult(path, [RawPage(text=text, raw_format=raw_format, origin=path.name)])


def parse_jsonl(data: bytes, *, origin: str) -> list[JsonRecord]:
    """Parse JSON Lines; any bad line rejects the whole file, listing every bad line."""
    records, problems = [], []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            values = json.loads(text)
            check_record(values)
        except UnicodeDecodeError:
            problems.append(f"line {number}: not valid UTF-8")
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: invalid JSON, {exc.msg[0].lower()}{exc.msg[1:]} (column {exc.colno})")
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
        else:
            records.append(JsonRecord(values=values, raw=text, origin=f"{origin}:{number}", line=number))
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise ReadError(shown)
    if not records:
        raise ReadError("no articles in the file")
    return records


def check_record(values) -> None:
    """Raise ValueError saying what is wrong with one JSON Lines article."""
    if not isinstance(values, dict):
        raise ValueError("expected a JSON object with at least a 'body'")
    unknown = sorted(set(values) - JSONL_FIELDS)
    if unknown:
        raise ValueError(f"unknown field{'' if len(unknown) == 1 else 's'} {', '.join(unknown)}; expected some of {', '.join(sorted(JSONL_FIELDS))}")
    body = values.get("body")
    if not isinstance(body, str) or not body.strip():
        raise ValueError("'body' is missing or empty")
    for name in ("title", "published", "source", "url"):
        if values.get(name) is not None and not isinstance(values[name], str):
            raise ValueError(f"'{name}' must be a string")
    if (values.get("url") or "").strip() and not web_address(values["url"]):
        raise ValueError(f"'url' must be an http:// or https:// address of at most {MAX_ADDRESS_CHARS} characters")
    for name in ("tags", "actors", "countries"):
        value = values.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"'{name}' must be a list of non-empty strings")
