"""A scanned notice read by OCR as a background job: recognising its pages takes seconds a page,
longer than a request may wait. The job reads the waiting upload with the importer's own
work_plan_read and work_plan_parse, keeps the text beside it, and links the preview; the preview
and the confirmation then parse that text (plans.views.imports), as for any other upload."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import JobResult, job_kind_register
from organisation.models import Office
from plans.forms import import_token
from plans.services import work_plan_parse
from plans.services.imports import work_plan_read
from plans.services.pending import pending_read, pending_text_save

IMPORT_READ = "plans.import_read"


# The OCR engine's own limit is ReadLimits.ocr_seconds (120 s); the job's leaves room for the rest.
@job_kind_register(IMPORT_READ, gettext_lazy("Scanned notice read by OCR"), soft_time_limit=300, time_limit=360)
def import_read(job, progress) -> JobResult:
    params, user = job.params, job.user
    if not user.has_perm("plans.import_workplan"):
        raise ValidationError(_("You may no longer import plans."), code="forbidden")
    office = None
    if params["office"] is not None:
        office = Office.objects.select_related("region", "county").filter(pk=params["office"]).first()
        if office is None or not user.has_perm("plans.import_for_office", office):
            raise ValidationError(_("You may not import plans for this office."), code="office_forbidden")
    data = pending_read(name=params["pending"], sha256=params["sha256"])
    if data is None:
        raise ValidationError(_("The preview has expired; upload the document again."), code="expired")
    progress(0, 2, _("Recognising the text of the scanned pages"))
    read = work_plan_read(data=data, source_name=params["source_name"])
    progress(1, 2, _("Reading the notice"))
    document, _text = work_plan_parse(read=read, source_name=params["source_name"], office=office)
    pending_text_save(name=params["pending"], sha256=params["sha256"], read=read)
    token = import_token(
        user=user,
        pending_name=params["pending"],
        sha256=params["sha256"],
        source_name=params["source_name"],
        office=office,
    )
    return JobResult(
        url=f"{reverse('plans:import_preview')}?{urlencode({'token': token})}",
        message=_("Read %(tasks)d tasks and %(lines)d calendar lines: check them in the preview and confirm.")
        % {"tasks": len(document.tasks), "lines": len(document.schedule)},
    )
