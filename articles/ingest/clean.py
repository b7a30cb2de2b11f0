"""Turn a raw page into clean body text, keeping captions, bylines and closing notes aside.

A raw text page is read line by line: each non-empty line is a block. The article's own run of blocks
is located (locate.py); lines are classified by general rules (widgets, bylines, "Lire aussi" links,
photo credits and the caption lines above them, a closing appeal to readers), never by the names of
particular outlets. HTML pages go through trafilatura first (html.py).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .dates import is_stamp
from .locate import Block, addresses_reader, is_prose, locate

MAX_HEADLINE_CHARS, MAX_HEADLINE_WORDS = 180, 25
MAX_CAPTION_CHARS = 400
NEAR_DUPLICATE = 0.8
CLOSING_LINES = 4  # lines after the article read for a closing appeal to readers

_I = re.IGNORECASE | re.VERBOSE
WIDGET = re.compile(r"""^(?:
    noscript | please\s+wait | loading | chargement(?:\s+en\s+cours)?
  | comments? | no\s+comments? | \d+\s+comments? | add\s+(?:a\s+)?comment | comment\s+url
  | leave\s+a\s+(?:reply|comment) | please\s+enter\s+your\s+\w+(?:\s+\w+)? (?:\s+here)?
  | (?:laisser|ajouter|écrire|poster)\s+un\s+commentaire | \d*\s*commentaires? | réagir
  | (?:(?:next|previous|prev)\s+(?:post|article)\s*)+ | article\s+(?:précédent|suivant)
  | (?:share|partager|partagez|tweet|tweeter|imprimer|print|e-?mail|facebook|twitter|whatsapp
     |linkedin|telegram|pinterest|copier\s+le\s+lien|copy\s+link|[|•·,])
    (?:\s+(?:share|partager|sur|cet\s+article|this|tweet|facebook|twitter|whatsapp|linkedin
     |telegram|e-?mail|imprimer|[|•·,]))*
  | s['’]abonner | subscribe | newsletter | ajouter\s+aux\s+favoris | add\s+to\s+favou?rites
  | (?:tags?|mots[\s-]clés|thèmes?|catégories?)\s*:.* | accepter(?:\s+les\s+cookies)? | menu | rechercher | search
  | (?:aller|passer|retour(?:ner)?)\s+(?:au|à\s+la|en)\s+(?:contenu(?:\s+principal)?|navigation|menu|pied\s+de\s+page|haut(?:\s+de\s+(?:la\s+)?page)?)
  | haut\s+de\s+page | toggle\s+navigation | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top
)[\s.!…:]*$""", _I)
ICON_NAME = re.compile(r"\b[a-z]+_[a-z]+|^[a-z]{3,}[A-Z]{2,}")  # "folder_open", "starAJOUTER": icon fonts
BYLINE = re.compile(r"^(?:par|by|écrit\s+par|rédigé\s+par|(?:[\w’'-]+\s+){0,3}?(?:propos\s+)?recueillis?\s+par)"
                    r"\s+(?P<who>\S.{0,100})$", _I)
STAMP = re.compile(r"^(?:publié|mis\s+à\s+jour|modifié|actualisé|posted|published|updated|le)\b.{0,120}\d", _I)
LEADING_DATE_STAMP = re.compile(r"^\s*date\s*:?\s*(\d{4}-\d{2}(?:-\d{2})?)\s+", re.IGNORECASE)
AGENCY_CLOSER = re.compile(r"^\(?\s*(?:avec|with)\s+(?P<agency>[^().]{2,40}?)\s*\)?\.?$", re.IGNORECASE)
RELATED = re.compile(r"""^(?:READ(?:\s+MORE|\s+ALSO)?|LIRE(?:\s+AUSSI)?|(?:À|A)\s+(?:LIRE|VOIR)(?:\s+AUSSI)?
    | (?i:(?:à\s+|a\s+)?lire\s+(?:aussi|également|encore)|(?:à\s+|a\s+)?voir\s+aussi|read\s+(?:more|also)
    |see\s+also|related|sur\s+le\s+même\s+sujet))
    (?:\s*[:.>»\-–—]\s*|\s+|(?=[A-ZÀ-Ý«])|$)(?P<link>.*)$""", re.VERBOSE)
APPEAL = re.compile(r"""votre\s+soutien | nous\s+soutenir | soutenez | soutenir\s+(?:notre|le)\s+journalisme
    | faire\s+un\s+don | faites\s+un\s+don | nous\s+aider | abonnez-vous | inscrivez-vous | newsletter
    | support\s+us | donate | subscribe | become\s+a\s+(?:member|subscriber)""", _I)
CREDIT_START = re.compile(r"^(?:\(?\s*(?:photos?|crédits?(?:\s+photo)?|credits?|image|illustration)\s*[:©/]|©)", re.I)
INLINE_CREDIT = re.compile(r"[.)»]\s+(?:photo|crédits?(?:\s+photo)?|credit)\s*:\s*\S", re.I)
VIA = re.compile(r"\bvia\s+[A-Z]")
# A caption ending with its credit: "... ? REUTERS/Jane Doe", "... (Jean Dupin/Pool/Sipa)", "... — Ann Lee/AP".
_NAME = r"[A-ZÀ-Ý][\w.'’-]*(?:\s+[A-ZÀ-Ý][\w.'’-]*){0,3}"
CREDIT_TAIL = re.compile(rf"(?:[.!?»]\s+|\s[—–]\s*|\s\()\(?{_NAME}\s*/\s*{_NAME}(?:\s*/\s*{_NAME})*\)?\s*$")
PICTURE_AGENCY_END = re.compile(
    r"[,/–-]\s*(?:AFP|Reuters|AP|EPA|Getty\s+Images|Shutterstock|Sipa|Abaca|Xinhua|ZUMA(?:\s+Press)?|Anadolu|"
    r"Maxppp|dpa|Belga|ANP|Keystone|TASS|Sputnik|Alamy|Hans\s+Lucas|Bloomberg|DR)$")
SENTENCE_PUNCTUATION = (".", "!", "?", ":", ";", ",")
CONTINUED = re.compile(r"(?:[&,:–—-]|\b(?:et|and))$")
EMBED_SIGNATURE = re.compile(r"^[—–-]\s*[^\s(].{0,60}\(@\w{1,30}\)")  # "— Jane Doe (@jdoe) March 16, 2020"
INLINE_RELATED = re.compile(r"\s*(?:\b(?:À|A)\s+LIRE(?:\s+AUSSI)?|\bLIRE\s+AUSSI|\bREAD\s+(?:MORE|ALSO))\s*:?\s+"
                            r"[^\n]{3,200}?[a-zà-ÿ0-9»\"?!)](?=[A-ZÀ-Ý«])")


@dataclass
class CleanPage:
    """A page split into what readers came for (body) and what surrounds it."""

    body: str
    title: str = ""  # the headline when the page starts with one
    captions: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # bylines, date stamps, agency credits
    footer: list[str] = field(default_factory=list)  # closing appeals and signatures
    removed: list[str] = field(default_factory=list)  # furniture dropped altogether
    html_meta: dict = field(default_factory=dict)  # title, date, sitename, url (canonical link) from HTML metadata


def normalise_spaces(text: str) -> str:
    """Return text with unusual spaces made plain and line ends unified."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2011", "-").replace("\ufeff", "").replace("\u200b", "")
    return re.sub(r"[\u00a0\u202f\u2007\t ]+", " ", text)


def comparable(line: str) -> str:
    """Return a line reduced to lower-case letters and digits, to spot repeats."""
    return re.sub(r"\W+", "", line.lower().replace("’", "'"))


def is_tag_list(line: str) -> bool:
    """Tell whether a line lists tags or sections: "Politique, Justice, Emmanuel Macron", "#Climat / Énergie"."""
    items = [item.strip() for item in re.split(r"\s*[,/|•·]\s*", line) if item.strip()]
    return len(items) >= 3 and all((item[:1].isupper() or item[:1] == "#") and len(item.split()) <= 4
                                   and not item.endswith((".", "!", "?")) for item in items)


def is_widget(line: str) -> bool:
    """Tell whether a line is page furniture: a button, an icon label, a comment form, a list of tags."""
    if not re.search(r"[^\W\d_]", line) or (is_tag_list(line) and not is_credit(line)):
        return True
    return bool(WIDGET.match(line)) or (len(line.split()) <= 12 and bool(ICON_NAME.search(line)))


def is_credit(line: str) -> bool:
    """Tell whether a line credits a photograph: "Name / Agency", "AP Photo / X", "... via Y"."""
    text = line.rstrip(". ")
    words = text.split()
    if not words or len(text) > 160 or text.endswith(SENTENCE_PUNCTUATION):
        return False
    if CREDIT_START.match(text) or "©" in text or EMBED_SIGNATURE.match(text):
        return True
    segments = [s for s in re.split(r"\s+/\s+", text) if s]
    if len(segments) >= 2 and ":" not in text and all(s[0].isupper() and len(s.split()) <= 6 for s in segments):
        return True
    if len(words) <= 16 and VIA.search(text) and ":" not in text:
        return True
    return len(words) <= 8 and bool(PICTURE_AGENCY_END.search(text))


def is_headline(line: str) -> bool:
    """Tell whether a line reads as a headline: short, and not ending like a sentence."""
    return (len(line) <= MAX_HEADLINE_CHARS and len(line.split()) <= MAX_HEADLINE_WORDS
            and not line.endswith((".", ":", ";", ",")))


def _near_duplicates(a: str, b: str) -> bool:
    a, b = comparable(a), comparable(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= NEAR_DUPLICATE


def _mark_captions(lines: list[str], kinds: list[str]) -> None:
    """Mark as captions the line above each credit, and its near-duplicates right above it."""
    for k, kind in enumerate(kinds):
        if kind != "credit":
            continue
        j = k - 1
        if j < 0 or kinds[j] != "text" or len(lines[j]) > MAX_CAPTION_CHARS:
            continue
        kinds[j] = "caption"
        while j > 0 and kinds[j - 1] == "text" and _near_duplicates(lines[j - 1], lines[j]):
            j -= 1
            kinds[j] = "caption"


def _classify(line: str) -> str:
    if not line:
        return "blank"
    if is_stamp(line) and not is_prose(line) and not ICON_NAME.search(line):
        return "meta"
    if is_widget(line):
        return "widget"
    if RELATED.match(line) and len(line.split()) <= 30:
        return "related"
    if BYLINE.match(line) and len(line.split()) <= 14 and not line.endswith("."):
        return "meta"
    if STAMP.match(line) and len(line.split()) <= 20 and not line.endswith("."):
        return "meta"
    if AGENCY_CLOSER.match(line) and len(line.split()) <= 6:
        return "meta"
    if is_credit(line) or (len(line) <= MAX_CAPTION_CHARS and (INLINE_CREDIT.search(line) or CREDIT_TAIL.search(line))):
        return "credit"
    return "text"


def clean_text(raw: str) -> CleanPage:
    """Split a raw text page into its headline, clean body, captions and surrounding notes.

    The article's own run of lines is located first (locate.py); what lies before and after it is
    set aside in `removed`, whatever it says, so menus, teasers and comments never reach the body.
    """
    page = CleanPage(body="")
    lines: list[str] = [line.strip() for line in normalise_spaces(raw).split("\n")]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is not None and (stamp := LEADING_DATE_STAMP.match(lines[first])):
        page.header.append(f"date {stamp.group(1)}")
        lines[first] = lines[first][stamp.end():]
    kinds = [_classify(line) for line in lines]
    markers = [i for i, kind in enumerate(kinds) if kind == "related" and RELATED.match(lines[i])]
    for i in markers:  # a bare "Lire aussi" marker, or a link cut short: the next line is its rest
        link = RELATED.match(lines[i]).group("link")
        following = next((j for j in range(i + 1, len(lines)) if kinds[j] != "blank"), None)
        if following is None or kinds[following] != "text" or len(lines[following]) > MAX_CAPTION_CHARS:
            continue
        if (not link and is_headline(lines[following])) or (link and CONTINUED.search(link)):
            kinds[following] = "related"
        if not link:
            kinds[i] = "box"  # a heading over links to other articles, not one link
    _mark_captions(lines, kinds)
    title_index = _keep_article_lines(lines, kinds, page)
    _sweep_footer(lines, kinds)

    paragraphs: list[str] = []
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        if kind == "text":
            if not paragraphs or comparable(paragraphs[-1]) != comparable(line):
                paragraphs.append(remove_inline_related(line))
        elif kind in ("caption", "credit"):
            if not page.captions or comparable(page.captions[-1]) != comparable(line):
                page.captions.append(line)
        elif kind == "meta":
            page.header.append(line)
        elif kind == "footer":
            page.footer.append(line)
        elif kind in ("widget", "related", "box", "outside") and i != title_index:
            page.removed.append(line)
    if title_index is not None:
        page.title = lines[title_index]
    elif len(paragraphs) > 1 and is_headline(paragraphs[0]) and not is_prose(paragraphs[0]):
        page.title = paragraphs[0]
    if page.title:
        paragraphs = [p for p in paragraphs if comparable(p) != comparable(page.title)]
    page.body = "\n\n".join(paragraphs)
    return page


def _keep_article_lines(lines: list[str], kinds: list[str], page: CleanPage) -> int | None:
    """Mark every line outside the article's run "outside", and return the headline's line number.

    Inside the run, a line of text stays when it is prose (and not repeated outside the run, as
    newsletter boxes are) or a subheading followed by prose; other short lines are furniture.
    """
    counts = Counter(comparable(line) for line in lines if line)
    blocks = [Block(i, line, kind, is_prose(line), is_stamp(line), comparable(line), counts[comparable(line)])
              for i, (line, kind) in enumerate(zip(lines, kinds)) if kind != "blank"]
    layout = locate(blocks)
    if layout is None:
        for block in blocks:
            kinds[block.index] = "outside"
        return None
    inside = blocks[layout.start:layout.end + 1]
    for position, block in enumerate(inside):
        if block.stamp and not block.in_list and block.kind == "text":
            kinds[block.index] = "meta"
        elif block.kind != "text":
            continue
        elif block.prose and not block.repeated:
            continue
        elif not block.prose and block.index > blocks[layout.core_start].index and _opens_prose(inside, position):
            continue  # a subheading of the text (the head, before the text, has none)
        elif position >= len(inside) - CLOSING_LINES and any(APPEAL.search(b.text) for b in inside[position + 1:]):
            continue  # the question heading a closing appeal: the footer sweep takes both
        else:
            kinds[block.index] = "widget"
    above = layout.headline if layout.headline is not None else layout.start
    for block in reversed(blocks[max(0, above - 3):above]):  # "Par X" and a date right above the headline
        if block.kind == "meta" or block.stamp:
            page.header.insert(0, block.text)
        elif block.kind != "widget":
            break
    for block in blocks[:layout.start] + blocks[layout.end + 1:]:
        kinds[block.index] = "outside"
    for block in blocks[layout.end + 1:layout.end + 1 + CLOSING_LINES]:  # an appeal closing the article
        if APPEAL.search(block.text) and not block.in_list:
            kinds[block.index] = "footer"
    return blocks[layout.headline].index if layout.headline is not None else None


def _opens_prose(inside: list[Block], position: int) -> bool:
    """Tell whether the block at position is a subheading: short, headline-like, followed by prose."""
    block = inside[position]
    if not is_headline(block.text) or block.repeated or position + 1 == len(inside) or addresses_reader(block.text):
        return False
    following = inside[position + 1]
    return following.kind == "text" and following.prose and not following.repeated


def remove_inline_related(paragraph: str) -> str:
    """Return a paragraph without a "LIRE AUSSI" box glued into it by the scrape.

    A scrape that drops the page's tags glues the box's headline to the next sentence
    ("... À LIRE AUSSI Un titre de tenteSon domicile ..."): the box runs from the capitalised marker
    to the first lower-case letter followed straight by a capital.
    """
    return INLINE_RELATED.sub(" ", paragraph).strip()


def _sweep_footer(lines: list[str], kinds: list[str]) -> None:
    """Mark the closing appeal to readers (and the short lines around it) as footer."""
    text_lines = [i for i, kind in enumerate(kinds) if kind == "text"]
    appeal_seen = False
    for i in reversed(text_lines[-4:]):
        if APPEAL.search(lines[i]):
            kinds[i], appeal_seen = "footer", True
        elif appeal_seen and lines[i].endswith("?") and len(lines[i].split()) <= 15:
            kinds[i] = "footer"  # "Comment pouvez-vous nous aider ?" heading the appeal
        elif not appeal_seen and len(lines[i].split()) <= 4 and not lines[i].endswith((".", "»", '"')):
            kinds[i] = "widget"  # stray buttons after the last paragraph
        else:
            break
