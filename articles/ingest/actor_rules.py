"""What makes a name an actor's, and where it ends: rules of French usage, no list of particular actors.

- Spans end where a name ends: "le président Macron de réduire" gives "Macron"; "Park Geun-hye" keeps
  its hyphenated part; "ministère de l'Intérieur", "préfecture du Nord", "université Al-Azhar" keep
  the institution noun written before the name.
- A name never runs on over a line break. A name written after a naming noun ("la tempête Eunice",
  "l'opération Barkhane", "le missile Storm Shadow") is a thing's wherever the article writes it again.
- Not actors: regions of the world ("Proche-Orient", "Amérique latine"), places ("la plage de X",
  "à Carnoux", any town GeoNames knows unless the model calls it an organisation), things named by a classifier ("la tempête Zoé", "le missile Storm Shadow"),
  product codes and scores ("A350", "3-0"), titles and roles alone ("Premier ministre",
  "Représentante"), a minister's portfolio ("ministre des Comptes publics"), a word of the French
  dictionary (pyspellchecker's) that is only ever capitalised because it opens a sentence
  ("Étrange."), and an acronym that abbreviates a common noun phrase ("le fichier ... (Finave)").
- "Name (ACR)" and "ACR (Name)" make the acronym an alias of the name.
"""
from __future__ import annotations

import re
from functools import lru_cache

PARTICLES = {"de", "du", "des", "d'", "d’", "la", "le", "van", "von", "der", "den", "da", "di", "del", "dos",
             "bin", "ben", "ibn", "al", "el", "y", "et", "&", "of", "the", "for", "and"}
NAME_PARTICLES = {"de", "du", "des", "d'", "d’", "la", "le", "van", "von", "der", "den", "da", "di", "del",
                  "dos", "bin", "ben", "ibn", "al", "el"}
ORG_LINKS = {"de", "du", "des", "d'", "d’", "la", "l'", "l’", "of", "the", "for"}
INSTITUTIONS = {
    "ministère", "préfecture", "université", "commission", "agence", "conseil", "comité",
    "tribunal", "cour", "parquet", "mairie", "fédération", "association", "syndicat", "parti", "ambassade",
    "banque", "fondation", "institut", "office", "direction", "assemblée", "gouvernement", "armée", "police",
    "gendarmerie", "académie", "chambre", "haut-commissariat", "secrétariat", "observatoire", "musée",
    "confédération", "bureau", "autorité", "haute-autorité", "inspection", "caisse",
}
PLACE_NOUNS = {
    "ville", "village", "commune", "localité", "camp", "quartier", "plage", "banc", "île", "port",
    "forêt", "massif", "région", "province", "département", "vallée", "rue", "avenue", "boulevard",
    "place", "pont", "lac", "fleuve", "rivière", "baie", "golfe", "cap", "bassin", "désert", "aéroport", "gare",
    "stade", "district", "comté", "canton", "oblast", "territoire", "enclave", "bourg", "hameau", "secteur",
    "zone", "sous-préfecture", "faubourg", "cité", "colline", "plaine", "péninsule", "presqu'île", "détroit",
}
THING_NOUNS = {
    "tempête", "ouragan", "cyclone", "typhon", "dépression", "vague", "opération", "missile", "missiles",
    "drone", "drones", "char", "chars", "avion", "avions", "hélicoptère", "hélicoptères", "navire", "frégate",
    "porte-avions", "sous-marin", "satellite", "fusée", "vaccin", "application", "appli", "logiciel",
    "smartphone", "modèle", "virus", "variant", "plan", "programme", "loi", "traité", "accord", "fichier",
    "projet", "réseau", "gazoduc", "oléoduc", "système", "label", "prix", "festival", "salon", "marque",
}
ROLE_WORDS = {
    "président", "présidente", "premier", "première", "ministre", "ministres", "secrétaire", "général",
    "générale", "porte-parole", "représentant", "représentante", "directeur", "directrice", "ambassadeur",
    "ambassadrice", "chef", "cheffe", "maire", "député", "députée", "sénateur", "sénatrice", "juge",
    "procureur", "procureure", "colonel", "commandant", "capitaine", "chancelier", "chancelière", "roi",
    "reine", "prince", "princesse", "pape", "conseiller", "conseillère", "adjoint", "adjointe", "délégué",
    "déléguée", "haut", "haute", "commissaire", "gouverneur", "état", "d'état", "vice-président",
    "vice-présidente", "patron", "patronne", "fondateur", "fondatrice", "avocat", "avocate", "président-directeur",
    "pdg", "p.-d.g.", "ceo", "professeur", "professeure", "chercheur", "chercheuse", "porte-parole", "élu", "élue",
}
# Common nouns that say a name is an organisation's, written before it ("les entreprises Lime et
# Bird", "la start-up britannique X", "la maison d'édition X") or after it in apposition ("X, une
# organisation de défense de ..."). Not newspapers and channels: a page names many in its furniture.
ORG_CLASSIFIERS = {
    "entreprise", "entreprises", "société", "sociétés", "groupe", "start-up", "startup", "association",
    "associations", "ong", "organisation", "organisations", "cabinet", "institut", "laboratoire",
    "firme", "constructeur", "opérateur", "éditeur", "compagnie", "fabricant", "enseigne", "plateforme",
    "collectif", "mouvement", "assureur", "banque", "agence", "syndicat", "fondation", "équipementier",
    "édition", "sondeur",
}
# Nouns after which a capitalised name is a thing's own name wherever it is written again in the
# article ("la tempête Eunice ... Eunice a provoqué"): storms, military operations, ships, missiles.
# Not products or vaccines: "le vaccin Pfizer" names a company that is an actor elsewhere.
NAMING_NOUNS = {
    "tempête", "ouragan", "cyclone", "typhon", "opération", "navire", "frégate", "porte-avions", "croiseur",
    "sous-marin", "missile", "missiles",
}
# Regions of the world, which spaCy sometimes takes for organisations: places, never actors.
WORLD_REGIONS = {
    "proche-orient", "moyen-orient", "extrême-orient", "orient", "occident", "maghreb", "machrek", "sahel",
    "balkans", "caucase", "levant", "golfe", "indo-pacifique", "asie centrale", "asie du sud-est",
    "afrique subsaharienne", "afrique de l'ouest", "afrique du nord", "amérique latine", "amérique du sud",
    "amérique du nord", "amérique centrale", "europe de l'est", "europe centrale", "scandinavie", "arctique",
    "antarctique", "pacifique", "atlantique", "méditerranée", "océanie", "europe", "asie", "afrique", "amérique",
}
LOCATIVES = {"à", "a", "au", "aux", "dans", "vers", "près"}
PRODUCT_CODE = re.compile(r"\d.*\d|^\d+-\d+$|^[A-Z]{1,3}-?\d+[A-Z]?$")
ACRONYM = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý0-9&]{1,9}$|^[A-Z][a-z]?[A-Z][A-Za-z]{0,6}$")


@lru_cache(maxsize=1)
def _french_words():
    """Return pyspellchecker's French word frequencies (bundled with the package)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="fr", distance=1).word_frequency


def is_common_word(word: str) -> bool:
    """Tell whether a word is in the French dictionary ("Étrange", "Essayer"; not "Greenpeace")."""
    return _french_words()[word.lower()] > 0


def _word(token) -> str:
    return token.text.lower().replace("’", "'")


def previous_words(doc, start: int, count: int = 3) -> list[str]:
    """Return the lower-cased words just before token start, nearest last."""
    return [_word(t) for t in doc[max(0, start - count):start] if not t.is_space]


def cut_person(tokens: list) -> list:
    """Return a person's tokens up to where the name ends: "Macron de réduire" -> "Macron"."""
    for k, token in enumerate(tokens[1:], 1):
        if token.text[:1].isupper() or token.text[:1] in "-‑'’":
            continue
        following = next((t for t in tokens[k + 1:] if _word(t) not in NAME_PARTICLES), None)
        if _word(token) in NAME_PARTICLES and following is not None and following.text[:1].isupper():
            continue
        return tokens[:k]
    return tokens


def extend_hyphenated(doc, tokens: list) -> list:
    """Return tokens with the hyphenated rest of the last name glued to them: "Park Geun" + "-hye"."""
    end = tokens[-1].i + 1
    while end < len(doc) and doc[end - 1].whitespace_ == "" and (doc[end].text.startswith(("-", "‑"))
                                                                 or doc[end - 1].text.endswith(("-", "‑"))):
        tokens.append(doc[end])
        if doc[end].text in ("-", "‑") and end + 1 < len(doc) and doc[end].whitespace_ == "":
            tokens.append(doc[end + 1])
            end += 1
        end += 1
    return tokens


def _is_country(tokens) -> bool:
    from .countries import lexicon, phrase_key

    return bool(lexicon().get(phrase_key(" ".join(t.text for t in tokens))))


def extend_institution(doc, tokens: list) -> list:
    """Return tokens with the institution noun written before them: "ministère de l'" + "Intérieur".

    Not before a country ("ambassade de Chine"): that is the country, recorded as such.
    """
    if _is_country(tokens):
        return tokens
    start = tokens[0].i
    k = start
    while k > 0 and _word(doc[k - 1]) in ORG_LINKS and start - k < 3:
        k -= 1
    if start - k and k > 0 and _word(doc[k - 1]) in INSTITUTIONS and doc[k - 1].text[:1].islower():
        return list(doc[k - 1:start]) + tokens
    return tokens


def extend_organisation(doc, tokens: list) -> list:
    """Return an organisation's tokens carried on over "de la" + capitalised words the model left out."""
    end = tokens[-1].i + 1
    while end < len(doc):
        k = end
        while k < len(doc) and _word(doc[k]) in ORG_LINKS and k - end < 2:
            k += 1
        if k == end or k >= len(doc) or not doc[k].text[:1].isupper() or doc[k].ent_type_ == "PER":
            break
        first = k
        while k < len(doc) and doc[k].text[:1].isupper() and not doc[k].is_punct and doc[k].ent_type_ != "PER":
            k += 1
        if _is_country(doc[first:k]):
            break  # "Conseil de sécurité" + "de la Maison Blanche": the country's, not the name's
        tokens = tokens + list(doc[end:k])
        end = k
    return tokens


def is_thing_or_place(doc, tokens: list, label: str) -> bool:
    """Tell whether the name is a place or a thing by the words before it or by what it is."""
    from .places import is_town

    before = previous_words(doc, tokens[0].i)
    if _classifier(doc, tokens[0].i, PLACE_NOUNS | THING_NOUNS):
        return True
    text = " ".join(t.text for t in tokens)
    if text.lower().replace("’", "'").replace(" - ", "-") in WORLD_REGIONS:
        return True
    if classified_organisation(doc, tokens[0].i, tokens[-1].i):
        return False  # "les entreprises Lime et Bird": a company, whatever town shares the name
    person = label == "PER" and len(tokens) > 1  # "Claire Fontaine" is hers, whatever town shares the name
    if not person and is_town(text) and (label != "ORG" or (before and before[-1] in LOCATIVES)):
        return True
    return any(PRODUCT_CODE.search(t.text) for t in tokens)


def _classifier(doc, start: int, nouns: set[str]) -> str:
    """Return the common noun written just before token start that says what the name is ("la
    plage de" + "X", "le missile" + "X"), or "". Written in lower case: "du Village" + "Augustin
    Tran" is a name after a name, not a village."""
    k = start
    while k > 0 and (doc[k - 1].is_space or _word(doc[k - 1]) in ("de", "du", "des", "d'", "la", "le", "les", "l'")):
        k -= 1
        if start - k > 3:
            return ""
    if k == 0:
        return ""
    head = doc[k - 1]
    return _word(head) if _word(head) in nouns and head.text[:1].islower() else ""


def _written_word_before(doc, k: int) -> str:
    """Return the lower-case word written just before token k, glued back from the tokens spaCy cut
    it into ("start" "-" "up"); "" when it is capitalised."""
    if k <= 0:
        return ""
    j = k - 1
    while j > 0 and not doc[j - 1].whitespace_ and (doc[j].text in HYPHENS or doc[j - 1].text in HYPHENS):
        j -= 1
    word = "".join(t.text for t in doc[j:k])
    return word.lower().replace("’", "'") if word[:1].islower() else ""


HYPHENS = ("-", "‑")


def classified_organisation(doc, first: int, last: int) -> bool:
    """Tell whether the name from token first to token last is called an organisation by a common
    noun next to it: "la société" + name (up to two adjectives between: "la start-up britannique"),
    "les entreprises Lime et" + name, or name + ", une organisation" / ", un groupe ..."."""
    k = first
    while k > 0 and doc[k - 1].is_space:
        k -= 1
    if k > 1 and _word(doc[k - 1]) == "et" and doc[k - 2].text[:1].isupper():
        k -= 1  # "les entreprises Lime et Bird": the noun before the first name of the pair
        while k > 0 and doc[k - 1].text[:1].isupper() and not doc[k - 1].is_punct:
            k -= 1
    adjectives = 0
    while k > 0 and doc[k - 1].pos_ == "ADJ" and doc[k - 1].text.islower() and adjectives < 2:
        k -= 1
        adjectives += 1
    noun = _written_word_before(doc, k)
    if noun in ORG_CLASSIFIERS or (noun in INSTITUTIONS and noun != "gouvernement"):
        return True  # "du parti Pastef": not "le gouvernement Borne", named after its head
    after = [t for t in doc[last + 1:last + 6] if not t.is_space]
    if len(after) >= 3 and after[0].text == "," and _word(after[1]) in ("un", "une"):
        before = previous_words(doc, first, 1)
        if (before and before[-1] in LOCATIVES | {"en"}) or _is_place_word(doc[first:last + 1].text):
            return False  # "À Marseille, une association ...": the place where it happens
        nouns = [t for t in after[2:] if not (t.pos_ == "ADJ" and t.text.islower())][:1]
        return bool(nouns) and _word(nouns[0]) in ORG_CLASSIFIERS - {"édition"}
    return False


def named_things(doc) -> set[tuple[str, ...]]:
    """Return the lower-cased words of names that follow a naming noun: "tempête Eunice" -> ("eunice",)."""
    found = set()
    for token in doc:
        if _word(token) not in NAMING_NOUNS:
            continue
        words, k = [], token.i + 1
        while (k < len(doc) and doc[k].text[:1].isupper() and not doc[k].is_punct
               and doc[k - 1].whitespace_ and "\n" not in doc[k - 1].whitespace_):
            words.append(doc[k].text.lower())
            k += 1
        if words:
            found.add(tuple(words))
    return found


def named_places(doc) -> set[tuple[str, ...]]:
    """Return the lower-cased words of one-word names that follow a place noun and "de": "la localité
    de Zébéla" -> ("zébéla",), a place wherever the article writes it again ("les notables de
    Zébéla"). Not "le camp Trump": without "de" the noun is no place's."""
    found = set()
    for token in doc:
        if (token.i > 1 and token.text[:1].isupper() and token.text.isalpha()
                and not (token.i + 1 < len(doc) and doc[token.i + 1].text[:1].isupper())
                and _word(doc[token.i - 1]) in ("de", "d'") and _classifier(doc, token.i, PLACE_NOUNS)):
            found.add((token.text.lower(),))
    return found


def is_role_only(tokens: list) -> bool:
    """Tell whether a name is only a title or a role: "Premier ministre", "Représentante"."""
    words = [_word(t) for t in tokens if not t.is_punct]
    return bool(words) and all(w in ROLE_WORDS or w in PARTICLES for w in words)


def is_portfolio(doc, tokens: list) -> bool:
    """Tell whether a name is a minister's portfolio: "ministre des Comptes publics", or a person's
    new post in a list of appointments: "Marielle de Sarnez aux Affaires européennes"."""
    before = previous_words(doc, tokens[0].i, 4)
    if any(w in ("ministre", "ministres", "secrétaire", "chargé", "chargée") for w in before[-3:]):
        return True
    return tokens[0].i in _appointments(doc)


def _is_place_word(word: str) -> bool:
    from .countries import lexicon, phrase_key
    from .places import is_town

    return bool(lexicon().get(phrase_key(word))) or is_town(word)


def _appointments(doc) -> set[int]:
    """Return the first tokens of the posts in lists of appointments: "François X à la Justice,
    Marielle Y aux Affaires européennes et Sylvie Z aux Armées" (two or more in one sentence; one
    alone is a move: "le passage de Claire X au Crédit Agricole")."""
    if "appointments" not in doc.user_data:
        found = set()
        for sentence in doc.sents:
            posts = []
            for token in sentence:
                if _word(token) not in ("à", "au", "aux") or token.i == 0 or doc[token.i - 1].ent_type_ != "PER":
                    continue
                k = token.i + 1
                while k < len(doc) and _word(doc[k]) in ("la", "l'"):
                    k += 1
                if k < len(doc) and doc[k].text[:1].isupper() and not _is_place_word(doc[k].text):
                    posts.append(k)  # "Macron à Bruxelles" is a visit, not a post
            if len(posts) >= 2:
                found.update(posts)
        doc.user_data["appointments"] = found
    return doc.user_data["appointments"]


def role_next_to(doc, first: int, last: int) -> bool:
    """Tell whether a name stands in apposition to a person's role: "le PDG, Pekka Lundmark",
    "Pouria Amirshahi, député socialiste", "X, alors député"."""
    if (doc[first].text.isupper() and doc[first].text.isalpha()) or (last + 1 < len(doc) and doc[last + 1].text[:1].isupper()):
        return False  # "la députée LFI", "la députée Renaissance Anne Roux": a party's label, not the person
    before = [t for t in doc[max(0, first - 3):first] if not t.is_space]
    if before and before[-1].text == ",":
        before = before[:-1]
    if before and before[-1].text.isupper() and before[-1].text.isalpha() and 2 <= len(before[-1].text) <= 5:
        before = before[:-1]  # "l'élu RN" + name: the role, then the party's label
    if before and _word(before[-1]) in ROLE_WORDS and before[-1].text[:1].islower():
        return True
    after = [t for t in doc[last + 1:last + 4] if not t.is_space]
    if len(after) >= 2 and after[0].text == ",":
        words = [t for t in after[1:] if t.pos_ != "ADV"]
        finite = bool(words) and words[0].pos_ in ("VERB", "AUX") and "Fin" in words[0].morph.get("VerbForm")
        return (bool(words) and _word(words[0]) in ROLE_WORDS and not finite  # "la CFDT, juge le report"
                and _word(words[0]) not in ("haut", "haute", "premier", "première"))
    return False


ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z0-9&]{1,9})\)")
PHRASE_BEFORE = re.compile(r"(?:[\w'’-]+\s+){0,11}[\w'’-]+$")  # up to 12 words, then "(ACR)"
ACRONYM_BEFORE = re.compile(r"\b(?P<acronym>[A-Z][A-Za-z0-9&]{1,9})\s*\((?P<phrase>[^\W\d_][^()]{3,120})\)")
ELIDED = re.compile(r"^(?:l|d|qu)['’]", re.IGNORECASE)


def acronym_definitions(text: str) -> dict[str, tuple[str, bool]]:
    """Return {acronym: (the phrase it abbreviates, whether that phrase is a proper name)}.

    "Régie autonome des transports parisiens (RATP)", "l'Ademe (l'Agence de l'environnement ...)": the phrase is
    the shortest run of words, next to the parentheses, that starts with the acronym's first letter
    and holds its letters in order. A phrase that starts in lower case ("le fichier national ...
    (Finave)") names a thing, not an actor.
    """
    found = {}
    for match in ACRONYM_AFTER.finditer(text):
        words = _words_before(text, match.start())
        if not words:
            continue
        acronym = match.group("acronym")
        # Words whose initials spell the acronym first ("Conseil du café-cacao (CCC)"), then the
        # shortest run that holds its letters in order ("Ademe"), which alone would take "café-cacao".
        sizes = [size for size in range(1, len(words) + 1) if _initials_spell(acronym, words[-size:])]
        sizes = sizes or [size for size in range(1, len(words) + 1) if _abbreviates(acronym, " ".join(words[-size:]))]
        if sizes:
            phrase = " ".join(words[-sizes[0]:])
            found.setdefault(acronym, (ELIDED.sub("", phrase), ELIDED.sub("", phrase)[:1].isupper()))
    for match in ACRONYM_BEFORE.finditer(text):
        acronym = match.group("acronym")
        phrase = ELIDED.sub("", " ".join(match.group("phrase").split()))
        phrase = re.sub(r"^(?:la|le|les)\s+", "", phrase)
        if acronym not in found and _abbreviates(acronym, phrase):
            found[acronym] = (phrase, phrase[:1].isupper())
    return found


def _words_before(text: str, end: int) -> list[str]:
    """Return the (at most 12) words written just before `end`, from the first that starts with a letter."""
    start = max(0, end - 600)
    match = PHRASE_BEFORE.search(text, start, end)
    if match is None:
        return []
    words = match.group().split()
    if match.start() == start and start > 0 and not text[start - 1].isspace():
        words = words[1:]  # the window cut a word in two
    letter = next((k for k, word in enumerate(words) if re.match(r"[^\W\d_]", word)), None)
    if letter is None:
        return []
    first = re.search(r"[^\W\d_]", words[letter])  # a word may open with a digit: "3Com"
    return [words[letter][first.start():]] + words[letter + 1:] if first else words[letter:]


def _initials_spell(acronym: str, words: list[str]) -> bool:
    """Tell whether the acronym is the words' initials, each word's but the particles' used
    ("Institut de hautes études en administration publique" -> IDHEAP; hyphenated parts count)."""
    import unicodedata

    particles = PARTICLES | {"en", "à", "au", "aux", "sur", "pour", "contre", "l'", "l’"}
    parts = [part for word in words for part in re.split(r"[-‑]", ELIDED.sub("", word)) if part[:1].isalpha()]
    if not parts or parts[0].lower() in particles:
        return False
    letters = [unicodedata.normalize("NFD", part[0]).lower()[0] for part in parts]
    target = [unicodedata.normalize("NFD", ch).lower()[0] for ch in acronym if ch.isalpha()]

    def match(i: int, j: int) -> bool:  # word i, acronym letter j
        if j == len(target):
            return all(parts[k].lower() in particles for k in range(i, len(parts)))
        if i == len(parts):
            return False
        if letters[i] == target[j] and match(i + 1, j + 1):
            return True
        return parts[i].lower() in particles and match(i + 1, j)

    return match(0, 0)


def _abbreviates(acronym: str, phrase: str) -> bool:
    """Tell whether a phrase can be what an acronym stands for: same first letter, its letters in order."""
    words = [ELIDED.sub("", w) for w in phrase.split()]
    significant = [w for w in words if w.lower() not in PARTICLES and w[:1].isalpha()]
    if not significant or len(significant) > len(acronym) + 2 or len(acronym) < 2:
        return False
    letters = "".join(significant).lower()
    if letters[0] != acronym[0].lower() or significant[0] != words[0]:
        return False
    position = 0
    for ch in acronym.lower():
        position = letters.find(ch, position)
        if position < 0:
            return False
        position += 1
    return True
