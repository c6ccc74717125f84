# Präventionsangebote Oberhausen. The two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL := postgres://app:app@127.0.0.1:5432/app
# The demo's map tiles (loaded in the browser only after "Karte laden"); production sets its own.
MAP_TILE_URL ?= https://tile.openstreetmap.org/{z}/{x}/{y}.png
DEV_ENV := DEBUG=true
# Tests run with production-like settings (DEBUG off); the key is for tests only.
TEST_ENV := DEBUG=false SECRET_KEY=test-only-not-secret ALLOWED_HOSTS=testserver,localhost,127.0.0.1 STATIC_MANIFEST=false SECURE_SSL_REDIRECT=false PAGE_CACHE=false
PYTEST_ARGS ?=
# One test process per core; whole files per process, so a module's demo data loads once
# and, in collection order, the transactional tests (files of their own) after the others.
XDIST ?= -n auto --dist loadfile --no-loadscope-reorder

.PHONY: run serve test lint test-postgres test-sqlite postgres test-tools messages bench clean

## run: install, migrate, load the demo data and serve http://127.0.0.1:8000 on SQLite
run: $(VENV)/.installed-run
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py load_demo_data --demo-login
	$(DEV_ENV) $(BIN)/python manage.py find_parallel_offers
	@echo "== Serving http://$(HOST):$(PORT)/ (HOST=… PORT=… make run for another address)"
	$(DEV_ENV) MAP_TILE_URL='$(MAP_TILE_URL)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

## serve: production mode on this machine: PostgreSQL, gunicorn, WhiteNoise, DEBUG off
# Plain http on 127.0.0.1, so no redirect to https; everything else as in production.
SERVE_ENV = DEBUG=false DATABASE_URL=$(PG_URL) ALLOWED_HOSTS=127.0.0.1,localhost \
	SECRET_KEY=$$(cat .serve-secret) SECURE_SSL_REDIRECT=false GUNICORN_BIND=$(HOST):$(PORT)
serve: $(VENV)/.installed-run postgres .serve-secret
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py load_demo_data
	$(SERVE_ENV) $(BIN)/python manage.py find_parallel_offers
	$(SERVE_ENV) $(BIN)/gunicorn --config gunicorn.conf.py oberhausen_praevention.wsgi

.serve-secret:
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

## lint: ruff (lint, import order, format) and django-upgrade; fails on any finding
PY_FILES = find . -name '*.py' -not -path './.venv/*' -not -path './node_modules/*' -not -path '*/migrations/*'
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY_FILES) | xargs $(BIN)/django-upgrade --target-version 5.2

## test: install, lint, start PostgreSQL, run the whole suite on PostgreSQL and then on SQLite
test: $(VENV)/.installed-dev lint postgres test-tools
	@status=0; \
	echo "== Test suite on PostgreSQL"; \
	DATABASE_URL=$(PG_URL) $(TEST_ENV) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS) || status=1; \
	echo "== Test suite on SQLite"; \
	$(TEST_ENV) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS) || status=1; \
	if [ $$status -ne 0 ]; then echo "== The suite failed on at least one database."; fi; \
	exit $$status

test-postgres: $(VENV)/.installed-dev postgres test-tools
	DATABASE_URL=$(PG_URL) $(TEST_ENV) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-sqlite: $(VENV)/.installed-dev test-tools
	$(TEST_ENV) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

postgres:
	@bash scripts/postgres-up.sh app app app

## test-tools: Chromium, Java and the npm test tools (axe-core, vnu-jar)
test-tools:
	@bash scripts/test-tools-up.sh

# The figures of docs/benchmarks.md (10 000 and 100 000 offers; about 15 minutes).
BENCH_OFFERS ?= 10000 100000
bench: $(VENV)/.installed-dev postgres
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python scripts/bench.py --offers $(BENCH_OFFERS) --duration 10 --output bench-report.md

## messages: refresh and compile the catalogues (needs GNU gettext)
# Every language of settings.LANGUAGES but English (the msgids are English).
CATALOGUES ?= de tr ar uk ru
messages: $(VENV)/.installed-dev
	$(DEV_ENV) $(BIN)/python manage.py makemessages $(foreach l,$(CATALOGUES),-l $(l)) --no-location --ignore=.venv --ignore=tests --ignore=node_modules --ignore=staticfiles
	$(DEV_ENV) $(BIN)/python manage.py compilemessages $(foreach l,$(CATALOGUES),-l $(l)) --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles *.egg-info .pytest_cache

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV); \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing python3-venv from Debian ..."; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && \
			$(PYTHON) -m venv $(VENV); \
		else \
			echo "Cannot create a virtualenv: run 'sudo apt-get install python3-venv' first."; exit 1; \
		fi; }

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	@bash scripts/pdf-fonts-up.sh
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@bash scripts/pdf-fonts-up.sh
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@ $(VENV)/.installed-run
