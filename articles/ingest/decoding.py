"""Turn the bytes of a page into text: UTF-8, Windows-1252, Latin-1 or Latin-9, mojibake repaired.

UTF-8 is tried first whatever a page declares: text in another encoding is almost never valid
UTF-8, while pages that declare Latin-1 but hold UTF-8 are common. Then the charset the server or
the page declares, then Windows-1252 (the superset of Latin-1 that browsers use for it) or Latin-9
when its French letters (œ, Œ, €) are what the bytes spell. UTF-8 text once decoded as Windows-1252
("PÃ©kin") is repaired with ftfy. Bytes that are none of these get a reason a person can act on.
"""
from __future__ import annotations

import codecs
import re

import ftfy

SNIFF_BYTES = 4096
DECLARED_CHARSET = re.compile(rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([\w.:-]+)""", re.I)
# Latin-1 as pages and servers declare it is Windows-1252 for browsers (WHATWG Encoding standard).
WINDOWS_1252_ALIASES = {"latin-1", "iso8859-1", "ascii"}
# Bytes that are œ, Œ and € in Latin-9 but ½, ¼ and ¤ in Windows-1252, between two letters.
LATIN9_LETTER = re.compile(rb"[A-Za-z\xc0-\xff][\xa4\xbc\xbd][A-Za-z\xc0-\xff]")
# A UTF-8 lead byte followed by a continuation byte, both read as Windows-1252: "Ã©", "â€™".
MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
    "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)


class DecodeError(ValueError):
    """Bytes that are not text in any encoding this archive reads, with the reason."""


def declared_charset(data: bytes, content_type: str = "") -> str:
    """Return the codec name a Content-Type header or the page itself declares, or ""."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    name = match.group(1) if match else ""
    if not name and (found := DECLARED_CHARSET.search(data[:SNIFF_BYTES])):
        name = found.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name if name else ""
    except LookupError:
        return ""


def decode_text(data: bytes, *, content_type: str = "") -> str:
    """Return the text of a page; raise DecodeError saying why when it is not text."""
    if b"\x00" in data[:8192]:
        raise DecodeError("binary file, not a text, HTML or JSON Lines page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = _decode_legacy(data, declared_charset(data, content_type), exc)
    if sum(ch < " " and ch not in "\t\n\r\f" for ch in text[:100_000]) > min(len(text), 100_000) // 100:
        raise DecodeError("binary file, not a text, HTML or JSON Lines page")
    return repair_mojibake(text)


def _decode_legacy(data: bytes, declared: str, utf8_error: UnicodeDecodeError) -> str:
    if declared in WINDOWS_1252_ALIASES:
        declared = "cp1252"
    candidates = [declared] if declared and declared not in ("utf-8", "utf-8-sig") else []
    candidates += ["iso8859-15", "cp1252"] if LATIN9_LETTER.search(data) and not re.search(rb"[\x80-\x9f]", data) \
        else ["cp1252"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    raise DecodeError(
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
        "and not Windows-1252 or Latin-1 text either"
    )


def repair_mojibake(text: str) -> str:
    """Return text with UTF-8 once misread as Windows-1252 or Latin-1 decoded again: "PÃ©kin" -> "Pékin"."""
    if not MOJIBAKE.search(text):
        return text
    return ftfy.fix_encoding(text)


def looks_like_html(text: str) -> bool:
    """Return whether decoded text is an HTML page rather than plain text."""
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)
