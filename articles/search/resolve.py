"""Find what a name typed in a query stands for in the archive: an actor, country, tag or source."""
from __future__ import annotations

import re

from django.db.models import Q
from django.db.models.functions import Lower

from articles.models import Actor, ActorAlias, Country, Source, Tag

MAX_WORD_MATCHES = 20


def actor_slugs_by_name(names) -> dict[str, str]:
    """Return {lower-cased name: actor slug} for the names that are an actor's name or alias."""
    wanted = {n.casefold() for n in names}
    found = {}
    for name, slug in Actor.objects.exclude(review_state=Actor.Review.REJECTED).annotate(key=Lower("name")).filter(key__in=wanted).values_list("key", "slug"):
        found[name] = slug
    aliases = ActorAlias.objects.exclude(actor__review_state=Actor.Review.REJECTED).annotate(key=Lower("name")).filter(key__in=wanted)
    for name, slug in aliases.values_list("key", "actor__slug"):
        found.setdefault(name, slug)
    return found


def facet_values(facet, text: str) -> list[str]:
    """Return the facet values (slugs, ISO codes, years) that text names; empty when none.

    An actor is found by its name, an alias or its slug; failing that, by a whole word of its
    name ("Poutine" for "Vladimir Poutine"), which may name several actors.
    """
    if facet.model is Actor:
        exact = facet_value(facet, text)
        if exact:
            return [exact]
        pattern = r"\m" + re.escape(" ".join(text.split())) + r"\M"
        actors = Actor.objects.exclude(review_state=Actor.Review.REJECTED).filter(
            Q(name__iregex=pattern) | Q(aliases__name__iregex=pattern)
        )
        return sorted(set(actors.values_list("slug", flat=True)))[:MAX_WORD_MATCHES]
    value = facet_value(facet, text)
    return [value] if value else []


def facet_value(facet, text: str) -> str | None:
    """Return the facet value (slug, ISO code, year) that text names exactly, or None."""
    from articles.ingest.countries import resolve_country

    text = " ".join(text.split())
    if facet.model is Country:
        code = resolve_country(text)
        return code if code and Country.objects.filter(code=code).exists() else None
    if facet.model is Actor:
        match = actor_slugs_by_name([text]).get(text.casefold())
        return match or Actor.objects.filter(slug=text.lower()).values_list("slug", flat=True).first()
    if facet.model in (Tag, Source):
        return facet.model.objects.filter(Q(name__iexact=text) | Q(slug=text.lower())).values_list("slug", flat=True).first()
    return text if text.isdigit() else None
