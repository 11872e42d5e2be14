"""The inspections' pages: the list, the form, the page of one inspection with its stages, its
checklist, the counties' 自查自评 and the offices' checklist templates. Thin: form → service or
selector → template; who sees what is decided in inspections.permissions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import events_of
from inspections import selectors
from inspections.checklists import default_checklist
from inspections.forms import (
    ChecklistFormSet,
    InspectionForm,
    InspectionMoveForm,
    MemberFormSet,
    SelfAssessmentForm,
    TemplateNameForm,
    checklist_formset_items,
    checklist_initial,
)
from inspections.models import ChecklistTemplate, Inspection, InspectionKind
from inspections.permissions import inspection_counties_shown, inspection_offices_run
from inspections.services.checklists import (
    CHECKLIST_EDITABLE,
    checklist_set,
    checklist_template_save,
    self_assessment_editable,
    self_assessment_save,
)
from inspections.services.inspections import MemberData, inspection_move, inspection_moves, inspection_save
from inspections.views.register import _form_errors, _need
from organisation.models import County, Office
from plans.views.access import member_required

INSPECTIONS_PER_PAGE = selectors.INSPECTIONS_PER_PAGE


def _inspection_or_404(request, pk: int, perm: str | None = None) -> Inspection:
    inspection = selectors.inspection_get(pk=pk, user=request.user)
    if inspection is None:
        raise Http404(_("No such inspection."))
    if perm is not None:
        _need(request, perm, inspection)
    return inspection


def _offices_run(user):
    ids = inspection_offices_run(user)
    offices = Office.objects.select_related("region").order_by("name")
    return offices if ids is None else offices.filter(pk__in=ids)


@member_required
def inspection_list(request):
    _need(request, "inspections.list_inspections")
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    filterset, inspections = selectors.inspection_list(user=request.user, filters=filters or None)
    page = request.GET.get("page")
    inspections = selectors.inspection_pages(filterset=filterset, inspections=inspections, user=request.user, page=page)
    page_obj = Paginator(inspections, INSPECTIONS_PER_PAGE).get_page(page)
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "inspections": selectors.inspections_shown(page_obj.object_list),
            "may_create": request.user.has_perm("inspections.create_inspection"),
        },
    )


@member_required
def inspection_create(request):
    _need(request, "inspections.create_inspection")
    return _inspection_form(request, Inspection(), offices=_offices_run(request.user))


@member_required
def inspection_edit(request, pk):
    inspection = _inspection_or_404(request, pk, "inspections.run_inspection")
    if inspection.status == Inspection.Status.CLOSED:
        messages.error(request, _("A closed inspection is no longer changed."))
        return redirect(inspection)
    return _inspection_form(request, inspection, offices=Office.objects.filter(pk=inspection.office_id))


def _team_initial(inspection: Inspection) -> list[dict]:
    if inspection.pk is None:
        return []
    return [
        {
            "role": member.role,
            "name": member.name,
            "unit": member.unit,
            "inspector": member.inspector_id,
            "user": member.user.get_username() if member.user_id else "",
        }
        for member in inspection.team.select_related("user").order_by("role", "pk")
    ]


def _inspection_form(request, inspection: Inspection, *, offices):
    offices = list(offices)
    if not offices:
        raise PermissionDenied
    choices = selectors.inspection_choices(offices=offices)
    data = request.POST if request.method == "POST" else None
    form = InspectionForm(
        data,
        instance=inspection,
        offices=Office.objects.filter(pk__in=[office.pk for office in offices]).order_by("name"),
        tasks=choices.tasks,
        counties=choices.counties,
        schools=choices.schools,
    )
    team = MemberFormSet(
        data,
        prefix="team",
        initial=_team_initial(inspection),
        form_kwargs={"inspectors": choices.inspectors},
    )
    if request.method == "POST" and form.is_valid() and team.is_valid():
        members = [
            MemberData(
                role=member.cleaned_data["role"],
                name=member.cleaned_data["name"],
                unit=member.cleaned_data.get("unit", ""),
                inspector=member.cleaned_data.get("inspector"),
                user=member.cleaned_data.get("user"),
            )
            for member in team.forms
            if member.cleaned_data and not team._should_delete_form(member)
        ]
        creating = inspection.pk is None
        try:
            saved = inspection_save(
                inspection=form.save(commit=False),
                tasks=form.cleaned_data["tasks"],
                counties=form.cleaned_data["counties"],
                schools=form.cleaned_data["schools"],
                team=members,
                acting_user=request.user,
            )
        except ValidationError as error:
            if creating:
                inspection.pk = None
            if hasattr(error, "error_dict") and "team" in error.error_dict:
                team._non_form_errors = team.error_class(error.error_dict.pop("team"))
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("The inspection was created with its checklist.") if creating else _("The inspection was saved."),
            )
            return redirect(saved)
    return render(request, "inspections/inspection_form.html", {"form": form, "team": team, "inspection": inspection})


@member_required
def inspection_detail(request, pk):
    inspection = _inspection_or_404(request, pk)
    shown = inspection_counties_shown(request.user, inspection)
    page = selectors.inspection_page(inspection=inspection, counties_shown=shown)
    runs = request.user.has_perm("inspections.run_inspection", inspection)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "page": page,
            "runs": runs,
            "moves": _move_buttons(inspection) if runs else [],
            "checklist_editable": runs and inspection.status in CHECKLIST_EDITABLE,
            # The steps name every county's answers: for those who see every county's part.
            "events": events_of(inspection) if shown is None else [],
        },
    )


def _move_buttons(inspection: Inspection) -> list[tuple[str, str]]:
    labels = {
        Inspection.Status.SELF_ASSESSMENT: _("Ask the counties for their self-assessment"),
        Inspection.Status.ON_SITE: _("Start the visit on site"),
        Inspection.Status.RECTIFICATION: _("Move on to feedback and rectification"),
        Inspection.Status.CLOSED: _("Close the inspection"),
    }
    return [(to, labels[to]) for to in inspection_moves(inspection)]


@member_required
@require_POST
def inspection_status(request, pk):
    inspection = _inspection_or_404(request, pk, "inspections.run_inspection")
    form = InspectionMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage to move the inspection to."))
        return redirect(inspection)
    try:
        inspection = inspection_move(inspection=inspection, to=form.cleaned_data["to"], acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The inspection is now at the stage “%(status)s”.") % {"status": inspection.get_status_display()},
        )
    return redirect(inspection)


@member_required
def inspection_checklist(request, pk):
    inspection = _inspection_or_404(request, pk, "inspections.run_inspection")
    if inspection.status not in CHECKLIST_EDITABLE:
        messages.error(request, _("The checklist no longer changes once the team is on site."))
        return redirect(inspection)
    return _checklist_form(
        request,
        initial=checklist_initial(inspection.checklist.all()),
        save=lambda items, name: checklist_set(inspection=inspection, items=items, acting_user=request.user),
        done=_("The checklist was saved."),
        success_url=inspection.get_absolute_url(),
        context={"inspection": inspection},
        template="inspections/checklist_edit.html",
    )


def _checklist_form(request, *, initial, save, done, success_url, context, template, name_form=None):
    """The checklist editor (an inspection's or a template's): one formset, saved whole."""
    data = request.POST if request.method == "POST" else None
    formset = ChecklistFormSet(data, prefix="items", initial=initial)
    if request.method == "POST" and formset.is_valid() and (name_form is None or name_form.is_valid()):
        try:
            with transaction.atomic():
                save(checklist_formset_items(formset), name_form.cleaned_data["name"] if name_form else None)
        except ValidationError as error:
            for message in error.messages:
                formset._non_form_errors = formset.error_class([*formset.non_form_errors(), message])
        else:
            messages.success(request, done)
            return redirect(success_url)
    return render(request, template, {**context, "formset": formset, "name_form": name_form})


@member_required
def self_assessment(request, pk, county_id):
    """A county's 自查自评: its users answer the checklist item by item until it is accepted;
    the inspection's readers who see the county read the answers."""
    inspection = _inspection_or_404(request, pk)
    shown = inspection_counties_shown(request.user, inspection)
    if shown is not None and county_id not in shown:
        raise Http404(_("No such self-assessment."))
    county = get_object_or_404(County, pk=county_id)
    obligation = selectors.self_assessment_of(inspection, county.pk)
    if obligation is None:
        raise Http404(_("No such self-assessment."))
    may_answer = request.user.has_perm("inspections.answer_self_assessment", obligation) and self_assessment_editable(
        obligation
    )
    items, answers = selectors.self_assessment_page(inspection=inspection, county=county)
    form = SelfAssessmentForm(request.POST or None, items=items, answers=answers)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                self_assessment_save(
                    inspection=inspection, county=county, answers=form.answers(), acting_user=request.user
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The self-assessment was saved. Report on it with its evidence when done."))
                return redirect("inspections:self_assessment", pk=inspection.pk, county_id=county.pk)
    return render(
        request,
        "inspections/inspection_self_assessment.html",
        {
            "inspection": inspection,
            "county": county,
            "obligation": obligation,
            "form": form,
            "answers": answers,
            "may_answer": may_answer,
            "answered": len(answers),
        },
    )


# --- Checklist templates -----------------------------------------------------------------------


@member_required
def checklist_template_list(request):
    _need(request, "inspections.create_inspection")
    offices = list(_offices_run(request.user))
    templates = selectors.checklist_templates(offices=offices)
    rows = [
        {
            "office": office,
            "kinds": [(value, label, templates.get((office.pk, value))) for value, label in InspectionKind.choices],
        }
        for office in offices
    ]
    return render(request, "inspections/checklist_template_list.html", {"offices": rows})


@member_required
def checklist_template_edit(request, office_id, kind):
    office = get_object_or_404(Office, pk=office_id)
    _need(request, "inspections.edit_checklist_template", office)
    if kind not in InspectionKind.values:
        raise Http404(_("No such kind of inspection."))
    template = ChecklistTemplate.objects.filter(office=office, kind=kind).first()
    if template is None:
        default = default_checklist(kind)
        name, items = default.name, default.items
    else:
        name, items = template.name, list(template.items.all())
    name_form = TemplateNameForm(request.POST or None, initial={"name": name})
    return _checklist_form(
        request,
        initial=checklist_initial(items),
        save=lambda rows, new_name: checklist_template_save(
            office=office, kind=kind, name=new_name, items=rows, acting_user=request.user
        ),
        done=_("The checklist template was saved."),
        success_url=f"{reverse('inspections:checklist_template_list')}#office-{office.pk}",
        context={
            "office": office,
            "kind": kind,
            "kind_label": InspectionKind(kind).label,
            "template": template,
        },
        template="inspections/checklist_template_edit.html",
        name_form=name_form,
    )
