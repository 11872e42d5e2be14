"""Findings: the form written on site (on a phone, for an inspection or a 挂牌督导 visit), an
inspection's findings by county, one finding, and its files served to those who read it."""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import rectification_selectors as selectors
from inspections.findings import finding_record
from inspections.models import Inspection, Visit
from inspections.permissions import rectification_offices, works_on_inspections
from inspections.rectification_forms import BulkRectificationForm, FindingForm, RectificationForm
from inspections.selectors import inspection_get
from organisation.models import Office
from plans.error_summary import form_error_items

PHOTO_TYPES = ("image/jpeg", "image/png")
FILE_ERRORS = ("too_large", "too_large_total", "bad_type", "too_many_files", "office_too_large", "office_unsafe")


def worker_required(view):
    """As plans' member_required, letting in a 督学 with an account too (they write findings on
    the inspections whose team they are on, and on their visits)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not works_on_inspections(request.user):
            return render(request, "plans/no_membership.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _inspection_or_404(request, pk, perm: str | None = None) -> Inspection:
    # Read only if the user reads it (the view_inspection rule's filter, in the same query).
    inspection = inspection_get(pk=pk, user=request.user)
    if inspection is None:
        raise Http404(_("No such inspection."))
    if perm is not None and not request.user.has_perm(perm, inspection):
        raise PermissionDenied
    return inspection


def draft_key(*, inspection=None, visit=None) -> str:
    """Where the phone keeps the form's draft (localStorage): one draft per source."""
    return f"finding-draft:inspection:{inspection.pk}" if inspection is not None else f"finding-draft:visit:{visit.pk}"


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif error.code in FILE_ERRORS:
        form.add_error("files", error)
    else:
        form.add_error(None, error)


def _finding_form(request, *, inspection=None, visit=None):
    schools = selectors.finding_schools(inspection=inspection) if inspection is not None else None
    initial = {"submission_key": uuid.uuid4()}
    form = FindingForm(
        request.POST or None,
        request.FILES or None,
        inspection=inspection,
        visit=visit,
        schools=schools,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            finding = finding_record(
                acting_user=request.user,
                inspection=inspection,
                visit=visit,
                county=form.cleaned_data.get("county"),
                school=form.cleaned_data.get("school"),
                item=form.cleaned_data.get("item"),
                text=form.cleaned_data["text"],
                severity=form.cleaned_data["severity"],
                files=form.all_files,
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            if finding.is_repeat:
                messages.info(
                    request,
                    _("This finding was already recorded at %(time)s; nothing was stored twice.")
                    % {"time": timezone.localtime(finding.created_at).strftime("%Y-%m-%d %H:%M")},
                )
            else:
                messages.success(request, _("The finding was recorded."))
            # The page it lands on clears the phone's draft of this form.
            request.session["finding_draft_saved"] = draft_key(inspection=inspection, visit=visit)
            return redirect("inspections:finding_detail", pk=finding.pk)
    return render(
        request,
        "inspections/finding_form.html",
        {
            "form": form,
            "inspection": inspection,
            "visit": visit,
            "draft_key": draft_key(inspection=inspection, visit=visit),
            "errors": form_error_items(form) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
    )


@worker_required
def finding_create(request, pk):
    inspection = _inspection_or_404(request, pk, perm="inspections.record_finding")
    return _finding_form(request, inspection=inspection)


@worker_required
def visit_finding_create(request, visit_pk):
    visit = get_object_or_404(Visit.objects.select_related("school__county__city", "inspector"), pk=visit_pk)
    if not request.user.has_perm("inspections.record_visit_finding", visit):
        if request.user.has_perm("inspections.view_county_register", visit.school):
            raise PermissionDenied
        raise Http404(_("No such visit."))
    return _finding_form(request, visit=visit)


@worker_required
def finding_list(request, pk):
    inspection = _inspection_or_404(request, pk)
    return _finding_list_page(request, inspection)


def _finding_list_page(request, inspection, *, bulk_form=None, status=200):
    today = timezone.localdate()
    findings = selectors.inspection_findings(inspection=inspection, user=request.user, today=today)
    may_issue = request.user.has_perm("inspections.run_inspection", inspection)
    if may_issue and bulk_form is None:
        unissued = inspection.findings.filter(rectification__isnull=True)
        bulk_form = BulkRectificationForm(findings=unissued)
    return render(
        request,
        "inspections/finding_list.html",
        {
            "inspection": inspection,
            "findings": findings,
            "may_record": request.user.has_perm("inspections.record_finding", inspection),
            "may_issue": may_issue,
            "bulk_form": bulk_form if may_issue else None,
            "bulk_errors": form_error_items(bulk_form) if may_issue and bulk_form.is_bound else [],
            "unissued": {f.pk for f in findings if not selectors.has_rectification(f)},
            "draft_saved": request.session.pop("finding_draft_saved", ""),
        },
        status=status,
    )


@worker_required
def finding_detail(request, pk):
    finding = selectors.finding_get(pk=pk)
    if finding is None or not request.user.has_perm("inspections.view_finding", finding):
        raise Http404(_("No such finding."))
    item = finding.rectification if selectors.has_rectification(finding) else None
    if item is not None:
        item = selectors.rectification_marked(item, selectors.obligations_of([item]).get(item.pk), timezone.localdate())
    may_issue = item is None and request.user.has_perm("inspections.issue_rectification", finding)
    return render(
        request,
        "inspections/finding_detail.html",
        {
            "finding": finding,
            "rectification": item,
            "may_issue": may_issue,
            "may_record": request.user.has_perm("inspections.record_finding", finding.inspection)
            if finding.inspection_id
            else request.user.has_perm("inspections.record_visit_finding", finding.visit),
            "form": _rectify_form(request.user, finding) if may_issue else None,
            "draft_saved": request.session.pop("finding_draft_saved", ""),
        },
    )


def _rectify_form(user, finding, data=None):
    offices = None
    if finding.inspection_id is None:
        offices = Office.objects.filter(pk__in=rectification_offices(user, finding)).order_by("pk")
    return RectificationForm(data, offices=offices)


@worker_required
def finding_file(request, pk):
    kept = selectors.finding_file_get(pk=pk)
    if kept is None or not request.user.has_perm("inspections.view_finding", kept.finding):
        raise Http404
    # A photo (its kind read from its content, never its name) opens in the page; any other
    # file is downloaded, as evidence is.
    inline = kept.content_type in PHOTO_TYPES and "download" not in request.GET
    response = FileResponse(
        kept.file.open("rb"), as_attachment=not inline, filename=kept.name, content_type=kept.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
