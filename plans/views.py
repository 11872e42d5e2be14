"""Reading pages: the plan list, a plan as its notice, the county list and a county's work."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from plans.filters import CountyFilter
from plans.selectors import (
    county_get,
    county_list as county_list_select,
    county_mentions,
    user_county_id,
    user_sees_all_plans,
    work_plan_calendar,
    work_plan_filterset,
    work_plan_get,
    work_plan_list,
    work_plan_outline,
)

PLANS_PER_PAGE = 25


@login_required
def home(request):
    # A county office's work starts from what its county has to do.
    county_id = user_county_id(request.user)
    if county_id is not None:
        return redirect("plans:county_detail", pk=county_id)
    return redirect("plans:plan_list")


@login_required
def plan_list(request):
    filterset = work_plan_filterset(user=request.user, filters=request.GET or None)
    plans = work_plan_list(user=request.user, filterset=filterset)
    page_obj = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/plan_list.html",
        {"filter": filterset, "page_obj": page_obj, "plans": page_obj.object_list},
    )


@login_required
def plan_detail(request, pk):
    plan = work_plan_get(pk=pk, user=request.user)
    if plan is None:
        raise Http404(_("No such plan."))
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "outline": work_plan_outline(plan=plan),
            "calendar": work_plan_calendar(plan=plan),
            "show_import_warnings": user_sees_all_plans(request.user),
            "viewer_county_id": user_county_id(request.user),
        },
    )


@login_required
def county_list(request):
    filters = request.GET or None
    return render(
        request,
        "plans/county_list.html",
        {
            "filter": CountyFilter(filters),
            "counties": county_list_select(user=request.user, filters=filters),
        },
    )


@login_required
def county_detail(request, pk):
    county = county_get(pk=pk, user=request.user)
    if county is None:
        raise Http404(_("No such county."))
    return render(
        request,
        "plans/county_detail.html",
        {"county": county, "mentions": county_mentions(county=county, user=request.user)},
    )
