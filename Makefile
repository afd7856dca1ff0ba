# Community-affairs administration system. `make demo` runs it; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= full
PYTEST_ARGS ?=
# Background jobs in the demo: kombu's filesystem transport under var/ (no server); see docs/operations.md.
DEMO_BROKER ?= filesystem://
DEMO_ROW_DELAY_MS ?= 20
WORKER_CONCURRENCY ?= 2
WORKER_ARGS ?=

.PHONY: demo test venv sysdeps sysdeps-test migrate seed serve serve-with-worker worker beat lint format check-deploy \
	backup restore restore-drill load-bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@scripts/system-deps.sh runtime

sysdeps-test:
	@scripts/system-deps.sh test

var:
	@mkdir -p var

migrate: venv var
	DEBUG=1 $(PY) manage.py migrate --noinput

seed: migrate
	DEBUG=1 $(PY) manage.py seed_district --scale $(SCALE)

serve: venv
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The demo's server with a Celery worker (and its periodic tasks) in the background on the embedded broker;
# stopping the server (Ctrl-C) stops the worker. The export is slowed per row so its progress bar is seen.
serve-with-worker: venv var
	@mkdir -p var/log
	@export DEBUG=1 CELERY_BROKER_URL=$(DEMO_BROKER) JOBS_EXPORT_ROW_DELAY_MS=$(DEMO_ROW_DELAY_MS); \
	$(PY) -m celery -A community_admin worker --beat --concurrency=$(WORKER_CONCURRENCY) --loglevel=INFO \
		--logfile=var/log/worker.log $(WORKER_ARGS) & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; echo "Worker stopped."' EXIT; \
	trap 'exit 130' INT TERM; \
	echo "Background jobs: Celery worker (pid $$worker) on $(DEMO_BROKER) (var/celery-broker/), log var/log/worker.log"; \
	echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

demo: venv sysdeps seed serve-with-worker

# A job worker. Without REDIS_URL (or CELERY_BROKER_URL) it uses the same embedded broker as `make serve`;
# in production set REDIS_URL and run this on as many machines as needed (docs/operations.md, "Background jobs").
worker: venv var
	$(PY) -m celery -A community_admin worker --concurrency=$(WORKER_CONCURRENCY) --loglevel=INFO $(WORKER_ARGS)

# The periodic tasks (stale-job sweep, result clean-up): exactly one beat per installation.
beat: venv var
	$(PY) -m celery -A community_admin beat --loglevel=INFO

test: venv sysdeps-test var
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# ruff, and the layers contract in pyproject.toml (docs/architecture.md): an upward import fails the build.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The production settings pass Django's deployment checklist.
check-deploy: venv
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=community.example.gov.cn \
		$(PY) manage.py check --deploy --fail-level WARNING

# Backups of the PostgreSQL database named by DATABASE_URL (docs/operations.md, "Backup and restore").
# `make backup` prints the dump's path; `make restore FILE=... [TARGET=db] [FORCE=1]` refuses a database that
# has tables unless FORCE=1 (drop and re-create); `make restore-drill [KEEP=1]` restores into a scratch database
# and compares every table's row count and checksum.
backup: venv var
	@$(PY) scripts/pgbackup.py backup

restore: venv
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/<db>-<timestamp>.dump [TARGET=db] [FORCE=1]" >&2; exit 2; }
	@$(PY) scripts/pgbackup.py restore "$(FILE)" $(if $(TARGET),--target "$(TARGET)") $(if $(filter 1,$(FORCE)),--force)

restore-drill: venv
	@$(PY) scripts/pgbackup.py drill $(if $(filter 1,$(KEEP)),--keep)

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles var/celery-broker var/celerybeat-schedule var/job-results
