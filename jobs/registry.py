"""The kinds of background job, each declared by the app whose code it runs (``tracking.job_kinds``):
its label, the function that does the work, and its time limits. This module knows no app's
work, so the jobs app stays below every app that runs one."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class JobResult:
    """What a finished job gives its user: a file to download, or a link to what it made."""

    data: bytes = b""
    name: str = ""
    url: str = ""
    message: str = ""


@dataclass(frozen=True)
class JobKind:
    # Dotted: app.what ("tracking.dashboard_export").
    name: str
    label: str | Promise
    # run(job, progress) -> JobResult; raises ValidationError with a message for the user.
    run: Callable
    # Seconds: at the soft limit the job fails with a message; at the hard one the worker kills it.
    soft_time_limit: int
    time_limit: int


_registry: dict[str, JobKind] = {}


def job_kind_register(name: str, label, *, soft_time_limit: int, time_limit: int):
    """Declare a kind of job, decorating the function that runs it."""
    if soft_time_limit >= time_limit:
        raise ValueError("the soft time limit comes before the hard one")

    def register(run: Callable) -> Callable:
        known = _registry.get(name)
        if known is not None and (known.run.__module__, known.run.__qualname__) != (run.__module__, run.__qualname__):
            raise ValueError(f"job kind {name!r} is already registered")
        _registry[name] = JobKind(name, label, run, soft_time_limit, time_limit)
        return run

    return register


def job_kind_get(name: str) -> JobKind | None:
    return _registry.get(name)
