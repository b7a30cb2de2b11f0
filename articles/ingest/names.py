"""One key for the spellings of a name across languages: Poutine / Putin, Choïgou / Shoigu, Zelensky / Zelenskyy.

French and English transliterate Russian, Ukrainian, Arabic and Chinese names by different rules
("ou" for "u", "ch" for "sh", "tch" for "ch", "j" for "zh", a silent final "e", "y" or "ï" for "i",
doubled consonants). ``name_key`` undoes those differences word by word, so two spellings of one
name get the same key while different names keep different ones. Written here because no package
on PyPI does French/English transliteration variants; phonetic codes (Metaphone, Soundex) are
built for English surnames and merge far more names than they should (Putin and Patton).
"""
from __future__ import annotations

import re
import unicodedata

TITLES = {"m", "mme", "mlle", "mr", "mrs", "ms", "dr", "pr", "me", "sir"}
RULES = [  # applied in order to each folded, lower-case word
    (re.compile(r"tsch|tch|sch|sh|ch"), "S"),  # Tchernychev, Chernyshev, Choïgou, Shoigu: one sibilant
    (re.compile(r"zh|dj|j"), "Z"),  # Prigojine / Prigozhin, Djokovic
    (re.compile(r"kh"), "h"),  # Khamenei / Hamenei
    (re.compile(r"ph"), "f"),
    (re.compile(r"ou"), "u"),  # Poutine / Putin, Ouchakov / Ushakov
    (re.compile(r"gu(?=[ei])"), "g"),  # Sergueï / Sergei
    (re.compile(r"[yw]"), lambda m: "i" if m.group() == "y" else "v"),  # Zelenskyy, Volodymyr
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"^ie"), "e"),  # Ievgueni / Yevgeny / Evgueni
]
SURNAME_RULES = [  # only for the last word: first names that differ so are different names (Jean, Jeanne)
    (re.compile(r"(.)\1+"), r"\1"),  # Zelenskii, Hassan / Hasan
    (re.compile(r"(?<=...)e$"), ""),  # Poutine / Putin: the French silent final e
]


def fold(text: str) -> str:
    """Return text lower-cased, without accents or diaereses."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_key(word: str, *, surname: bool = True) -> str:
    """Return the transliteration key of one word of a name."""
    for pattern, replacement in RULES + (SURNAME_RULES if surname else []):
        word = pattern.sub(replacement, word)
    return word


def name_key(name: str) -> str:
    """Return the key that every spelling of a name shares: "Vladimir Poutine" -> "vladimir putin".

    Titles ("M.", "Mme") are dropped; the words keep their order and are separated by spaces, so a
    search for one word of the name can match one word of the key.
    """
    words = [w for w in re.findall(r"[^\W_]+", fold(name).replace("’", "'")) if w not in TITLES]
    return " ".join(word_key(word, surname=k == len(words) - 1) for k, word in enumerate(words))[:200]
