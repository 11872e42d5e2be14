"""我的任务: the user's background jobs, and a job's page that reloads itself while it runs, with
its file or link once done and its error once failed.

The reload is the HTTP `Refresh` header, which browsers follow as they follow a `<meta
http-equiv="refresh">` and without any script; not the meta element, which axe-core reports as a
critical violation (WCAG 2.2.1, timing adjustable). A link on the page turns it off
(`?refresh=off`) for whoever the reloading disturbs (a screen reader starts the page again)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jobs.models import Job
from jobs.selectors import job_list

JOBS_PER_PAGE = 30
# Seconds between reloads of a running job's page.
REFRESH_SECONDS = 3


def _job_or_404(request, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("user"), pk=pk)
    # Someone else's job is not there at all, as for a plan one may not read.
    if not request.user.has_perm("jobs.view_job", job):
        raise Http404
    return job


def job_page_render(request, template: str, context: dict, *, active: bool):
    """A page about jobs, reloading itself while `active` (an app's own page of a job's results
    too, as the batch import's)."""
    stopped = request.GET.get("refresh") == "off"
    refresh = REFRESH_SECONDS if active and not stopped else None
    response = render(request, template, {**context, "refresh": refresh, "active": active})
    if refresh:
        response["Refresh"] = str(refresh)
    return response


@login_required
@require_safe
def job_list_view(request):
    page = Paginator(job_list(user=request.user), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    active = any(job.is_active for job in page.object_list)
    return job_page_render(request, "jobs/job_list.html", {"page": page}, active=active)


@login_required
@require_safe
def job_detail(request, pk):
    job = _job_or_404(request, pk)
    return job_page_render(request, "jobs/job_detail.html", {"job": job}, active=job.is_active)


@login_required
@require_safe
def job_file(request, pk):
    job = _job_or_404(request, pk)
    if job.state != Job.State.SUCCEEDED or not job.result_file:
        raise Http404
    response = FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
