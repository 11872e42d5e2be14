"""Drafting in the browser: start a plan (blank or copied from last year's), edit a draft.

The edit page is one form posted whole. Its buttons either change the outline and show the
page again with everything typed kept (add, remove, move: nothing is saved), check it, or save
it; a save goes through plans.services.editing in one transaction, refused when the plan
changed since the page was opened.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organisation.access import offices_edited_by, offices_edited_list
from plans.forms import TermForm
from plans.forms_editing import (
    OutlineError,
    PlanCopyForm,
    PlanCreateForm,
    PlanEditor,
    editor_templates,
    period_error,
    period_reading,
)
from plans.models import WorkPlan
from plans.selectors.editing import county_resolver, work_plan_copy_source_get, work_plan_copy_sources
from plans.services.content import plan_snapshot
from plans.services.editing import work_plan_copy, work_plan_create, work_plan_update
from plans.views.access import member_required, plan_or_404
from plans.warnings import earlier_year_mentions
from supervision.choices import choices_in_hand
from supervision.localtime import site_today


def _may_add(request) -> None:
    if not request.user.has_perm("plans.add_workplan"):
        raise PermissionDenied


def _start_page(request, *, create_form, copy_form, active: str, status: int = 200):
    return render(
        request,
        "plans/edit_start.html",
        {"create_form": create_form, "copy_form": copy_form, "active": active},
        status=status,
    )


def _create_form(request, data=None):
    year = site_today().year
    form = PlanCreateForm(
        data,
        offices=offices_edited_by(request.user),
        initial={"plan_year": year, "title": f"{year}年教育督导工作要点"},
    )
    if data is None:
        # The offices read once: the first is the one chosen.
        offices = offices_edited_list(request.user)
        choices_in_hand(form.fields["office"], offices)
        if offices:
            form.initial["office"] = offices[0].pk
    return form


def _copy_form(request, data=None):
    sources = list(work_plan_copy_sources(user=request.user))
    # An older plan, to copy from its own page (?from=, then posted as the source), joins the
    # list when the user may copy it: after its office's recent plans, which are all newer.
    chosen = request.GET.get("from", "") if data is None else data.get("source", "")
    chosen = int(chosen) if chosen.isdigit() else None
    if chosen is not None and chosen not in {plan.pk for plan in sources}:
        older = work_plan_copy_source_get(user=request.user, pk=chosen)
        if older is not None:
            same = [i for i, plan in enumerate(sources) if plan.office_id == older.office_id]
            sources.insert(same[-1] + 1 if same else len(sources), older)
    initial = {}
    if chosen is not None and chosen in {plan.pk for plan in sources}:
        initial["source"] = chosen
    elif sources:
        initial["source"] = max(sources, key=lambda plan: (plan.plan_year, plan.pk)).pk
    # Printed beside the blank form, which has a year too: ids of its own, so that each label
    # names its own field.
    return PlanCopyForm(data, sources=sources, initial=initial, auto_id="id_copy_%s")


@member_required
def plan_create(request):
    """A blank draft for an office where the user edits."""
    _may_add(request)
    if request.method != "POST":
        return _start_page(request, create_form=_create_form(request), copy_form=_copy_form(request), active="create")
    form = _create_form(request, request.POST)
    if form.is_valid():
        office = form.cleaned_data["office"]
        if not request.user.has_perm("plans.add_workplan_for_office", office):
            raise PermissionDenied
        try:
            plan = work_plan_create(
                office=office,
                plan_year=form.cleaned_data["plan_year"],
                title=form.cleaned_data["title"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("A blank draft was created; write it here."))
            return redirect("plans:plan_edit", pk=plan.pk)
    return _start_page(request, create_form=form, copy_form=_copy_form(request), active="create", status=400)


@member_required
def plan_copy(request):
    """Last year's plan (or any of the office's) copied into a new year, as a draft."""
    _may_add(request)
    if request.method != "POST":
        return _start_page(request, create_form=_create_form(request), copy_form=_copy_form(request), active="copy")
    form = _copy_form(request, request.POST)
    if form.is_valid():
        source = form.cleaned_data["source"]
        if not request.user.has_perm("plans.copy_workplan", source):
            raise PermissionDenied
        try:
            plan = work_plan_copy(source=source, plan_year=form.cleaned_data["plan_year"], acting_user=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "“%(source)s” was copied into %(year)s as a draft. Check the dates and give it its new document number when it has one."
                )
                % {"source": source, "year": plan.plan_year},
            )
            return redirect("plans:plan_edit", pk=plan.pk)
    return _start_page(request, create_form=_create_form(request), copy_form=form, active="copy", status=400)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc)


@member_required
def plan_edit(request, pk):
    plan = plan_or_404(request, pk, perm="plans.change_workplan")
    if plan.status != WorkPlan.Status.DRAFT:
        messages.error(
            request,
            _("Only a draft can be edited; this plan is %(status)s.") % {"status": plan.get_status_display()},
        )
        return redirect(plan)
    snapshot = plan_snapshot(plan)
    status = 200
    if request.method != "POST":
        editor = PlanEditor.build(plan=plan, snapshot=snapshot, mode="initial")
    else:
        op = request.POST.get("op", "save")
        try:
            if op in ("save", "check"):
                editor = PlanEditor.build(
                    plan=plan,
                    snapshot=snapshot,
                    mode="bound",
                    data=request.POST,
                    resolver=county_resolver(
                        office=plan.office,
                        also={pk for task in snapshot["tasks"] for pk, _name in task["counties"]},
                    ),
                )
                if editor.is_valid() and op == "save":
                    try:
                        plan = work_plan_update(
                            plan=plan,
                            content=editor.content(),
                            expected_version=editor.header.cleaned_data["version"],
                            acting_user=request.user,
                        )
                    except ValidationError as exc:
                        editor.add_service_error(exc)
                    else:
                        messages.success(request, _("Saved."))
                        return redirect(plan)
                if editor.has_errors:
                    status = 400
                elif op == "check":
                    messages.info(request, _("Everything can be saved as it is. Nothing was saved yet."))
            else:
                editor = PlanEditor.build(plan=plan, snapshot=snapshot, mode="typed", data=request.POST, op=op)
        except OutlineError:
            messages.error(request, _("The form was altered or incomplete; open the edit page again."))
            return redirect("plans:plan_edit", pk=plan.pk)
    return render(
        request,
        "plans/edit.html",
        {
            "plan": plan,
            "editor": editor,
            "projects": snapshot["projects"],
            "year_mentions": earlier_year_mentions(snapshot),
            "templates": editor_templates(),
            "county_suggest_url": reverse("plans:plan_edit_counties", args=[plan.pk]),
        },
        status=status,
    )


@member_required
@require_GET
def plan_edit_counties(request, pk):
    """Suggestions for a task's target counties: the plan's region, by every name."""
    plan = plan_or_404(request, pk, perm="plans.change_workplan")
    form = TermForm(request.GET, max_chars=32)
    if not form.is_valid():
        return JsonResponse({"results": [], "error": form.refusal()}, status=400)
    term = form.cleaned_data["q"]
    results = county_resolver(office=plan.office).suggest(term) if term else []
    return JsonResponse({"results": results})


@member_required
@require_GET
def period_check(request):
    """What a period as typed means (the edit page asks as one types)."""
    form = TermForm(request.GET, max_chars=64)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": form.refusal()}, status=400)
    text = form.cleaned_data["q"]
    if not text:
        return JsonResponse({"ok": False, "error": ""})
    reading = period_reading(text)
    if reading is None:
        return JsonResponse({"ok": False, "error": period_error(text)})
    return JsonResponse({"ok": True, **reading})
