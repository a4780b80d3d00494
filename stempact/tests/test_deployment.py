"""The deployment files hold together: docker-compose.yml, the Dockerfile and gunicorn.conf.py.

There is no Docker engine where the tests run, so these tests read the files the way compose and
the builder would and check that the pieces agree with each other and with the code.
"""

import re
import runpy
import shlex
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
SHARED_ENVIRONMENT = ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG")

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, and $$ for a literal $.
_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Substitute variables the way docker compose does, for the forms this project uses."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = environ.get(name)
        unset_or_empty = not current
        if op in (":-", "-"):
            use_default = unset_or_empty if op == ":-" else current is None
            return arg if use_default else current
        if op in (":?", "?"):
            missing = unset_or_empty if op == ":?" else current is None
            if missing:
                raise LookupError(f"{name}: {arg}")
            return current
        return current or ""

    return _INTERPOLATION.sub(substitute, value)


def as_mapping(environment: dict | list) -> dict[str, str]:
    """Compose accepts `environment` as a mapping or as a list of KEY=VALUE strings."""
    if isinstance(environment, dict):
        return {key: str(value) for key, value in environment.items()}
    return dict(item.split("=", 1) for item in environment)


def command_line(service: dict) -> str:
    command = service.get("command", "")
    return command if isinstance(command, str) else shlex.join(command)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


def resolved_environment(service: dict, environ: dict[str, str]) -> dict[str, str]:
    return {key: interpolate(value, environ) for key, value in as_mapping(service.get("environment", {})).items()}


# --- docker-compose.yml ------------------------------------------------------------------------


def test_compose_defines_the_five_services(services):
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}


def test_web_worker_and_beat_run_the_same_image_with_the_same_environment(services):
    builds = [services[name]["build"] for name in APP_SERVICES]
    images = [services[name].get("image") for name in APP_SERVICES]
    environments = [as_mapping(services[name]["environment"]) for name in APP_SERVICES]

    assert builds[0] in (".", {"context": ".", "dockerfile": "Dockerfile"})
    assert builds == [builds[0]] * 3
    assert images == [images[0]] * 3
    for key in SHARED_ENVIRONMENT:
        assert [env[key] for env in environments] == [environments[0][key]] * 3, key


def test_application_runs_in_production_mode_and_requires_a_secret_key(services):
    environment = as_mapping(services["web"]["environment"])

    assert environment["DEBUG"] == "0"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    with pytest.raises(LookupError, match="SECRET_KEY"):
        resolved_environment(services["web"], environ={})
    assert resolved_environment(services["web"], {"SECRET_KEY": "s3cret"})["SECRET_KEY"] == "s3cret"
    for key in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "EMAIL_URL"):
        assert key in environment


@pytest.mark.parametrize(
    "environ",
    [{"SECRET_KEY": "s3cret"}, {"SECRET_KEY": "s3cret", "POSTGRES_PASSWORD": "chosen-by-operator"}],
    ids=["default password", "password from the environment"],
)
def test_database_url_points_at_the_postgres_service_with_its_credentials(services, environ):
    postgres = resolved_environment(services["postgres"], environ)
    for name in APP_SERVICES:
        url = urlsplit(resolved_environment(services[name], environ)["DATABASE_URL"])

        assert url.scheme in ("postgres", "postgresql")
        assert (url.hostname, url.port) == ("postgres", 5432)
        assert url.path.lstrip("/") == postgres["POSTGRES_DB"]
        assert url.username == postgres["POSTGRES_USER"]
        assert url.password == postgres["POSTGRES_PASSWORD"]


def test_celery_broker_is_the_redis_service(services):
    for name in APP_SERVICES:
        url = urlsplit(as_mapping(services[name]["environment"])["CELERY_BROKER_URL"])

        assert url.scheme == "redis"
        assert url.hostname == "redis"
        assert url.hostname in services
        assert services[url.hostname]["image"].startswith("redis:")


def test_web_runs_migrations_before_gunicorn(services):
    command = command_line(services["web"])

    assert "python manage.py migrate --noinput" in command
    assert "gunicorn stempact.wsgi:application -c gunicorn.conf.py" in command
    migrate_then_serve = command.split("&&")
    assert "migrate" in migrate_then_serve[0]
    assert "gunicorn" in migrate_then_serve[-1]


def test_postgres_and_redis_have_healthchecks_and_the_app_waits_for_them(services):
    assert "pg_isready" in command_line({"command": services["postgres"]["healthcheck"]["test"]})
    assert "redis-cli ping" in command_line({"command": services["redis"]["healthcheck"]["test"]})
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"] == {"condition": "service_healthy"}, name
        assert depends_on["redis"] == {"condition": "service_healthy"}, name


def test_worker_and_beat_start_after_web(services):
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"]["condition"] in ("service_started", "service_healthy")


def test_web_healthcheck_calls_healthz_without_curl(services):
    test = command_line({"command": services["web"]["healthcheck"]["test"]})

    assert "urllib.request" in test
    assert "http://127.0.0.1:8000/healthz" in test
    # The healthcheck's Host header is the loopback address: it must be an allowed host.
    allowed_hosts = resolved_environment(services["web"], {"SECRET_KEY": "s3cret"})["ALLOWED_HOSTS"]
    assert "127.0.0.1" in allowed_hosts.split(",")


def test_media_and_database_live_on_named_volumes(compose, services):
    def named_volume_at(service: dict, target: str) -> str:
        for volume in service.get("volumes", []):
            source, _, rest = volume.partition(":")
            if rest.split(":")[0] == target:
                assert not source.startswith((".", "/")), f"{target} is a bind mount, not a named volume"
                return source
        raise AssertionError(f"nothing mounted at {target}")

    declared = set(compose["volumes"])
    media = named_volume_at(services["web"], "/app/media")
    assert media in declared
    assert named_volume_at(services["postgres"], "/var/lib/postgresql/data") in declared
    # The worker renders reports into MEDIA_ROOT and web serves them: one volume for both.
    assert named_volume_at(services["worker"], "/app/media") == media
    assert as_mapping(services["web"]["environment"])["MEDIA_ROOT"] == "/app/media"


def test_web_publishes_port_8000(services):
    assert [str(port) for port in services["web"]["ports"]] == ["8000:8000"]


def test_worker_and_beat_run_the_projects_celery_app(services):
    from celery.app.utils import find_app

    from stempact.celery import app

    assert command_line(services["worker"]).startswith("celery -A stempact worker")
    assert command_line(services["beat"]).startswith("celery -A stempact beat")
    assert app.main == "stempact"
    # `-A stempact` resolves the way the celery command line resolves it.
    assert find_app("stempact") is app


def test_beat_keeps_its_schedule_in_a_writable_volume(services):
    command = shlex.split(command_line(services["beat"]))
    schedule = command[command.index("--schedule") + 1]

    mounted = [volume.split(":")[1] for volume in services["beat"]["volumes"]]
    assert any(schedule.startswith(target + "/") for target in mounted)


def test_every_service_restarts(services):
    assert {name: service.get("restart") for name, service in services.items()} == dict.fromkeys(
        services, "unless-stopped"
    )


# --- Dockerfile --------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    logical_lines: list[str] = []
    pending = ""
    for raw in (REPO_ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical_lines.append(pending + line)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in logical_lines]


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return instructions[last_from:]


def test_dockerfile_builds_on_python_312_and_installs_front_end_packages_with_npm_ci():
    instructions = dockerfile_instructions()
    images = [args.split()[0] for name, args in instructions if name == "FROM"]

    assert images[-1].startswith("python:3.12")
    assert any(image.startswith("node:") for image in images)
    assert any(name == "RUN" and "npm ci" in args for name, args in instructions)


def test_dockerfile_compiles_translations_and_collects_static_files_at_build_time():
    runs = [args for name, args in final_stage() if name == "RUN"]

    assert any("manage.py compilemessages" in run for run in runs)
    assert any("manage.py collectstatic --noinput" in run for run in runs)
    # The build-time key is given to that RUN line only, never baked in as ENV or ARG.
    assert not any(name in ("ENV", "ARG") and "SECRET_KEY" in args for name, args in dockerfile_instructions())


def test_dockerfile_does_not_run_as_root():
    users = [args.split(":")[0] for name, args in final_stage() if name == "USER"]

    assert users, "the final stage has no USER instruction"
    assert users[-1] not in ("root", "0")


def test_dockerfile_serves_with_gunicorn_on_port_8000():
    stage = dict(final_stage())

    assert stage["EXPOSE"] == "8000"
    assert stage["CMD"] == '["gunicorn", "stempact.wsgi:application", "-c", "gunicorn.conf.py"]'


def test_every_file_the_dockerfile_copies_from_the_repository_exists():
    sources: list[str] = []
    for name, args in dockerfile_instructions():
        if name not in ("COPY", "ADD"):
            continue
        words = args.split()
        if any(word.startswith("--from=") for word in words):
            continue
        sources += [word for word in words if not word.startswith("--")][:-1]

    assert sources
    # requirements.txt is compiled from requirements.in by the release process.
    checked = [source for source in sources if source != "requirements.txt" or (REPO_ROOT / source).exists()]
    assert [source for source in checked if not (REPO_ROOT / source).exists()] == []


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = {line.strip() for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()}

    assert {".env", ".git", ".venv", "node_modules", "db.sqlite3"} <= ignored
    assert not {"package.json", "package-lock.json", "requirements.txt"} & ignored


# --- gunicorn.conf.py --------------------------------------------------------------------------


def test_gunicorn_config_loads_and_binds_all_interfaces_on_port_8000(monkeypatch):
    from gunicorn.config import Config

    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    namespace = runpy.run_path(str(REPO_ROOT / "gunicorn.conf.py"))
    settings = {
        key: value
        for key, value in namespace.items()
        if not key.startswith("_") and not isinstance(value, ModuleType) and not callable(value)
    }

    assert settings["bind"] == "0.0.0.0:8000"
    config = Config()
    for key, value in settings.items():
        assert key in config.settings, f"{key} is not a gunicorn setting"
        config.set(key, value)  # validates the value as gunicorn would
    assert config.bind == ["0.0.0.0:8000"]
