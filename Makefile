# Courtesy: `make run` serves the site with demo content, `make test` runs every test.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Procfile.dev names python and celery: the project's own, from .venv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: setup run test bench lint format clean

setup: ## create .venv, install the locked dependencies, compile translations
	@test -x $(UV) || { python3 -m venv $(VENV) && $(VENV)/bin/pip install --quiet uv==$(UV_VERSION); }
	@$(UV) sync --frozen --quiet
	@mkdir -p var
	@$(PY) manage.py ensure_badge_key
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
	  else $(PY) -m core.compile_translations; fi

run: setup ## migrate, load content and demo accounts, then web + worker + beat
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py load_content
	@$(PY) manage.py setup_demo
	@echo ""
	@echo "  Courtesy is starting at http://127.0.0.1:$(PORT)/  (Ctrl-C stops web, worker and beat)"
	@echo ""
	@$(VENV)/bin/honcho -f Procfile.dev start -p $(PORT)

test: setup ## the whole suite (PostgreSQL/Redis/Chromium when DATABASE_URL/REDIS_URL are set)
	@$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup ## benchmarks; results in var/bench/*.json
	@mkdir -p var/bench
	@$(PY) -m benchmarks.run

lint: setup ## ruff, the rule engine's purity contract, mypy on the rule engine
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports
	@$(VENV)/bin/mypy

format: setup
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/courtesy.sqlite3* var/celery var/test.sqlite3*
