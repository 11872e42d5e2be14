"""The site's own pages, above every app: where signing in lands."""

import rules
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from organisation.access import is_county_only
from plans.views.access import member_required


@login_required
def home(request):
    # A 督学 without a role in any office has one page: their schools (inspections).
    if rules.test_rule("inspections.inspector_only", request.user):
        return redirect("inspections:my_schools")
    return _member_home(request)


@member_required
def _member_home(request):
    # A county office's work starts from what its county has to do.
    if is_county_only(request.user):
        return redirect("tracking:portal")
    return redirect("plans:plan_list")
