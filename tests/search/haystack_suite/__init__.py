"""Run haystack's own Whoosh tests (from its source distribution) against an engine of ours.

Not collected by pytest (no test_ files here): tests/search/test_haystack_suite.py runs the
suite in subprocesses with these settings, once per engine, and compares the outcomes.
"""
