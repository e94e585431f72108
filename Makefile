# Folio: `make run` installs, migrates, loads demo content and serves; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV := DJANGO_SETTINGS_MODULE=cms.settings.dev PUBLIC_BASE_URL=$(or $(PUBLIC_BASE_URL),http://$(HOST):$(PORT))
PYTEST_WORKERS ?= 2

.PHONY: install install-dev run edge serve worker scheduler test lint format check clean bench bench-sync-log

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the requirement files change. Both lock every package, direct or not, to
# a version and its hashes (compiled by pip-tools from requirements*.in); pip installs nothing else.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

install: $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

## run: set up everything on the embedded defaults and serve admin and API on $(HOST):$(PORT)
run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	@echo "Admin: http://$(HOST):$(PORT)/admin/   Site: http://$(HOST):$(PORT)/"
	@trap 'kill 0' INT TERM EXIT; \
	$(DEV) $(BIN)/python manage.py db_worker --no-reload & \
	$(DEV) $(BIN)/python manage.py run_scheduler & \
	$(DEV) $(BIN)/gunicorn cms.wsgi -c python:cms.gunicorn --bind $(HOST):$(PORT)

# `make edge`: a local Varnish (Debian's varnish and varnish-modules) in front of `make run`. Its
# files live under .venv; `-j none` keeps varnishd as the invoking user, who can read them there.
EDGE_PORT ?= 6081
EDGE_DIR := $(CURDIR)/$(VENV)/varnish
EDGE_BACKEND := $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
# The purge pipeline reads CDN_*; Varnish appends the client to X-Forwarded-For (NUM_PROXIES);
# clients read through the edge (PUBLIC_BASE_URL).
EDGE_DEV := DJANGO_SETTINGS_MODULE=cms.settings.dev \
	PUBLIC_BASE_URL=$(or $(PUBLIC_BASE_URL),http://127.0.0.1:$(EDGE_PORT)) \
	CDN_BACKEND=varnish CDN_VARNISH_URLS=http://127.0.0.1:$(EDGE_PORT) NUM_PROXIES=1

## edge: `make run` behind a local Varnish on 127.0.0.1:$(EDGE_PORT), purged on every change
edge: install
	@{ command -v varnishd && ls /usr/lib/*/varnish/vmods/libvmod_xkey.so; } >/dev/null 2>&1 || \
		{ echo "make edge needs Varnish 7 and its vmod xkey: apt-get install varnish varnish-modules" >&2; exit 1; }
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	@mkdir -p $(EDGE_DIR)
	$(DEV) $(BIN)/python manage.py varnish_vcl --backend $(EDGE_BACKEND) --output $(EDGE_DIR)/folio.vcl
	@echo "Edge (Varnish): http://127.0.0.1:$(EDGE_PORT)/api/v1/   Origin: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	@trap 'kill 0' INT TERM EXIT; \
	varnishd -F -j none -n $(EDGE_DIR)/instance -a 127.0.0.1:$(EDGE_PORT) -f $(EDGE_DIR)/folio.vcl \
		-s malloc,256m $$($(BIN)/python -c 'from api.delivery.cdn.vcl import RECOMMENDED_PARAMETERS as p; print(*p)') & \
	$(EDGE_DEV) $(BIN)/python manage.py db_worker --no-reload & \
	$(EDGE_DEV) $(BIN)/python manage.py run_scheduler & \
	$(EDGE_DEV) $(BIN)/gunicorn cms.wsgi -c python:cms.gunicorn --bind $(HOST):$(PORT)

## serve: gunicorn only (settings from DJANGO_SETTINGS_MODULE, production by default)
serve: install
	$(BIN)/gunicorn cms.wsgi -c python:cms.gunicorn --bind $(HOST):$(PORT)

## worker: the background task worker (database queue)
worker: install
	$(BIN)/python manage.py db_worker

## scheduler: publish and expire scheduled content every minute (or use cron, see README)
scheduler: install
	$(BIN)/python manage.py run_scheduler

## test: install the dev requirements and run the whole suite
test: install-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# The benchmark's own database and Redis db: never the ones DATABASE_URL/REDIS_URL name in the
# environment (CI's), unless given on the command line: make bench DATABASE_URL=postgres://...
BENCH_SIZES ?= 2000
BENCH_DATABASE_URL ?= $(if $(filter command line,$(origin DATABASE_URL)),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/folio_bench)
BENCH_REDIS_URL ?= $(if $(filter command line,$(origin REDIS_URL)),$(REDIS_URL),redis://127.0.0.1:6379/5)

## bench: seed BENCH_SIZES articles in PostgreSQL, serve with gunicorn, measure against Wagtail
## API v2 with wrk (heavy steps at nice 10; BENCH_NICE=0 on a quiet machine)
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk || (apt-get update && apt-get install -y wrk)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)

# Its own database too (seeded once, reused; each run works on a copy, <name>_run).
SYNC_LOG_ARTICLES ?= 100000
SYNC_LOG_DAYS ?= 365
BENCH_SYNC_LOG_DATABASE_URL ?= $(if $(filter command line,$(origin DATABASE_URL)),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/folio_synclog)

## bench-sync-log: the sync change log's size and prune cost over SYNC_LOG_DAYS simulated days of
## edits at SYNC_LOG_ARTICLES articles (seeding 100,000 takes ~15 min the first time)
bench-sync-log: install-dev
	BENCH_SYNC_LOG_DATABASE_URL=$(BENCH_SYNC_LOG_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
	$(BIN)/python -m bench.sync_log --articles $(SYNC_LOG_ARTICLES) --days $(SYNC_LOG_DAYS) $(SYNC_LOG_ARGS)

clean:
	rm -rf $(VENV) static test-media .pytest_cache .ruff_cache

.PHONY: e2e e2e-docs-screenshots

## e2e: the browser tests alone (needs Debian's chromium: apt-get install chromium)
e2e: install-dev
	$(BIN)/python -m pytest tests/e2e -p no:cacheprovider $(PYTEST_ARGS)

## e2e-docs-screenshots: run them and refresh the editors' guide images in docs/images/editors/
e2e-docs-screenshots: install-dev
	FOLIO_E2E_DOCS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/e2e -p no:cacheprovider $(PYTEST_ARGS)
