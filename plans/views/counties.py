"""The county pages: which counties have work, and what one county has to do."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from plans.permissions import access_for
from plans.selectors.counties import (
    county_get,
    county_mentions,
    county_pages,
)
from plans.selectors.counties import county_list as county_list_select
from plans.views.access import member_required

COUNTIES_PER_PAGE = 50


@member_required
def county_list(request):
    filterset, counties = county_list_select(user=request.user, filters=request.GET or None)
    counties = county_pages(
        counties, user=request.user, per_page=COUNTIES_PER_PAGE, page=request.GET.get("page")
    )
    page_obj = Paginator(counties, COUNTIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/county_list.html",
        {"filter": filterset, "page_obj": page_obj, "counties": page_obj.object_list},
    )


@member_required
def county_detail(request, pk):
    county = county_get(pk=pk, user=request.user)
    if county is None:
        raise Http404(_("No such county."))
    access = access_for(request.user)
    return render(
        request,
        "plans/county_detail.html",
        {
            "county": county,
            "mentions": county_mentions(county=county, user=request.user),
            "viewer_counties": access.counties if access.is_county_only else None,
        },
    )
