"""System checks: a misconfiguration becomes one clear line at start-up, not a traceback."""
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.db import connections
from django.db.utils import OperationalError


@register("newsarchive")
def check_settings(app_configs=None, **kwargs):
    """Report what newsarchive/settings.py could not make sense of (no usable SECRET_KEY, bad values)."""
    return [Error(problem, id="newsarchive.E004") for problem in getattr(settings, "SETTINGS_PROBLEMS", [])]


@register("newsarchive")
def check_database(app_configs=None, **kwargs):
    db = settings.DATABASES["default"]
    try:
        connections["default"].ensure_connection()
    except OperationalError as exc:
        reason = (str(exc).strip().splitlines() or ["no answer"])[0]
        return [Error(
            f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} (database '{db.get('NAME')}') cannot be used: {reason}",
            hint="Start PostgreSQL, or set DATABASE_URL; 'make run' creates the database when it is missing.",
            id="newsarchive.E001",
        )]
    return []


@register("newsarchive")
def check_search_index(app_configs=None, **kwargs):
    conn = settings.HAYSTACK_CONNECTIONS["default"]
    if "PATH" not in conn:
        return []
    path = Path(conn["PATH"])
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return [Error(
            f"The search index directory {path} cannot be written (check SEARCH_URL and the folder's permissions).",
            id="newsarchive.E002",
        )]
    return []


@register("newsarchive")
def check_language_model(app_configs=None, **kwargs):
    from importlib.util import find_spec

    name = settings.NEWSARCHIVE_SPACY_MODEL
    if find_spec(name) is None:
        return [Error(
            f"The spaCy language model '{name}' is not installed (pip install -r requirements.txt installs it).",
            id="newsarchive.E003",
        )]
    return []


@register("newsarchive")
def check_elasticsearch(app_configs=None, **kwargs):
    """An Elasticsearch SEARCH_URL: the cluster answers, and its index has the mapping the code builds."""
    conn = settings.HAYSTACK_CONNECTIONS["default"]
    if "elasticsearch" not in conn["ENGINE"].lower():
        return []
    from haystack import connections as search_connections

    where = f"Elasticsearch at {conn.get('URL')} (index '{conn.get('INDEX_NAME')}')"
    client_log = logging.getLogger("elasticsearch")  # logs each failed request with its traceback
    level = client_log.level
    client_log.setLevel(logging.CRITICAL)
    try:
        problems = search_connections["default"].get_backend().index_problems()
    except Exception as exc:  # the client's errors, or its absence (haystack's MissingDependency)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        return [Error(
            f"{where} cannot be used: {reason}",
            hint="Start the cluster or correct SEARCH_URL; the client installs with "
                 "'pip install --no-deps -r requirements-elasticsearch.txt'.",
            id="newsarchive.E005",
        )]
    finally:
        client_log.setLevel(level)
    if problems:
        return [Error(
            f"{where} does not have the mapping this code builds: {'; '.join(problems[:5])}"
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else ""),
            hint="Run 'manage.py rebuild_index' to create the index with the current mapping.",
            id="newsarchive.E006",
        )]
    return []
