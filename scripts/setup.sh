#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine, idempotently:
# Debian packages (apt), a Python 3.12 virtualenv with the pinned requirements, npm packages,
# and the compiled translations. Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

# Debian packages: gettext (translations), WeasyPrint's libraries, fonts, and Chromium for browser tests.
APT_PACKAGES=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core ${EXTRA_APT_PACKAGES:-})
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python 3.12 (Django 6.1 needs it): pyenv's 3.12 (.python-version), else python3.12 on PATH.
find_python() {
  local candidate
  if command -v pyenv >/dev/null 2>&1; then
    candidate="$(pyenv root)/versions/$(cat .python-version)/bin/python"
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  fi
  for candidate in python3.12 /root/.pyenv/versions/3.12*/bin/python; do
    command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return; }
  done
  echo "Python 3.12 not found: install it (e.g. pyenv install 3.12) and retry." >&2
  exit 1
}

VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))'; then
  log "Creating the virtualenv (.venv) with $(find_python)"
  rm -rf "$VENV"
  "$(find_python)" -m venv "$VENV"
fi
PY="$VENV/bin/python"
stamp="$VENV/.requirements.sha"
wanted="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  log "Installing Python packages (requirements-dev.txt)"
  "$PY" -m pip install -q --disable-pip-version-check --upgrade pip
  "$PY" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  echo "$wanted" > "$stamp"
fi

# Front-end packages (Pico CSS) from the npm registry; nothing third-party is committed.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.stamp-lock 2>/dev/null; then
  log "Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.stamp-lock
fi

log "Compiling translations"
"$PY" manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
