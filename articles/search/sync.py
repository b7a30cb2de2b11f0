"""Keep the search index in step with the database.

Every change to an article, or to what it links to, marks the article as changed in the
current transaction; once the transaction commits, the changed articles are re-indexed
together. Changes rolled back are never indexed.
"""
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from haystack import connections
from haystack.exceptions import NotHandled

from articles import models

_PENDING_ATTR = "_newsarchive_index_pending"


def article_index():
    return connections["default"].get_unified_index().get_index(models.Article)


def reindex_articles(article_ids) -> None:
    """Re-index the given articles now; those no longer in the database leave the index."""
    ids = set(article_ids)
    if not ids:
        return
    index = article_index()
    backend = connections["default"].get_backend()
    present = list(index.index_queryset().filter(pk__in=ids))
    if present:
        backend.update(index, present)
    for missing in ids - {a.pk for a in present}:
        backend.remove(f"articles.article.{missing}")


def schedule_reindex(article_ids) -> None:
    """Re-index these articles once the current transaction commits (at once outside one)."""
    ids = set(article_ids)
    if not ids:
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        reindex_articles(ids)
        return
    pending, flush = getattr(conn, _PENDING_ATTR, (None, None))
    # After a rollback Django drops the callback but our attribute stays: start afresh.
    if flush is None or not any(entry[1] is flush for entry in conn.run_on_commit):
        pending = set()

        def flush():
            setattr(conn, _PENDING_ATTR, (None, None))
            reindex_articles(pending)

        setattr(conn, _PENDING_ATTR, (pending, flush))
        transaction.on_commit(flush)
    pending.update(ids)


def _article_changed(sender, instance, **kwargs):
    schedule_reindex([instance.pk])


def _link_changed(sender, instance, **kwargs):
    schedule_reindex([instance.article_id])


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        schedule_reindex([instance.pk])
    elif pk_set:
        schedule_reindex(pk_set)
    else:  # tag.articles.clear(): the articles were noted in pre_clear
        schedule_reindex(getattr(instance, "_cleared_article_ids", ()))


def _tags_pre_clear(sender, instance, action, reverse, **kwargs):
    if action == "pre_clear" and reverse:
        instance._cleared_article_ids = list(instance.articles.values_list("pk", flat=True))


def _named_thing_changed(sender, instance, **kwargs):
    """A renamed or deleted tag, actor, source or country changes the articles that show it."""
    related = {
        models.Tag: "tags",
        models.Actor: "actor_links__actor",
        models.Source: "source",
        models.Country: "country_links__country",
    }[sender]
    ids = models.Article.objects.filter(**{related: instance}).values_list("pk", flat=True)
    if sender is models.Source:
        ids = ids.union(models.Article.objects.filter(agency=instance).values_list("pk", flat=True))
    schedule_reindex(list(ids))


def connect_signals() -> None:
    """Connect the model signals that keep the index in step (called from AppConfig.ready)."""
    try:
        article_index()
    except NotHandled:  # pragma: no cover - the index is registered in search_indexes.py
        return
    post_save.connect(_article_changed, sender=models.Article, dispatch_uid="index_article_save")
    post_delete.connect(_article_changed, sender=models.Article, dispatch_uid="index_article_delete")
    for link in (models.ArticleActor, models.ArticleCountry):
        post_save.connect(_link_changed, sender=link, dispatch_uid=f"index_{link.__name__}_save")
        post_delete.connect(_link_changed, sender=link, dispatch_uid=f"index_{link.__name__}_delete")
    m2m_changed.connect(_tags_pre_clear, sender=models.Article.tags.through, dispatch_uid="index_tags_pre_clear")
    m2m_changed.connect(_tags_changed, sender=models.Article.tags.through, dispatch_uid="index_tags")
    for named in (models.Tag, models.Actor, models.Source, models.Country):
        post_save.connect(_named_thing_changed, sender=named, dispatch_uid=f"index_{named.__name__}_save")
        # Before the delete: afterwards the links that say which articles to update are gone.
        pre_delete.connect(_named_thing_changed, sender=named, dispatch_uid=f"index_{named.__name__}_delete")
