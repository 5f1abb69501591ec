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
# The rule engine's hot modules, compiled with mypyc when a C compiler is at hand
# (ruleengine/_native.py decides at import whether the build matches the sources).
ENGINE_COMPILED := $(patsubst %,ruleengine/%.py,catalogue errors normalise language fuzzy verdict checks grader compiler _native _build_native)

.PHONY: setup run test bench lint format clean

setup: ## create .venv, install the locked dependencies, compile translations
	@test -x $(UV) || { python3 -m venv $(VENV) && $(VENV)/bin/pip install --quiet uv==$(UV_VERSION); }
	@$(UV) sync --frozen --quiet
	@$(MAKE) -s --no-print-directory ruleengine/_compiled/SOURCES
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

ruleengine/_compiled/SOURCES: $(ENGINE_COMPILED) $(VENV)/pyvenv.cfg
	@$(PY) -m ruleengine._build_native

clean:
	rm -rf var/courtesy.sqlite3* var/celery var/test.sqlite3* ruleengine/_compiled
