"""Staff upload a notice (or paste its text), see what the parser read and what confirming would
do, then confirm. The file waits in storage between the two steps; the confirmation carries a
signed token naming it, the user and the office, so nothing the browser sends can change them."""

import hashlib
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs.models import Job
from jobs.services import job_start
from jobs.views import job_page_render
from plans.forms import (
    IMPORT_MAX_AGE,
    ImportBatchForm,
    ImportConfirmForm,
    ImportUploadForm,
    import_token,
    import_token_read,
)
from plans.job_kinds import IMPORT_READ
from plans.models import ImportBatchFile
from plans.services import work_plan_import, work_plan_parse, work_plan_submit
from plans.services.batches import IMPORT_BATCH, work_plans_import_start
from plans.services.imports import place_resolve, work_plan_import_check, work_plan_needs_ocr
from plans.services.pending import pending_delete, pending_read, pending_save, pending_text_read
from plans.views.access import member_required
from plans.warnings import warning_render

PENDING_DIR = "imports/pending"


def _may_import(request):
    if not request.user.has_perm("plans.import_workplan"):
        raise PermissionDenied


def _parse(data: bytes, payload: dict):
    return work_plan_parse(
        data=data, source_name=payload["n"] or "document.txt", office=payload["office"], read=_read_before(payload)
    )


def _read_before(payload: dict):
    """A scan's text as the job that recognised it kept it (plans.job_kinds); None otherwise."""
    return pending_text_read(name=payload["f"], sha256=payload["s"])


def _preview(request, *, document, text, payload: dict, confirm_form=None, status=200):
    """What was read from the pending file, and what confirming would do."""
    office = payload["office"]
    check = work_plan_import_check(
        document=document, text=text, office=office, may_create_office=request.user.is_superuser
    )
    if confirm_form is None:
        initial = {"token": payload["token"]}
        if check.existing is not None:
            # Replacing is a write to that draft: refused if it changed after this preview.
            initial["version"] = check.existing.version
        confirm_form = ImportConfirmForm(
            initial=initial, user=request.user, places=document.unconfirmed_places, ocr=bool(document.ocr_lines)
        )
    tasks_by_number = {task.number: task for task in document.tasks}
    return render(
        request,
        "plans/import_preview.html",
        {
            "document": document,
            "check": check,
            "form": confirm_form,
            "source_name": payload["n"],
            "warnings": [warning_render(w) for w in document.warnings],
            "task_rows": [(t, document.section_heading(t.section)) for t in document.tasks],
            "entry_rows": [(e, tasks_by_number.get(e.task)) for e in document.schedule],
            "place_rows": [
                (place, confirm_form[f"place_{index}"]) for index, place in enumerate(document.unconfirmed_places)
            ],
        },
        status=status,
    )


@member_required
def import_upload(request):
    _may_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        office = form.cleaned_data["office"]
        if upload is not None:
            data, source_name = upload.read(), PurePath(upload.name).name
        else:
            data, source_name = form.cleaned_data["text"].encode("utf-8"), ""
        if upload is not None and work_plan_needs_ocr(data=data, source_name=source_name):
            return _read_in_background(request, data=data, source_name=source_name, office=office)
        try:
            # Parse before keeping the file: an unreadable one is refused right here.
            document, text = work_plan_parse(data=data, source_name=source_name or "document.txt", office=office)
        except ValidationError as exc:
            form.add_error("document" if upload is not None else "text", exc)
        else:
            suffix = PurePath(source_name).suffix.lower() if source_name else ".txt"
            pending = pending_save(folder=PENDING_DIR, data=data, suffix=suffix, max_age=IMPORT_MAX_AGE)
            payload = {
                "f": pending,
                "s": hashlib.sha256(data).hexdigest(),
                "n": source_name,
                "office": office,
            }
            payload["token"] = import_token(
                user=request.user,
                pending_name=pending,
                sha256=payload["s"],
                source_name=source_name,
                office=office,
            )
            return _preview(request, document=document, text=text, payload=payload)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import_upload.html", {"form": form}, status=status)


def _read_in_background(request, *, data: bytes, source_name: str, office):
    """A scan: its pages are recognised by a job, whose page links the preview when done."""
    sha256 = hashlib.sha256(data).hexdigest()
    pending = pending_save(folder=PENDING_DIR, data=data, suffix=".pdf", max_age=IMPORT_MAX_AGE)
    office_id = office.pk if office else None
    job = job_start(
        kind=IMPORT_READ,
        user=request.user,
        office=office,
        title=_("Import of %(name)s") % {"name": source_name},
        params={"pending": pending, "sha256": sha256, "source_name": source_name, "office": office_id},
        # The same scan uploaded again while it is read: the job already reading it.
        same_as={"sha256": sha256, "source_name": source_name, "office": office_id},
    )
    return redirect(job)


def _pending_from_token(request, token: str):
    """The upload a preview's token names, with the token read; None (and the reason told)
    when the token is not valid for this user or the upload has expired."""
    try:
        payload = {**import_token_read(token, user=request.user), "token": token}
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    data = pending_read(name=payload["f"], sha256=payload["s"])
    if data is None:
        messages.error(request, _("The preview has expired; upload the document again."))
        return None
    return payload, data


@member_required
@require_GET
def import_preview(request):
    """The preview of an upload read by a job (a scan): what the job's page links."""
    _may_import(request)
    pending = _pending_from_token(request, request.GET.get("token", ""))
    if pending is None:
        return redirect("plans:import_upload")
    payload, data = pending
    try:
        document, text = _parse(data, payload)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plans:import_upload")
    return _preview(request, document=document, text=text, payload=payload)


@member_required
@require_POST
def import_confirm(request):
    _may_import(request)
    pending = _pending_from_token(request, request.POST.get("token", ""))
    if pending is None:
        return redirect("plans:import_upload")
    payload, data = pending
    document, text = _parse(data, payload)
    form = ImportConfirmForm(
        request.POST, user=request.user, places=document.unconfirmed_places, ocr=bool(document.ocr_lines)
    )
    if not form.is_valid():
        return _preview(request, document=document, text=text, payload=payload, confirm_form=form, status=400)
    options = form.cleaned_data
    try:
        with transaction.atomic():
            # Places staff confirmed here are part of this import: all of it or nothing.
            for place, choice in form.place_choices():
                place_resolve(name=place.name, region_code=place.region_code, choice=choice)
            result = work_plan_import(
                data=data,
                source_name=payload["n"] or "document.txt",
                office=payload["office"],
                plan_year=options["plan_year"],
                acting_user=request.user,
                replace=options["replace"],
                create_office=request.user.is_superuser,
                alias_office_name=options["alias"],
                expected_version=options["version"] if options["replace"] else None,
                read=_read_before(payload),
            )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _preview(request, document=document, text=text, payload=payload, confirm_form=form, status=400)
    pending_delete(payload["f"])
    plan = result.plan
    if result.duplicate:
        messages.info(request, _("“%(plan)s” was already imported; nothing changed.") % {"plan": plan})
        return redirect(plan)
    if result.created:
        messages.success(request, _("Imported “%(plan)s” as a draft.") % {"plan": plan})
    else:
        messages.success(request, _("Replaced the draft “%(plan)s”.") % {"plan": plan})
    if options["submit"] and request.user.has_perm("plans.submit_workplan", plan):
        try:
            work_plan_submit(plan=plan, acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Submitted for review."))
    return redirect(plan)


# --- Many notices at once ------------------------------------------------------------------------


@member_required
def import_batch(request):
    """An office's archive: the files (or a .zip of them) wait in storage, and a job imports
    them one by one (plans.job_kinds.import_batch); its page lists what became of each."""
    _may_import(request)
    form = ImportBatchForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = work_plans_import_start(
            user=request.user,
            office=form.cleaned_data["office"],
            publish=form.cleaned_data["publish"],
            notices=[(notice.name, notice.data) for notice in form.cleaned_data["notices"]],
        )
        return redirect("plans:import_batch_result", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import_batch.html", {"form": form}, status=status)


@member_required
def import_batch_result(request, pk):
    """A batch import's progress while it runs, and what became of each file."""
    job = get_object_or_404(Job.objects.select_related("user"), pk=pk, kind=IMPORT_BATCH)
    # Someone else's job is not there at all, as on the jobs' own pages.
    if not request.user.has_perm("jobs.view_job", job):
        raise Http404
    files = list(ImportBatchFile.objects.filter(job=job).select_related("plan").order_by("position"))
    counts = dict.fromkeys(ImportBatchFile.Outcome.values, 0)
    for item in files:
        counts[item.outcome] += 1
    context = {"job": job, "files": files, "counts": counts, "total": len(job.params.get("files", []))}
    return job_page_render(request, "plans/import_batch_result.html", context, active=job.is_active)
