"""Learned tag suggestions: train on curators' confirmed tags, propose the tag where the text is alike.

A tag with at least MIN_EXAMPLES confirmed articles gets a classifier (articles.tagging.classifier).
Its positives are those articles; its negatives the articles where a curator rejected the tag and
curated articles (with another confirmed tag) without it; when those are fewer than the positives,
a fixed sample of the other articles (at most a fifth of them) stands in. Every article without a link to the tag is then scored;
from THRESHOLD on, the tag is proposed with that probability as its confidence and the words the
score rests on as evidence. Proposals that fall below the threshold on a later run are withdrawn;
a rejected proposal stays rejected, so it never comes back.

Training runs from `manage.py suggest_tags`, and after bulk curation: curation services call
request_training(), and `suggest_tags --watch` (started by `make run`) trains when asked.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from articles.models import Article, ArticleTag, LinkStatus, Origin, Tag, TrainingRequest
from articles.search.indexing.queue import schedule_reindex
from articles.tagging import classifier

log = logging.getLogger(__name__)


@dataclass
class TagReport:
    tag: str
    positives: int
    negatives: int
    proposed: int = 0
    updated: int = 0
    withdrawn: int = 0


@dataclass
class SuggestReport:
    tags: list[TagReport] = field(default_factory=list)
    articles: int = 0  # articles scored

    def lines(self) -> list[str]:
        if not self.tags:
            return [f"No tag has {classifier.MIN_EXAMPLES} confirmed articles yet: nothing to learn."]
        return [f"{t.tag}: learned from {t.positives} confirmed and {t.negatives} "
                f"counter-example{'' if t.negatives == 1 else 's'}; "
                f"{t.proposed} proposed, {t.updated} re-scored, {t.withdrawn} withdrawn" for t in self.tags]


def _texts():
    """Return (ids, texts) of every article, oldest first."""
    ids, texts = [], []
    for pk, title, body in Article.objects.order_by("pk").values_list("pk", "title", "body").iterator(chunk_size=2000):
        ids.append(pk)
        texts.append(classifier.article_text(title, body))
    return ids, texts


def suggest(*, threshold: float = classifier.THRESHOLD, min_examples: int = classifier.MIN_EXAMPLES) -> SuggestReport:
    """Learn every tag that has enough confirmed articles and propose it where the text is alike."""
    requests = list(TrainingRequest.objects.values_list("pk", flat=True))
    links = list(ArticleTag.objects.values_list("article_id", "tag_id", "status", "origin", "pk"))
    confirmed: dict[int, set[int]] = {}
    for article_id, tag_id, status, _origin, _pk in links:
        if status == LinkStatus.CONFIRMED:
            confirmed.setdefault(tag_id, set()).add(article_id)
    tags = [tag for tag in Tag.objects.filter(pk__in=[t for t, a in confirmed.items() if len(a) >= min_examples]).order_by("name")]
    report = SuggestReport()
    if tags:
        ids, texts = _texts()
        vectorizer = classifier.make_vectorizer()
        matrix = vectorizer.fit_transform(texts)
        report.articles = len(ids)
        row = {pk: i for i, pk in enumerate(ids)}
        curated = {a for articles in confirmed.values() for a in articles}
        for tag in tags:
            report.tags.append(_suggest_tag(tag, links, confirmed[tag.pk], curated, matrix, vectorizer, row, ids, threshold))
    TrainingRequest.objects.filter(pk__in=requests).delete()
    return report


def _suggest_tag(tag, links, positives, curated, matrix, vectorizer, row, ids, threshold) -> TagReport:
    mine = {article_id: (status, origin, pk) for article_id, tag_id, status, origin, pk in links if tag_id == tag.pk}
    rejected = {a for a, (status, _o, _p) in mine.items() if status == LinkStatus.REJECTED}
    negatives = rejected | {a for a in curated if a not in mine}
    if len(negatives) < len(positives):
        # Few curated counter-examples: a fixed sample of the other articles stands in. Some of them
        # may deserve the tag; a small share of a large archive keeps them rare among the sample.
        unlabelled = [a for a in ids if a not in mine and a not in curated]
        wanted = min(classifier.UNLABELLED_NEGATIVES * len(positives), int(len(unlabelled) * classifier.UNLABELLED_SHARE))
        negatives |= set(classifier.sample_negatives(unlabelled, wanted, seed=tag.pk))
    model = classifier.train(matrix, [row[a] for a in sorted(positives) if a in row], [row[a] for a in sorted(negatives) if a in row])
    report = TagReport(tag.name, len(positives), len(negatives))
    if model is None:
        return report
    # Scored: articles without a link to the tag, and this tag's earlier suggestions still to review.
    scored = [a for a in ids if a not in mine or (mine[a][0] == LinkStatus.PROPOSED and mine[a][1] == Origin.SUGGESTION)]
    scores = classifier.probabilities(model, matrix, [row[a] for a in scored])
    new, update, withdraw = [], [], []
    for article_id, p in zip(scored, scores):
        p = round(float(p), 3)
        if article_id not in mine:
            if p >= threshold:
                words = classifier.evidence_words(model, vectorizer, matrix[row[article_id]])
                new.append(ArticleTag(article_id=article_id, tag=tag, origin=Origin.SUGGESTION, status=LinkStatus.PROPOSED,
                                      confidence=p, evidence=", ".join(words)))
        elif p >= threshold:
            update.append((mine[article_id][2], p))
        else:
            withdraw.append(mine[article_id][2])
    with transaction.atomic():
        ArticleTag.objects.bulk_create(new, batch_size=2000)
        for pk, p in update:
            ArticleTag.objects.filter(pk=pk, status=LinkStatus.PROPOSED).update(confidence=p)
        gone = ArticleTag.objects.filter(pk__in=withdraw, status=LinkStatus.PROPOSED)
        withdrawn_articles = set(gone.values_list("article_id", flat=True))
        gone.delete()
        schedule_reindex({link.article_id for link in new} | withdrawn_articles)
    report.proposed, report.updated, report.withdrawn = len(new), len(update), len(withdrawn_articles)
    return report


def suggest_if_requested(**options) -> SuggestReport | None:
    """Learn again if a curation asked for it since the last time; None when nobody asked."""
    if not TrainingRequest.objects.exists():
        return None
    return suggest(**options)
