"""Writes to the archive. Each service runs in one transaction and takes keyword arguments."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from articles.ingest import dedup
from articles.search.indexing import queue as index_queue
from articles.ingest.country_names import iso_countries
from articles.ingest.names import name_key
from articles.ingest.types import ArticleData
from articles.models import Actor, ActorAlias, Article, ArticleActor, ArticleCountry, ArticleTag, Country, LinkStatus, Origin, Source, Tag

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


def actor_named(name: str) -> Actor | None:
    """Return the actor a name belongs to, or None: its name or alias as written, else spelt another way.

    "Putin" finds "Vladimir Poutine"'s actor only through a shared spelling-independent key
    (ingest/names.py), and only when one actor alone has that key.
    """
    actor = Actor.objects.filter(Q(name__iexact=name) | Q(aliases__name__iexact=name)).first()
    if actor is not None:
        return actor
    key = name_key(name)
    if not key:
        return None
    ids = set(Actor.objects.filter(name_key=key).values_list("pk", flat=True))
    ids |= set(ActorAlias.objects.filter(name_key=key).values_list("actor_id", flat=True))
    return Actor.objects.get(pk=ids.pop()) if len(ids) == 1 else None


def actor_for(name: str, *, kind: str = Actor.Kind.PERSON, aliases=()) -> Actor:
    """Return the actor known by this name, creating a new one to review.

    Only the mention's own name finds an actor; its short forms ("Li", "M. Li") are recorded as
    aliases when no other actor has them, but never used to find one: "Li Keqiang" named in one
    article never draws another article's "Li Shangfu" to him.
    """
    name = " ".join(name.split())
    actor = actor_named(name) or Actor.objects.create(name=name, kind=kind)
    known = {actor.name.casefold(), *(a.casefold() for a in actor.aliases.values_list("name", flat=True))}
    for spelling in [name, *(" ".join(a.split()) for a in aliases)]:
        taken = ActorAlias.objects.filter(name__iexact=spelling).exists() or Actor.objects.filter(name__iexact=spelling).exists()
        if spelling.casefold() not in known and not taken:  # another actor's name is never an alias
            ActorAlias.objects.create(actor=actor, name=spelling)
            known.add(spelling.casefold())
    return actor


def tag_for(name: str) -> Tag:
    """Return the tag of that name (any case or accents: "energie" is "Énergie"), creating it when new.

    Two requests or imports may create the same new tag at once: the one whose insert loses
    (on the name or on the slug made from it) takes the winner's tag instead of failing.
    """
    name = " ".join(name.split())
    for _attempt in range(3):
        tag = Tag.named_alike(name).order_by("pk").first()
        if tag is not None:
            return tag
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
                return Tag.objects.create(name=name)
        except IntegrityError:
            continue  # made meanwhile: found on the next round (or its slug was taken: a new one is chosen)
    return Tag.named_alike(name).order_by("pk").first() or Tag.objects.get(name__iexact=name)


@dataclass
class UpsertResult:
    article: Article
    status: str  # CREATED, UPDATED or SKIPPED


# A curator who set one of these set the others with it.
_CURATED_TOGETHER = {
    "published_on": {"published_on", "date_precision"},
    "date_precision": {"published_on", "date_precision"},
    "body": {"body", "content_hash", "minhash"},
}


def _extracted_fields(data: ArticleData, *, find_source=source_for) -> dict:
    """Return the Article fields that extraction sets, as stored."""
    return {
        "title": data.title[:500],
        "body": data.body,
        "raw": data.raw,
        "raw_format": data.raw_format,
        "captions": data.captions,
        "url": data.url[:2000],
        "published_on": data.published_on,
        "date_precision": data.date_precision if data.published_on else Article.Precision.UNKNOWN,
        "language": data.language,
        "source": find_source(data.source),
        "agency": find_source(data.agency, is_agency=True),
        "minhash": dedup.signature(data.body),
    }


def _curated(article: Article) -> set[str]:
    """Return the names of the fields and links (actors, countries, tags) a curator set."""
    kept = set()
    for name in article.curated_fields or []:
        kept |= _CURATED_TOGETHER.get(name, {name})
    return kept


class ImportSession:
    """What an import keeps from one article to the next: the near-duplicate index of the stored
    texts, and the sources and actors already looked up (call forget() after a rollback)."""

    def __init__(self):
        self.stories = stories_index()
        self._sources: dict = {}
        self._actors: dict = {}

    def forget(self) -> None:
        """Drop the rows looked up: after a rollback, and between batches so curators' changes show."""
        self._sources.clear()
        self._actors.clear()

    def source(self, name: str, *, is_agency: bool = False) -> Source | None:
        key = (name, is_agency)
        if key not in self._sources:
            self._sources[key] = source_for(name, is_agency=is_agency)
        return self._sources[key]

    def actor(self, name: str, *, kind: str, aliases=()) -> Actor:
        key = (name, kind, tuple(aliases))
        if key not in self._actors:
            self._actors[key] = actor_for(name, kind=kind, aliases=aliases)
        return self._actors[key]


def _update_fields(article: Article, fields: dict) -> bool:
    """Set the fields a curator did not set; save and return whether anything changed."""
    kept = _curated(article)
    changed = [key for key, value in fields.items() if key not in kept and getattr(article, key) != value]
    for key in changed:
        setattr(article, key, fields[key])
    if changed:
        article.save()
    return bool(changed)


@transaction.atomic
def article_upsert(*, data: ArticleData, origin: str, session: ImportSession | None = None) -> UpsertResult:
    """Store an extracted article once: the same text again updates it, curators' decisions stay.

    Within an import session, a new article whose text is a near-duplicate of a stored one
    joins that one's story.
    """
    digest = content_hash(data.body)
    article = Article.objects.filter(content_hash=digest).first()
    fields = _extracted_fields(data, find_source=session.source if session else source_for)
    if article is None:
        article = Article.objects.create(content_hash=digest, origin=origin[:500], **fields)
        status = CREATED
    else:
        status = UPDATED if _update_fields(article, fields) else SKIPPED
    if _replace_extracted_links(article, data, find_actor=session.actor if session else actor_for) and status == SKIPPED:
        status = UPDATED
    if session is not None and _story_link(article, session.stories) and status == SKIPPED:
        status = UPDATED
    return UpsertResult(article=article, status=status)


@transaction.atomic
def article_reextract(*, article: Article, data: ArticleData | None = None,
                      session: ImportSession | None = None) -> UpsertResult:
    """Re-run extraction on the article's stored raw page and store what changed.

    Curators' decisions stay: the fields named in curated_fields, confirmed and rejected links,
    links a curator made, and actors marked "not an actor". data is the extraction already made
    from article.raw (as the batched --reextract does); otherwise it is made here. Raises
    ExtractionError when the raw page no longer gives an article; nothing is changed then.
    """
    from articles.ingest.pipeline import extract_article

    find_source, find_actor = (session.source, session.actor) if session else (source_for, actor_for)
    if data is None:
        data = extract_article(article.raw, raw_format=article.raw_format, url=article.url,
                              imported_on=article.created_at.date())
    fields = _extracted_fields(data, find_source=find_source)
    del fields["raw"], fields["raw_format"]  # the page as received never changes
    digest = content_hash(data.body)
    if digest != article.content_hash:
        if Article.objects.filter(content_hash=digest).exclude(pk=article.pk).exists():
            del fields["body"], fields["minhash"]  # its new text is another article's: keep its own
        else:
            fields["content_hash"] = digest
    status = UPDATED if _update_fields(article, fields) else SKIPPED
    if _replace_extracted_links(article, data, find_actor=find_actor) and status == SKIPPED:
        status = UPDATED
    if session is not None and _story_link(article, session.stories) and status == SKIPPED:
        status = UPDATED
    return UpsertResult(article=article, status=status)


def _new_link(model, article: Article, key: str, target, mention) -> models.Model:
    """Return an unsaved link proposed by extraction, for a curator to confirm or reject."""
    return model(article=article, origin=Origin.EXTRACTION, status=LinkStatus.PROPOSED,
                 evidence=mention.evidence, confidence=mention.confidence, **{key: target})


def _wanted_actors(data: ArticleData, *, find_actor=actor_for) -> dict:
    """Return the extracted actors by id, without those curators marked as not an actor."""
    wanted = {}
    for mention in data.actors:
        actor = find_actor(mention.name, kind=mention.kind, aliases=mention.aliases)
        if actor.review_state != Actor.Review.REJECTED:
            wanted.setdefault(actor.pk, mention)
    return wanted


def _replace_extracted_links(article: Article, data: ArticleData, *, find_actor=actor_for) -> bool:
    """Make the article's proposed automatic links match the extraction; return whether anything changed.

    Confirmed and rejected links, and links a curator made, are never touched; neither are the
    actors, countries or tags of an article whose curated_fields name them.
    """
    changed = False
    kept = _curated(article)
    wanted_links = []
    if "actors" not in kept:
        wanted_links.append((ArticleActor, "actor_id", _wanted_actors(data, find_actor=find_actor)))
    if "countries" not in kept:
        wanted_links.append((ArticleCountry, "country_id", {m.code: m for m in data.countries}))
    for model, key, wanted in wanted_links:
        # Every link, rejected ones included: a curator's decision is never undone here.
        links = {getattr(link, key): link for link in model.objects.filter(article=article)}
        proposed = {k: link for k, link in links.items()
                    if link.origin == Origin.EXTRACTION and link.status == LinkStatus.PROPOSED}
        stale = [link.pk for k, link in proposed.items() if k not in wanted]
        if stale:
            model.objects.filter(pk__in=stale).delete()
            changed = True
        new = [_new_link(model, article, key, target, mention) for target, mention in wanted.items() if target not in links]
        if new:
            model.objects.bulk_create(new)  # sends no post_save: the article is queued for the index below
            changed = True
        for target, link in proposed.items():
            mention = wanted.get(target)
            if mention and (link.evidence, link.confidence) != (mention.evidence, mention.confidence):
                link.evidence, link.confidence = mention.evidence, mention.confidence
                link.save(update_fields=["evidence", "confidence"])
                changed = True
    if "tags" not in kept:
        # Tags given with the article (JSON Lines); a link of any status, a rejected one too, stays as it is.
        tags = {tag_for(name).pk for name in data.tags} - set(ArticleTag.objects.filter(article=article).values_list("tag_id", flat=True))
        if tags:
            ArticleTag.objects.bulk_create([ArticleTag(article=article, tag_id=pk) for pk in tags])
            changed = True
    if changed:
        # Links changed without the article's own save: mark it changed for index_status's drift check.
        Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
        index_queue.schedule_reindex([article.pk])
    return changed


def stories_index() -> dedup.NearDuplicateIndex:
    """Return the near-duplicate index of every stored signature, for linking stories during an import."""
    index = dedup.NearDuplicateIndex()
    for pk, signature in Article.objects.exclude(minhash=None).values_list("pk", "minhash").iterator(chunk_size=2000):
        index.add(pk, signature)
    return index


def _story_link(article: Article, stories: dedup.NearDuplicateIndex) -> bool:
    """Point an article that starts no story to the story of the earliest stored near-duplicate.

    Only articles stored before it count, so a story's first article stays its head. Return
    whether the article joined a story; add its signature to the index either way.
    """
    if not article.minhash:
        return False
    joined = False
    if (article.story_id is None and "story" not in _curated(article)
            and not Article.objects.filter(story=article).exists()):
        earlier = [pk for pk in stories.candidates(article.minhash) if pk < article.pk]
        rows = Article.objects.filter(pk__in=earlier).values_list("pk", "story_id", "minhash")
        heads = [story_id or pk for pk, story_id, signature in rows
                 if dedup.similarity(signature or [], article.minhash) >= dedup.SIMILARITY]
        if heads:
            article.story_id = min(heads)
            article.save(update_fields=["story"])
            joined = True
    stories.add(article.pk, article.minhash)
    return joined


@transaction.atomic
def articles_bulk_upsert(*, items, reindex: bool = True) -> list[UpsertResult]:
    """Store many extracted articles as article_upsert would, new texts inserted in bulk.

    items are (ArticleData, origin) pairs. Sources, actors and tags are resolved once per
    call; a text already stored (or repeated in items) goes through article_upsert. With
    reindex=False the new articles are not queued for the search index: for a bulk load that
    a full `rebuild_index` follows.
    """
    items = list(items)
    digests = [content_hash(data.body) for data, _ in items]
    stored = set(Article.objects.filter(content_hash__in=digests).values_list("content_hash", flat=True))
    sources, actors, tags = {}, {}, {}

    def cached(cache, key, make):
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def find_source(name, *, is_agency=False):
        return cached(sources, (name, is_agency), lambda: source_for(name, is_agency=is_agency))

    def find_actor(name, *, kind, aliases):
        return cached(actors, (name, kind, tuple(aliases)), lambda: actor_for(name, kind=kind, aliases=aliases))

    new, later, seen = [], [], set()
    for position, ((data, origin), digest) in enumerate(zip(items, digests)):
        if digest in stored or digest in seen:
            later.append(position)
            continue
        seen.add(digest)
        article = Article(content_hash=digest, origin=origin[:500], **_extracted_fields(data, find_source=find_source))
        new.append((article, data, position))
    Article.objects.bulk_create([article for article, _, _ in new], batch_size=1000)

    actor_links, country_links, tag_links = [], [], []
    for article, data, _ in new:
        actor_links += [_new_link(ArticleActor, article, "actor_id", pk, mention)
                        for pk, mention in _wanted_actors(data, find_actor=find_actor).items()]
        country_links += [_new_link(ArticleCountry, article, "country_id", mention.code, mention)
                          for mention in {m.code: m for m in data.countries}.values()]
        tag_ids = {cached(tags, name, lambda: tag_for(name)).pk for name in data.tags}
        tag_links += [ArticleTag(article_id=article.pk, tag_id=pk) for pk in tag_ids]
    ArticleActor.objects.bulk_create(actor_links, batch_size=5000)
    ArticleCountry.objects.bulk_create(country_links, batch_size=5000)
    ArticleTag.objects.bulk_create(tag_links, batch_size=5000)
    if reindex:
        index_queue.schedule_reindex([article.pk for article, _, _ in new])

    results = {position: UpsertResult(article=article, status=CREATED) for article, _, position in new}
    for position in later:
        data, origin = items[position]
        results[position] = article_upsert(data=data, origin=origin)
    return [results[position] for position in range(len(items))]
