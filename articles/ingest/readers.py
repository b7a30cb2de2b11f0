"""Find the pages to import and decode them: files and folders of text, HTML and JSON Lines.

Reading never touches the database. Each problem becomes a ReadError with the file's name
and a reason a person can act on; the other files go on.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# Larger files are refused rather than read into memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
JSONL_FIELDS = {"title", "published", "source", "url", "body", "tags", "actors", "countries"}


class ReadError(Exception):
    """A file that cannot be imported, with the reason."""


@dataclass
class RawPage:
    """One page as received, decoded to text."""

    text: str
    raw_format: str  # "text" or "html"
    origin: str  # the file name it came from


@dataclass
class JsonRecord:
    """One article given as a JSON object with its metadata."""

    values: dict
    raw: str
    origin: str  # "file.jsonl:LINE"
    line: int


@dataclass
class ReadResult:
    path: Path
    items: list = field(default_factory=list)  # RawPage or JsonRecord


def find_files(paths) -> list[Path]:
    """Return the files named, and those below the folders named, in a stable order."""
    found: list[Path] = []
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in sorted(files) if not f.startswith(".") and Path(f).suffix.lower() in SUPPORTED_SUFFIXES]
        else:
            found.append(path)
    return found


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
    text = decode_text(data)
    raw_format = "html" if suffix in HTML_SUFFIXES or looks_like_html(text) else "text"
    return ReadResult(path, [RawPage(text=text, raw_format=raw_format, origin=path.name)])


def decode_text(data: bytes) -> str:
    """Decode a page: UTF-8 (with or without BOM), else Windows-1252, else say why not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ReadError(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
            "and not Windows-1252 text either"
        ) from None
    if sum(ch < " " and ch not in "\t\n\r\f" for ch in text) > len(text) // 100:
        raise ReadError("binary file, not a text, HTML or JSON Lines page")
    return text


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


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
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; expected some of {', '.join(sorted(JSONL_FIELDS))}")
    body = values.get("body")
    if not isinstance(body, str) or not body.strip():
        raise ValueError("'body' is missing or empty")
    for name in ("title", "published", "source", "url"):
        if values.get(name) is not None and not isinstance(values[name], str):
            raise ValueError(f"'{name}' must be a string")
    for name in ("tags", "actors", "countries"):
        value = values.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"'{name}' must be a list of non-empty strings")
