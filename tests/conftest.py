"""Fixtures shared by the whole suite: a real Whoosh index per test, the sample pages, data builders."""
import os
from pathlib import Path

import haystack
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

# The backend contract's asserts say what differed, as in a test module.
pytest.register_assert_rewrite("tests.search.contract")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = FIXTURES / "seeds"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give each test run a database of its own, so that two runs at once never share one."""
    from django.conf import settings

    test = settings.DATABASES["default"].setdefault("TEST", {})
    test["NAME"] = f"test_{settings.DATABASES['default']['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def search_backend(tmp_path_factory):
    """Point the search engine at a new, empty Whoosh index on disk for this test only, with the
    options a Whoosh SEARCH_URL gives. It lives outside the test's tmp_path, so that a test
    importing its tmp_path folder never walks into the index's files."""
    from newsarchive.settings import haystack_connection

    info = haystack.connections.connections_info["default"]
    saved = dict(info)
    info.clear()
    info.update(haystack_connection(str(tmp_path_factory.mktemp("index") / "whoosh_index")))
    haystack.connections.reload("default")
    yield haystack.connections["default"].get_backend()
    info.clear()
    info.update(saved)
    haystack.connections.reload("default")


@pytest.fixture(autouse=True)
def shared_pages_folder(settings, tmp_path_factory):
    """Keep the test's shared pages (articles.page_cache.SharedPages) in a folder of its own,
    not in the machine's shared memory where a real site keeps them."""
    settings.NEWSARCHIVE_PAGE_STORE_DIR = str(tmp_path_factory.mktemp("pages"))


@pytest.fixture
def search_options(search_backend):
    """Return configure(**options): the test's index with these connection options, its backend."""
    def configure(**options):
        haystack.connections.connections_info["default"].update(options)
        haystack.connections.reload("default")
        return haystack.connections["default"].get_backend()
    return configure


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def commit_hooks(django_capture_on_commit_callbacks):
    """Run on_commit hooks (index updates) as they would run after a real commit."""
    def run():
        return django_capture_on_commit_callbacks(execute=True)
    return run


@pytest.fixture(autouse=True)
def default_language():
    """Start each test in the default language: a request in English leaves the thread in English."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def unhurried_pages(settings):
    """Give pages all the time they need, so that a busy test machine never skips a suggestion;
    the tests of the time budget set their own."""
    settings.NEWSARCHIVE_PAGE_BUDGET_MS = 60_000


@pytest.fixture
def curator(client):
    """A member of the Curators group, logged in on the test client."""
    user = get_user_model().objects.create_user("claire", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return user
