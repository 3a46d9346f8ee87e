# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

# The local default: DEBUG, SQLite and kombu's file-system broker, unless
# DATABASE_URL / CELERY_BROKER_URL are set in the environment. `make run PORT=8080`
# serves on another port; links in e-mails follow it (unless DJANGO_SITE_URL is set).
PORT ?= 8000
RUN_ENV := DJANGO_DEBUG=true PORT=$(PORT) DJANGO_SITE_URL=$${DJANGO_SITE_URL:-http://127.0.0.1:$(PORT)}
# Tests run in production mode (DEBUG off) but over plain http on localhost.
TEST_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
            DJANGO_HTTPS=false DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,testserver

.PHONY: run test bench bench-scoring bench-national bench-load bench-profiles lint format messages clean lock upgrade audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the locks: every package, direct and indirect, pinned
# with its hashes (pip refuses anything else). requirements*.txt name what we
# depend on; `make lock` resolves them into the locks, `make upgrade` takes
# the newest releases they allow. See README, "Dependencies".
$(STAMP_RUN): requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(STAMP_DEV): requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(STAMP_RUN)

UV_VERSION := 0.13.10
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	--annotation-style line $(UV_ARGS)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock

upgrade:
	$(MAKE) lock UV_ARGS=--upgrade

# Known vulnerabilities in the locked packages (pip-audit); skipped with a
# reason when the advisory database cannot be reached.
audit: $(STAMP_DEV)
	bin/audit

run: $(STAMP_RUN)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py import_regions
	$(RUN_ENV) $(BIN)/python manage.py import_indicators
	$(RUN_ENV) $(BIN)/python manage.py import_goals
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	$(RUN_ENV) $(BIN)/python manage.py demo_totp
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
	$(RUN_ENV) bin/run-local

# The suite runs in parallel, one test database per worker (pytest-xdist);
# PYTEST_WORKERS=0 runs it in one process. The slowest 15 tests are printed last.
PYTEST_WORKERS ?= auto
test: $(STAMP_DEV)
	bin/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(TEST_ENV) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

# Benchmarks build their own data in a throw-away database next to
# DATABASE_URL's (default: PostgreSQL on localhost, the issue's target).
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/kansenagenda_bench
bench: $(STAMP_DEV)
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} $(BIN)/python bench/agenda_editor.py $(BENCH_ARGS)

# Scoring through a real Celery worker needs Redis too (bench/README.md).
BENCH_BROKER ?= redis://127.0.0.1:6379/0
bench-scoring: $(STAMP_DEV)
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(BENCH_BROKER)} \
		$(BIN)/python bench/review_scoring.py $(BENCH_ARGS)

# The national overview under 16 clients through gunicorn; a Redis cache as in production (bench/README.md).
BENCH_CACHE ?= redis://127.0.0.1:6379/0
bench-national: $(STAMP_DEV)
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} DJANGO_CACHE_URL=$${DJANGO_CACHE_URL:-$(BENCH_CACHE)} \
		$(BIN)/python bench/national_overview.py $(BENCH_ARGS)

# Every public page and the chair's and a coordinator's pages under 16 clients at national scale,
# against a one-query floor in the same run (bench/README.md); about 8 minutes.
bench-load: $(STAMP_DEV)
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} DJANGO_CACHE_URL=$${DJANGO_CACHE_URL:-$(BENCH_CACHE)} \
		$(BIN)/python bench/load.py $(BENCH_ARGS)

# Region profiles: recomputed after an import and served warm, against a one-query baseline (bench/README.md).
bench-profiles: $(STAMP_DEV)
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} $(BIN)/python bench/profiles.py $(BENCH_ARGS)

format: $(STAMP_DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP_DEV)
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var db.sqlite3
