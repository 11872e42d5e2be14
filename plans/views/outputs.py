"""What staff take out of a plan: the printable notice, calendars, the Excel workbook (and
an edited one back into a draft) and iCalendar feeds.

The feeds are read by calendar clients, which carry no session: their address holds the
user's secret (FeedToken), and a feed shows what that user may read, nothing more. A renewed
or revoked secret answers 404, as an address that never existed would.
"""

import hashlib
import re
import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation.access import access_for
from plans.forms_outputs import (
    EXCEL_IMPORT_MAX_AGE,
    ExcelUploadForm,
    FeedTokenForm,
    excel_import_token,
    excel_import_token_read,
)
from plans.models import FeedToken, WorkPlan
from plans.outputs.excel import plan_workbook_write
from plans.outputs.excel_import import plan_schedule_import, schedule_workbook_read
from plans.outputs.feeds import feed_token_get, feed_token_of, feed_token_renew, feed_token_revoke
from plans.outputs.ical import feed_calendar, office_feed_plans
from plans.parsing.patterns import imprint_date
from plans.permissions import plan_actions
from plans.selectors.calendars import (
    calendar_year_links,
    feed_offices,
    office_calendar,
    office_calendar_years,
    office_for_calendar,
    plan_calendar,
    schedule_rows,
)
from plans.selectors.plans import work_plan_document, work_plan_get, work_plan_visible
from plans.services.content import stale_error
from plans.services.pending import pending_delete, pending_read, pending_save
from plans.views.access import member_required, plan_or_404

PENDING_DIR = "imports/workbooks"
# A feed secret just made, kept in the session until the next page shows it.
FEED_SECRET_SESSION_KEY = "feed_secret"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEARS = WorkPlan.YEARS


def _file_name(plan: WorkPlan, suffix: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", plan.title)[:80] + suffix


# --- Print ---------------------------------------------------------------------------------------


@member_required
def plan_print(request, pk):
    """The plan laid out as the printed notice (A4, static/css/print.css)."""
    plan = plan_or_404(request, pk)
    doc = work_plan_document(plan=plan)
    return render(
        request,
        "plans/print.html",
        {
            "plan": plan,
            "doc": doc,
            "printed_before_signed": _printed_before_signed(plan),
            "annex": schedule_rows(doc.calendar),
        },
    )


def _printed_before_signed(plan) -> tuple | None:
    """(成文 date, 印发 date) when the 印发 line is dated before the notice was signed: a
    typing error the office would want to correct before printing."""
    printed = imprint_date(plan.imprint)
    if plan.issue_date and printed and printed < plan.issue_date:
        return plan.issue_date, printed
    return None


# --- Calendars ---------------------------------------------------------------------------------


@member_required
def plan_calendar_view(request, pk):
    plan = plan_or_404(request, pk)
    access = access_for(request.user)
    return render(
        request,
        "plans/calendar_plan.html",
        {
            "plan": plan,
            "calendar": plan_calendar(plan=plan),
            "viewer_counties": access.counties if access.is_county_only else None,
        },
    )


@member_required
def calendar_home(request):
    """This year's calendar of the user's office (for a county office: of the office whose
    plans give it the most work this year)."""
    year = timezone.localdate().year
    access = access_for(request.user)
    office_id = min(access.offices) if access.offices else None
    if office_id is None:
        visible = work_plan_visible(user=request.user).filter(revision_of__isnull=True)
        office_id = (
            visible.filter(plan_year=year).order_by("office_id").values_list("office_id", flat=True).first()
            or visible.order_by("-plan_year", "office_id").values_list("office_id", flat=True).first()
        )
    if office_id is None:
        return render(request, "plans/calendar_office.html", {"office": None, "year": year, "calendar": None})
    return redirect("plans:office_calendar", office_id=office_id, year=year)


@member_required
def office_calendar_view(request, office_id, year):
    office = office_for_calendar(office_id=office_id)
    if office is None or year not in YEARS:
        raise Http404(_("No such calendar."))
    access = access_for(request.user)
    years = office_calendar_years(office=office, user=request.user)
    return render(
        request,
        "plans/calendar_office.html",
        {
            "office": office,
            "year": year,
            "year_links": calendar_year_links(year=year, years=years),
            "calendar": office_calendar(office=office, year=year, user=request.user),
            "viewer_counties": access.counties if access.is_county_only else None,
            "may_subscribe": True,
        },
    )


# --- Excel ----------------------------------------------------------------------------------------


@member_required
@require_GET
def plan_excel_export(request, pk):
    plan = plan_or_404(request, pk)
    # Written to a temporary file, then streamed from it: the workbook never sits in memory.
    stream = tempfile.TemporaryFile()
    plan_workbook_write(plan=plan, stream=stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=_file_name(plan, ".xlsx"), content_type=XLSX)


def _editable_or_redirect(request, plan):
    if not plan_actions(request.user, plan).edit:
        messages.error(
            request,
            _("A sheet is imported into a draft only; this plan is %(status)s.")
            % {"status": plan.get_status_display()},
        )
        return redirect(plan)
    return None


def _preview(request, plan, *, result, token=None, status=200):
    return render(
        request,
        "plans/excel_import_preview.html",
        {"plan": plan, "result": result, "token": token},
        status=status,
    )


@member_required
@require_http_methods(["GET", "POST"])
def plan_excel_import(request, pk):
    """Upload an edited workbook; the answer is its preview (nothing is written here)."""
    plan = plan_or_404(request, pk, perm="plans.change_workplan")
    refused = _editable_or_redirect(request, plan)
    if refused is not None:
        return refused
    form = ExcelUploadForm(request.POST or None, request.FILES or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["workbook"].read()
        try:
            result = schedule_workbook_read(data=data, plan=plan)
        except ValidationError as exc:
            form.add_error("workbook", exc)
        else:
            token = None
            version = form.cleaned_data["version"]
            if version != plan.version:
                stale = stale_error(plan, yours=version, acting_user=request.user)
                form.add_error(None, f"{stale.messages[0]} {_('Export the plan again and edit that file.')}")
            elif result.can_apply:
                pending = pending_save(folder=PENDING_DIR, data=data, suffix=".xlsx", max_age=EXCEL_IMPORT_MAX_AGE)
                token = excel_import_token(
                    user=request.user,
                    plan=plan,
                    version=plan.version,
                    pending_name=pending,
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            if not form.errors:
                return _preview(request, plan, result=result, token=token)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/excel_import.html", {"plan": plan, "form": form}, status=status)


@member_required
@require_POST
def plan_excel_import_confirm(request, pk):
    plan = plan_or_404(request, pk, perm="plans.change_workplan")
    refused = _editable_or_redirect(request, plan)
    if refused is not None:
        return refused
    try:
        payload = excel_import_token_read(request.POST.get("token", ""), user=request.user, plan=plan)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plans:plan_excel_import", pk=plan.pk)
    data = pending_read(name=payload["f"], sha256=payload["s"])
    if data is None:
        messages.error(request, _("The preview has expired; upload the workbook again."))
        return redirect("plans:plan_excel_import", pk=plan.pk)
    try:
        result = plan_schedule_import(plan=plan, data=data, expected_version=payload["v"], acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plans:plan_excel_import", pk=plan.pk)
    pending_delete(payload["f"])
    messages.success(
        request,
        _("The sheet was imported: %(tasks)s tasks and %(entries)s calendar lines changed.")
        % {"tasks": len(result.diff.tasks), "entries": len(result.diff.entries)},
    )
    return redirect(plan)


# --- iCalendar -------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    """The user's feed addresses, and the secret in them: make, renew or revoke it."""
    if request.method == "POST":
        form = FeedTokenForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["action"] == "renew":
                # The first addresses replace nothing: saying old ones stopped would alarm for nothing.
                renewing = FeedToken.objects.filter(user=request.user).exists()
                # Only its hash is stored: the page after this one shows the addresses, once.
                request.session[FEED_SECRET_SESSION_KEY] = feed_token_renew(user=request.user).secret
                if renewing:
                    messages.success(request, _("New feed addresses were made; the old ones no longer work."))
                else:
                    messages.success(
                        request, _("Your feed addresses were made: copy one into your calendar to subscribe.")
                    )
            else:
                feed_token_revoke(user=request.user)
                messages.success(
                    request, _("Your feed addresses were revoked; calendars subscribed to them get nothing more.")
                )
        target = reverse("plans:feed_settings")
        plan_id = request.POST.get("plan", "")
        return redirect(f"{target}?plan={plan_id}" if plan_id.isdigit() else target)
    token = feed_token_of(user=request.user)
    secret = request.session.pop(FEED_SECRET_SESSION_KEY, None)
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = work_plan_get(pk=int(request.GET["plan"]), user=request.user)
        if plan is not None and not request.user.has_perm("plans.view_workplan", plan):
            plan = None
    offices = feed_offices(user=request.user, year=timezone.localdate().year)
    feeds = []
    if token is not None and secret is not None:
        if plan is not None:
            feeds.append((plan.title, request.build_absolute_uri(reverse("plans:plan_feed", args=[secret, plan.pk]))))
        feeds += [
            (name, request.build_absolute_uri(reverse("plans:office_feed", args=[secret, office_id])))
            for office_id, name in offices
        ]
    return render(
        request,
        "plans/feed_settings.html",
        {"token": token, "shown": secret is not None, "plan": plan, "feeds": feeds, "office_count": len(offices)},
    )


def _feed_response(request, body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    # Calendar clients poll; a shared cache must never keep one user's feed.
    response["Cache-Control"] = "private, max-age=900"
    # Clients that send back the ETag they were given get 304 and no body while the feed is
    # unchanged, instead of its tens of kilobytes again on every poll.
    response["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _feed_user(token: str):
    feed_token = feed_token_get(token=token)
    if feed_token is None:
        raise Http404
    return feed_token.user


@require_GET
def plan_feed(request, token, pk):
    user = _feed_user(token)
    plan = work_plan_get(pk=pk, user=user)
    if plan is None or not user.has_perm("plans.view_workplan", plan):
        raise Http404
    body = feed_calendar(
        name=plan.title,
        plans=[plan],
        plan_url=lambda p: request.build_absolute_uri(p.get_absolute_url()),
    )
    return _feed_response(request, body, f"plan-{plan.pk}.ics")


@require_GET
def office_feed(request, token, office_id):
    user = _feed_user(token)
    office = office_for_calendar(office_id=office_id)
    if office is None:
        raise Http404
    body = feed_calendar(
        name=office.name,
        plans=office_feed_plans(office=office, user=user),
        plan_url=lambda p: request.build_absolute_uri(p.get_absolute_url()),
    )
    return _feed_response(request, body, f"office-{office.pk}.ics")
