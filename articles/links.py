"""Page addresses made in bulk: reverse() once per URL name, then a string join per address.

A page lists dozens of articles, sources and facet values, each linked to its own page; reverse()
costs ~50 µs a call, so the address of a kind of page is reversed once (for the current script
prefix and URL configuration) with a marker in place of its key, and each key is set in its place.
Addresses of pages with few keys (the search page, a month of the archive) are remembered whole.
"""
import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "0123456789"  # a key both the int and the slug converters take as it is
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what the slug converter takes, and reverse() does not quote


@lru_cache(maxsize=128)
def _around(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    """Return what comes before and after the key in the address of page `name`."""
    before, _marker, after = reverse(name, args=[_MARKER], urlconf=urlconf).partition(_MARKER)
    return before, after


def _address(name: str, key: str) -> str:
    return key.join(_around(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF))


def page_url(name: str, key: str) -> str:
    """Return reverse(name, args=[key]) for a page whose one argument is a slug."""
    if not _SLUG.fullmatch(key):  # reverse() refuses it (NoReverseMatch) or quotes it: its own answer
        return reverse(name, args=[key])
    return _address(name, key)


def article_url(pk: int) -> str:
    """Return the address of an article's page: reverse("articles:detail", args=[pk])."""
    return _address("articles:detail", str(int(pk)))


def address(name: str, *args) -> str:
    """Return reverse(name, args=args), remembered: for the few addresses every page repeats."""
    return _reversed(name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)
def _reversed(name: str, args: tuple, prefix: str, urlconf: str) -> str:
    return reverse(name, args=args, urlconf=urlconf)
