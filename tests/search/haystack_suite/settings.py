"""haystack's test settings with its Whoosh connections pointed at the engine named by
NEWSARCHIVE_HAYSTACK_ENGINE (haystack's stock engine when unset): only ENGINE changes."""
import os

from test_haystack.settings import *  # noqa: F403  (haystack's own test settings, unchanged)
from test_haystack.settings import HAYSTACK_CONNECTIONS

STOCK_ENGINE = "haystack.backends.whoosh_backend.WhooshEngine"
ENGINE = os.environ.get("NEWSARCHIVE_HAYSTACK_ENGINE") or STOCK_ENGINE

for connection in HAYSTACK_CONNECTIONS.values():
    if connection["ENGINE"] == STOCK_ENGINE:
        connection["ENGINE"] = ENGINE

TEST_RUNNER = "tests.search.haystack_suite.runner.RecordingRunner"
