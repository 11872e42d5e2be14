"""Supervised work: the county portal, an assignment with its reports, review, the dashboards,
reminders, and the page that shows what publishing will send."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs.services import job_start
from organisation.access import access_for
from organisation.models import County, Office, Region
from organisation.selectors import office_get
from plans.error_summary import ErrorItem, form_error_items
from plans.models import WorkPlan
from plans.views.access import member_required, plan_or_404
from tracking import kinds
from tracking.forms import DueDateForm, ReportForm, ReviewForm
from tracking.job_kinds import DASHBOARD_EXPORT, dashboard_export_params
from tracking.models import Assignment, ProgressReport
from tracking.outputs import dashboard_workbook, province_dashboard_workbook
from tracking.permissions import assignments_owed_q, offices_trackable
from tracking.selectors.tracking import (
    PROVINCE_SORTS,
    AssignmentFilter,
    assignment_get,
    dashboard_assignments,
    dashboard_get,
    evidence_get,
    inbox_get,
    inbox_next,
    last_reminded,
    office_issued_years,
    office_year_plans,
    office_year_q,
    office_year_q_of,
    own_work,
    portal_get,
    province_dashboard_get,
    province_get,
    province_offices,
    provinces_trackable,
)
from tracking.services.assignments import (
    assignment_changes_by_county,
    assignment_due_date_set,
    assignments_by_county,
    assignments_planned,
    assignments_preview,
)
from tracking.services.reminders import reminder_send_to_county
from tracking.services.reports import assignments_acknowledge, report_review, report_submit

ASSIGNMENTS_PER_PAGE = 50


@member_required
def portal(request):
    """A county office's work. Staff have the dashboards instead."""
    if not access_for(request.user).counties:
        return redirect("plans:plan_list")
    view = request.GET.get("view", "")
    view = view if view in ("plan", "month") else "urgent"
    portal = portal_get(user=request.user, today=timezone.localdate(), show=request.GET.get("show", ""))
    return render(request, "tracking/portal.html", {"portal": portal, "view": view})


def _assignment_or_404(request, pk, *, page: bool = True):
    assignment = assignment_get(pk=pk, user=request.user, page=page)
    if assignment is None:
        raise Http404(_("No such assignment."))
    return assignment


@member_required
def assignment_detail(request, pk):
    return _assignment_page(request, _assignment_or_404(request, pk))


def _assignment_page(request, assignment, *, review_form=None, reviewed=None, review_errors=(), status=200):
    """The assignment page; after a refused review, with the decision and comment as sent
    (`review_form`, bound) under the report it was for (`reviewed`)."""
    may_report = request.user.has_perm("tracking.report_assignment", assignment) and assignment.is_open
    may_review = request.user.has_perm("tracking.review_assignment", assignment)
    may_move_due_date = request.user.has_perm("tracking.move_due_date", assignment)
    # 审核下一份: another assignment whose report waits for this user.
    review_next = inbox_next(user=request.user, after=assignment) if may_review else None
    return render(
        request,
        "tracking/assignment_detail.html",
        {
            "assignment": assignment,
            "may_report": may_report,
            "may_review": may_review,
            "report_form": ReportForm(initial={"submission_key": uuid.uuid4()}, kind=assignment.obligation_kind)
            if may_report
            else None,
            "review_form": (review_form or ReviewForm()) if may_review else None,
            "reviewed": reviewed,
            "review_errors": list(review_errors),
            "review_next": review_next,
            "due_form": DueDateForm(initial={"due_date": assignment.due_date})
            if may_move_due_date and assignment.is_open
            else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _id(value) -> int | None:
    """A row id from a form, or None for anything that is not one."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _back(request, default: str):
    """Where a form asks to go back to: a path of this site, else `default`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@member_required
@require_POST
def assignment_acknowledge(request):
    """签收 one assignment, or every new one of a source (a plan, for plan work)."""
    if not access_for(request.user).counties:
        raise PermissionDenied
    assignments = Assignment.objects.filter(assignments_owed_q(request.user), state=Assignment.State.ASSIGNED)
    if "plan" in request.POST:  # the form of the pages before obligations had kinds
        source = kinds.source_q(kinds.PLAN_WORK, request.POST["plan"])
    else:
        source = kinds.source_q(request.POST.get("kind", ""), request.POST.get("source", ""))
    ids = [i for i in map(_id, request.POST.getlist("assignment")) if i is not None]
    if source is not None:
        assignments = assignments.filter(source)
    elif ids:
        assignments = assignments.filter(pk__in=ids)
    else:
        assignments = assignments.none()
    count = assignments_acknowledge(assignments=list(assignments), acting_user=request.user)
    messages.success(request, _("%(count)d assignments acknowledged.") % {"count": count})
    return _back(request, "tracking:portal")


@member_required
@require_POST
def report_create(request, pk):
    # The page's reports are read only if the form is refused and the page shown again.
    assignment = _assignment_or_404(request, pk, page=False)
    if not request.user.has_perm("tracking.report_assignment", assignment):
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES, kind=assignment.obligation_kind)
    if form.is_valid():
        try:
            report = report_submit(
                assignment=assignment,
                acting_user=request.user,
                progress=form.cleaned_data["progress"],
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as exc:
            form.add_error(
                "files"
                if exc.code in ("too_large", "too_large_total", "bad_type", "too_many_files", "evidence_required")
                else None,
                exc,
            )
        else:
            if report.is_repeat:
                messages.info(
                    request,
                    _("This report was already sent at %(time)s; nothing was stored twice.")
                    % {"time": timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M")},
                )
            else:
                messages.success(request, _("Your report was sent."))
            return redirect("tracking:assignment_detail", pk=assignment.pk)
    return render(
        request,
        "tracking/assignment_detail.html",
        {
            "assignment": _assignment_or_404(request, pk),
            "may_report": True,
            "may_review": False,
            "report_form": form,
            "report_errors": form_error_items(form),
            "today": timezone.localdate(),
        },
        status=400,
    )


@member_required
@require_POST
def report_review_view(request, pk):
    report = get_object_or_404(ProgressReport.objects.select_related("assignment"), pk=pk)
    assignment = report.assignment
    if not request.user.has_perm("tracking.view_assignment", assignment):
        raise Http404
    if not request.user.has_perm("tracking.review_assignment", assignment):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            report_review(
                report=report,
                acting_user=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            # Refused (a 整改 item not yet confirmed by its follow-up check, a report already
            # reviewed): said on the page, with the decision and comment kept as typed.
            return _assignment_page(
                request,
                _assignment_or_404(request, assignment.pk),
                review_form=form,
                reviewed=report.pk,
                review_errors=[ErrorItem(message, field_id=f"review-comment-{report.pk}") for message in exc.messages],
                status=400,
            )
        else:
            messages.success(request, _("Review recorded."))
            if request.POST.get("then") == "next":
                # 审核下一份: on to the report that has waited longest, or back to the inbox.
                following = inbox_next(user=request.user)
                if following is None:
                    messages.info(request, _("No other report awaits your review."))
                    return redirect("tracking:inbox")
                return redirect("tracking:assignment_detail", pk=following.pk)
    else:
        messages.error(request, _("Choose to accept or return the report."))
    return redirect("tracking:assignment_detail", pk=assignment.pk)


@member_required
@require_GET
def inbox(request):
    """To do: plans to publish and reports to review, across the user's offices."""
    if not request.user.has_perm("tracking.view_inbox"):
        raise PermissionDenied
    return render(request, "tracking/inbox.html", {"inbox": inbox_get(user=request.user)})


@member_required
@require_POST
def assignment_due_date(request, pk):
    assignment = _assignment_or_404(request, pk)
    if not request.user.has_perm("tracking.move_due_date", assignment):
        raise PermissionDenied
    form = DueDateForm(request.POST)
    if form.is_valid():
        try:
            assignment_due_date_set(
                assignment=assignment,
                due_date=form.cleaned_data["due_date"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The due date was changed."))
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect("tracking:assignment_detail", pk=assignment.pk)


@member_required
def evidence_download(request, pk):
    evidence = evidence_get(pk=pk, user=request.user)
    if evidence is None:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Dashboards ------------------------------------------------------------------------------


def _dashboard_page(
    request, *, plans, title, back, remind_allowed, export_url, export_job_url, office_year=None, extra=None
):
    today = timezone.localdate()
    dashboard = dashboard_get(plans=plans, title=title, today=today, office_year=office_year)
    scope = None if office_year is None else office_year_q_of(*office_year)
    filterset = AssignmentFilter(
        request.GET or None, queryset=Assignment.objects.all(), counties=dashboard.counties, today=today
    )
    listing = None
    if request.GET:
        listing = Paginator(
            dashboard_assignments(plans=plans, filterset=filterset, scope=scope), ASSIGNMENTS_PER_PAGE
        ).get_page(request.GET.get("page"))
    if remind_allowed and dashboard.rows:
        reminded = last_reminded(county_ids=[row.county.pk for row in dashboard.rows])
        for row in dashboard.rows:
            row.last_reminded = reminded.get(row.county.pk)
    return render(
        request,
        "tracking/dashboard.html",
        {
            "dashboard": dashboard,
            "filter": filterset,
            "listing": listing,
            "back": back,
            "remind_allowed": remind_allowed,
            "export_url": export_url,
            "export_job_url": export_job_url,
            **(extra or {}),
        },
    )


@member_required
def plan_dashboard(request, pk):
    plan = plan_or_404(request, pk, perm="tracking.view_tracking")
    if request.GET.get("format") == "xlsx":
        return _xlsx(dashboard_get(plans=[plan], title=plan.title, today=timezone.localdate()), plan.title)
    return _dashboard_page(
        request,
        plans=[plan],
        title=plan.title,
        back=plan,
        remind_allowed=request.user.has_perm("tracking.remind_county", plan),
        export_url=f"{request.path}?format=xlsx",
        export_job_url=reverse("tracking:plan_dashboard_export", args=[plan.pk]),
    )


@member_required
def office_dashboard(request, office_id, year):
    office = office_get(pk=office_id)
    if (
        office is None
        or not request.user.has_perm("tracking.view_office_tracking", office)
        or year not in WorkPlan.YEARS
    ):
        raise Http404
    plans = office_year_plans(office=office, year=year)
    title = _("%(office)s, %(year)s") % {"office": office.name, "year": year}
    if request.GET.get("format") == "xlsx":
        dashboard = dashboard_get(plans=plans, title=title, today=timezone.localdate(), office_year=(office.pk, year))
        return _xlsx(dashboard, title)
    region = office.region
    province = region.parent if region is not None and region.parent_id else region
    if province is not None and province.level != Region.Level.PROVINCE:
        province = None
    return _dashboard_page(
        request,
        plans=plans,
        title=title,
        back=None,
        remind_allowed=request.user.has_perm("tracking.remind_for_office", office),
        export_url=f"{request.path}?format=xlsx",
        export_job_url=reverse("tracking:office_dashboard_export", args=[office.pk, year]),
        office_year=(office.pk, year),
        extra={
            "office": office,
            "year": year,
            "years": office_issued_years(office_ids=[office.pk]),
            "province": province if request.user.has_perm("tracking.view_province_tracking", province) else None,
        },
    )


@member_required
@require_GET
def progress_home(request):
    """The Progress menu: a province's year for its provincial office's staff, the year of the
    user's office for other staff (the latest year with issued plans), the portal for a county
    office. Also where the province dashboard's switch (province, year) lands."""
    if not request.user.has_perm("tracking.view_progress"):
        return redirect("tracking:portal")
    access = access_for(request.user)
    switch = _province_switch(request)
    if switch is not None:
        return switch
    if access.provinces:
        region = Region.objects.get(pk=min(access.provinces))
    elif access.offices:
        office_id = min(access.offices)
        return redirect("tracking:office_dashboard", office_id=office_id, year=_latest_year([office_id]))
    else:  # an administrator
        region = (
            Region.objects.filter(level=Region.Level.PROVINCE, children__offices__plans__status__in=WorkPlan.ISSUED)
            .order_by("code")
            .first()
            or Region.objects.filter(level=Region.Level.PROVINCE).order_by("code").first()
        )
        if region is None:
            raise Http404(_("No province is on record."))
    year = _latest_year([office.pk for office in province_offices(region=region)])
    return redirect("tracking:province_dashboard", region_id=region.pk, year=year)


def _latest_year(office_ids) -> int:
    """The latest year the offices issued plans for, up to this year; this year when none.

    A plan for next year is often issued in December, but its work has not started: opening on
    it would show an empty year. The year switch still reaches it."""
    this_year = timezone.localdate().year
    years = [year for year in office_issued_years(office_ids=office_ids) if year <= this_year]
    return years[0] if years else this_year


def _province_switch(request):
    """?region=…&year=… from the province dashboard's form: to that dashboard."""
    if "region" not in request.GET:
        return None
    try:
        region_id, year = int(request.GET["region"]), int(request.GET.get("year", ""))
    except ValueError:
        region_id = year = -1
    if region_id < 0 or year not in WorkPlan.YEARS:
        messages.error(request, _("Choose a province and a year."))
        return None
    return redirect("tracking:province_dashboard", region_id=region_id, year=year)


@member_required
@require_GET
def province_dashboard(request, region_id, year):
    region = province_get(pk=region_id)
    if (
        region is None
        or not request.user.has_perm("tracking.view_province_tracking", region)
        or year not in WorkPlan.YEARS
    ):
        raise Http404
    sort = request.GET.get("sort", "")
    dashboard = province_dashboard_get(region=region, year=year, today=timezone.localdate(), sort=sort)
    if request.GET.get("format") == "xlsx":
        title = _("%(province)s, %(year)s") % {"province": region.name, "year": year}
        return _xlsx_response(province_dashboard_workbook(dashboard=dashboard), title)
    return render(
        request,
        "tracking/province_dashboard.html",
        {
            "dashboard": dashboard,
            "sort": sort if sort in PROVINCE_SORTS else "",
            "provinces": provinces_trackable(user=request.user),
            # The offices whose own dashboards the user may open from here.
            "trackable": offices_trackable(request.user, [row.office for row in dashboard.rows]),
        },
    )


# 后台导出: the same workbook made by a job (tracking.job_kinds), for the years too large to wait
# for; the job's page (jobs) says when it is ready.


@member_required
@require_POST
def plan_dashboard_export(request, pk):
    plan = plan_or_404(request, pk, perm="tracking.view_tracking")
    job = job_start(
        kind=DASHBOARD_EXPORT,
        user=request.user,
        office=plan.office,
        title=_("Workbook of %(dashboard)s") % {"dashboard": plan.title},
        params=dashboard_export_params(plan=plan),
    )
    return redirect(job)


@member_required
@require_POST
def office_dashboard_export(request, office_id, year):
    office = get_object_or_404(Office, pk=office_id)
    if not request.user.has_perm("tracking.view_office_tracking", office) or year not in WorkPlan.YEARS:
        raise Http404
    title = _("%(office)s, %(year)s") % {"office": office.name, "year": year}
    job = job_start(
        kind=DASHBOARD_EXPORT,
        user=request.user,
        office=office,
        title=_("Workbook of %(dashboard)s") % {"dashboard": title},
        params=dashboard_export_params(office=office, year=year),
    )
    return redirect(job)


@member_required
@require_POST
def province_dashboard_export(request, region_id, year):
    region = province_get(pk=region_id)
    if (
        region is None
        or not request.user.has_perm("tracking.view_province_tracking", region)
        or year not in WorkPlan.YEARS
    ):
        raise Http404
    title = _("%(province)s, %(year)s") % {"province": region.name, "year": year}
    job = job_start(
        kind=DASHBOARD_EXPORT,
        user=request.user,
        title=_("Workbook of %(dashboard)s") % {"dashboard": title},
        params=dashboard_export_params(region=region, year=year),
    )
    return redirect(job)


def _xlsx(dashboard, title):
    return _xlsx_response(dashboard_workbook(dashboard=dashboard), title)


def _xlsx_response(workbook, title):
    name = f"{title[:60]}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _remind(request, county) -> None:
    """Send `county` a reminder now, or say precisely why nothing went."""
    try:
        reminder_send_to_county(county=county, acting_user=request.user)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if exc.code == "no_address":
            message = format_html(
                '{} <a href="{}">{}</a>',
                message,
                reverse("tracking:county_contacts", args=[county.pk]),
                _("Register a contact e-mail"),
            )
        messages.warning(request, message)
    else:
        messages.success(request, _("A reminder was sent to %(county)s.") % {"county": county.name})


@member_required
@require_POST
def reminder_send(request, pk, county_id):
    plan = plan_or_404(request, pk, perm="tracking.remind_county")
    county = get_object_or_404(County, pk=county_id)
    if not plan.assignments.filter(county=county).exists():
        raise Http404
    _remind(request, county)
    return redirect("tracking:plan_dashboard", pk=plan.pk)


@member_required
@require_POST
def office_reminder_send(request, office_id, year, county_id):
    """催办 from an office's dashboard of a year: to a county that year's plans give work."""
    office = get_object_or_404(Office, pk=office_id)
    if not request.user.has_perm("tracking.remind_for_office", office) or year not in WorkPlan.YEARS:
        raise Http404
    county = get_object_or_404(County, pk=county_id)
    if not Assignment.objects.filter(office_year_q(office=office, year=year), county=county).exists():
        raise Http404
    _remind(request, county)
    return redirect("tracking:office_dashboard", office_id=office.pk, year=year)


# --- What publishing sends -------------------------------------------------------------------


@member_required
def publish_preview(request, pk):
    """Before a reviewer publishes: the rules, and what each county will receive."""
    plan = plan_or_404(request, pk, perm="plans.review_workplan")
    if plan.status != WorkPlan.Status.IN_REVIEW:
        return redirect(plan)
    planned = assignments_planned(plan=plan)
    return render(
        request,
        "tracking/publish_preview.html",
        {
            "plan": plan,
            "by_county": assignments_by_county(planned),
            "total": len(planned),
            "own_work": own_work(plan=plan, planned=planned),
            # Years the official calendar holds no data for: their due dates skip weekends only.
            "calendar_missing_years": sorted({p.due.date.year for p in planned if p.due.approximate}),
            "county_changes": assignment_changes_by_county(assignments_preview(plan=plan, planned=planned)),
            "transition_form_version": plan.version,
        },
    )
