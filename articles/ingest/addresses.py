"""Addresses that come from outside (JSON Lines, pages, feeds, web archives): only http and https.

An article's address is shown as a link on its page; any other scheme (javascript:, data:,
file:, vbscript:) would run or open something when clicked, so it is never stored nor linked.
"""
from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
MAX_ADDRESS_CHARS = 2000  # Article.url's length; a cut address would be a broken link


def web_address(value) -> str:
    """Return value without surrounding spaces when it is an absolute http(s) address with a host; else ''.

    Control characters are refused outright: browsers drop tabs and newlines inside an address,
    so "java\\tscript:" would be read as "javascript:".
    """
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if not text or len(text) > MAX_ADDRESS_CHARS or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return ""
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # a malformed port or IPv6 host
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not host:
        return ""
    return text
