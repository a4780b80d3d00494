"""The settings module reads its environment: production refuses to start without a secret key,
Celery runs eagerly without a broker, DATABASE_URL chooses the database.

Each case imports the settings in a fresh interpreter with an environment built from scratch, so
nothing leaks in from the shell that runs the tests. The settings also read BASE_DIR/.env (the
project directory, not the working directory) without overriding variables that are already set;
every variable these tests depend on is therefore set explicitly, an empty string included, so a
developer's .env cannot change the outcome.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

REPORT_SETTINGS = """
import json, os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "stempact.settings"
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
    "database": {key: database.get(key) for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")},
}))
"""


@pytest.fixture
def start_django(tmp_path):
    """Import the settings in a new interpreter; returns the finished process."""

    def start(*, unset: tuple[str, ...] = (), **variables: str) -> subprocess.CompletedProcess[str]:
        environment = {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(tmp_path),
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            # Set, so that BASE_DIR/.env cannot fill them in:
            "SECRET_KEY": "",
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "",
            "CELERY_RESULT_BACKEND": "",
            **variables,
        }
        for name in unset:
            environment.pop(name)
        return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
            [sys.executable, "-c", REPORT_SETTINGS],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return start


def skip_if_dotenv_sets(name: str) -> None:
    """For the cases that need a variable to be missing: BASE_DIR/.env would fill it in."""
    dotenv = REPO_ROOT / ".env"
    if dotenv.exists() and any(line.strip().startswith(name) for line in dotenv.read_text().splitlines()):
        pytest.skip(f"{dotenv} sets {name}")


def settings_of(process: subprocess.CompletedProcess[str]) -> dict:
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout.strip().splitlines()[-1])


def test_production_without_secret_key_refuses_to_start(start_django):
    process = start_django(DEBUG="0", SECRET_KEY="")

    assert process.returncode != 0
    error = process.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured:")
    assert "SECRET_KEY" in error


def test_production_with_secret_key_starts(start_django):
    settings = settings_of(start_django(DEBUG="0", SECRET_KEY="a-long-random-production-key"))

    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == "a-long-random-production-key"


def test_embedded_run_starts_without_secret_key_on_a_development_key(start_django):
    settings = settings_of(start_django(DEBUG="1", SECRET_KEY=""))

    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"].startswith("django-insecure-")


def test_without_a_broker_tasks_run_eagerly(start_django):
    settings = settings_of(start_django(CELERY_BROKER_URL=""))

    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True


def test_with_a_broker_tasks_go_through_it(start_django):
    settings = settings_of(start_django(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"))

    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/0"


def test_result_backend_defaults_to_the_broker_url(start_django):
    # The default applies to a missing variable only (an empty one is a value).
    skip_if_dotenv_sets("CELERY_RESULT_BACKEND")
    settings = settings_of(start_django(CELERY_BROKER_URL="redis://127.0.0.1:6379/0", unset=("CELERY_RESULT_BACKEND",)))

    assert settings["CELERY_RESULT_BACKEND"] == "redis://127.0.0.1:6379/0"


def test_database_url_selects_postgresql(start_django):
    settings = settings_of(start_django(DATABASE_URL="postgres://u:p@h:5432/db"))

    assert settings["database"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "db",
        "USER": "u",
        "PASSWORD": "p",
        "HOST": "h",
        "PORT": 5432,
    }


def test_without_database_url_the_embedded_run_uses_sqlite_in_the_project_directory(start_django):
    skip_if_dotenv_sets("DATABASE_URL")
    settings = settings_of(start_django(unset=("DATABASE_URL",)))

    assert settings["database"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["database"]["NAME"] == str(REPO_ROOT / "db.sqlite3")
