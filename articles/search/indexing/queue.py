"""Keep the search index in step with the database, without ever losing an update.

Every change to an article, or to what it links to, writes a PendingIndexUpdate row in the
same transaction as the change. Once the transaction commits, the process applies the rows it
wrote; rows left behind (the process died, the index was locked) are applied by the next
flush, by `process_index_queue`, or by `index_status --repair`. A rolled-back change leaves no
row, so it is never indexed.

Inside a web request (bounded_updates(), entered by articles.middleware) the flush never makes
the curator wait for the index: it is tried only for a few articles and only if the index's
write lock is free at once; otherwise the rows stay for the queue worker, and the request is
told (Deferred) so that the page can say when the change will be searchable.
"""
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import Signal
from haystack import connections
from django.utils import timezone as dj_timezone
from haystack.exceptions import NotHandled
from whoosh.index import LockError

from articles import models

log = logging.getLogger(__name__)
_PENDING_ATTR = "_newsarchive_index_pending"

# Sent with article_ids once these articles' documents are in the index and the queue rows are
# gone: what searches the index about changed articles (tag rules) listens to it.
articles_indexed = Signal()


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


# A queued update that fails (an error, not a busy index) is tried again later and later:
# after RETRY_FIRST_SECONDS, then twice as long each time, at most RETRY_MAX_SECONDS apart, so
# that a failure that lasts costs the queue worker little and heals once its cause is fixed.
RETRY_FIRST_SECONDS = 2
RETRY_MAX_SECONDS = 600
# Rows whose failures say the index itself fails (the batch and the first articles alone fail
# alike) are all marked at once, without trying the rest one by one.
ISOLATE_TRIES = 3


class IndexUpdateFailed(Exception):
    """Some queued updates could not be applied; they stay queued, their failure recorded."""

    def __init__(self, applied: int, failed: dict):
        self.applied, self.failed = applied, failed  # failed: article id -> error
        error = next(iter(failed.values()))
        articles = "1 article" if len(failed) == 1 else f"{len(failed)} articles"
        super().__init__(f"{articles} could not be re-indexed: {error}")


def apply_pending(article_ids=None, *, batch_size: int = 500) -> int:
    """Apply queued index updates (those of these articles, or all that are due); return how many articles.

    Rows are locked while their articles are re-indexed and deleted only once the index has
    them, so two processes never apply the same row and a failure keeps the row for later. A
    busy index raises LockError and changes nothing. Any other failure is recorded on the rows
    of the articles that failed (attempts, error, next try) while the others are applied; then
    IndexUpdateFailed is raised. Without article_ids, rows waiting for their next try are left.
    """
    done, failed = 0, {}
    while True:
        with transaction.atomic():
            rows = models.PendingIndexUpdate.objects.select_for_update(skip_locked=True).order_by("pk")
            if article_ids is not None:
                rows = rows.filter(article_id__in=list(article_ids))
            else:
                rows = rows.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=dj_timezone.now()))
            rows = list(rows.exclude(article_id__in=list(failed)).values_list("pk", "article_id")[:batch_size])
            if not rows:
                break
            ids = {article_id for _, article_id in rows}
            indexed, errors = _reindex_isolating(ids)
            models.PendingIndexUpdate.objects.filter(article_id__in=indexed, pk__in=[pk for pk, _ in rows]).delete()
            _record_failures(errors)
            failed.update(errors)
            done += len(indexed)
        if indexed:
            _announce(indexed)
        if article_ids is not None and len(rows) < batch_size:
            break
    if failed:
        raise IndexUpdateFailed(done, failed)
    return done


def _reindex_isolating(ids: set) -> tuple[set, dict]:
    """Re-index the articles together, or else one by one; return (indexed, {article: error})."""
    try:
        with transaction.atomic():  # a savepoint: a database error leaves the transaction usable
            reindex_articles(ids)
        return ids, {}
    except LockError:
        raise
    except Exception as exc:
        batch_error = _describe(exc)
        if len(ids) == 1:
            return set(), {next(iter(ids)): batch_error}
    indexed, errors = set(), {}
    for tried, article_id in enumerate(sorted(ids)):
        if tried == ISOLATE_TRIES and not indexed and set(errors.values()) == {batch_error}:
            errors.update((i, batch_error) for i in ids - set(errors))  # the index fails, not the articles
            break
        try:
            with transaction.atomic():
                reindex_articles({article_id})
            indexed.add(article_id)
        except LockError:
            raise
        except Exception as exc:
            errors[article_id] = _describe(exc)
    return indexed, errors


def _describe(exc: Exception) -> str:
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return f"{exc.__class__.__name__}: {first_line}"[:1000]


def _record_failures(errors: dict) -> None:
    now = dj_timezone.now()
    for article_id, error in errors.items():
        for row in models.PendingIndexUpdate.objects.filter(article_id=article_id):
            row.attempts += 1
            row.last_error = error
            wait = min(RETRY_MAX_SECONDS, RETRY_FIRST_SECONDS * 2 ** (row.attempts - 1))
            row.retry_at = now + timedelta(seconds=wait)
            row.save(update_fields=["attempts", "last_error", "retry_at"])
    if errors:
        log.error("search index update failed for %d articles: %s", len(errors), next(iter(errors.values())))


def _announce(ids: set) -> None:
    for receiver, error in articles_indexed.send_robust(sender=None, article_ids=ids):
        if error is not None:  # the index is right; what follows it can be redone later
            log.error("after indexing %d articles, %s failed", len(ids), receiver, exc_info=error)


# Inside a web request: at most this many articles are indexed before the response, each write
# waiting at most REQUEST_LOCK_WAIT seconds for the index's lock; more is the queue worker's job.
REQUEST_MAX_ARTICLES = 50
REQUEST_LOCK_WAIT = 0.1


@dataclass
class Deferred:
    """The articles a request's changes left queued for the queue worker."""

    articles: set = field(default_factory=set)


_request: ContextVar = ContextVar("newsarchive_index_request", default=None)


@contextmanager
def bounded_updates():
    """Within this block (a web request), index updates never wait for the index; yield what was left queued."""
    deferred = Deferred()
    token = _request.set(deferred)
    try:
        yield deferred
    finally:
        _request.reset(token)


# A queue worker waiting for its next look (process_index_queue --watch) listens on this channel:
# an update left to it is applied at once rather than up to its interval later.
WAKE_CHANNEL = "newsarchive_index_queue"


def wake_worker() -> None:
    """Tell a waiting queue worker that updates are queued (PostgreSQL's NOTIFY, sent at commit)."""
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {WAKE_CHANNEL}")
    except Exception:  # the database went away, say: the worker finds the rows at its next look
        log.warning("could not wake the search index queue worker", exc_info=True)


def _apply_after_commit(ids: set) -> None:
    deferred = _request.get()
    if deferred is not None and len(ids) > REQUEST_MAX_ARTICLES:
        deferred.articles |= ids  # the queue worker writes them; the curator does not wait
        wake_worker()
        return
    backend = connections["default"].get_backend()  # one per thread: the change below is this request's
    tuning = getattr(backend, "tuning", None)  # the Whoosh engine's; Elasticsearch has no write lock
    if deferred is not None and tuning is not None:
        backend.tuning = replace(tuning, edit_lock_timeout=min(tuning.edit_lock_timeout, REQUEST_LOCK_WAIT))
    try:
        apply_pending(ids)
    except Exception:  # the rows stay queued; the worker or --repair applies them later
        log.warning("search index update deferred for %d articles", len(ids), exc_info=True)
        if deferred is not None:
            deferred.articles |= ids
        wake_worker()
    finally:
        if deferred is not None and tuning is not None:
            backend.tuning = tuning


def schedule_reindex(article_ids) -> None:
    """Queue these articles for re-indexing in the current transaction; apply after commit."""
    ids = set(article_ids)
    if not ids:
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        models.PendingIndexUpdate.objects.bulk_create(models.PendingIndexUpdate(article_id=i) for i in ids)
        _apply_after_commit(ids)
        return
    queued, flush = getattr(conn, _PENDING_ATTR, (None, None))
    # After a rollback Django drops the callback but our attribute stays: start afresh.
    if flush is None or not any(entry[1] is flush for entry in conn.run_on_commit):
        queued = set()

        def flush():
            setattr(conn, _PENDING_ATTR, (None, None))
            _apply_after_commit({article_id for _, article_id in queued})

        setattr(conn, _PENDING_ATTR, (queued, flush))
        transaction.on_commit(flush)
    # One row per article and savepoint: a row written inside a savepoint that is rolled back
    # disappears with it, so a later change outside that savepoint writes its own row.
    savepoints = tuple(conn.savepoint_ids)
    new = {i for i in ids if (savepoints, i) not in queued}
    if new:
        models.PendingIndexUpdate.objects.bulk_create(models.PendingIndexUpdate(article_id=i) for i in new)
        queued.update((savepoints, i) for i in new)


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
    for link in (models.ArticleActor, models.ArticleCountry, models.ArticleTag):
        post_save.connect(_link_changed, sender=link, dispatch_uid=f"index_{link.__name__}_save")
        post_delete.connect(_link_changed, sender=link, dispatch_uid=f"index_{link.__name__}_delete")
    m2m_changed.connect(_tags_pre_clear, sender=models.Article.tags.through, dispatch_uid="index_tags_pre_clear")
    m2m_changed.connect(_tags_changed, sender=models.Article.tags.through, dispatch_uid="index_tags")
    for named in (models.Tag, models.Actor, models.Source, models.Country):
        post_save.connect(_named_thing_changed, sender=named, dispatch_uid=f"index_{named.__name__}_save")
        # Before the delete: afterwards the links that say which articles to update are gone.
        pre_delete.connect(_named_thing_changed, sender=named, dispatch_uid=f"index_{named.__name__}_delete")
