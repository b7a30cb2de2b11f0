"""Writes to the archive. Each service runs in one transaction and takes keyword arguments."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from articles.ingest.country_names import iso_countries
from articles.ingest.types import ArticleData
from articles.models import Actor, ActorAlias, Article, ArticleActor, ArticleCountry, Country, LinkStatus, Origin, Source, Tag

CREATED, UPDATED, SKIPPED = "created", "updated", "skipped"


def content_hash(body: str) -> str:
    """Return the SHA-256 of the text with case, accents' composition and spacing normalised."""
    normalised = " ".join(unicodedata.normalize("NFC", body).casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def countries_sync() -> int:
    """Create or update a Country for every ISO 3166-1 country; return how many there are."""
    countries = iso_countries()
    for code, name_en, name_fr in countries:
        Country.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_fr": name_fr})
    return len(countries)


def source_for(name: str, *, is_agency: bool = False) -> Source | None:
    """Return the source of that name (any case), creating it when new; None for no name."""
    name = " ".join(name.split())
    if not name:
        return None
    source = Source.objects.filter(name__iexact=name).first()
    if source is None:
        source = Source.objects.create(name=name, is_agency=is_agency)
    return source


def actor_for(name: str, *, kind: str = Actor.Kind.PERSON, aliases=()) -> Actor:
    """Return the actor known by this name or one of its aliases, creating a new one to review."""
    name = " ".join(name.split())
    spellings = [name, *(" ".join(a.split()) for a in aliases)]
    for spelling in spellings:
        actor = Actor.objects.filter(Q(name__iexact=spelling) | Q(aliases__name__iexact=spelling)).first()
        if actor is not None:
            break
    else:
        actor = Actor.objects.create(name=name, kind=kind)
    known = {actor.name.casefold(), *(a.casefold() for a in actor.aliases.values_list("name", flat=True))}
    for spelling in spellings:
        if spelling.casefold() not in known and not ActorAlias.objects.filter(name__iexact=spelling).exists():
            ActorAlias.objects.create(actor=actor, name=spelling)
            known.add(spelling.casefold())
    return actor


def tag_for(name: str) -> Tag:
    name = " ".join(name.split())
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)


@dataclass
class UpsertResult:
    article: Article
    status: str  # CREATED, UPDATED or SKIPPED


@transaction.atomic
def article_upsert(*, data: ArticleData, origin: str) -> UpsertResult:
    """Store an extracted article once: the same text again updates it, curators' links stay."""
    digest = content_hash(data.body)
    article = Article.objects.filter(content_hash=digest).first()
    fields = {
        "title": data.title[:500],
        "body": data.body,
        "raw": data.raw,
        "raw_format": data.raw_format,
        "captions": data.captions,
        "url": data.url[:2000],
        "published_on": data.published_on,
        "date_precision": data.date_precision if data.published_on else Article.Precision.UNKNOWN,
        "language": data.language,
        "source": source_for(data.source),
        "agency": source_for(data.agency, is_agency=True),
    }
    if article is None:
        article = Article.objects.create(content_hash=digest, origin=origin[:500], **fields)
        status = CREATED
    else:
        changed = {k: v for k, v in fields.items() if getattr(article, k) != v}
        status = UPDATED if changed else SKIPPED
        if changed:
            for key, value in changed.items():
                setattr(article, key, value)
            article.save()
    if _replace_extracted_links(article, data):
        status = UPDATED if status == SKIPPED else status
    return UpsertResult(article=article, status=status)


def _replace_extracted_links(article: Article, data: ArticleData) -> bool:
    """Make the article's automatic links match the extraction; return whether anything changed."""
    changed = False
    wanted_actors = {}
    for mention in data.actors:
        actor = actor_for(mention.name, kind=mention.kind, aliases=mention.aliases)
        if actor.review_state != Actor.Review.REJECTED:
            wanted_actors.setdefault(actor.pk, mention)
    wanted_countries = {m.code: m for m in data.countries}
    for model, key, wanted in (
        (ArticleActor, "actor_id", wanted_actors),
        (ArticleCountry, "country_id", wanted_countries),
    ):
        # Every link, rejected ones included: a curator's decision is never undone here.
        links = {getattr(link, key): link for link in model.objects.filter(article=article)}
        stale = [
            link.pk for k, link in links.items()
            if link.origin == Origin.EXTRACTION and link.status == LinkStatus.PROPOSED and k not in wanted
        ]
        if stale:
            model.objects.filter(pk__in=stale).delete()
            changed = True
        for target, mention in wanted.items():
            if target not in links:
                model.objects.create(
                    article=article, origin=Origin.EXTRACTION, status=LinkStatus.PROPOSED,
                    evidence=mention.evidence, confidence=mention.confidence, **{key: target},
                )
                changed = True
    tags = {tag_for(name).pk for name in data.tags}
    if tags - set(article.tags.values_list("pk", flat=True)):
        article.tags.add(*tags)
        changed = True
    return changed
