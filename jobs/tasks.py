"""The one Celery task of the jobs: run a Job row's kind (jobs.registry) and record how it ended.

Acknowledged late (settings: CELERY_TASK_ACKS_LATE), so a message may come twice: job_claim
lets one run through. The time limits are the kind's, given when the job is queued.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from jobs.registry import job_kind_get
from jobs.services import error_message, job_claim, job_fail, job_progress, job_succeed

logger = logging.getLogger(__name__)


@shared_task(name="jobs.job_run", acks_late=True, ignore_result=True)
def job_run(job_id: int) -> str:
    job = job_claim(job_id)
    if job is None:
        return "skipped"
    kind = job_kind_get(job.kind)
    # The messages a job writes (progress, errors) are read in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        if kind is None:
            job_fail(job, message=_("This kind of job is no longer known."))
            return "failed"
        try:
            result = kind.run(
                job, lambda done, total, message="": job_progress(job, done=done, total=total, message=message)
            )
        except ValidationError as exc:
            job_fail(job, message=error_message(exc))
            return "failed"
        except SoftTimeLimitExceeded:
            job_fail(job, message=_("The job took longer than its time limit and was stopped."))
            return "failed"
        except Exception as exc:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job_fail(job, message=error_message(exc))
            return "failed"
        job_succeed(job, result)
    return "succeeded"
