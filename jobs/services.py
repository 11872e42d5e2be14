"""Starting a job, and what a running job writes: its progress, its result, its failure.

A job is a row first: the task queue carries only its id, once the row is committed. The row's
idempotency key (kind, user, parameters) is unique among waiting and running jobs, so starting
the same job twice (a double click, a second tab) returns the one already under way.
"""

import hashlib
import json
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from audit.services import log_action
from jobs.actions import JOB_STARTED
from jobs.models import Job
from jobs.registry import JobResult, job_kind_get

logger = logging.getLogger(__name__)


def job_key(*, kind: str, user, params: dict) -> str:
    return hashlib.sha256(json.dumps([kind, user.pk, params], sort_keys=True).encode()).hexdigest()


def job_start(*, kind: str, user, title: str, params: dict, office=None, same_as: dict | None = None) -> Job:
    """Record a job and queue it once committed; the job already waiting or running when the same
    user starts the same kind with the same parameters (or the same `same_as`: what makes two
    starts one job when the parameters name something made for each, as an upload's file)."""
    job_kind = job_kind_get(kind)
    if job_kind is None:
        raise ValueError(f"unknown job kind {kind!r}: register it first")
    key = job_key(kind=kind, user=user, params=params if same_as is None else same_as)
    existing = _active(key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, user=user, office=office, title=title[:200], params=params, key=key)
            log_action(job, JOB_STARTED, user=user, office=office, data={"kind": kind, "params": params})
    except IntegrityError:
        # Another request started it between the look and the write.
        return Job.objects.get(key=key, state__in=Job.ACTIVE)
    transaction.on_commit(lambda: job_enqueue(job))
    return job


def _active(key: str) -> Job | None:
    job = Job.objects.filter(key=key, state__in=Job.ACTIVE).first()
    if job is not None and job.is_stale():
        job_fail(job, message=_("The job stopped without finishing (its time ran out); start it again."))
        return None
    return job


def job_enqueue(job: Job) -> None:
    from jobs.tasks import job_run

    kind = job_kind_get(job.kind)
    try:
        job_run.apply_async(args=[job.pk], soft_time_limit=kind.soft_time_limit, time_limit=kind.time_limit)
    except OperationalError:
        # The broker is away (after Celery's own retries): the job says so rather than waiting
        # for ever, and the user may start it again.
        logger.exception("job %s could not be queued", job.pk)
        job_fail(job, message=_("The job could not be queued (the task server is unreachable); try again later."))


def job_claim(job_id: int) -> Job | None:
    """Mark the job running for this run; None when it is not to run (done, or running
    elsewhere: a task delivered twice runs once)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        if job.state == Job.State.QUEUED or job.is_stale():
            job.state = Job.State.RUNNING
            job.started_at = timezone.now()
            job.done = 0
            job.message = ""
            job.save(update_fields=["state", "started_at", "done", "message"])
            return job
    return None


def job_progress(job: Job, *, done: int, total: int, message: str = "") -> None:
    """What a running job has done so far, for its page (done of total steps or rows)."""
    job.done, job.total, job.message = min(done, total), total, message[:500]
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(done=job.done, total=job.total, message=job.message)


def job_succeed(job: Job, result: JobResult) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != Job.State.RUNNING:
            return
        if result.data:
            job.result_file.save(result.name, ContentFile(result.data), save=False)
        job.result_name = result.name[:200]
        job.result_url = result.url
        job.state = Job.State.SUCCEEDED
        job.done = job.total = max(job.total, 1)
        job.message = result.message[:500]
        job.finished_at = timezone.now()
        job.save(
            update_fields=[
                "result_file",
                "result_name",
                "result_url",
                "state",
                "done",
                "total",
                "message",
                "finished_at",
            ]
        )


def job_fail(job: Job, *, message: str) -> None:
    Job.objects.filter(pk=job.pk, state__in=Job.ACTIVE).update(
        state=Job.State.FAILED, message=message[:500], finished_at=timezone.now()
    )


def error_message(exc: BaseException) -> str:
    """What the user reads of a failure: the domain's own message, else a plain sentence (the
    traceback goes to the log)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("The job failed unexpectedly; try again, or tell an administrator if it fails again.")
