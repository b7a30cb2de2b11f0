"""Django's test runner, writing each test's outcome to the JSON file named by
NEWSARCHIVE_HAYSTACK_OUTCOMES: {"module.Class.test": "passed" | "failed" | "error" | "skipped" ...}."""
import json
import os
import unittest

from django.test.runner import DiscoverRunner


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes: dict[str, str] = {}

    def _record(self, test, outcome):
        self.outcomes[test.id()] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed")

    def addError(self, test, err):
        super().addError(test, err)
        # An error in setUpClass is reported on a _ErrorHolder standing for the whole class.
        self._record(test, "error")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "expected failure")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "unexpected success")

    def stopTestRun(self):
        super().stopTestRun()
        path = os.environ.get("NEWSARCHIVE_HAYSTACK_OUTCOMES")
        if path:
            with open(path, "w") as out:
                json.dump(self.outcomes, out, indent=1, sort_keys=True)


class RecordingRunner(DiscoverRunner):
    def get_resultclass(self):
        return RecordingResult
