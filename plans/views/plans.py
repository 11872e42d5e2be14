"""The plan pages: the list, a plan as its notice, its lifecycle, revisions and history."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisation.access import is_county_only
from plans.actions import PLAN_RETURNED
from plans.forms import PlanHistoryFilterForm, RevisionCompareForm, TransitionForm
from plans.models import WorkPlan
from plans.permissions import counties_shown_to, plan_actions
from plans.selectors.history import HISTORY_KINDS, history_filter, history_users, plan_last_event
from plans.selectors.history import plan_history as plan_history_select
from plans.selectors.plans import (
    PLANS_PER_PAGE,
    open_revision_of,
    revision_get,
    revision_list,
    revision_snapshot,
    snapshot_document,
    work_plan_document,
    work_plan_filterset,
    work_plan_first_page,
    work_plan_list,
    work_plan_pages,
)
from plans.services.content import plan_snapshot
from plans.snapshots import snapshot_diff
from plans.transitions import TRANSITIONS
from plans.views.access import member_required, plan_or_404
from plans.warnings import warning_render


@login_required
def home(request):
    # A 督学 without a role in any office has one page, their schools (the rule and the page
    # are the inspections area's, named here only).
    if rules.test_rule("inspections.inspector_only", request.user):
        return redirect("inspections:my_schools")
    return _member_home(request)


@member_required
def _member_home(request):
    # A county office's work starts from what its county has to do.
    if is_county_only(request.user):
        return redirect("tracking:portal")
    return redirect("plans:plan_list")


@member_required
def plan_list(request):
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    filterset = work_plan_filterset(user=request.user, filters=filters or None)
    # Unfiltered, the year choices' counts are the list's: nothing to count again.
    count = None if filters else sum(filterset.year_counts.values())
    plans = work_plan_pages(
        work_plan_list(filterset=filterset),
        per_page=PLANS_PER_PAGE,
        page=request.GET.get("page"),
        count=count,
        first_page=work_plan_first_page(filterset=filterset, user=request.user, counted=count is None),
        # A word can be in nearly every plan; the other filters are counted exactly.
        searched=bool(filters.get("q", "").strip()),
        # A search's plans are found a span of years at a time, newest first.
        walk=(filterset.listed_year_counts, lambda years: work_plan_list(filterset=filterset, years=years)),
    )
    page_obj = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/plan_list.html",
        {"filter": filterset, "page_obj": page_obj, "plans": page_obj.object_list, "capped": plans.capped},
    )


@member_required
def plan_detail(request, pk):
    plan = plan_or_404(request, pk, carried_out=True)
    actions = plan_actions(request.user, plan)
    open_revision = open_revision_of(plan) if actions.internals else None
    if open_revision is not None:
        actions = plan_actions(request.user, plan, has_open_revision=True)
    last_return = None
    if actions.internals and plan.status == WorkPlan.Status.DRAFT:
        last_event = plan_last_event(plan=plan)
        if last_event is not None and last_event.action_type == PLAN_RETURNED.name:
            last_return = last_event
    viewer_counties = counties_shown_to(request.user)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            # Read only when the cached notice is missing (see the template).
            "doc": SimpleLazyObject(lambda: work_plan_document(plan=plan)),
            "viewer_key": "all" if viewer_counties is None else "-".join(map(str, sorted(viewer_counties))),
            "actions": actions,
            "open_revision": open_revision,
            "last_return": last_return,
            "transition_form": TransitionForm(initial={"version": plan.version}, auto_id=False),
            # The buttons' labels (plans.transitions).
            "transitions": TRANSITIONS,
            "viewer_counties": viewer_counties,
        },
    )


@member_required
@require_POST
def plan_transition(request, pk, action):
    """Every step of the lifecycle (plans.transitions): the user's role is checked here, what
    the plan's state allows by the service, which says why it refuses."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Http404
    plan = plan_or_404(request, pk, perm=transition.permission)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("version", [])) or _("The form was incomplete."))
        return redirect(plan)
    kwargs = transition.service_kwargs(version=form.cleaned_data["version"], comment=form.cleaned_data["comment"])
    try:
        result = transition.service(plan=plan, acting_user=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(plan)
    messages.success(request, transition.done)
    if result is None:
        return redirect("plans:plan_list")
    return redirect(result)


@member_required
def plan_source(request, pk):
    """The import behind a plan: the file, its warnings and the text read (issuing office)."""
    plan = plan_or_404(request, pk, perm="plans.view_plan_internals")
    source = getattr(plan, "source", None)
    return render(
        request,
        "plans/plan_source.html",
        {
            "plan": plan,
            "source": source,
            "warnings": [warning_render(w) for w in source.warnings] if source else [],
        },
    )


@member_required
def plan_source_download(request, pk):
    plan = plan_or_404(request, pk, perm="plans.view_plan_internals")
    source = getattr(plan, "source", None)
    if source is None or not source.file:
        raise Http404(_("This plan has no original file."))
    return FileResponse(source.file.open("rb"), as_attachment=True, filename=source.name or "document")


@member_required
def plan_history(request, pk):
    plan = plan_or_404(request, pk, perm="plans.view_plan_internals")
    lines = plan_history_select(plan=plan)
    form = PlanHistoryFilterForm(request.GET or None, users=history_users(lines), kinds=HISTORY_KINDS)
    status = 200
    if not form.is_bound:
        pass
    elif form.is_valid():
        lines = history_filter(lines, user_id=form.cleaned_data["user"], kind=form.cleaned_data["kind"] or None)
    else:
        lines, status = [], 400
    page_obj = Paginator(lines, 100).get_page(request.GET.get("page"))
    return render(request, "plans/plan_history.html", {"plan": plan, "page_obj": page_obj, "form": form}, status=status)


# --- Revisions ---------------------------------------------------------------------------------


@member_required
def revisions(request, pk):
    plan = plan_or_404(request, pk)
    if plan.revision_of_id is not None:
        return redirect("plans:revisions", pk=plan.revision_of_id)
    revision_rows = revision_list(plan=plan)
    open_revision = None
    if request.user.has_perm("plans.view_plan_internals", plan):
        open_revision = open_revision_of(plan)
    return render(
        request,
        "plans/revisions.html",
        {
            "plan": plan,
            "revisions": revision_rows,
            "open_revision": open_revision,
            "compare_form": RevisionCompareForm(
                revisions=revision_rows,
                draft=open_revision,
                initial=_compare_initial(revision_rows, open_revision),
            ),
        },
    )


def _compare_initial(revision_rows, open_revision) -> dict:
    numbers = [r.number for r in revision_rows]
    if open_revision is not None and numbers:
        return {"a": numbers[0], "b": "draft"}
    if len(numbers) >= 2:
        return {"a": numbers[1], "b": numbers[0]}
    return {}


@member_required
def revision_detail(request, pk, number):
    plan = plan_or_404(request, pk)
    revision = revision_get(plan=plan, number=number, content=False)
    if revision is None:
        raise Http404(_("No such revision."))
    return render(
        request,
        "plans/revision_detail.html",
        {
            "plan": plan,
            "revision": revision,
            # Read only when the cached notice is missing (see the template).
            "doc": SimpleLazyObject(
                lambda: snapshot_document(plan=plan, snapshot=revision_snapshot(revision=revision))
            ),
            "is_latest": revision.number == plan.revision,
        },
    )


@member_required
def revision_compare(request, pk):
    plan = plan_or_404(request, pk)
    revision_rows = revision_list(plan=plan)
    internals = request.user.has_perm("plans.view_plan_internals", plan)
    draft = open_revision_of(plan) if internals else None
    form = RevisionCompareForm(request.GET or None, revisions=revision_rows, draft=draft)
    if not form.is_valid():
        return render(
            request,
            "plans/revision_compare.html",
            {"plan": plan, "form": form, "diff": None},
            status=400 if request.GET else 200,
        )

    def content(choice):
        if choice == "draft":
            return plan_snapshot(draft), _("Draft revision %(number)s") % {"number": draft.revision}
        revision = revision_get(plan=plan, number=int(choice))
        return revision_snapshot(revision=revision), _("Revision %(number)s") % {"number": revision.number}

    (old, old_label), (new, new_label) = content(form.cleaned_data["a"]), content(form.cleaned_data["b"])
    return render(
        request,
        "plans/revision_compare.html",
        {
            "plan": plan,
            "form": form,
            "diff": snapshot_diff(old, new),
            "old_label": old_label,
            "new_label": new_label,
        },
    )
