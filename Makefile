# 督导工作台 — `make run` starts the app, `make test` runs every test (see README.md).
#
# Needs only python3 (>= 3.11), git and make; `make test` also installs Debian's chromium.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_USER ?= postgres
PG_DB ?= supervision
# pytest-django creates and drops test_$(PG_DB) itself; $(PG_DB) only has to exist.
PG_DATABASE_URL ?= postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(PG_DB)

# Reinstall only when pyproject.toml changes; the stamps live in the venv, so a new venv
# reinstalls too.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
PROD_STAMP := $(VENV)/.installed-prod
WORKERS ?= 3
# gthread workers: on two busy cores 3 × 4 threads answered the load script's mix with a third of
# the p95 of 3 or 5 sync workers at the same rate (README, Performance: Throughput).
THREADS ?= 4

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# "true", "1", "yes": any value but empty/0/false/no counts as CI.
IS_CI := case "$${CI:-}" in ""|0|false|False|FALSE|no) false ;; *) true ;; esac

.PHONY: help run serve worker install install-test browser-deps document-deps postgres-ready \
	redis-ready test test-sqlite test-postgres lint bench messages clean

help:
	@echo "make run            set up (venv, install, migrate, seed data, demo logins) and runserver"
	@echo "                    on http://$(HOST):$(PORT)/ (HOST=… PORT=… to change)"
	@echo "make serve          production: gunicorn on DATABASE_URL (PostgreSQL), static files"
	@echo "                    collected; SECRET_KEY and DATABASE_URL from the environment"
	@echo "make worker         production: the Celery worker and beat of the background jobs"
	@echo "                    (CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/2, and the settings"
	@echo "                    of make serve from the environment)"
	@echo "make test           install test tools and chromium, run the suite on SQLite and"
	@echo "                    PostgreSQL"
	@echo "make lint           ruff: lint and format check (make test runs it too)"
	@echo "make test-sqlite    the suite on SQLite only (PYTEST_ARGS='-k …' to narrow)"
	@echo "make test-postgres  the suite on PostgreSQL only ($(PG_DATABASE_URL))"
	@echo "make bench          every page and export against its SQL and render floors on generated"
	@echo "                    national data (PostgreSQL; BENCH_YEARS=20 for twenty years) and city"
	@echo "                    data (SQLite), the heaviest templates, and the seeds' import"
	@echo "make messages       update and compile the zh_Hans and en translations"

# --- installation -----------------------------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.version_info >= (3, 11) or sys.exit( \
	  "Python >= 3.11 is required; $(PYTHON) is " + sys.version.split()[0])'
	echo "==> creating the virtualenv $(VENV)"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	@echo "==> installing the project into $(VENV)"
	$(PY) -m pip install --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	@echo "==> installing the project with its test tools into $(VENV)"
	$(PY) -m pip install --disable-pip-version-check -e '.[test,ocr]'
	touch $(RUN_STAMP) $@

$(PROD_STAMP): pyproject.toml | $(PY)
	@echo "==> installing the project with its production server into $(VENV)"
	$(PY) -m pip install --disable-pip-version-check -e '.[prod]'
	touch $(RUN_STAMP) $@

install: $(RUN_STAMP)
install-test: $(TEST_STAMP)

# Debian's chromium, driven by Playwright through executable_path; never `playwright install`.
browser-deps:
	@fonts_ok=true
	if command -v dpkg-query >/dev/null; then
	  dpkg-query -W -f='$${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' \
	    || fonts_ok=false
	fi
	if [ -x "$(CHROMIUM)" ] && $$fonts_ok; then exit 0; fi
	echo "==> installing Debian chromium and fonts-noto-cjk"
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk

# Optional system packages for the importer: LibreOffice (headless, without its GUI) converts
# .doc and .wps; poppler-utils' pdftoppm renders scanned PDFs for text recognition.
document-deps:
	@if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then exit 0; fi
	echo "==> installing libreoffice-writer-nogui and poppler-utils"
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	  libreoffice-writer-nogui poppler-utils

# Starts the local cluster if it is down and creates $(PG_DB); fails when neither works.
postgres-ready:
	@ready() { command -v pg_isready >/dev/null && pg_isready -q -h $(PG_HOST) -p $(PG_PORT); }
	if ! ready; then
	  if ls /etc/postgresql/ >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null; then
	    echo "==> PostgreSQL is down: starting it"
	    version=$$(ls /etc/postgresql | sort -V | tail -n1)
	    $(SUDO) pg_ctlcluster --skip-systemctl-redirect "$$version" main start || true
	    for _ in $$(seq 30); do ready && break; sleep 1; done
	  fi
	fi
	if ! ready; then
	  echo "PostgreSQL is not reachable on $(PG_HOST):$(PG_PORT)" >&2
	  exit 1
	fi
	exists=$$(psql -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) -d postgres -tAc \
	  "SELECT 1 FROM pg_database WHERE datname = '$(PG_DB)'")
	if [ "$$exists" != 1 ]; then
	  echo "==> creating the database $(PG_DB)"
	  # Another run may create it at the same moment; only its absence afterwards is an error.
	  createdb -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) $(PG_DB) || \
	    psql -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) -d $(PG_DB) -tAc 'SELECT 1' >/dev/null
	fi

# Starts the local Redis if it is down (installs redis-server with apt if missing): the broker of
# the background jobs, which one test runs a real worker against (tests/jobs/test_worker.py).
REDIS_HOST ?= 127.0.0.1
REDIS_PORT ?= 6379
redis-ready:
	@ready() { $(PYTHON) -c 'import socket, sys; s = socket.create_connection(("$(REDIS_HOST)", $(REDIS_PORT)), 2); \
	  s.sendall(b"PING\r\n"); sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)' 2>/dev/null; }
	if ready; then exit 0; fi
	if ! command -v redis-server >/dev/null; then
	  echo "==> installing redis-server"
	  $(SUDO) apt-get update
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server
	fi
	echo "==> Redis is down: starting it"
	redis-server --bind $(REDIS_HOST) --port $(REDIS_PORT) --daemonize yes --save "" --appendonly no
	for _ in $$(seq 30); do ready && break; sleep 0.5; done
	if ! ready; then
	  echo "Redis is not reachable on $(REDIS_HOST):$(REDIS_PORT)" >&2
	  exit 1
	fi

# --- run --------------------------------------------------------------------------------------

run: $(RUN_STAMP)
	@export DEBUG=1
	# A development checkout: later `manage.py` commands (import_workpoints, shell) need no flags.
	test -f .env || printf '# Written by make run for local development; never deploy with it.\nDEBUG=1\n' > .env
	# Links in mail (reminders) and the logins printed below point where runserver listens.
	export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo
	exec $(PY) manage.py runserver "$(HOST):$(PORT)"

# Production: the environment brings SECRET_KEY and DATABASE_URL (and the settings the README
# lists); nothing here defaults them. gunicorn logs one JSON line per request through Django.
# Idle connections are kept 75 s, longer than the proxy keeps its own (nginx: 60 s), so that the
# proxy closes them: gunicorn closing one as the proxy sends on it fails that request.
serve: $(PROD_STAMP)
	@: "$${SECRET_KEY:?make serve needs SECRET_KEY in the environment}"
	: "$${DATABASE_URL:?make serve needs DATABASE_URL in the environment (PostgreSQL)}"
	export DEBUG=0 STATIC_MANIFEST=1
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py check --deploy
	exec $(VENV)/bin/gunicorn supervision.wsgi:application --bind "$(HOST):$(PORT)" \
	  --workers $(WORKERS) --threads $(THREADS) --timeout 60 --graceful-timeout 30 --max-requests 10000 \
	  --max-requests-jitter 1000 --keep-alive 75 --preload --error-logfile -

# Production: the background jobs' worker, with beat for the daily runs (supervision/settings.py,
# CELERY_BEAT_SCHEDULE) in the same process; run it on one host only (beat must be unique).
# Hosts that add workers run `celery -A supervision worker` without -B.
worker: $(PROD_STAMP)
	@: "$${SECRET_KEY:?make worker needs SECRET_KEY in the environment}"
	: "$${DATABASE_URL:?make worker needs DATABASE_URL in the environment (PostgreSQL)}"
	: "$${CELERY_BROKER_URL:?make worker needs CELERY_BROKER_URL in the environment (redis://…)}"
	export DEBUG=0
	exec $(VENV)/bin/celery -A supervision worker -B --loglevel=INFO --concurrency=$(WORKERS) \
	  --schedule="$${CELERY_BEAT_FILE:-$(VENV)/celerybeat-schedule}"

# --- tests ------------------------------------------------------------------------------------

# Both databases run even if the first fails; the exit status says whether either did.
test: $(TEST_STAMP) browser-deps document-deps
	@status=0
	if ! $(MAKE) redis-ready; then
	  if $(IS_CI); then status=1; else echo "==> no Redis: the real worker test is skipped (CI would fail)"; fi
	fi
	$(MAKE) lint || status=1
	$(MAKE) test-sqlite || status=1
	$(MAKE) test-postgres || status=1
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)" >&2; fi
	exit $$status

lint: $(TEST_STAMP)
	@echo "==> ruff check and ruff format --check"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# pytest exits 5 when it collects nothing; make counts that as a failure like any non-zero.
test-sqlite: $(TEST_STAMP) browser-deps document-deps
	@echo "==> pytest on SQLite"
	start=$$SECONDS
	env -u DATABASE_URL -u DEBUG SECRET_KEY=test $(VENV)/bin/pytest $(PYTEST_ARGS) || status=$$?
	echo "==> SQLite run: $$((SECONDS - start)) s, exit status $${status:-0}"
	exit $${status:-0}

test-postgres: $(TEST_STAMP) browser-deps document-deps
	@if ! $(MAKE) postgres-ready; then
	  if $(IS_CI); then
	    echo "ERROR: PostgreSQL is required under CI (CI=$$CI) and is not reachable." >&2
	    exit 1
	  fi
	  echo "==> SKIPPED the PostgreSQL run: no server on $(PG_HOST):$(PG_PORT) (CI would fail here)"
	  exit 0
	fi
	echo "==> pytest on PostgreSQL ($(PG_DATABASE_URL))"
	start=$$SECONDS
	env -u DEBUG DATABASE_URL=$(PG_DATABASE_URL) SECRET_KEY=test $(VENV)/bin/pytest $(PYTEST_ARGS) \
	  || status=$$?
	echo "==> PostgreSQL run: $$((SECONDS - start)) s, exit status $${status:-0}"
	exit $${status:-0}

# --- other ------------------------------------------------------------------------------------

# DEBUG off: with it on, Django keeps every query in memory and the figures would include that.
# The benchmark (README, Performance). PostgreSQL: the database $(BENCH_DB), created when
# missing and filled by `generate_demo --scale national --years $(BENCH_YEARS)` unless it already
# holds that seed's data of those years (ten minutes or more the first time); its tables are its
# own, never point it at one that matters. Then the heaviest pages' templates by Django's engine
# and Jinja2. SQLite: a temporary file with the seeds and `generate_demo --scale city` (the Excel
# figures are PostgreSQL's only: they would repeat). Results in bench-results/ (git-ignored).
BENCH_DB ?= supervision_bench
BENCH_SEED ?= 1
BENCH_N ?= 20
BENCH_YEARS ?= 10
bench: $(RUN_STAMP)
	@export DEBUG=0 SECRET_KEY="$${SECRET_KEY:-bench}"
	start=$$SECONDS
	if $(MAKE) postgres-ready PG_DB=$(BENCH_DB); then
	  $(PY) scripts/bench_pages.py --postgres --seed $(BENCH_SEED) -n $(BENCH_N) --years $(BENCH_YEARS) \
	    --database-url postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(BENCH_DB)
	  $(PY) scripts/bench_templates.py -n $$(( $(BENCH_N) * 2 )) \
	    --database-url postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(BENCH_DB)
	  $(PY) scripts/bench_import.py --postgres
	else
	  echo "==> no PostgreSQL on $(PG_HOST):$(PG_PORT): the SQLite figures only"
	fi
	$(PY) scripts/bench_pages.py --sqlite --seed $(BENCH_SEED) -n $(BENCH_N) --no-excel
	$(PY) scripts/bench_import.py
	echo "==> make bench: $$((SECONDS - start)) s"

messages: $(RUN_STAMP)
	@if ! command -v xgettext >/dev/null; then
	  echo "==> installing GNU gettext"
	  $(SUDO) apt-get update
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y gettext
	fi
	export DEBUG=1
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=$(VENV) --ignore=staticfiles \
	  --ignore=test-results
	$(PY) manage.py compilemessages --ignore=$(VENV)

clean:
	rm -rf .pytest_cache test-results staticfiles
