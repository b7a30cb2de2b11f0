"""haystack's own Whoosh tests pass on our engine as on haystack's stock one.

The tests come from the django-haystack source distribution on PyPI (`make test` downloads it
once into the virtualenv: the `haystack-suite` target); none is copied here. Each engine runs
the whole `test_haystack.whoosh_tests` package in a process of its own, with haystack's test
settings and only the Whoosh connections' ENGINE changed (tests/search/haystack_suite). Every
test that passes on the stock engine must pass on ours, but for the deliberate differences
below, which the README lists with the same reasons.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import haystack
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUR_ENGINE = "articles.search.backends.whoosh.engine.FrenchWhooshEngine"
SUITE_DIR = Path(os.environ.get(
    "NEWSARCHIVE_HAYSTACK_SUITE", Path(sys.prefix) / "haystack-suite" / f"django_haystack-{haystack.__version__}",
))
PREFIX = "test_haystack.whoosh_tests."
# Tests that pass on haystack's engine and, on purpose, not on ours: {test id: why}.
PAGING = ("haystack turns a slice into a Whoosh page as long as the slice, so [1:3] is items 2-3 of the "
          "first page of 2 and [0:0] is one result; ours returns the items asked for")
DELIBERATE = {
    "test_whoosh_backend.LiveWhooshSearchQuerySetTestCase.test_slice": PAGING,
    "test_whoosh_backend.LiveWhooshSearchQuerySetTestCase.test_values_slicing": PAGING,
    "test_whoosh_backend.WhooshSearchBackendTestCase.test_slicing": PAGING,
    "test_whoosh_backend.WhooshSearchBackendTestCase.test_highlight": (
        "our snippets are up to two fragments around the searched words with white space made one "
        "space ('<em>Indexed</em>! 1'); Whoosh's highlighter keeps the text's line breaks"
    ),
}


def run_suite(engine: str | None, outcomes: Path) -> subprocess.Popen:
    # Only test_haystack/ of the source distribution is importable: haystack itself is the
    # installed one, which our engine subclasses.
    (outcomes.parent / "test_haystack").symlink_to(SUITE_DIR / "test_haystack")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(outcomes.parent), str(ROOT)]),
               NEWSARCHIVE_HAYSTACK_ENGINE=engine or "", NEWSARCHIVE_HAYSTACK_OUTCOMES=str(outcomes))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "django", "test", "test_haystack.whoosh_tests",
         "--settings=tests.search.haystack_suite.settings", "--verbosity=0", "--noinput"],
        cwd=outcomes.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def counts(outcomes: dict[str, str]) -> str:
    found = {}
    for outcome in outcomes.values():
        found[outcome] = found.get(outcome, 0) + 1
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(found.items()))


def test_haystack_whoosh_suite_passes_on_our_engine_as_on_the_stock_one(tmp_path, capsys):
    if not (SUITE_DIR / "test_haystack" / "whoosh_tests").is_dir():
        pytest.fail(f"haystack's test suite is not at {SUITE_DIR}: `make haystack-suite` downloads it")
    started = time.monotonic()
    (tmp_path / "stock").mkdir()
    (tmp_path / "ours").mkdir()
    runs = {name: run_suite(engine, tmp_path / name / "outcomes.json")
            for name, engine in (("stock", None), ("ours", OUR_ENGINE))}
    logs = {name: run.communicate(timeout=600)[0] for name, run in runs.items()}
    outcomes = {}
    for name in runs:
        path = tmp_path / name / "outcomes.json"
        assert path.exists(), f"haystack's suite did not run on the {name} engine:\n{logs[name][-3000:]}"
        outcomes[name] = {k.removeprefix(PREFIX): v for k, v in json.loads(path.read_text()).items()}
    stock, ours = outcomes["stock"], outcomes["ours"]
    passed_on_stock = {t for t, o in stock.items() if o == "passed"}
    lost = sorted(t for t in passed_on_stock if ours.get(t) != "passed")
    with capsys.disabled():  # the counts belong in every run's output
        print(f"\nhaystack {haystack.__version__} whoosh_tests ({time.monotonic() - started:.0f} s, both engines at once)")
        print(f"  stock WhooshEngine:  {counts(stock)}")
        print(f"  FrenchWhooshEngine:  {counts(ours)}")
        for test in lost:
            print(f"  differs: {test}: {ours.get(test, 'not run')}{' (deliberate)' if test in DELIBERATE else ''}")
    assert [t for t in lost if t not in DELIBERATE] == [], logs["ours"][-20000:]
    # A deliberate difference that no longer differs is a stale entry.
    assert sorted(DELIBERATE) == lost
