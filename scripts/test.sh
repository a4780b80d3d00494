#!/usr/bin/env bash
# Runs every check: lint, migrations, the test suite on SQLite and on PostgreSQL, and the Celery integration
# test against the real Redis broker with a real worker. Installs what it needs first (scripts/setup.sh).
#   POSTGRES_URL  default postgres://postgres@127.0.0.1:5432/postgres (pytest creates and drops test_postgres)
#   REDIS_URL     default redis://127.0.0.1:6379/15
set -euo pipefail
export EXTRA_APT_PACKAGES="chromium"
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# The embedded defaults apply: no .env, no broker, SQLite unless a step says otherwise.
unset DATABASE_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND
export DEBUG=1

POSTGRES_URL="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"

log "ruff (lint and format)"
"$PY" -m ruff check .
"$PY" -m ruff format --check .

log "Migrations match the models"
"$PY" manage.py makemigrations --check --dry-run >/dev/null

log "Test suite on SQLite"
"$PY" -m pytest -q

log "Test suite on PostgreSQL ($POSTGRES_URL)"
DATABASE_URL="$POSTGRES_URL" "$PY" -m pytest -q

log "Celery integration test: real worker, real Redis broker ($REDIS_URL)"
CELERY_BROKER_URL="$REDIS_URL" "$PY" -m pytest -q -m celery_integration stempact/tests/test_celery_integration.py
