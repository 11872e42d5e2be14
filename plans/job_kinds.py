"""The import's background jobs.

A scanned notice read by OCR: recognising its pages takes seconds a page, longer than a request
may wait. The job reads the waiting upload with the importer's own work_plan_read and
work_plan_parse, keeps the text beside it, and links the preview; the preview and the
confirmation then parse that text (plans.views.imports), as for any other upload.

A batch of notices (an office's archive): imported by work_plans_import, the path of the
`import_workpoints` command, each file in a transaction of its own so that its outcome and the
job's progress are seen as soon as it is done.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import JobResult, job_kind_register
from organisation.models import Office
from plans.forms import import_token
from plans.models import ImportBatchFile
from plans.services import work_plan_parse
from plans.services.batches import IMPORT_BATCH, FileOutcome, NoticeFile, work_plans_import
from plans.services.imports import work_plan_read
from plans.services.pending import pending_delete, pending_read, pending_text_save

IMPORT_READ = "plans.import_read"


def _office_allowed(user, office_id: int | None) -> Office | None:
    """The office a job imports for, if its user may still import for it (the job may run long
    after it was started); ValidationError else."""
    if not user.has_perm("plans.import_workplan"):
        raise ValidationError(_("You may no longer import plans."), code="forbidden")
    if office_id is None:
        return None
    office = Office.objects.select_related("region", "county").filter(pk=office_id).first()
    if office is None or not user.has_perm("plans.import_for_office", office):
        raise ValidationError(_("You may not import plans for this office."), code="office_forbidden")
    return office


# The OCR engine's own limit is ReadLimits.ocr_seconds (120 s); the job's leaves room for the rest.
@job_kind_register(IMPORT_READ, gettext_lazy("Scanned notice read by OCR"), soft_time_limit=300, time_limit=360)
def import_read(job, progress) -> JobResult:
    params, user = job.params, job.user
    office = _office_allowed(user, params["office"])
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


# The slowest notice a batch may hold: a .doc or .wps converted by LibreOffice (ReadLimits:
# 60 s at most, a few seconds as a rule) or a long PDF (20 s at most); a .docx or .txt takes
# well under a second. Sized for a batch of the largest size, each file taking its usual worst.
BATCH_SECONDS_PER_FILE = 30


@job_kind_register(
    IMPORT_BATCH,
    gettext_lazy("Batch import of notices"),
    soft_time_limit=settings.IMPORT_BATCH_MAX_FILES * BATCH_SECONDS_PER_FILE,
    time_limit=settings.IMPORT_BATCH_MAX_FILES * BATCH_SECONDS_PER_FILE + 60,
)
def import_batch(job, progress) -> JobResult:
    params, user = job.params, job.user
    office = _office_allowed(user, params["office"])
    publish = params["publish"]
    if publish and not user.has_perm("plans.import_published_for_office", office):
        raise ValidationError(_("Only the office's reviewers publish its plans."), code="publish_forbidden")
    files = params["files"]
    total = len(files)
    # Run again (its worker died), the job goes on after the files it has recorded: each was
    # recorded in the transaction that imported it.
    recorded = set(ImportBatchFile.objects.filter(job=job).values_list("position", flat=True))
    todo = [
        NoticeFile(name=f["name"], read=_pending_reader(f), position=position)
        for position, f in enumerate(files)
        if position not in recorded
    ]
    done = len(recorded)
    progress(done, total, _("Importing the notices"))

    def record(outcome: FileOutcome) -> None:
        ImportBatchFile.objects.create(job=job, **_outcome_fields(outcome))

    def report(outcomes: list[FileOutcome]) -> None:
        nonlocal done
        done += len(outcomes)
        last = outcomes[-1]
        label = last.result.document.doc_number if last.result and last.result.document.doc_number else last.file.name
        # The page reads it after the count: "12 / 40 · 镇教督〔2020〕2号".
        progress(done, total, label)

    work_plans_import(
        files=todo,
        office=office,
        acting_user=user,
        publish=publish,
        # As the single import: only an administrator's import adds an office a notice names.
        create_office=user.is_superuser,
        office_checked=True,
        ocr=False,
        batch_size=1,
        on_file=record,
        on_commit=report,
    )
    for f in files:
        pending_delete(f["pending"])
    counts = dict.fromkeys(ImportBatchFile.Outcome.values, 0)
    for outcome in ImportBatchFile.objects.filter(job=job).values_list("outcome", flat=True):
        counts[outcome] += 1
    return JobResult(
        url=reverse("plans:import_batch_result", args=[job.pk]),
        message=_("%(imported)d imported, %(duplicate)d already imported, %(refused)d refused.") % counts,
    )


def _pending_reader(f: dict):
    return lambda: pending_read(name=f["pending"], sha256=f["sha256"])


def _outcome_fields(outcome: FileOutcome) -> dict:
    fields = {"position": outcome.file.position, "name": outcome.file.name[:255]}
    if outcome.refused:
        return {**fields, "outcome": ImportBatchFile.Outcome.REFUSED, "reason": outcome.error}
    result, document = outcome.result, outcome.result.document
    fields.update(plan=result.plan, doc_number=document.doc_number[:64], title=document.title)
    if result.duplicate:
        # Its counts and warnings are the plan's own, told when it was imported.
        return {**fields, "outcome": ImportBatchFile.Outcome.DUPLICATE}
    return {
        **fields,
        "outcome": ImportBatchFile.Outcome.IMPORTED,
        "tasks": len(document.tasks),
        "entries": len(document.schedule),
        "warnings": len(document.warnings),
    }
