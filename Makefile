# NewsArchive: `make run` sets up and serves the archive; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The virtualenv is rebuilt when the requirement files change.
STAMP := $(VENV)/.installed-$(shell cat requirements*.txt | cksum | cut -d' ' -f1)

.PHONY: run test install postgres chromium setup serve haystack-suite

$(STAMP): requirements.txt requirements-dev.txt requirements-elasticsearch.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -r requirements-elasticsearch.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

postgres:
	@scripts/ensure_postgres.sh

# Database, tables, the sample pages, the search index and an admin account.
setup: install postgres
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py import_articles fixtures/seeds
	$(PY) manage.py index_status --repair
	$(PY) manage.py ensure_admin

# Two web workers (each keeping 1000 visitors' pages for the archive's current state: README,
# "Served pages"), a queue worker that applies index updates a web process could not, and the
# tag suggestions, learned again after each bulk curation.
serve:
	@echo "NewsArchive: http://$(HOST):$(PORT)/   curation: http://$(HOST):$(PORT)/admin/   (Ctrl-C stops it)"
	@$(PY) manage.py process_index_queue --watch --interval 1 & worker=$$!; \
	$(PY) manage.py suggest_tags --watch & suggester=$$!; \
	trap 'kill $$worker $$suggester 2>/dev/null' EXIT INT TERM; \
	NEWSARCHIVE_PAGE_CACHE_SIZE=$${NEWSARCHIVE_PAGE_CACHE_SIZE:-1000} $(VENV)/bin/gunicorn -c newsarchive/gunicorn.conf.py newsarchive.wsgi --bind $(HOST):$(PORT)

run: setup serve

# Debian's Chromium drives the browser tests (tests/browser) through Playwright; nothing is downloaded by Playwright.
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# haystack's own tests (test_haystack/), from its source distribution on PyPI, run against our
# engine by tests/search/test_haystack_suite.py; downloaded once, kept in the virtualenv.
HAYSTACK_VERSION := $(shell sed -n 's/^django-haystack==//p' requirements.txt)
HAYSTACK_SUITE := $(VENV)/haystack-suite/django_haystack-$(HAYSTACK_VERSION)
$(HAYSTACK_SUITE)/test_haystack: | $(STAMP)
	$(PY) -m pip download --disable-pip-version-check -q --no-deps --no-binary :all: django-haystack==$(HAYSTACK_VERSION) -d $(VENV)/haystack-suite
	tar -xzf $(VENV)/haystack-suite/django_haystack-$(HAYSTACK_VERSION).tar.gz -C $(VENV)/haystack-suite
	@touch $@

haystack-suite: $(HAYSTACK_SUITE)/test_haystack

test: install postgres chromium haystack-suite
	$(PY) -m pytest $(PYTEST_ARGS)
