"""Staff upload a notice (or paste its text), see what the parser read, then confirm."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.forms import ImportConfirmForm, ImportUploadForm
from plans.permissions import is_bureau_staff
from plans.services import work_plan_import, work_plan_parse


def _staff_only(request):
    if not is_bureau_staff(request.user):
        raise PermissionDenied


def _preview(request, *, document, confirm_form, status=200):
    return render(
        request,
        "plans/import_preview.html",
        {
            "document": document,
            "form": confirm_form,
            "warnings": [w.render(_) for w in document.warnings],
            "task_rows": [(t, document.section_heading(t.section)) for t in document.tasks],
        },
        status=status,
    )


@login_required
def import_upload(request):
    _staff_only(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        office = form.cleaned_data["office"]
        try:
            document, text = work_plan_parse(
                data=upload.read() if upload else None,
                text=None if upload else form.cleaned_data["text"],
                source_name=upload.name if upload else "",
                office=office,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            confirm = ImportConfirmForm(
                initial={
                    "text": text,
                    "source_name": upload.name if upload else "",
                    "office": office,
                }
            )
            return _preview(request, document=document, confirm_form=confirm)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import_upload.html", {"form": form}, status=status)


@login_required
@require_POST
def import_confirm(request):
    _staff_only(request)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The preview expired or was altered; upload the document again."))
        return redirect("plans:import_upload")
    data = form.cleaned_data
    try:
        result = work_plan_import(
            text=data["text"],
            source_name=data["source_name"],
            office=data["office"],
            acting_user=request.user,
            replace=data["replace"],
            publish=data["publish"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        try:
            document, _text = work_plan_parse(text=data["text"], office=data["office"])
        except ValidationError:
            messages.error(request, " ".join(exc.messages))
            return redirect("plans:import_upload")
        return _preview(request, document=document, confirm_form=form, status=400)
    plan = result.plan
    if result.created:
        messages.success(request, _("Imported “%(plan)s”.") % {"plan": plan})
    elif result.replaced:
        messages.success(request, _("Replaced the draft “%(plan)s”.") % {"plan": plan})
    else:
        messages.info(request, _("“%(plan)s” was already imported; nothing changed.") % {"plan": plan})
    return redirect(plan)
