"""A bulletin's Word file as a background job: bulletins.documents.bulletin_docx, the download's
own path, with its file kept for the user who asked for it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletins.documents import bulletin_docx, bulletin_docx_name
from bulletins.selectors import bulletin_get
from inspections.documents import TemplateBroken
from jobs.registry import JobResult, job_kind_register

BULLETIN_DOCX = "bulletins.docx"


@job_kind_register(BULLETIN_DOCX, gettext_lazy("Bulletin as a Word file"), soft_time_limit=120, time_limit=180)
def bulletin_docx_job(job, progress) -> JobResult:
    progress(0, 1, _("Filling in the Word template"))
    bulletin = bulletin_get(pk=job.params["bulletin"])
    # Checked again when the job runs: the bulletin may be gone, or the user's access ended.
    if bulletin is None or not job.user.has_perm("bulletins.view", bulletin):
        raise ValidationError(_("This bulletin is no longer yours to read."), code="forbidden")
    try:
        data = bulletin_docx(bulletin=bulletin)
    except TemplateBroken as broken:
        raise ValidationError(broken.message, code="template") from None
    return JobResult(data=data, name=bulletin_docx_name(bulletin))
