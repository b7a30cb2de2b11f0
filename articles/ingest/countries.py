"""Find the countries an article refers to, as ISO 3166-1 alpha-2 codes.

A country is recognised by its French or English name (pycountry and its bundled French locale), its
usual name, its capital or seat of power used for its government (Pékin, le Kremlin), or a demonym in
any inflection (chinois, chinoise, russes, nord-coréennes). Elisions are undone first (l'Ukraine).
"""
from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from spacy.lang.fr.stop_words import STOP_WORDS

from .country_data import AMBIGUOUS_WORDS, CAPITALS_AND_DEMONYMS, IDIOMS, PERSON_CUES, SUBDIVISIONS, USUAL_NAMES
from .types import CountryMention

NAME, SEAT, DEMONYM, TOWN = "name", "seat", "demonym", "town"
CONFIDENCE = {NAME: 0.95, SEAT: 0.8, DEMONYM: 0.75, TOWN: 0.6}
MAX_PHRASE_WORDS = 6

ELISION = re.compile(r"\b(?:[ldnsjmtc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?»\"])\s+(?=[«\"A-ZÀ-Ý])|\n+")


@dataclass(frozen=True)
class Entry:
    code: str
    kind: str
    all_caps: bool  # an acronym such as "USA" must be written in capitals


def fold(word: str) -> str:
    """Return a word lower-cased and without accents, for lookups."""
    if word.isascii():
        return word.lower()  # most words: nothing to decompose
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def phrase_key(phrase: str) -> tuple[str, ...]:
    """Return the folded words of a phrase, elisions and hyphens removed: "l'Union" -> ("union",)."""
    return tuple(fold(w) for w in WORD.findall(ELISION.sub(" ", phrase)))


def demonym_forms(masculine: str) -> set[str]:
    """Return the four forms of a demonym: chinois -> chinois, chinoise, chinoises."""
    masculine, _, feminine = masculine.partition("/")
    if not feminine:
        if masculine.endswith("e"):
            feminine = masculine
        elif masculine.endswith(("ien", "éen", "en")):
            feminine = masculine + "ne"
        else:
            feminine = masculine + "e"
    plural = masculine if masculine.endswith(("s", "x")) else masculine + "s"
    return {masculine, plural, feminine, feminine + "s"}


def _pycountry_names() -> dict[str, set[str]]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:
        english = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
        spellings = english | {french.gettext(name) for name in english if name}
        for spelling in filter(None, spellings):
            spelling = re.sub(r"\s*\(.*?\)", "", spelling)
            # "Russie, Fédération de" is listed under its first part; "Corée, ..." is ambiguous and dropped
            names.setdefault(country.alpha_2, set()).add(spelling.split(",")[0].strip())
    try:  # Babel's CLDR names are the usual short ones ("Corée du Sud"); optional
        from babel import Locale
    except ImportError:
        return names
    for locale in ("fr", "en"):
        for code, name in Locale(locale).territories.items():
            if code in names:
                names[code].add(name)
    return names


def _data_rows(table: str):
    for line in table.strip().splitlines():
        code, *columns = (part.strip() for part in line.split("|"))
        yield code, [[item.strip() for item in column.split(",") if item.strip()] for column in columns]


@lru_cache(maxsize=4)
def lexicon(extra_aliases: tuple[tuple[str, str], ...] = ()) -> dict[tuple[str, ...], Entry]:
    """Return every known way to name a country, keyed by its folded words.

    extra_aliases are (code, alias) pairs a curator added: a lower-case alias is taken as a
    demonym ("nord-coréen", with its inflections), any other as the name of a seat of power.
    """
    candidates: dict[tuple[str, ...], set[Entry]] = {}

    def add(phrase: str, code: str, kind: str) -> None:
        key = phrase_key(phrase)
        if key and not (len(key) == 1 and key[0] in AMBIGUOUS_WORDS):
            candidates.setdefault(key, set()).add(Entry(code, kind, phrase.isupper() and len(phrase) <= 4))

    for code, spellings in _pycountry_names().items():
        for spelling in spellings:
            add(spelling, code, NAME)
    for code, (names,) in _data_rows(USUAL_NAMES):
        for name in names:
            add(name, code, NAME)
    for code, (seats, demonyms) in _data_rows(CAPITALS_AND_DEMONYMS):
        for seat in seats:
            add(seat, code, SEAT)
        for demonym in demonyms:
            for form in demonym_forms(demonym):
                add(form, code, DEMONYM)
    for code, alias in extra_aliases:
        if alias.islower():
            for form in demonym_forms(alias):
                add(form, code, DEMONYM)
        else:
            add(alias, code, SEAT)
    table = {}
    for key, entries in candidates.items():
        codes = {entry.code for entry in entries}
        if len(codes) == 1:  # a phrase naming two countries ("Corée") says nothing
            table[key] = min(entries, key=lambda entry: list(CONFIDENCE).index(entry.kind))
    return table


def resolve_country(name: str) -> str | None:
    """Return the alpha-2 code for a country name, capital, demonym or ISO code, or None."""
    name = (name or "").strip()
    if not name:
        return None
    if re.fullmatch(r"[A-Za-z]{2,3}", name):
        country = pycountry.countries.get(alpha_2=name.upper()) or pycountry.countries.get(alpha_3=name.upper())
        if country:
            return country.alpha_2
    key = phrase_key(name)
    while len(key) > 1 and key[0] in ("le", "la", "les", "the"):
        key = key[1:]
    entry = lexicon().get(key)
    if entry:
        return entry.code
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in SENTENCE_END.finditer(text, end)), len(text))
    return text[left:right].strip()


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _inside_longer_name(text: str, words: list[re.Match], first: int, last: int) -> bool:
    """Tell whether capitalised neighbours make the match part of another name ("Washington Post")."""
    before = words[first - 1] if first > 0 else None
    after = words[last + 1] if last + 1 < len(words) else None
    if after and text[words[last].end():after.start()] == " " and _is_capitalised(after.group()):
        if after.group().lower() not in STOP_WORDS:
            return True
    if before and text[before.end():words[first].start()] == " " and _is_capitalised(before.group()):
        return before.group().lower() not in STOP_WORDS
    return False


def _names_a_person(text: str, words: list[re.Match], folded: list[str], first: int, surnames: set[str]) -> bool:
    """Tell whether a country word is a person's name here: "président Hollande", "sous Hollande"
    when the article names "François Hollande"."""
    before = folded[first - 1] if first > 0 else ""
    return before in PERSON_CUES or folded[first] in surnames


def _in_fixed_expression(folded: list[str], first: int, last: int) -> bool:
    """Tell whether a demonym is part of an idiom ("montagnes russes") or a place a country names
    ("province de Luxembourg")."""
    before = folded[max(0, first - 2):first]
    idiom = any(tuple(folded[k:last + 1]) in IDIOMS for k in range(max(0, first - 3), first))
    return idiom or (len(before) == 2 and before[0] in SUBDIVISIONS and before[1] in ("de", "du"))


def find_countries(text: str, *, extra_aliases: tuple[tuple[str, str], ...] = ()) -> list[CountryMention]:
    """Return the countries named in a text, in order of first mention, with evidence.

    Names, seats of power and demonyms count; so does a large town whose name no other large town
    shares (Montréal: CA), written inside a sentence, at a lower confidence. Not counted: a
    country word inside a longer name ("Washington Post", "Dublin II"), a person's name
    ("François Hollande", then "Hollande" alone), an idiom ("montagnes russes"), a province named
    like a country ("province de Luxembourg"). extra_aliases: (code, alias) pairs added by
    curators, on top of the built-in table.
    """
    from .places import town_country

    table = lexicon(tuple(extra_aliases))
    first_words = _first_words(tuple(extra_aliases))
    words = list(WORD.finditer(ELISION.sub(lambda m: " " * len(m.group()), text)))
    folded = [fold(w.group()) for w in words]
    surnames = {folded[i] for i in range(1, len(words))  # "François Hollande": "Hollande" is his, here
                if table.get((folded[i],)) and _is_capitalised(words[i].group()) and _is_capitalised(words[i - 1].group())
                and words[i - 1].group().lower() not in STOP_WORDS and not table.get((folded[i - 1],))
                and text[words[i - 1].end():words[i].start()] == " "}
    found: dict[str, CountryMention] = {}
    i = 0
    while i < len(words):
        if folded[i] not in first_words:  # most words open no country's name nor a large town's
            i += 1
            continue
        for size in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            key = tuple(folded[i:i + size])
            entry = table.get(key)
            start, end = words[i].start(), words[i + size - 1].end()
            written = text[start:end]
            if entry is None:
                code = town_country(key) if _is_capitalised(written) and not _opens_sentence(text, start) else None
                if code is None:
                    continue
                entry = Entry(code, TOWN, False)
            if entry.kind != DEMONYM and not _is_capitalised(written):
                continue
            if entry.all_caps and not written.isupper():
                continue
            if _is_capitalised(written) and _inside_longer_name(text, words, i, i + size - 1):
                continue
            if _in_fixed_expression(folded, i, i + size - 1):
                continue
            if size == 1 and entry.kind in (NAME, TOWN) and _names_a_person(text, words, folded, i, surnames):
                continue
            mention = found.get(entry.code)
            if mention is None:
                found[entry.code] = CountryMention(
                    entry.code, _sentence_around(text, start, end), CONFIDENCE[entry.kind])
            else:  # each further mention makes the country more certain
                mention.confidence = round(min(0.99, max(mention.confidence, CONFIDENCE[entry.kind]) + 0.02), 2)
            i += size - 1
            break
        i += 1
    return list(found.values())


def _opens_sentence(text: str, start: int) -> bool:
    k = start - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k < 0 or text[k] in ".!?:\n»\""


@lru_cache(maxsize=4)
def _first_words(extra_aliases: tuple[tuple[str, str], ...] = ()) -> frozenset[str]:
    """Return the first words of the lexicon's names and of the large towns': any other word opens no
    country's name, once for each table (not once per text)."""
    from .places import country_town_first_words

    return frozenset(key[0] for key in lexicon(extra_aliases)) | country_town_first_words()
