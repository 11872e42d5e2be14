"""The indicator sheet pages (指标体系): the list, a sheet as its tree, a new sheet, the
import (template, preview, confirm), the edit of every row at once, and the copy to next year.
Thin: form → service or selector → template; the rules are in evaluation.permissions."""

import base64
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import sheet_import
from evaluation.forms_sheets import (
    SheetCopyForm,
    SheetEditForm,
    SheetForm,
    SheetImportForm,
    indicator_formset,
    indicator_initial,
)
from evaluation.models import Indicator, IndicatorSheet
from evaluation.selectors_sheets import sheet_filter_choices, sheet_list, sheet_tree
from evaluation.services import sheets as services
from organisation.access import offices_edited_by
from plans.views.access import member_required

_IMPORT_SESSION = "evaluation_sheet_import"
MAX_EMPTY_ROWS = 50


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _sheet_or_404(request, pk: int, *, perm: str | None = None) -> IndicatorSheet:
    """The sheet if the user reads it (404 otherwise), and 403 if they may not do `perm` to it."""
    sheet = get_object_or_404(IndicatorSheet.objects.select_related("office", "office__region"), pk=pk)
    if not request.user.has_perm("evaluation.view", sheet):
        raise Http404(_("No such indicator sheet."))
    if perm is not None and not request.user.has_perm(perm, sheet):
        raise PermissionDenied
    return sheet


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@member_required
def sheet_list_view(request):
    _need(request, "evaluation.list_sheets")
    office_id, year = _int(request.GET.get("office")), _int(request.GET.get("year"))
    sheets = list(sheet_list(user=request.user, office_id=office_id, year=year))
    offices, years = sheet_filter_choices(user=request.user)
    groups: dict = {}
    for sheet in sheets:
        groups.setdefault(sheet.office, []).append(sheet)
    return render(
        request,
        "evaluation/sheets_list.html",
        {
            "groups": list(groups.items()),
            "offices": offices,
            "years": years,
            "office_id": office_id,
            "year": year,
            "may_create": request.user.has_perm("evaluation.create"),
        },
    )


@member_required
def sheet_detail(request, pk: int):
    sheet = _sheet_or_404(request, pk)
    tree = sheet_tree(sheet)
    may_keep = request.user.has_perm("evaluation.keep", sheet)
    return render(
        request,
        "evaluation/sheets_detail.html",
        {
            "sheet": sheet,
            "tree": tree,
            "may_keep": may_keep,
            "refusal": services.sheet_edit_refusal(sheet, tree.rounds),
        },
    )


@member_required
def sheet_create(request):
    _need(request, "evaluation.create")
    form = SheetForm(request.POST or None, offices=offices_edited_by(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sheet = services.sheet_create(
                office=data["office"],
                title=data["title"],
                year=data["year"],
                note=data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The sheet was created; add its indicators."))
            return redirect("evaluation:sheet_edit", sheet.pk)
    return render(request, "evaluation/sheets_create.html", {"form": form})


@member_required
def sheet_edit(request, pk: int):
    sheet = _sheet_or_404(request, pk, perm="evaluation.keep")
    refusal = services.sheet_edit_refusal(sheet)
    if refusal is not None:
        return render(request, "evaluation/sheets_locked.html", {"sheet": sheet, "refusal": refusal}, status=409)
    data = request.POST if request.method == "POST" else None
    form = SheetEditForm(data, initial={"title": sheet.title, "note": sheet.note})
    indicators = Indicator.objects.filter(sheet=sheet).order_by("position")
    # Empty rows to fill (a new sheet wants many): ?add=N shows N of them.
    extra = min(max(_int(request.GET.get("add")) or 3, 1), MAX_EMPTY_ROWS)
    formset = indicator_formset(extra=extra)(data, prefix="rows", initial=indicator_initial(indicators))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows, ids = formset.rows()
        try:
            services.sheet_edit(
                sheet=sheet,
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
                rows=rows,
                ids=ids,
                acting_user=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _form_errors(form, error)
            else:
                formset._non_form_errors = formset.error_class([*formset.non_form_errors(), *error.messages])
        else:
            messages.success(request, _("The sheet was saved."))
            return redirect(sheet)
    return render(request, "evaluation/sheets_edit.html", {"sheet": sheet, "form": form, "formset": formset})


@member_required
def sheet_copy(request, pk: int):
    sheet = _sheet_or_404(request, pk, perm="evaluation.keep")
    form = SheetCopyForm(request.POST or None, initial={"title": sheet.title, "year": sheet.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.sheet_copy(
                sheet=sheet, year=form.cleaned_data["year"], title=form.cleaned_data["title"], acting_user=request.user
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The sheet was copied to %(year)s.") % {"year": copy.year})
            return redirect(copy)
    return render(request, "evaluation/sheets_copy.html", {"sheet": sheet, "form": form})


def _import_messages(items) -> list[str]:
    return [_(sheet_import.MESSAGES[item.code]) % {"row": item.row, **item.params} for item in items]


@member_required
def sheet_import_view(request):
    """Upload a workbook and read it (nothing written); the file waits in the session for the
    confirmation."""
    _need(request, "evaluation.create")
    form = SheetImportForm(request.POST or None, request.FILES or None, offices=offices_edited_by(request.user))
    result, token = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(sheet_import.MAX_BYTES + 1)
        try:
            result = sheet_import.sheet_read(data)
        except sheet_import.SheetImportError as refused:
            form.add_error("file", _(sheet_import.MESSAGES[refused.code]) % refused.params)
        else:
            if result.ok:
                token = uuid.uuid4().hex
                request.session[_IMPORT_SESSION] = {
                    "token": token,
                    "name": upload.name[:200],
                    "data": base64.b64encode(data).decode("ascii"),
                    "office": form.cleaned_data["office"].pk,
                    "title": form.cleaned_data["title"],
                    "year": form.cleaned_data["year"],
                    "note": form.cleaned_data["note"],
                }
    return render(
        request,
        "evaluation/sheets_import.html",
        {
            "form": form,
            "result": result,
            "token": token,
            "preview": [(row, Indicator.Method(row.method).label) for row in result.rows] if result else [],
            "errors": _import_messages(result.errors) if result else [],
            "warnings": _import_messages(result.warnings) if result else [],
        },
    )


@member_required
@require_POST
def sheet_import_confirm(request):
    _need(request, "evaluation.create")
    stored = request.session.get(_IMPORT_SESSION) or {}
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("The upload has expired; upload the workbook again."))
        return redirect("evaluation:sheet_import")
    office = offices_edited_by(request.user).filter(pk=stored["office"]).first()
    if office is None:
        raise PermissionDenied
    try:
        result = sheet_import.sheet_read(base64.b64decode(stored["data"]))
        if not result.ok:
            raise ValidationError(_("The sheet has errors; nothing was imported."))
        sheet = services.sheet_import(
            office=office,
            title=stored["title"],
            year=stored["year"],
            note=stored.get("note", ""),
            rows=result.rows,
            source_name=stored.get("name", ""),
            acting_user=request.user,
        )
    except sheet_import.SheetImportError as refused:
        messages.error(request, _(sheet_import.MESSAGES[refused.code]) % refused.params)
        return redirect("evaluation:sheet_import")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("evaluation:sheet_import")
    del request.session[_IMPORT_SESSION]
    messages.success(request, _("Imported: %(count)s indicators.") % {"count": len(result.rows)})
    return redirect(sheet)


@member_required
def sheet_template(request):
    _need(request, "evaluation.list_sheets")
    response = HttpResponse(
        sheet_import.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename=\"indicators.xlsx\"; filename*=UTF-8''%E6%8C%87%E6%A0%87%E4%BD%93%E7%B3%BB.xlsx"
    )
    return response
