"""The backend contract on Elasticsearch 7, when ES_URL names a cluster (http://host:9200/).

An operator proves a cluster before switching SEARCH_URL to it:
    ES_URL=http://search.internal:9200/ .venv/bin/python -m pytest tests/search/test_contract_elasticsearch.py
Each test uses an index of its own (test_newsarchive_<pid>), deleted afterwards.
"""
import os

import haystack
import pytest

from tests.search.contract import BackendContract

ES_URL = os.environ.get("ES_URL", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ES_URL, reason="no Elasticsearch cluster here: set ES_URL=http://host:9200/ to run the contract on one"),
]


class TestElasticsearchContract(BackendContract):
    @pytest.fixture
    def engine(self, search_backend):
        pytest.importorskip("elasticsearch", reason="the Elasticsearch 7 client is not installed (requirements-elasticsearch.txt)")
        from newsarchive.settings import haystack_connection

        name = f"test_newsarchive_{os.getpid()}"
        address = ES_URL.replace("https://", "elasticsearch7s://").replace("http://", "elasticsearch7://")
        info = haystack.connections.connections_info["default"]
        info.clear()
        info.update(haystack_connection(address.rstrip("/") + "/" + name))
        haystack.connections.reload("default")
        backend = haystack.connections["default"].get_backend()
        backend.clear()
        yield backend
        backend.conn.indices.delete(index=name, ignore=[404])
