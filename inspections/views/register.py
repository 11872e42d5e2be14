"""The register's pages: schools (list, page with history, form, close or merge, import),
inspectors, zones and coverage. Thin: form → service or selector → template; the rules are in
inspections.permissions."""

import base64
import uuid

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import events_of
from inspections import imports, selectors, visit_selectors
from inspections.forms import (
    InspectorForm,
    SchoolCloseForm,
    SchoolForm,
    SchoolImportForm,
    ZoneForm,
    ZoneInspectorForm,
    ZoneRenameForm,
    ZoneSchoolsForm,
)
from inspections.models import Inspector, School
from inspections.services import register as services
from plans.views.access import member_required
from supervision.choices import choices_in_hand

SCHOOLS_PER_PAGE = selectors.SCHOOLS_PER_PAGE
SCHOOL_VISITS_SHOWN = 50
_IMPORT_SESSION = "inspections_import"


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Schools -------------------------------------------------------------------------------------


@member_required
def school_list(request):
    _need(request, "inspections.view_register")
    filterset, schools = selectors.school_list(user=request.user, filters=request.GET or None)
    page = request.GET.get("page")
    schools = selectors.school_pages(filterset=filterset, schools=schools, user=request.user, page=page)
    page_obj = Paginator(schools, SCHOOLS_PER_PAGE).get_page(page)
    return render(
        request,
        "inspections/school_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "schools": selectors.schools_shown(page_obj.object_list),
            "may_edit": request.user.has_perm("inspections.edit_register"),
        },
    )


@member_required
def school_detail(request, pk):
    school = selectors.school_get(pk=pk, user=request.user)
    if school is None:
        raise Http404(_("No such school."))
    history = list(school.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for newer, older in zip(history, [*history[1:], None], strict=True):
        fields = [] if older is None else [change.field for change in newer.diff_against(older).changes]
        changes.append({"record": newer, "fields": fields, "created": older is None})
    labels = {f.name: f.verbose_name for f in School._meta.fields}
    for change in changes:
        change["labels"] = [labels.get(name, name) for name in change["fields"]]
    visits = list(visit_selectors.school_visits(school=school, user=request.user)[: SCHOOL_VISITS_SHOWN + 1])
    return render(
        request,
        "inspections/school_detail.html",
        {
            "school": school,
            "visits": visits[:SCHOOL_VISITS_SHOWN],
            "visits_more": len(visits) > SCHOOL_VISITS_SHOWN,
            "visits_shown": SCHOOL_VISITS_SHOWN,
            "may_record_visit": rules.test_rule("inspections.records_visit", request.user, school),
            "assignments": selectors.school_assignments(school=school),
            "history": changes,
            "events": events_of(school),
            "may_change": request.user.has_perm("inspections.change_county_register", school),
        },
    )


@member_required
def school_create(request):
    _need(request, "inspections.edit_register")
    return _school_form(request, School())


@member_required
def school_edit(request, pk):
    school = selectors.school_get(pk=pk, user=request.user)
    if school is None:
        raise Http404(_("No such school."))
    _need(request, "inspections.change_county_register", school)
    return _school_form(request, school)


def _school_form(request, school: School):
    counties = selectors.register_counties(user=request.user, edit=True)
    form = SchoolForm(request.POST or None, instance=school, counties=counties)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_save(school=form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The school was saved."))
            return redirect(school)
    return render(request, "inspections/school_form.html", {"form": form, "school": school})


@member_required
def school_close(request, pk):
    school = selectors.school_get(pk=pk, user=request.user)
    if school is None:
        raise Http404(_("No such school."))
    _need(request, "inspections.change_county_register", school)
    form = SchoolCloseForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_close(
                school=school,
                on=form.cleaned_data["on"],
                merged_into=form.cleaned_data["merged_into"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The school's status was changed."))
            return redirect(school)
    return render(request, "inspections/school_close.html", {"form": form, "school": school})


# --- Import --------------------------------------------------------------------------------------


@member_required
def school_import(request):
    """Upload a workbook and read what it would do; the file waits in the session for the
    confirmation (nothing is written before it)."""
    _need(request, "inspections.edit_register")
    form = SchoolImportForm(request.POST or None, request.FILES or None)
    result = None
    token = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(imports.LIMITS.file_bytes + 1)
        try:
            result = imports.schools_import_read(data=data, user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if result.ok:
                token = uuid.uuid4().hex
                request.session[_IMPORT_SESSION] = {
                    "token": token,
                    "name": upload.name[:200],
                    "data": base64.b64encode(data).decode("ascii"),
                }
    return render(request, "inspections/school_import.html", {"form": form, "result": result, "token": token})


@member_required
@require_POST
def school_import_confirm(request):
    _need(request, "inspections.edit_register")
    stored = request.session.get(_IMPORT_SESSION) or {}
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("The upload has expired; upload the workbook again."))
        return redirect("inspections:school_import")
    try:
        result = imports.schools_import(
            data=base64.b64decode(stored["data"]), user=request.user, source_name=stored.get("name", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inspections:school_import")
    del request.session[_IMPORT_SESSION]
    messages.success(
        request,
        _("Imported: %(created)s new schools, %(updated)s changed, %(unchanged)s unchanged.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("inspections:school_list")


@member_required
def school_template(request):
    _need(request, "inspections.edit_register")
    response = HttpResponse(
        imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename=\"schools.xlsx\"; filename*=UTF-8''%E5%AD%A6%E6%A0%A1%E5%90%8D%E5%86%8C.xlsx"
    )
    return response


# --- Inspectors ----------------------------------------------------------------------------------


@member_required
def inspector_list(request):
    _need(request, "inspections.view_register")
    inspectors = selectors.inspector_list(user=request.user)
    page_obj = Paginator(inspectors, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/inspector_list.html",
        {
            "page_obj": page_obj,
            "inspectors": page_obj.object_list,
            "may_edit": request.user.has_perm("inspections.edit_register"),
        },
    )


@member_required
def inspector_create(request):
    _need(request, "inspections.edit_register")
    return _inspector_form(request, Inspector())


@member_required
def inspector_edit(request, pk):
    inspector = selectors.inspector_get(pk=pk, user=request.user)
    if inspector is None:
        raise Http404(_("No such inspector."))
    _need(request, "inspections.change_county_register", inspector)
    return _inspector_form(request, inspector)


def _inspector_form(request, inspector: Inspector):
    counties = selectors.register_counties(user=request.user, edit=True)
    form = InspectorForm(
        request.POST or None, instance=inspector, counties=counties, links_accounts=request.user.is_superuser
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inspector_save(inspector=form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The inspector was saved."))
            return redirect("inspections:inspector_list")
    return render(request, "inspections/inspector_form.html", {"form": form, "inspector": inspector})


# --- Zones ---------------------------------------------------------------------------------------


@member_required
def zone_list(request):
    _need(request, "inspections.view_register")
    zones = selectors.zone_list(user=request.user)
    page_obj = Paginator(zones, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/zone_list.html",
        {
            "page_obj": page_obj,
            "zones": page_obj.object_list,
            "may_edit": request.user.has_perm("inspections.edit_register"),
        },
    )


@member_required
def zone_create(request):
    _need(request, "inspections.edit_register")
    form = ZoneForm(request.POST or None, counties=selectors.register_counties(user=request.user, edit=True))
    if request.method == "POST" and form.is_valid():
        try:
            zone = services.zone_create(
                county=form.cleaned_data["county"], name=form.cleaned_data["name"], acting_user=request.user
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The zone was created; now choose its inspector and schools."))
            return redirect(zone)
    return render(request, "inspections/zone_form.html", {"form": form})


def _zone_or_404(request, pk, *, change: bool = False):
    zone = selectors.zone_get(pk=pk, user=request.user)
    if zone is None:
        raise Http404(_("No such zone."))
    if change:
        _need(request, "inspections.change_county_register", zone)
    return zone


@member_required
def zone_detail(request, pk):
    zone = _zone_or_404(request, pk)
    may_change = request.user.has_perm("inspections.change_county_register", zone)
    inspector_form = ZoneInspectorForm(zone=zone) if may_change else None
    if may_change and request.method == "POST":
        inspector_form = ZoneInspectorForm(request.POST, zone=zone)
        if inspector_form.is_valid():
            try:
                services.zone_inspector_change(
                    zone=zone,
                    inspector=inspector_form.cleaned_data["inspector"],
                    on=inspector_form.cleaned_data["on"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                _form_errors(inspector_form, error)
            else:
                messages.success(request, _("The zone's responsible inspector was changed."))
                return redirect(zone)
    elif request.method == "POST":
        raise PermissionDenied
    if inspector_form is not None:
        # The choices shown: the queryset's rows, by a read compiled once.
        choices_in_hand(inspector_form.fields["inspector"], selectors.active_inspectors(county_id=zone.county_id))
    return render(
        request,
        "inspections/zone_detail.html",
        {
            "zone": zone,
            "schools": selectors.zone_schools(zone=zone),
            "inspector_form": inspector_form,
            "may_change": may_change,
            "events": events_of(zone),
        },
    )


@member_required
def zone_edit(request, pk):
    zone = _zone_or_404(request, pk, change=True)
    form = ZoneRenameForm(request.POST or None, initial={"name": zone.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.zone_rename(zone=zone, name=form.cleaned_data["name"], acting_user=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The zone was renamed."))
            return redirect(zone)
    return render(request, "inspections/zone_form.html", {"form": form, "zone": zone})


@member_required
def zone_schools(request, pk):
    zone = _zone_or_404(request, pk, change=True)
    candidates = selectors.zone_candidate_schools(zone=zone)
    current = selectors.zone_schools(zone=zone)
    form = ZoneSchoolsForm(request.POST or None, zone=zone, candidates=candidates, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.zone_schools_set(
                zone=zone, schools=form.cleaned_data["schools"], on=form.cleaned_data["on"], acting_user=request.user
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("%(added)s schools added, %(removed)s removed.") % {"added": added, "removed": removed}
            )
            return redirect(zone)
    return render(
        request,
        "inspections/zone_schools.html",
        {"zone": zone, "form": form, "candidates": list(candidates), "chosen": {s.pk for s in current}},
    )


# --- Coverage ------------------------------------------------------------------------------------


@member_required
def coverage(request):
    _need(request, "inspections.view_register")
    counties = selectors.register_county_list(user=request.user)
    asked = request.GET.get("county", "")
    county_id = int(asked) if asked.isdigit() else None
    county = next((item for item in counties if item.pk == county_id), None)
    return render(
        request,
        "inspections/coverage.html",
        {
            "cities": selectors.coverage_by_city(user=request.user, counties=counties),
            "county": county,
            "uncovered": selectors.schools_uncovered_shown(county=county) if county else [],
        },
    )
