"""What one user did: for administrators."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode

from plans.selectors.history import audit_user_get, user_actions
from plans.views.access import member_required


@member_required
def user_audit(request, user_id):
    if not request.user.has_perm("plans.view_audit"):
        raise PermissionDenied
    subject = audit_user_get(user_id=user_id)
    if subject is None:
        raise Http404
    before = parse_datetime(request.GET.get("before", "")) if request.GET.get("before") else None
    if before is not None and before.tzinfo is None:
        before = before.replace(tzinfo=datetime.UTC)
    page = user_actions(user=subject, before=before, entry=request.GET.get("entry"))
    return render(
        request,
        "plans/user_audit.html",
        {"subject": subject, "lines": page.lines, "older": urlencode(page.older) if page.older else None},
    )
