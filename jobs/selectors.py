from django.db.models import QuerySet

from jobs.models import Job


def job_list(*, user) -> QuerySet[Job]:
    """The jobs `user` started, newest first (large text and parameters left out)."""
    return Job.objects.filter(user=user).defer("params").order_by("-created_at", "-pk")
