# syntax=docker/dockerfile:1
#
# One image for every application service in docker-compose.yml (web, worker, beat):
# only the command differs. Build: `docker compose build` (or `docker build -t stempact .`).

# --- Front-end packages ------------------------------------------------------------------------
# Pico CSS comes from npm (package-lock.json pins it); nothing third-party is committed.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Application -------------------------------------------------------------------------------
FROM python:3.12-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=stempact.settings \
    MEDIA_ROOT=/app/media \
    XDG_CACHE_HOME=/tmp/.cache

# WeasyPrint's native libraries (Pango, HarfBuzz subsetting, fontconfig via pangoft2) and a font
# family to render PDFs with; gettext provides msgfmt for compilemessages. (XDG_CACHE_HOME above:
# fontconfig wants a writable cache directory, and the app user's home is not writable.)
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# The process runs unprivileged; it owns only the directories it writes to.
RUN groupadd --system --gid 1000 stempact \
    && useradd --system --uid 1000 --gid stempact --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin stempact

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
COPY --from=assets /build/node_modules/@picocss ./node_modules/@picocss

# Translations and static files are baked into the image. The settings refuse to start with DEBUG
# off and no SECRET_KEY, so this one RUN gets a throw-away key; it is not kept in the image.
RUN DEBUG=0 SECRET_KEY=build-time-only-not-a-secret python manage.py compilemessages \
    && DEBUG=0 SECRET_KEY=build-time-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/var \
    && chown stempact:stempact /app/media /app/var

# /app/media holds uploads and generated reports, /app/var the celery beat schedule: both are named
# volumes in docker-compose.yml, and a new named volume takes the owner of the image's directory.
USER stempact:stempact

EXPOSE 8000

CMD ["gunicorn", "stempact.wsgi:application", "-c", "gunicorn.conf.py"]
