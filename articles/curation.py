"""Curators' writes: merges, renames, bulk tagging, actor review, re-extraction.

Each service runs in one transaction, takes keyword arguments, queues the search index
update of every article it touches (bulk queryset updates send no signals), and returns
what it changed so that the admin can show and record it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q

from articles.models import Actor, ActorAlias, Article, ArticleActor, ArticleTag, LinkStatus, Origin, Source, Tag, TagRule
from articles.redirects import keep_old_slugs
from articles.search.indexing.queue import schedule_reindex
from articles.tagging import request_training


@dataclass
class Outcome:
    """What a curation service changed."""

    articles: set[int] = field(default_factory=set)  # ids of the articles whose links or fields changed
    removed: list[str] = field(default_factory=list)  # names of merged-away objects


def _ids(articles) -> list[int]:
    return [a.pk if hasattr(a, "pk") else int(a) for a in articles]


@transaction.atomic
def tag_add(*, articles, tag: Tag) -> Outcome:
    """Give the tag, confirmed, to every article that does not have it confirmed yet; return those.

    A proposal (from a rule or a suggestion) is confirmed; a rejected link is confirmed too: the
    curator chose these articles. New links are inserted with ON CONFLICT DO NOTHING, so a
    concurrent request adding the same tag to the same articles never fails, and each article
    counts for the request that tagged it.
    """
    ids = sorted(set(_ids(articles)))
    if not ids:
        return Outcome()
    quote = connection.ops.quote_name
    links, articles_table = quote(ArticleTag._meta.db_table), quote(Article._meta.db_table)
    with connection.cursor() as cursor:  # articles deleted meanwhile are left out, not a foreign key error
        cursor.execute(
            f"INSERT INTO {links} (article_id, tag_id, origin, status, evidence, confidence) "
            f"SELECT id, %s, %s, %s, '', 1.0 FROM {articles_table} WHERE id = ANY(%s) "
            f"ON CONFLICT DO NOTHING RETURNING article_id",
            [tag.pk, Origin.CURATOR, LinkStatus.CONFIRMED, ids],
        )
        added = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            f"UPDATE {links} SET status = %s WHERE tag_id = %s AND article_id = ANY(%s) AND status <> %s RETURNING article_id",
            [LinkStatus.CONFIRMED, tag.pk, ids, LinkStatus.CONFIRMED],
        )
        added |= {row[0] for row in cursor.fetchall()}
    schedule_reindex(added)
    request_training()
    return Outcome(articles=added)


@transaction.atomic
def tag_remove(*, articles, tag: Tag) -> Outcome:
    """Take the tag off the articles; the links stay as rejected, so no rule or suggestion brings it back."""
    links = ArticleTag.active.filter(tag=tag, article_id__in=_ids(articles))
    ids = set(links.values_list("article_id", flat=True))
    links.update(status=LinkStatus.REJECTED)
    schedule_reindex(ids)
    request_training()
    return Outcome(articles=ids)


@transaction.atomic
def tag_links_set_status(*, links, status: str) -> Outcome:
    """Confirm or reject tag links (proposals of the review queue), as a curator's decision."""
    pks = [link.pk for link in links]
    changed = ArticleTag.objects.filter(pk__in=pks).exclude(status=status)
    ids = set(changed.values_list("article_id", flat=True))
    changed.update(status=status)
    schedule_reindex(ids)
    request_training()
    return Outcome(articles=ids)


def tag_merge_plan(other: Tag, into: Tag, merged_ids=()) -> "MergePlan":
    plan = link_merge_plan(ArticleTag, "tag_id", other_id=other.pk, into_id=into.pk, merged_ids=merged_ids)
    plan.rules = TagRule.objects.filter(tag=other).count()
    return plan


@transaction.atomic
def tag_merge(*, tags, into: Tag) -> Outcome:
    """Move the article links and rules of the tags to `into` (no duplicates); delete the merged tags."""
    others = [t for t in tags if t.pk != into.pk]
    other_ids = [t.pk for t in others]
    ids = _move_links(ArticleTag, "tag_id", from_ids=other_ids, to_id=into.pk)
    TagRule.objects.filter(tag_id__in=other_ids).update(tag=into)
    keep_old_slugs("tag", [t.slug for t in others], into.pk, merged_ids=other_ids)  # their pages redirect to into's
    Tag.objects.filter(pk__in=other_ids).delete()
    schedule_reindex(ids)
    request_training()
    return Outcome(articles=ids, removed=[t.name for t in others])


@transaction.atomic
def articles_mark_reviewed(*, articles) -> Outcome:
    ids = set(Article.objects.filter(pk__in=_ids(articles), reviewed=False).values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids).update(reviewed=True)
    return Outcome(articles=ids)


def _resolve(kept: str, kept_is_own: bool, dropped: str) -> str:
    """Return the status the kept link ends with when a merged link to the same article is dropped.

    The kept object's own decision (confirmed or rejected) wins; its proposal takes the merged
    link's decision. Between two merged objects, a rejection wins over a confirmation.
    """
    if kept == LinkStatus.PROPOSED:
        return dropped
    if kept_is_own or dropped == LinkStatus.PROPOSED:
        return kept
    return LinkStatus.REJECTED if LinkStatus.REJECTED in (kept, dropped) else kept


@dataclass(frozen=True)
class LinkFold:
    """A merged link dropped as a duplicate: the article already links the kept object."""

    kept: str  # status of the link that stays, before the merge
    dropped: str  # status of the merged link that goes
    result: str  # status of the link that stays, after


def _plan_moves(model, key: str, *, from_ids, to_id) -> list[tuple[object, LinkFold | None]]:
    """Say, for each link of the merged objects in id order, whether it moves (None) or folds."""
    survivors = {article_id: [status, True] for article_id, status in model.objects.filter(**{key: to_id}).values_list("article_id", "status")}
    steps = []
    for link in model.objects.filter(**{f"{key}__in": from_ids}).order_by("pk"):
        state = survivors.get(link.article_id)
        if state is None:
            survivors[link.article_id] = [link.status, False]
            steps.append((link, None))
            continue
        fold = LinkFold(kept=state[0], dropped=link.status, result=_resolve(state[0], state[1], link.status))
        state[0] = fold.result
        steps.append((link, fold))
    return steps


def _move_links(model, key: str, *, from_ids, to_id) -> set[int]:
    """Point the links of model from the merged objects to the survivor; keep one link per article.

    When both had a link to the same article, the kept link's status follows _resolve; it
    becomes a curator's link when it takes a curator's decision, and keeps any evidence.
    """
    steps = _plan_moves(model, key, from_ids=from_ids, to_id=to_id)
    survivors = {link.article_id: link for link in model.objects.filter(**{key: to_id})}
    touched = set()
    for link, fold in steps:
        touched.add(link.article_id)
        if fold is None:
            setattr(link, key, to_id)
            link.save(update_fields=[key])
            survivors[link.article_id] = link
            continue
        kept = survivors[link.article_id]
        kept.status = fold.result
        if link.origin == Origin.CURATOR and fold.result == link.status:
            kept.origin = Origin.CURATOR
        kept.evidence = kept.evidence or link.evidence
        kept.save(update_fields=["status", "origin", "evidence"])
        link.delete()
    return touched


@dataclass
class MergePlan:
    """What merging one object into another will do to its article links."""

    moving: int  # links that will point to the kept object
    folds: dict[LinkFold, int] = field(default_factory=dict)  # links dropped as duplicates, by what happens
    names: list[str] = field(default_factory=list)  # the merged actor's name and aliases
    rules: int = 0  # tag rules that will move to the kept tag

    @property
    def duplicates(self) -> int:
        return sum(self.folds.values())


def link_merge_plan(model, key: str, *, other_id, into_id, merged_ids=()) -> MergePlan:
    """Say what merging the objects merged_ids into `into` does to the links of `other`, as _move_links does it."""
    plan = MergePlan(moving=0)
    for link, fold in _plan_moves(model, key, from_ids=sorted({*merged_ids, other_id}), to_id=into_id):
        if getattr(link, key) != other_id:
            continue
        if fold is None:
            plan.moving += 1
        else:
            plan.folds[fold] = plan.folds.get(fold, 0) + 1
    return plan


def actor_merge_plan(other: Actor, into: Actor, merged_ids=()) -> MergePlan:
    plan = link_merge_plan(ArticleActor, "actor_id", other_id=other.pk, into_id=into.pk, merged_ids=merged_ids)
    plan.names = [other.name, *other.aliases.values_list("name", flat=True)]
    return plan


class MergeRefused(ValueError):
    """A merge that would take a name from an actor outside it: (name, actor) pairs."""

    def __init__(self, taken: list[tuple[str, str]]):
        super().__init__(taken)
        self.taken = taken


def alias_conflicts(others, into: Actor) -> list[tuple[str, str]]:
    """Return (name, actor) for each merged name that is already an alias of an actor outside the merge."""
    merged = {into.pk, *(a.pk for a in others)}
    taken = []
    for other in others:
        for alias in ActorAlias.objects.filter(name__iexact=other.name).exclude(actor_id__in=merged).select_related("actor"):
            taken.append((other.name, alias.actor.name))
    return taken


@transaction.atomic
def actor_merge(*, actors, into: Actor, keep_names_as_aliases: bool = False) -> Outcome:
    """Merge actors into one: article links move, duplicates fold, the others are deleted.

    Their names and aliases become aliases of `into` only when the curator asks for it (the
    same person under another spelling); otherwise they go with the merged actors, so that
    searching a merged name never finds articles that do not mention it.
    """
    others = [a for a in actors if a.pk != into.pk]
    other_ids = [a.pk for a in others]
    if keep_names_as_aliases and (taken := alias_conflicts(others, into)):
        raise MergeRefused(taken)
    ids = _move_links(ArticleActor, "actor_id", from_ids=other_ids, to_id=into.pk)
    if keep_names_as_aliases:
        ActorAlias.objects.filter(actor_id__in=other_ids).update(actor=into)
        for other in others:
            ActorAlias.objects.filter(actor=into, name__iexact=other.name).delete()
            ActorAlias.objects.create(actor=into, name=other.name)
    if into.review_state == Actor.Review.NEW and any(a.review_state == Actor.Review.ACCEPTED for a in others):
        into.review_state = Actor.Review.ACCEPTED
        into.save(update_fields=["review_state"])
    keep_old_slugs("actor", [a.slug for a in others], into.pk, merged_ids=other_ids)
    Actor.objects.filter(pk__in=other_ids).delete()
    schedule_reindex(ids)
    return Outcome(articles=ids, removed=[a.name for a in others])


@transaction.atomic
def actors_accept(*, actors) -> Outcome:
    Actor.objects.filter(pk__in=_ids(actors)).update(review_state=Actor.Review.ACCEPTED)
    return Outcome()


@transaction.atomic
def actors_reject(*, actors) -> Outcome:
    """Mark as "not an actor": their links go, and future imports skip these names and aliases."""
    ids = _ids(actors)
    links = ArticleActor.objects.filter(actor_id__in=ids)
    touched = set(links.values_list("article_id", flat=True))
    links.delete()
    Actor.objects.filter(pk__in=ids).update(review_state=Actor.Review.REJECTED)
    schedule_reindex(touched)
    return Outcome(articles=touched)


@transaction.atomic
def alias_split(*, alias: ActorAlias) -> tuple[Actor, Outcome]:
    """Make a wrongly merged alias an actor of its own, with the links whose evidence names it.

    When an actor of that name exists already, the links go to it.
    """
    old = alias.actor
    new = Actor.objects.filter(name__iexact=alias.name).exclude(pk=old.pk).first()
    if new is None:
        new = Actor.objects.create(name=alias.name, kind=old.kind)
    alias.delete()
    moved = set()
    for link in ArticleActor.objects.filter(actor=old, evidence__icontains=alias.name).exclude(evidence__icontains=old.name):
        link.actor = new
        link.save(update_fields=["actor"])
        moved.add(link.article_id)
    schedule_reindex(moved)
    return new, Outcome(articles=moved)


@transaction.atomic
def source_merge(*, sources, into: Source) -> Outcome:
    """Point the articles of the sources (as publisher or agency) to `into` and delete the others."""
    other_ids = [s.pk for s in sources if s.pk != into.pk]
    ids = set(Article.objects.filter(Q(source_id__in=other_ids) | Q(agency_id__in=other_ids)).values_list("pk", flat=True))
    Article.objects.filter(source_id__in=other_ids).update(source=into)
    Article.objects.filter(agency_id__in=other_ids).update(agency=into)
    removed = list(Source.objects.filter(pk__in=other_ids).values_list("name", flat=True))
    keep_old_slugs("source", Source.objects.filter(pk__in=other_ids).values_list("slug", flat=True), into.pk, merged_ids=other_ids)
    Source.objects.filter(pk__in=other_ids).delete()
    schedule_reindex(ids)
    return Outcome(articles=ids, removed=removed)


@transaction.atomic
def link_set_status(*, links, status: str) -> Outcome:
    """Confirm or reject actor or country links (ArticleActor / ArticleCountry)."""
    touched = set()
    for link in links:
        if link.status != status:
            link.status = status
            link.save(update_fields=["status"])
            touched.add(link.article_id)
    return Outcome(articles=touched)

