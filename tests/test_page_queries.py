"""What a public page costs the database: a bounded number of queries, whatever it lists."""
from datetime import date

import pytest

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    """Twelve articles on sanctions from six sources, each naming two actors, two countries, two tags."""
    with commit_hooks():
        articles = [
            make_article(f"Les sanctions frappent l’économie, dit le rapport {n}.", title=f"Sanctions {n}",
                         published=date(2022, 1 + n % 12, 1 + n), source=f"Journal {n % 6}",
                         actors=[f"Acteur {n}", "Joe Biden"], countries=["FR", "CN"], tags=["Sanctions", f"Thème {n % 3}"])
            for n in range(12)
        ]
    Article.objects.filter(pk=articles[1].pk).update(story=articles[0])
    return articles


def test_a_search_page_of_twelve_articles_takes_at_most_eleven_queries(client, archive, django_assert_max_num_queries):
    client.get("/search/", {"q": "sanctions", "country": "FR"})  # the first page of a process reads the settings once
    # Reading the words as actors' names (5), the labels of five facets (5), the articles listed (1).
    with django_assert_max_num_queries(11):
        html = client.get("/search/", {"q": "sanctions", "country": "FR"}).content.decode()
    assert "12 articles" in html
    assert '<a href="/sources/journal-5/">Journal 5</a>' in html


def test_an_article_page_takes_at_most_four_queries_and_one_more_for_its_same_story(client, archive, django_assert_max_num_queries):
    alone, first = archive[5], archive[0]
    client.get(alone.get_absolute_url())
    # The article with its source, its tags, actors and countries at once, the ids of its same story, the similar articles.
    with django_assert_max_num_queries(4):
        html = client.get(alone.get_absolute_url()).content.decode()
    assert '<li><a href="/actors/joe-biden/">Joe Biden</a></li>' in html
    assert '<li><a href="/countries/cn/">Chine</a></li>' in html
    assert '<li><a href="/tags/theme-2/">Thème 2</a></li>' in html
    assert 'id="same-story-heading"' not in html
    with django_assert_max_num_queries(5):  # and the articles of its story
        html = client.get(first.get_absolute_url()).content.decode()
    assert f'<a href="/articles/{archive[1].pk}/">Sanctions 1</a>' in html


def test_the_home_page_takes_at_most_six_queries(client, archive, django_assert_max_num_queries):
    client.get("/")
    # The labels of five facets (5) and the latest articles, their links not read (1).
    with django_assert_max_num_queries(6):
        html = client.get("/").content.decode()
    assert "12 articles dans l’archive." in html
    assert '<h3 class="result-title"><a href="/articles/%d/">Sanctions 11</a></h3>' % archive[11].pk in html


def test_a_list_reads_its_articles_in_one_query_as_the_queryset_would(archive, django_assert_num_queries):
    from articles import selectors

    untitled = make_article("Sans titre ni source, une dépêche brève.")
    ids = [untitled.pk, archive[3].pk, 999_999, archive[3].pk]
    with django_assert_num_queries(1):
        found = selectors.articles_for_listing(ids)
    expected = selectors.listed_articles().in_bulk(ids)

    def shown(article):
        return (article.pk, article.display_title, article.published_on, article.date_precision, article.get_absolute_url(),
                article.source and (article.source.slug, article.source.name), article.agency, article.get_deferred_fields())

    assert sorted(found) == sorted(expected) == sorted([untitled.pk, archive[3].pk])
    assert {pk: shown(a) for pk, a in found.items()} == {pk: shown(a) for pk, a in expected.items()}
    assert found[untitled.pk].display_title == "Sans titre ni source, une dépêche brève."
    assert found[archive[3].pk].source.name == "Journal 3"
    assert selectors.articles_for_listing([]) == {}


def _plan(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        # However few rows the test has, a plan that can do without a sort shows it.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_newest_articles_of_the_home_page_and_the_admin_list_are_read_off_an_index_not_sorted(client, archive):
    # Without an index in their order PostgreSQL sorted every article for a page of ten
    # (128 ms of the home page's 160 at 100,000 articles).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as home:
        assert client.get("/").status_code == 200
    newest = [q["sql"] for q in home.captured_queries if 'ORDER BY "articles_article"."created_at" DESC' in q["sql"]]
    assert newest, "the home page lists the articles added last"
    admin_list = str(Article.objects.only("pk")[:100].query)  # Meta.ordering: the admin's article list
    for sql in newest + [admin_list]:
        plan = _plan(sql)
        assert "Sort" not in plan, plan
        assert "article_added_order" in plan or "article_published_order" in plan, plan
