"""The benchmark's COPY loader writes what the bulk service writes, and the index built from it agrees."""
import copy
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import bench_load  # noqa: E402
from bench_search import Corpus  # noqa: E402

from articles.models import Article  # noqa: E402

TABLES = {
    "articles_article": "id", "articles_articleactor": "id", "articles_articlecountry": "id",
    "articles_article_tags": "id", "articles_actor": "id", "articles_actoralias": "id", "articles_tag": "id",
    "articles_source": "id", "articles_country": "code",
}


def stored_rows() -> dict:
    """Return every row the loaders write, creation and update times left out."""
    rows = {}
    with connection.cursor() as cursor:
        for table, order in TABLES.items():
            cursor.execute(f"SELECT * FROM {table} ORDER BY {order}")
            columns = [d[0] for d in cursor.description]
            rows[table] = [tuple(v for c, v in zip(columns, row) if c not in ("created_at", "updated_at"))
                           for row in cursor.fetchall()]
    return rows


# The loaders TRUNCATE and COPY: real commits. Rolled back as every other such test of the suite (its
# data restored, not made again by migrate), or the next one that is fails on the content types.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_copy_loader_stores_the_rows_of_the_bulk_service_and_the_index_built_from_them_has_no_drift(monkeypatch):
    from django.core.management import call_command

    from articles.search.indexing.drift import index_status
    from articles.search.page import run_search
    from articles.search.request import SearchRequest

    corpus = Corpus(50, 4)  # the same draws twice: each load gets a copy of the untouched generator
    monkeypatch.setattr(bench_load, "BATCH", 20)  # three batches: names first met in a later one too
    bench_load.load_through_services(copy.deepcopy(corpus), progress=False)
    through_services = stored_rows()
    bench_load.load(copy.deepcopy(corpus), progress=False)
    through_copy = stored_rows()

    assert {t: len(r) for t, r in through_copy.items()} == {t: len(r) for t, r in through_services.items()}
    assert through_copy == through_services
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert index_status().drift == set()
    everything = run_search(SearchRequest(sort="newest"))
    assert everything.total == 50
    assert [hit.pk for hit in everything.page.object_list] == [
        str(pk) for pk in Article.objects.order_by(F("published_on").desc(nulls_last=True), "-id").values_list("pk", flat=True)[:20]]
