"""Tag rules: a saved search proposes its tag on every article it finds.

A rule is run through the search engine like the search page (same query language, filters and
dates), so a curator sees in the search what the rule will tag. Rules run when a rule is saved,
and on the articles of every index update (an import, a re-extraction, an edit): the search
index must hold an article's text before a rule can find it, so the indexing queue announces
what it indexed (articles_indexed) and the rules follow.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from articles.models import Article, ArticleTag, LinkStatus, Origin, Tag, TagRule
from articles.search.build import searchable_queryset
from articles.search.indexing.queue import schedule_reindex
from articles.search.request import SearchRequest
from articles.selectors import search_result_ids

log = logging.getLogger(__name__)
PREVIEW_ARTICLES = 20
CONFIRMED = "confirmed"  # in a rule's filters, as in a search's address: confirmed=1, tags a curator confirmed only


def rule_request(rule: TagRule) -> SearchRequest:
    """Return the search a rule stands for, oldest first (the order does not matter to a rule)."""
    filters = {k: list(v) for k, v in (rule.filters or {}).items() if k != CONFIRMED}
    return SearchRequest(q=rule.q, filters=filters, date_from=rule.date_from, date_to=rule.date_to, exact=rule.exact,
                         sort="oldest", confirmed_tags=(rule.filters or {}).get(CONFIRMED) == ["1"])


def rule_matches(rule: TagRule) -> tuple[set[int], list[str]]:
    """Return the ids of the articles the rule finds, and the search's notices (a word not understood)."""
    notices: list[str] = []
    sqs, total = searchable_queryset(rule_request(rule), notices)
    return (set(search_result_ids(sqs)) if total else set()), notices


@dataclass
class RulePreview:
    """What saving a rule will do, before it is saved."""

    matching: int
    proposed: int  # articles that will get the tag proposed
    having: int  # articles that already have the tag, confirmed or proposed
    rejected: int  # articles where a curator rejected the tag: left alone
    articles: list[Article] = field(default_factory=list)  # the first of the new proposals
    notices: list[str] = field(default_factory=list)


def rule_preview(rule: TagRule) -> RulePreview:
    """Say what the (unsaved) rule would do: how many articles it finds and what it would propose."""
    matches, notices = rule_matches(rule)
    status = dict(ArticleTag.objects.filter(tag_id=rule.tag_id, article_id__in=matches).values_list("article_id", "status")) if rule.tag_id else {}
    new = sorted(pk for pk in matches if pk not in status)
    rejected = sum(1 for s in status.values() if s == LinkStatus.REJECTED)
    sample = Article.objects.select_related("source").filter(pk__in=new[:PREVIEW_ARTICLES]).order_by("pk")
    return RulePreview(matching=len(matches), proposed=len(new), having=len(status) - rejected, rejected=rejected,
                       articles=list(sample), notices=notices)


@dataclass
class RulesOutcome:
    proposed: set[int] = field(default_factory=set)  # articles that got a new proposal
    withdrawn: set[int] = field(default_factory=set)  # proposals no rule supports any more


@transaction.atomic
def tag_rules_apply(*, tag: Tag, article_ids=None) -> RulesOutcome:
    """Make the rule proposals of a tag match what its active rules find (among article_ids, or everywhere).

    New matches get the tag proposed (never where the article has it already or a curator rejected
    it); proposals of a rule that no rule of the tag finds any more are withdrawn. Confirmed and
    rejected links, and proposals from elsewhere, are never touched.
    """
    scope = None if article_ids is None else set(article_ids)
    found: dict[int, TagRule] = {}
    for rule in tag.rules.filter(is_active=True).order_by("pk"):
        for pk in rule_matches(rule)[0]:
            if scope is None or pk in scope:
                found.setdefault(pk, rule)
    links = ArticleTag.objects.filter(tag=tag)
    if scope is not None:
        links = links.filter(article_id__in=scope)
    linked = set(links.values_list("article_id", flat=True))
    stale = links.filter(origin=Origin.RULE, status=LinkStatus.PROPOSED).exclude(article_id__in=list(found))
    outcome = RulesOutcome(withdrawn=set(stale.values_list("article_id", flat=True)))
    stale.delete()
    new = [ArticleTag(article_id=pk, tag=tag, origin=Origin.RULE, status=LinkStatus.PROPOSED, rule=rule,
                      confidence=1.0, evidence=rule.describe()[:1000])
           for pk, rule in found.items() if pk not in linked]
    ArticleTag.objects.bulk_create(new, batch_size=2000)
    outcome.proposed = {link.article_id for link in new}
    schedule_reindex(outcome.proposed | outcome.withdrawn)
    return outcome


def rules_follow_index(sender, article_ids, **kwargs) -> None:
    """Run every active rule on articles just indexed (connected to articles_indexed)."""
    tags = Tag.objects.filter(rules__is_active=True).distinct()
    for tag in tags:
        tag_rules_apply(tag=tag, article_ids=article_ids)
