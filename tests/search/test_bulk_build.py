"""What a bulk write's processes hand back to their parent: the words they analysed (issue 14,
index build rate)."""
import os

import pytest
from haystack.query import SearchQuerySet

from articles import services
from articles.ingest.types import ArticleData, CountryMention
from articles.models import Article
from articles.search.backends.whoosh import analysis
from articles.search.indexing.queue import article_index

pytestmark = pytest.mark.django_db

BATCH = 6


def store(bodies) -> list[int]:
    items = [(ArticleData(body=body, raw="", language="fr", raw_format="text", countries=[CountryMention("UA")]), "test") for body in bodies]
    services.articles_bulk_upsert(items=items, reindex=False)
    return list(Article.objects.order_by("pk").values_list("pk", flat=True))


def write_in_bulk(backend, pks) -> None:
    index = article_index()
    backend.update(index, list(index.index_queryset().filter(pk__in=pks)))


def test_the_words_a_bulk_write_s_processes_analysed_come_back_to_its_parent(search_options):
    backend = search_options(BULK_MIN_DOCUMENTS=BATCH)
    pks = store([f"Les brelimondes numéro {n} traversent la plaine." for n in range(BATCH)])
    analysis.forget_forms()
    write_in_bulk(backend, pks)  # analysed in the writer processes only
    learned = analysis.learned_forms(0)
    assert "brelimondes" in learned and "traversent" in learned
    kept = learned["brelimondes"]
    analysis.forget_forms()
    assert analysis._index_forms("brelimondes") == kept  # the same forms the parent would find
    assert sorted(int(r.pk) for r in SearchQuerySet().auto_query("brelimonde")) == pks
    # The files they came in went with the writer's temporary folder.
    assert not [name for name in os.listdir(backend.path) if name.endswith(".tmp") or "forms" in name]


def test_the_word_forms_kept_stop_at_their_bound(monkeypatch):
    analysis.forget_forms()
    monkeypatch.setattr(analysis, "INDEX_FORMS_LIMIT", 3)
    analysis.learn_forms({f"mot{n}": ((f"mot{n}", f"=mot{n}"), f"mot{n}") for n in range(5)})
    assert list(analysis.learned_forms(0)) == ["mot0", "mot1", "mot2"]
    terms, spelling = analysis._index_forms("chevaux")  # not kept, still analysed
    assert spelling == "chevaux" and "=chevaux" in terms
    assert analysis.known_forms() == 3
    analysis.forget_forms()
