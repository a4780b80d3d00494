"""A task makes the real trip: producer -> Redis -> a separate `celery worker` process -> result backend.

Everything else in the suite runs Celery eagerly (conftest.py); here the broker and the worker are
real. The worker consumes only a queue with a unique name, so it cannot take work from, or give
work to, anything else on the same Redis. It imports the project like production does, so a task
that used the database would use the configured database, not the test database: keep these tasks
free of database access.

Run:  CELERY_BROKER_URL=redis://127.0.0.1:6379/15 pytest -m celery_integration stempact/tests/test_celery_integration.py
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery.result import AsyncResult, EagerResult
from django.db import transaction
from kombu import Exchange, Queue

from stempact.celery import app
from stempact.tasks import ping

REPO_ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# As in the settings: results go to the broker's Redis unless a backend is configured.
RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or BROKER_URL
STARTUP_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 30.0

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.skipif(
        not BROKER_URL,
        reason=(
            "needs a Redis broker and starts a Celery worker: run with "
            "CELERY_BROKER_URL=redis://127.0.0.1:6379/15 pytest -m celery_integration "
            "stempact/tests/test_celery_integration.py"
        ),
    ),
]


@dataclass(frozen=True)
class RunningWorker:
    process: subprocess.Popen[bytes]
    nodename: str
    queue: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def celery_through_broker() -> Iterator[None]:
    """Send tasks to the broker instead of running them in-process.

    conftest.py sets CELERY_TASK_ALWAYS_EAGER on the Django settings for every test; the app's own
    configuration (`app.conf`) takes precedence over the settings it was loaded from.
    """
    overrides = {"task_always_eager": False, "broker_url": BROKER_URL, "result_backend": RESULT_BACKEND}
    missing = object()
    previous = {key: app.conf.changes.get(key, missing) for key in overrides}
    app.conf.update(overrides)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is missing:
                app.conf.changes.pop(key, None)
            else:
                app.conf.changes[key] = value


@pytest.fixture(scope="module")
def worker(celery_through_broker, tmp_path_factory) -> Iterator[RunningWorker]:
    """A `celery -A stempact worker` process on its own queue; always stopped, and checked to stop."""
    name = f"stempact-test-{uuid.uuid4().hex[:12]}"
    queue = name
    nodename = f"{name}@{socket.gethostname()}"  # what celery makes of `-n {name}@%h`
    log_path = tmp_path_factory.mktemp("celery-worker") / "worker.log"
    environment = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": RESULT_BACKEND,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "stempact",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-l",
        "info",
        "-Q",
        queue,
        "-n",
        f"{name}@%h",
        # Stay out of other workers' business on the same broker, and start faster.
        "--without-mingle",
        "--without-gossip",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed command
            command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    running = RunningWorker(process=process, nodename=nodename, queue=queue, log_path=log_path)
    try:
        wait_until_ready(running)
        yield running
    finally:
        stopped_cleanly = stop(running)
        forget_queue(queue)
    assert stopped_cleanly, f"the worker did not shut down within {SHUTDOWN_TIMEOUT}s:\n{running.log()}"
    assert process.returncode == 0, f"the worker exited with {process.returncode}:\n{running.log()}"
    assert "Warm shutdown" in running.log()


def wait_until_ready(worker: RunningWorker) -> None:
    """The worker is ready once it answers a ping through the broker."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited with {worker.process.returncode} before it was ready:\n{worker.log()}")
        replies = app.control.ping(destination=[worker.nodename], timeout=1.0)
        if any(worker.nodename in reply for reply in replies):
            return
    pytest.fail(f"the worker did not answer a ping within {STARTUP_TIMEOUT}s:\n{worker.log()}")


def stop(worker: RunningWorker) -> bool:
    """SIGTERM asks for a warm shutdown (finish the current task, then exit); kill if it hangs."""
    if worker.process.poll() is None:
        worker.process.send_signal(signal.SIGTERM)
    try:
        worker.process.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()
        return False
    return True


def forget_queue(queue: str) -> None:
    """Remove the test's queue and its binding from Redis, so runs leave nothing behind."""
    with app.connection_for_write() as connection:
        # Celery's queue for `-Q name`: a direct exchange and a routing key of the same name.
        bound = Queue(queue, Exchange(queue, type="direct"), routing_key=queue)(connection.default_channel)
        bound.declare()  # a channel deletes only the bindings it has declared itself
        bound.delete()


def wait_for_log_line(worker: RunningWorker, text: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in worker.log():
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not in the worker's log:\n{worker.log()}")
        time.sleep(0.1)


def test_ping_goes_through_redis_to_a_real_worker_and_its_answer_comes_back(worker):
    token = uuid.uuid4().hex

    result = ping.apply_async(kwargs={"token": token}, queue=worker.queue)

    assert not isinstance(result, EagerResult)
    assert result.get(timeout=30) == {"pong": token}
    wait_for_log_line(worker, f"Task stempact.ping[{result.id}] received")
    result.forget()


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_on_commit_is_sent_only_when_the_transaction_commits(worker):
    token = uuid.uuid4().hex
    task_id = str(uuid.uuid4())
    result = AsyncResult(task_id, app=app)

    with transaction.atomic():
        transaction.on_commit(lambda: ping.apply_async(kwargs={"token": token}, queue=worker.queue, task_id=task_id))
        # Long enough for the worker to have answered, had the task been sent already.
        time.sleep(1.0)
        assert result.state == "PENDING"
        assert f"[{task_id}] received" not in worker.log()

    assert result.get(timeout=30) == {"pong": token}
    result.forget()
