"""A job is its starter's: only they (and the administrators) read its page and its file."""

import rules

from organisation.access import is_admin


@rules.predicate
def started_job(user, job) -> bool:
    return job is not None and job.user_id == user.pk


rules.add_perm("jobs.view_job", is_admin | started_job)
