"""The outlet that published a page, and the news agency it credits, from the page's own signals.

In order: the byline ("Par Jeanne Martin, Le Courrier avec AFP"), the HTML site name (og:site_name,
the publisher of JSON-LD), the page's legal lines ("© Le Monde", "Tous droits réservés - Les
Echos 2023") and self-description ("X est un média indépendant"), and last the name the page opens
with (its logo's text, "Le Point", or its address, "regards.fr"). A medium only quoted in the text
("a déclaré à CNN") is never taken, nor an author's name from a byline.
"""
from __future__ import annotations

import re

from .clean import BYLINE, CleanPage, is_widget

BYLINE_DATE = re.compile(r"[.,|–—-]?\s*\b(?:publié|mis\s+à\s+jour|modifié|posted|published|updated|le\s+\d|il\s+y\s+a)\b"
                         r"|[,|–—-]?\s*\b\d{1,2}(?:er)?\s+[^\W\d_]+\.?\s+\d{4}|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}",
                         re.IGNORECASE)
AGENCIES = re.compile(r"^(?:l['’])?(AFP|Reuters|AP|Associated Press|ANSA|DPA|EFE|Belga|Xinhua|TASS|Kyodo|"
                      r"Agence France-Presse|RIA Novosti|Anadolu|Bloomberg|Sputnik|Interfax|UPI|ATS|Yonhap)$",
                      re.IGNORECASE)
OUTLET_WORDS = re.compile(r"\b(?:Times|Post|News|Journal|Presse|Press|Info|Infos|Média|Media|TV|Radio|Magazine|"
                          r"Monde|Courrier|Tribune|Gazette|Herald|Express|Observateur|Quotidien|Hebdo|Daily|Soir|"
                          r"Matin|Dépêche|Républicain|Libre|Actu|Mag)\b")
DETERMINER = re.compile(r"^(?:Le|La|Les|L['’]|The)\b")
SELF_DESCRIPTION = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<name>(?:(?:The|Le|La|Les)\s+|L['’])?[A-Z][\w&.'’-]*"
    r"(?:\s+(?:(?:du|de|des|la|le|et|of|the)\s+)?[A-Z0-9][\w&.'’-]*){0,4})\s+"
    r"(?:est|is)\s+(?:un|une|an?)\s+(?:[\w-]+\s+){0,3}?(?:média|media|journal|site|quotidien|hebdomadaire|"
    r"magazine|newspaper|outlet|publication|organe de presse|titre de presse)\b")
_NAME_WORD = r"[A-ZÀ-Ý0-9][\w&.'’‑-]*"
_OUTLET_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:de|du|des|et|la|le|l['’]|of|the|&)\s+)?{_NAME_WORD}){{0,4}}"
COPYRIGHT = re.compile(
    rf"(?:©|\(c\)|\bcopyright(?=\s*(?:©|\(c\)|(?:19|20)\d{{2}}|$))|tous\s+droits\s+réservés|all\s+rights\s+reserved)"
    rf"(?:\s*(?:©|copyright))?[\s:–—-]*"
    rf"(?:(?:19|20)\d{{2}}(?:\s*[-–]\s*(?:19|20)\d{{2}})?[\s,.–—-]*)?(?P<name>{_OUTLET_NAME})?", re.IGNORECASE)
LEGAL_LINE = re.compile(r"©|\bcopyright\s*(?:©|\(c\)|(?:19|20)\d\d|$)|droits\s+réservés|rights\s+reserved", re.I)
TRAILING_YEAR = re.compile(r"\s+(?:19|20)\d{2}\.?$")
SITE_ADDRESS = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}$", re.IGNORECASE)
PAGE_NAME_LINES = 3  # the logo comes first, before menus, or just after a link or two
NAME_LINE = re.compile(rf"^{_OUTLET_NAME}$")



def _looks_like_person(name: str) -> bool:
    """Tell whether a byline's name is a person's: "Jeanne Martin", "Marc OLIVIER", "Loïc Le Roux"."""
    words = name.split()
    return (2 <= len(words) <= 5 and not DETERMINER.match(name) and not OUTLET_WORDS.search(name)
            and all(re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'’-]+\.?|[A-ZÀ-Ý][A-ZÀ-Ý'’-]+|[A-Z]\.|(?:de|du|des|van|von|da|di|le|la)",
                                 word) for word in words)
            and words[0][:1].isupper())


def _byline_names(who: str) -> str:
    """Return a byline without its date, time and trailing separators: "Jean Roy. Publié le 2 mai" -> "Jean Roy"."""
    who = BYLINE_DATE.split(who, maxsplit=1)[0]
    return who.strip(" |,-–—:.()")


def _split_byline(who: str) -> tuple[str, str]:
    """Return (publisher, agency) from a byline: "Jeanne Martin, Le Courrier avec Reuters"."""
    main, agency = _byline_names(who), ""
    if match := re.search(r"[\s,(]+(?:avec|with)\s+(?P<agency>.+)$", main, re.IGNORECASE):
        main, agency = main[:match.start()], match.group("agency").strip(" ().")
    parts = [part.strip() for part in re.split(r",|\s+[-–—|]\s+", main) if part.strip()]
    publisher = ""
    people = [name for part in parts for name in re.split(r"\s+(?:et|and|&)\s+", part)]
    if len(parts) >= 2 and parts[-1][:1].isupper() and not _looks_like_person(parts[-1]):
        publisher = parts[-1]
    elif len(parts) == 1 and not all(map(_looks_like_person, people)) and not AGENCIES.match(parts[0]):
        publisher = parts[0]
    if AGENCIES.match(publisher):
        publisher, agency = "", agency or publisher
    return publisher, (agency if AGENCIES.match(agency) else "")


def extract_source(page: CleanPage) -> tuple[str, str]:
    """Return (publisher, agency) from the byline, the site name, the legal lines or the page's own name."""
    publisher = agency = ""
    for line in page.header:
        if match := BYLINE.match(line):
            publisher, agency = _split_byline(match.group("who"))
            if publisher:
                break
        elif match := re.match(r"^\(?\s*(?:avec|with)\s+(?P<agency>[^().]+?)\s*\)?\.?$", line, re.I):
            if AGENCIES.match(match.group("agency")):
                agency = agency or AGENCIES.match(match.group("agency")).group(1)
    if not publisher:
        publisher = page.html_meta.get("sitename", "")
    notes = page.footer + page.removed
    for i, line in enumerate(notes):
        if publisher:
            break
        if match := SELF_DESCRIPTION.search(line):
            publisher = match.group("name").strip()
        elif LEGAL_LINE.search(line):
            publisher = _copyright_holder(line, notes[i + 1] if i + 1 < len(notes) else "")
    return publisher or _page_name(page.removed), agency


def _copyright_holder(line: str, next_line: str) -> str:
    """Return the name in a legal line, or in the line after it when the legal line holds only years."""
    match = next((m for m in COPYRIGHT.finditer(line) if m.group("name")), None)
    if match is None:
        return next_line if NAME_LINE.match(next_line) and len(next_line.split()) <= 5 else ""
    name = TRAILING_YEAR.sub("", match.group("name")).replace("‑", "-").strip(" .-")
    return "" if re.fullmatch(r"[\d\s-]*", name) else name


def _page_name(removed: list[str]) -> str:
    """Return the page's name among its first lines: its logo's text ("Le Point") or address ("regards.fr")."""
    for line in [line for line in removed if not is_widget(line)][:PAGE_NAME_LINES]:
        if SITE_ADDRESS.match(line) or (2 <= len(line.split()) <= 5 and NAME_LINE.match(line)):
            return line
    return ""


