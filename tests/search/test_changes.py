"""The index's journal of changed documents (changes.py): what each write noted, and "unknown"
whenever a generation on the way was written another way."""
import pytest

from articles.search.backends.whoosh import changes
from articles.search.indexing.queue import article_index
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def ident(article) -> str:
    return f"articles.article.{article.pk}"


def test_edits_and_removals_are_noted_generation_after_generation(search_backend):
    first, second = make_article("Le blé quitte Odessa."), make_article("Le gaz passe par la Turquie.")
    start = search_backend.generation()
    search_backend.update(article_index(), [first])
    middle = search_backend.generation()
    search_backend.update(article_index(), [second])
    search_backend.remove(first)
    end = search_backend.generation()
    assert search_backend.changes_between(start, middle) == {ident(first)}
    assert search_backend.changes_between(middle, end) == {ident(first), ident(second)}
    assert search_backend.changes_between(start, end) == {ident(first), ident(second)}
    assert search_backend.changes_between(end, end) == set()
    assert search_backend.changes_between(end, start) is None  # backwards: not a span of notes


def test_a_write_that_noted_nothing_makes_every_span_across_it_unknown(search_backend):
    article = make_article("Le blé quitte Odessa.")
    search_backend.update(article_index(), [article])
    start = search_backend.generation()
    search_backend.index.optimize()  # Whoosh's own commit: no note
    search_backend.update(article_index(), [article])
    end = search_backend.generation()
    assert search_backend.changes_between(start, end) is None
    search_backend.update(article_index(), [article])
    assert search_backend.changes_between(end, search_backend.generation()) == {ident(article)}


def test_a_rebuilt_index_is_never_taken_for_the_one_before(search_backend):
    article = make_article("Le blé quitte Odessa.")
    search_backend.update(article_index(), [article])
    search_backend.update(article_index(), [article])
    before = search_backend.generation()
    search_backend.clear()
    search_backend.update(article_index(), [article])
    search_backend.update(article_index(), [article])
    search_backend.update(article_index(), [article])
    after = search_backend.generation()
    assert search_backend.changes_between(before, after) is None


def test_a_large_write_is_unknown_rather_than_a_long_list(search_backend, monkeypatch):
    monkeypatch.setattr(changes, "MAX_NOTED", 2)
    articles = [make_article(f"Dépêche numéro {n} sur le blé.") for n in range(3)]
    start = search_backend.generation()
    search_backend.update(article_index(), articles)
    assert search_backend.changes_between(start, search_backend.generation()) is None


@pytest.mark.parametrize("request_args", [
    {"q": "blé"}, {"q": "blé -Odessa"}, {"q": '"mer Noire"'}, {"q": "gaz*"}, {"q": "blé OR gaz"},
    {"q": "Gazprom"}, {"q": "actor:Gazprom"}, {"q": "date:2022"}, {"filters": {"tag": ["energie"]}},
    {"q": "Chine", "filters": {"country": ["CN"]}, "date_from": "2022-03"}, {"q": "-blé"}, {"sort": "newest"},
])
def test_asking_the_changed_articles_alone_agrees_with_the_search(commit_hooks, request_args):
    """What a kept page asks of the few articles changed since (matching) is what the search finds."""
    from datetime import date

    from haystack import connections

    from articles.search import reads
    from articles.search.build import build_queryset
    from articles.search.request import SearchRequest

    with commit_hooks():
        made = [
            make_article("Le blé ukrainien quitte Odessa par la mer Noire.", published=date(2022, 3, 4), countries=["UA"]),
            make_article("Le gaz russe passe par la Turquie.", published=date(2021, 5, 6), tags=["Énergie"], actors=["Gazprom"]),
            make_article("Gazprom livre la Chine, dit Pékin.", published=date(2022, 4, 1), countries=["CN"], actors=["Gazprom"]),
            make_article("La Chine achète du blé russe.", published=date(2023, 1, 2), countries=["CN", "RU"], tags=["Énergie"]),
            make_article("Un texte sans rapport."),
        ]
    backend = connections["default"].get_backend()
    for article in (made[0], made[3]):  # their new versions in segments of their own, the old ones deleted
        backend.update(article_index(), [article])
    with reads.recording() as read:
        build_queryset(SearchRequest(**request_args)).count()
    (query_string, narrow), matched = next(iter(read.searches.items()))
    pks = [article.pk for article in made]
    assert backend.matching(query_string, narrow, pks) == set(matched.tolist())
    assert backend.matching(query_string, narrow, pks[:2]) == set(matched.tolist()) & set(pks[:2])
