"""整改 pages: issuing items (from a finding, or for an inspection's chosen findings at once), the
office's list of a year, one item with its obligation, reports, follow-up checks and history,
and the steps staff and a follow-up check's team take on it (催办, escalation, follow-up, verdict).
Thin: form → service (inspections.rectification) or selector → template."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import rectification as services
from inspections import rectification_selectors as selectors
from inspections.models import Inspection, Rectification
from inspections.rectification_forms import (
    BulkRectificationForm,
    EscalationForm,
    FollowUpForm,
    VerdictForm,
)
from inspections.views.findings import (
    _finding_list_page,
    _inspection_or_404,
    _rectify_form,
    finding_detail,
    worker_required,
)
from organisation.models import Office
from plans.error_summary import form_error_items
from plans.models import WorkPlan
from plans.selectors.paging import Pages
from plans.views.access import member_required
from supervision.choices import choices_in_hand
from supervision.pagination import CountedPaginator

ITEMS_PER_PAGE = selectors.ITEMS_PER_PAGE


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _issued_message(request, items) -> None:
    moved = [item for item in items if item.deadline_moved]
    messages.success(request, _("%(count)d 整改 items were issued.") % {"count": len(items)})
    for item in moved[:1]:
        messages.info(
            request,
            _("The deadline %(asked)s is not a working day on the official calendar: it was moved back to %(due)s.")
            % {"asked": item.deadline_asked.isoformat(), "due": item.obligation.due_date.isoformat()},
        )


@member_required
def rectification_create(request, pk):
    """Issue one finding as a 整改 item (findings/<pk>/rectify/)."""
    finding = selectors.finding_get(pk=pk)
    if finding is None or not request.user.has_perm("inspections.view_finding", finding):
        raise Http404(_("No such finding."))
    if not request.user.has_perm("inspections.issue_rectification", finding):
        raise PermissionDenied
    if selectors.has_rectification(finding):
        return redirect(finding.rectification)
    if request.method != "POST":
        return finding_detail(request, pk)
    form = _rectify_form(request.user, finding, request.POST)
    if form.is_valid():
        try:
            item = services.rectification_issue(
                finding=finding,
                requirement=form.cleaned_data["requirement"],
                done_when=form.cleaned_data["done_when"],
                due_date=form.cleaned_data["due_date"],
                needs_follow_up=form.cleaned_data["needs_follow_up"],
                office=form.cleaned_data.get("office"),
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _issued_message(request, [item])
            return redirect(item)
    return render(
        request,
        "inspections/finding_detail.html",
        {"finding": finding, "rectification": None, "may_issue": True, "form": form, "errors": form_error_items(form)},
        status=400,
    )


@member_required
@require_POST
def findings_rectify(request, pk):
    """Issue 整改 for the chosen findings of an inspection, with one deadline."""
    inspection = _inspection_or_404(request, pk, perm="inspections.run_inspection")
    form = BulkRectificationForm(request.POST, findings=inspection.findings.filter(rectification__isnull=True))
    if form.is_valid():
        try:
            items = services.rectifications_issue(
                inspection=inspection,
                findings=form.cleaned_data["findings"],
                requirement=form.cleaned_data["requirement"],
                done_when=form.cleaned_data["done_when"],
                due_date=form.cleaned_data["due_date"],
                needs_follow_up=form.cleaned_data["needs_follow_up"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _issued_message(request, items)
            return redirect("inspections:finding_list", pk=inspection.pk)
    return _finding_list_page(request, inspection, bulk_form=form, status=400)


def _office_year(request) -> tuple[Office, int, list[Office]]:
    offices = list(selectors.rectification_offices(user=request.user))
    if not offices:
        raise Http404(_("No office is on record."))
    office_id, year = request.GET.get("office", ""), request.GET.get("year", "")
    office = next((o for o in offices if str(o.pk) == office_id), offices[0])
    this_year = timezone.localdate().year
    year = int(year) if year.isascii() and year.isdigit() and int(year) in WorkPlan.YEARS else this_year
    return office, year, offices


@member_required
def rectification_list(request):
    """An office's 整改 items of a year: overdue ones flagged, with their escalation."""
    if not request.user.has_perm("inspections.view_rectification_list"):
        raise PermissionDenied
    today = timezone.localdate()
    office, year, offices = _office_year(request)
    filters = {k: v for k, v in request.GET.items() if k in ("county", "state", "escalation")} or None
    listing = selectors.rectification_list(user=request.user, office=office, year=year, filters=filters, today=today)
    obligations = listing.obligations
    if listing.first_page is not None:
        obligations = Pages(
            obligations,
            per_page=ITEMS_PER_PAGE,
            page=request.GET.get("page"),
            count=listing.total,
            first_page=listing.first_page,
        )
    paginator = CountedPaginator(obligations, ITEMS_PER_PAGE, count=listing.total)
    page_obj = paginator.get_page(request.GET.get("page"))
    items = selectors.items_for_page(page_obj.object_list, today=today, counties=listing.counties)
    may_manage = request.user.has_perm("inspections.manage_rectification", Rectification(office=office))
    follow_up_form = None
    if may_manage:
        follow_up_form = FollowUpForm(
            items=Rectification.objects.filter(office=office),
            inspections=selectors.follow_up_choices(office=office),
        )
        choices_in_hand(follow_up_form.fields["inspection"], selectors.follow_ups_open(office=office))
    return render(
        request,
        "inspections/rectification_list.html",
        {
            "office": office,
            "year": year,
            "offices": offices,
            "years": sorted({*selectors.rectification_years(office=office), today.year, year}, reverse=True),
            "filter": listing.filter,
            "counts": listing.counts,
            "page_obj": page_obj,
            "items": items,
            "today": today,
            "may_manage": may_manage,
            "follow_up_form": follow_up_form,
        },
    )


def _item_or_404(request, pk) -> Rectification:
    item = selectors.rectification_get(pk=pk, today=timezone.localdate())
    if item is None or not request.user.has_perm("inspections.view_rectification", item):
        raise Http404(_("No such 整改 item."))
    return item


def _verdict_inspections(user, item):
    return [i for i in item.follow_ups.all() if user.has_perm("inspections.record_finding", i)]


def _detail_page(request, item, *, escalation_form=None, verdict_form=None, status=200):
    may_manage = request.user.has_perm("inspections.manage_rectification", item)
    checks = _verdict_inspections(request.user, item) if item.confirmed_by_id is None else []
    if checks and verdict_form is None:
        verdict_form = VerdictForm(inspections=Inspection.objects.filter(pk__in=[i.pk for i in checks]))
    if may_manage and escalation_form is None:
        escalation_form = EscalationForm(initial={"escalation": item.escalation})
    follow_up_form = None
    if may_manage and item.obligation is not None and item.obligation.is_open:
        follow_up_form = FollowUpForm(
            items=Rectification.objects.filter(pk=item.pk),
            inspections=selectors.follow_up_choices(office=item.office),
            initial={"items": [item.pk]},
        )
    return render(
        request,
        "inspections/rectification_detail.html",
        {
            "item": item,
            "finding": item.finding,
            "obligation": item.obligation,
            "today": timezone.localdate(),
            "may_manage": may_manage,
            "may_review": item.obligation is not None
            and request.user.has_perm("tracking.review_assignment", item.obligation),
            "escalation_form": escalation_form if may_manage else None,
            "verdict_form": verdict_form if checks else None,
            "follow_up_form": follow_up_form,
            "errors": form_error_items(escalation_form or verdict_form)
            if (escalation_form or verdict_form) and status == 400
            else [],
        },
        status=status,
    )


@worker_required
def rectification_detail(request, pk):
    return _detail_page(request, _item_or_404(request, pk))


def _managed_or_403(request, pk) -> Rectification:
    item = _item_or_404(request, pk)
    if not request.user.has_perm("inspections.manage_rectification", item):
        raise PermissionDenied
    return item


@member_required
@require_POST
def rectification_escalate(request, pk):
    item = _managed_or_403(request, pk)
    form = EscalationForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_escalate(
                rectification=item,
                escalation=form.cleaned_data["escalation"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The escalation was recorded."))
            return redirect(item)
    return _detail_page(request, item, escalation_form=form, status=400)


@member_required
@require_POST
def rectification_remind(request, pk):
    item = _managed_or_403(request, pk)
    try:
        services.rectification_remind(rectification=item, acting_user=request.user)
    except ValidationError as error:
        message = " ".join(error.messages)
        if error.code == "no_address":
            message = format_html(
                '{} <a href="{}">{}</a>',
                message,
                reverse("tracking:county_contacts", args=[item.county_id]),
                _("Register a contact e-mail"),
            )
        messages.warning(request, message)
    else:
        messages.success(request, _("A reminder was sent to %(county)s.") % {"county": item.county.name})
    return redirect(item)


@worker_required
@require_POST
def rectification_confirm(request, pk):
    """A follow-up check's verdict on the item: confirmed on site, or not yet put right."""
    item = _item_or_404(request, pk)
    checks = _verdict_inspections(request.user, item)
    if not checks:
        raise PermissionDenied
    form = VerdictForm(request.POST, inspections=Inspection.objects.filter(pk__in=[i.pk for i in checks]))
    if form.is_valid():
        inspection = form.cleaned_data["inspection"]
        try:
            if form.cleaned_data["decision"] == "confirm":
                services.rectification_confirm(
                    rectification=item, inspection=inspection, note=form.cleaned_data["note"], acting_user=request.user
                )
                messages.success(request, _("Confirmed: the item may now be closed (销号)."))
            else:
                returned = services.rectification_not_confirmed(
                    rectification=item, inspection=inspection, note=form.cleaned_data["note"], acting_user=request.user
                )
                messages.success(
                    request,
                    _("Recorded as not yet put right; %(count)d reports were returned to the county.")
                    % {"count": len(returned)},
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if request.POST.get("next") == "follow_up":
                return redirect("inspections:follow_up_items", pk=inspection.pk)
            return redirect(item)
    return _detail_page(request, item, verdict_form=form, status=400)


@member_required
@require_POST
def follow_up_add(request):
    """Put chosen open items of an office on a follow-up check, existing or new."""
    office_id = request.POST.get("office", "")
    office = get_object_or_404(
        Office, pk=int(office_id) if office_id.isascii() and office_id.isdigit() and len(office_id) <= 18 else 0
    )
    if not request.user.has_perm("inspections.manage_rectification", Rectification(office=office)):
        raise PermissionDenied
    ids = [value for value in request.POST.getlist("items") if value.isascii() and value.isdigit()]
    form = FollowUpForm(
        request.POST,
        items=selectors.rectifications_for_follow_up(office=office, ids=ids),
        inspections=selectors.follow_up_choices(office=office),
    )
    if form.is_valid():
        try:
            inspection = form.cleaned_data["inspection"]
            if inspection is not None:
                count = services.follow_up_add(
                    inspection=inspection, rectifications=form.cleaned_data["items"], acting_user=request.user
                )
            else:
                inspection = services.follow_up_create(
                    office=office,
                    title=form.cleaned_data["title"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    rectifications=form.cleaned_data["items"],
                    acting_user=request.user,
                )
                count = inspection.follows_up.count()
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d items were put on the follow-up check “%(title)s”.")
                % {"count": count, "title": inspection.title},
            )
            return redirect("inspections:follow_up_items", pk=inspection.pk)
    # The form again, as filled in, with what is wrong (from the list or an item's page).
    return render(
        request,
        "inspections/rectification_follow_up_form.html",
        {"office": office, "form": form, "errors": form_error_items(form)},
        status=400,
    )


@worker_required
def follow_up_items(request, pk):
    """The items a follow-up check (整改情况督查) goes back to, with the verdict to record on each."""
    inspection = _inspection_or_404(request, pk)
    if inspection.kind != Inspection.Kind.FOLLOW_UP:
        raise Http404(_("This inspection is not a follow-up check."))
    items = selectors.follow_up_items(inspection=inspection, user=request.user, today=timezone.localdate())
    may_record = request.user.has_perm("inspections.record_finding", inspection)
    return render(
        request,
        "inspections/rectification_follow_up.html",
        {"inspection": inspection, "items": items, "may_record": may_record},
    )
