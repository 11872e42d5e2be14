"""Point the project's Celery app at a broker for one test, and back to the eager default after."""

from contextlib import contextmanager

from supervision.celery import app as celery_app

KEYS = ("task_always_eager", "broker_url", "task_default_queue")


def _forget_connections() -> None:
    # Celery keeps the connection pool and, on `amqp`, the queues, routes and producers it built
    # from the settings it first read: drop them so the next message is built from the new ones.
    # Not closed: kombu's registry hands the same pool out again for the same broker (the eager
    # default's memory:// one serialises every eager task).
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@contextmanager
def broker(url: str, *, queue: str = "celery"):
    saved = {key: celery_app.conf[key] for key in KEYS}
    celery_app.conf.update(task_always_eager=False, broker_url=url, task_default_queue=queue)
    _forget_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _forget_connections()
