"""More like this on the shared searcher gives what haystack's own Whoosh backend gives."""
import pytest
from haystack.backends.whoosh_backend import WhooshSearchBackend

from tests.factories import make_article

pytestmark = pytest.mark.django_db
WORDS = ["blé", "céréales", "ports", "climat", "banques", "sanctions", "sommet", "navires", "récolte", "exportations",
         "tarifs", "douanes", "moissons", "silos", "engrais"]
# Twenty articles, each about four of the words, some shared: enough for Whoosh's key terms to differ.
TEXTS = [" ".join(f"Les {WORDS[(n + k * 3) % len(WORDS)]} et les {WORDS[(n * 2 + k) % len(WORDS)]}." for k in range(4)) for n in range(20)]


def test_similar_articles_are_haystack_s_own_in_the_same_order(search_backend, commit_hooks):
    with commit_hooks():
        articles = [make_article(text, title=f"Article {n}") for n, text in enumerate(TEXTS)]
    for article in articles:
        ours = search_backend.more_like_this(article, end_offset=5)
        theirs = WhooshSearchBackend.more_like_this(search_backend, article, end_offset=5)
        assert [r.pk for r in ours["results"]] == [r.pk for r in theirs["results"]], article.title
        assert str(article.pk) not in [r.pk for r in ours["results"]]
    found = [int(r.pk) for r in search_backend.more_like_this(articles[0], end_offset=5)["results"]]
    assert found  # not a vacuous comparison
    text_of = {article.pk: article.body for article in articles}
    word = TEXTS[0].split()[1].strip(".")
    narrowed = search_backend.more_like_this(articles[0], additional_query_string=f"text:{word}", end_offset=20)["results"]
    assert narrowed and all(word in text_of[int(r.pk)] for r in narrowed)


def test_more_like_this_reads_the_terms_statistics_twice_not_once_per_term(search_backend, commit_hooks, monkeypatch):
    """Each read walks every segment's term table (200 of them at a million articles): the
    article's terms are looked up once, the five key terms' idf at once."""
    from articles.search.backends.whoosh import snapshot

    with commit_hooks():
        articles = [make_article(text, title=f"Article {n}") for n, text in enumerate(TEXTS)]
    reads = []
    original = snapshot.Snapshot.term_stats
    monkeypatch.setattr(snapshot.Snapshot, "term_stats", lambda self, *args: reads.append(args) or original(self, *args))
    found = [r.pk for r in search_backend.more_like_this(articles[3], end_offset=5)["results"]]
    theirs = [r.pk for r in WhooshSearchBackend.more_like_this(search_backend, articles[3], end_offset=5)["results"]]
    assert found == theirs and len(found) == 5
    assert len(reads) == 2  # before: 1 + one per key term (6)
