#!/usr/bin/env bash
# Sets up and starts the platform on the embedded default: SQLite, Celery tasks run eagerly, demo data loaded.
# Open http://127.0.0.1:8000 and log in with one of the printed demo accounts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

log "Migrating the database"
"$PY" manage.py migrate --noinput -v 0
log "Loading demo data"
"$PY" manage.py seed_demo
log "Starting the platform at http://127.0.0.1:8000 (Ctrl+C stops it)"
exec "$PY" manage.py runserver "${HOST_PORT:-127.0.0.1:8000}"
