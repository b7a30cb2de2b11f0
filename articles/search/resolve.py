"""Find what a name typed in a query stands for in the archive: an actor, country, tag or source."""
from __future__ import annotations

import re

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify

from articles.ingest.names import name_key
from articles.models import Actor, ActorAlias

MAX_WORD_MATCHES = 20


def actor_slugs_by_name(names) -> dict[str, str]:
    """Return {lower-cased name: actor slug} for the names that are an actor's name or alias,
    written so or spelt another way ("Putin" for the alias "Poutine"), or the surname of one
    actor only, however spelt ("Zelenskyy" for "Volodymyr Zelensky")."""
    wanted = {n.casefold() for n in names}
    found = {}
    for name, slug in Actor.objects.exclude(review_state=Actor.Review.REJECTED).annotate(key=Lower("name")).filter(key__in=wanted).values_list("key", "slug"):
        found[name] = slug
    aliases = ActorAlias.objects.exclude(actor__review_state=Actor.Review.REJECTED).annotate(key=Lower("name")).filter(key__in=wanted)
    for name, slug in aliases.values_list("key", "actor__slug"):
        found.setdefault(name, slug)
    keys = {name_key(name): name for name in wanted - found.keys() if name_key(name)}
    if keys:
        slugs: dict[str, set[str]] = {}
        actors = Actor.objects.exclude(review_state=Actor.Review.REJECTED)
        for key, slug in actors.filter(name_key__in=keys).values_list("name_key", "slug"):
            slugs.setdefault(key, set()).add(slug)
        aliases = ActorAlias.objects.exclude(actor__review_state=Actor.Review.REJECTED).filter(name_key__in=keys)
        for key, slug in aliases.values_list("name_key", "actor__slug"):
            slugs.setdefault(key, set()).add(slug)
        found.update({keys[key]: slug.pop() for key, slug in slugs.items() if len(slug) == 1})
    # "Zelenskyy": the surname of one actor only, however spelt; one query for all the words of
    # the query, on the index of the keys' last words (a regular expression over every actor's
    # key cost 7 ms of PostgreSQL at 3,000 actors, for each search page made).
    surnames = {key: name for key, name in keys.items() if name not in found and " " not in key}
    if surnames:
        bearers: dict[str, set[str]] = {}
        for key, slug in Actor.objects.exclude(review_state=Actor.Review.REJECTED).filter(
                surname_key__in=surnames).values_list("surname_key", "slug"):
            bearers.setdefault(key, set()).add(slug)
        found.update({surnames[key]: slugs.pop() for key, slugs in bearers.items() if len(slugs) == 1})
    return found


def _word_pattern(text: str) -> str:
    """A PostgreSQL regex for the words of text as whole words: \mword\M."""
    return r"\m" + re.escape(" ".join(text.split())) + r"\M"


def actors_with_word(text: str) -> list[tuple[str, str]]:
    """Return (slug, name) of the actors with text as a whole word of their name or of an alias,
    however spelt ("Shoigu" is a word of "Sergueï Choïgou")."""
    pattern = _word_pattern(text)
    condition = Q(name__iregex=pattern) | Q(aliases__name__iregex=pattern)
    if key := name_key(text):
        key_pattern = r"(^| )" + re.escape(key) + r"( |$)"
        condition |= Q(name_key__regex=key_pattern) | Q(aliases__name_key__regex=key_pattern)
    actors = Actor.objects.exclude(review_state=Actor.Review.REJECTED).filter(condition)
    return sorted(set(actors.values_list("slug", "name")), key=lambda row: row[1])[:MAX_WORD_MATCHES]


def ambiguous_actor_name(text: str) -> list[tuple[str, str]]:
    """Return the actors a one-word name may stand for, when it may stand for several; else [].

    "Li", the alias of Li Keqiang, is also a word of Li Qiang's name: it names neither for sure.
    """
    if len(text.split()) != 1:
        return []
    candidates = actors_with_word(text)
    return candidates if len(candidates) > 1 else []


def named_by_word(model, text: str) -> list[str]:
    """Return the slugs of the tags or sources that have text as whole words of their name
    (accents optional: the slug is compared too)."""
    words = slugify(text)
    slug_pattern = rf"(^|-){re.escape(words)}(-|$)" if words else None
    condition = Q(name__iregex=_word_pattern(text))
    if slug_pattern:
        condition |= Q(slug__regex=slug_pattern)
    return sorted(model.objects.filter(condition).values_list("slug", flat=True))[:MAX_WORD_MATCHES]
