# OfferBench: `make run` serves the app with its data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# The first Python 3.12+ on PATH (pyenv reads .python-version and offers 3.13).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
DEV_ENV := DJANGO_SETTINGS_MODULE=config.settings.dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install install-dev run migrate data test lint format check pytest browser-deps lock bench soak a11y scan clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "OfferBench needs Python 3.12 or newer (3.13 recommended, see .python-version)."; \
		echo "Install it (for example: pyenv install 3.13) and run make again."; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base ## Create .venv and install the locked runtime dependencies

# axe-core for the accessibility test, from package-lock.json. Without npm the test is skipped
# (and fails under REQUIRE_BROWSER=1, as in CI).
NODE_DEPS := $(if $(wildcard package-lock.json),node_modules/.installed)

install-dev: $(VENV)/.installed-dev $(NODE_DEPS) ## Install the locked runtime and development dependencies

node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: axe-core not installed; the accessibility test will be skipped (install Node.js and npm)."; fi

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

data: migrate ## Load market data and the demo account (safe to run again)
	$(DEV_ENV) $(BIN)/python manage.py load_market_data
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: data ## Serve the app with demo and market data on http://127.0.0.1:8000 (DEBUG on)
	@echo "Demo sign-in: demo@offerbench.example / offerbench-demo  (admin: admin@offerbench.example / offerbench-admin)"
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-dev ## Django system checks and a check for missing migrations
	$(DEV_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install-dev ## The whole pytest suite with coverage (DATABASE_URL picks the database)
	$(BIN)/pytest -n auto --dist loadfile --cov --cov-report=term:skip-covered

test: lint check pytest ## Lint, checks and the whole suite (browser tests when Chromium is found)

a11y: install-dev ## axe-core and the Nu HTML Checker on every main page, signed out and in
	$(BIN)/pytest -p no:cacheprovider tests/browser/test_accessibility.py tests/browser/test_html_valid.py

scan: install-dev ## bandit over the code, then wapiti3 against gunicorn on 127.0.0.1, signed in (slow)
	$(BIN)/python scripts/scan/bandit_check.py
	scripts/scan/wapiti.sh

lock: install-dev ## Re-resolve requirements/*.lock from pyproject.toml (exact versions and hashes)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.12 -q -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.12 -q -o requirements/dev.lock

bench: install ## Every page under load as in production (gunicorn, wrk, 100,000 bands); writes perf/RESULTS.md
	$(BIN)/python -m perf.bench

soak: install ## 20 people for 2 minutes on PostgreSQL, restarted mid-run; nothing acknowledged is lost
	$(BIN)/python -m perf.soak

clean: ## Remove the virtual environment, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .coverage .pytest_cache
