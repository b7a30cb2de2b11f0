"""The backend contract on the Whoosh engine, on a real index in a temporary folder."""
import pytest

from tests.search.contract import BackendContract

pytestmark = pytest.mark.django_db


class TestWhooshContract(BackendContract):
    @pytest.fixture
    def engine(self, search_backend):
        return search_backend  # conftest: a new Whoosh index per test, with SEARCH_URL's options
