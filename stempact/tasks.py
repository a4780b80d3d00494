"""Project-level tasks."""

from celery import shared_task


@shared_task(name="stempact.ping", acks_late=True)
def ping(*, token: str) -> dict[str, str]:
    """Health probe: a worker answers with the token it was given.

    Used by the Celery integration test and by operators to check that the broker
    and a worker are reachable (`celery -A stempact call stempact.ping`).
    """
    return {"pong": token}
