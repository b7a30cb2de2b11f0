"""Saved HTML pages: the main text through trafilatura, the headline from the article's own <h1>."""
from __future__ import annotations

import re

from .clean import CleanPage, clean_text, comparable
from .locate import stems

TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
HEADLINE_MIN_SHARE = 0.6  # of an <h1>'s words that the page's <title> or og:title must also use
# Insets beside or after the article: <aside>, or a class or id word that says box or sidebar.
INSET = re.compile(r"(?:^|[\s_-])(?:box|aside|sidebar|encadre)(?:$|[\s_-])", re.IGNORECASE)


def clean_html(html: str) -> CleanPage:
    """Extract the main text of an HTML page with trafilatura, then clean it like a text page."""
    import trafilatura  # imported here: heavy, and only HTML pages need it
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        tree = None
    metadata = trafilatura.extract_metadata(html, extensive=False)
    html_meta = {"title": metadata.title or "", "date": metadata.date or "",
                 "sitename": metadata.sitename or "", "url": metadata.url or ""} if metadata is not None else {}
    # The headline and captions are read on the whole page, before its insets are taken out.
    headline = article_headline(tree, html_meta.get("title", "")) if tree is not None else ""
    captions = [" ".join(caption.text_content().split())
                for caption in (tree.xpath("//figcaption") if tree is not None else [])]
    content = lxml_html.tostring(_without_insets(tree), encoding="unicode") if tree is not None else html
    text = trafilatura.extract(content, include_comments=False, include_tables=False, favor_precision=True) or ""
    page = clean_text(text)
    if html_meta:
        page.html_meta = html_meta
    page.title = headline or strip_site_name(page.html_meta.get("title", ""), page.html_meta.get("sitename", "")) \
        or page.title
    for caption_text in captions:
        if caption_text and caption_text not in page.captions:
            page.captions.append(caption_text)
            page.body = "\n\n".join(p for p in page.body.split("\n\n") if comparable(p) != comparable(caption_text))
    if page.title:
        page.body = "\n\n".join(p for p in page.body.split("\n\n") if comparable(p) != comparable(page.title))
    return page


def _without_insets(tree):
    """Return the page without its insets: the outlet's box about a source, "à lire aussi", sidebars.

    An inset is an <aside>, or an element whose class or id has the word box, aside, sidebar or
    encadre. A layout wrapper may be named so too ("page with a right sidebar"): an element that
    holds the <h1> or half of the page's text or more is the page, not an inset, and stays.
    """
    for element in tree.xpath("//script | //style | //noscript | //template"):
        element.drop_tree()  # code is no text: it would make every element look small
    body = tree.find(".//body")
    total = len((body if body is not None else tree).text_content())
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        named = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag != "aside" and not INSET.search(named):
            continue
        if element.find(".//h1") is not None or 2 * len(element.text_content()) >= total:
            continue
        element.drop_tree()
    return tree


def article_headline(tree, document_title: str) -> str:
    """Return the page's <h1> that its <title> or og:title speaks of, or "".

    A page may have several <h1>: the site's logo, box titles, the article's headline. The headline
    is the one whose words the document's title uses (which adds a kicker or the site's name to it,
    or words it differently: then the <h1>, what readers see, is the headline).
    """
    titles = " ".join([document_title, *tree.xpath("//head/title/text()"),
                       *tree.xpath("//meta[@property='og:title']/@content")])
    title_stems = stems(titles)
    best, best_share = "", 0.0
    for heading in tree.xpath("//h1"):
        text = " ".join(heading.text_content().split())
        words = stems(text)
        if not words:
            continue
        share = len(words & title_stems) / len(words)
        if share >= HEADLINE_MIN_SHARE and share > best_share:
            best, best_share = text, share
    return best


def strip_site_name(title: str, site_name: str) -> str:
    """Return a document title without its " | Outlet" or " - Outlet" end."""
    title = " ".join(title.split())
    parts = TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    last = comparable(parts[-1])
    if site_name and (last == comparable(site_name) or comparable(site_name) in last) or " | " in title:
        return title[:title.rfind(parts[-1])].rstrip(" |–—-:")
    return title
