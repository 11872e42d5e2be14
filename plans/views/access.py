"""What every page checks first: a signed-in user with a role somewhere."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from organisation.access import is_member
from plans.selectors.plans import work_plan_get


def member_required(view):
    """Anonymous users go to the login page; a user without any membership reads a page that
    says so (and nothing else)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_member(request.user):
            return render(request, "plans/no_membership.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def plan_or_404(request, pk: int, *, perm: str | None = None, carried_out: bool = False):
    """The plan if the user may read it (404 otherwise: its existence is not told), and
    403 if they may read it but not do `perm` to it (`carried_out`: work_plan_get's)."""
    plan = work_plan_get(pk=pk, user=request.user, carried_out=carried_out)
    if plan is None or not request.user.has_perm("plans.view_workplan", plan):
        raise Http404(_("No such plan."))
    if perm is not None and not request.user.has_perm(perm, plan):
        raise PermissionDenied
    return plan
