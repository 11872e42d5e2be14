"""The 挂牌督导 pages: a 督学's own page (我的学校) and visit form, a visit's printable record, the
county's visit rhythm, and the month of a zone and of a county. Thin: form → service or
selector → template; who may do what is in inspections.permissions."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections import selectors, visit_selectors
from inspections.forms import VisitForm, VisitRhythmForm
from inspections.models import VISIT_TOPICS
from inspections.permissions import inspector_of
from inspections.visits import DEFAULT_MONTHS, visit_record, visit_rhythm_set
from organisation.access import is_member
from plans.views.access import member_required
from supervision.localtime import site_today


def inspector_required(view):
    """A 督学's own pages: the signed-in user's 督学 is passed on; a member who is no 督学 is
    refused, anybody else reads the page that says they have no role yet."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        inspector = inspector_of(request.user)
        if inspector is None:
            if is_member(request.user):
                raise PermissionDenied
            return render(request, "plans/no_membership.html", status=403)
        return view(request, inspector, *args, **kwargs)

    return wrapper


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- The 督学's own pages ------------------------------------------------------------------------------


@inspector_required
def my_schools(request, inspector):
    page = visit_selectors.inspector_page_get(inspector=inspector, today=site_today())
    return render(request, "inspections/visit_my_schools.html", {"page": page})


@inspector_required
def visit_create(request, inspector):
    school = visit_selectors.visit_school_get(pk=request.GET.get("school", ""), user=request.user)
    if school is None:
        raise Http404(_("No such school among yours."))
    today = site_today()
    form = VisitForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_record(
                school=school,
                inspector=inspector,
                visited_on=form.cleaned_data["visited_on"],
                topics=form.cleaned_data["topics"],
                record=form.cleaned_data["record"],
                opinion=form.cleaned_data["opinion"],
                submission_key=form.cleaned_data["submission_key"],
                acting_user=request.user,
                today=today,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if visit.is_repeat:
                messages.info(request, _("This visit was recorded already."))
            else:
                messages.success(request, _("The visit to %(school)s was recorded.") % {"school": school.name})
            return redirect(visit)
    return render(request, "inspections/visit_form.html", {"form": form, "school": school, "inspector": inspector})


@login_required
def visit_detail(request, pk):
    visit = visit_selectors.visit_get(pk=pk, user=request.user)
    if visit is None or not request.user.has_perm("inspections.view_visit", visit):
        raise Http404(_("No such visit."))
    looked_at = set(visit.topics)
    topics = [(label, key in looked_at) for key, label in VISIT_TOPICS]
    if inspector_of(request.user) is not None and visit.inspector.user_id == request.user.pk:
        back = reverse("inspections:my_schools")
    else:
        back = visit.school.get_absolute_url()
    context = {
        "visit": visit,
        "topics": topics,
        "back": back,
        "findings": list(visit.findings.order_by("created_at", "pk")),
        "records_findings": request.user.has_perm("inspections.record_visit_finding", visit),
    }
    return render(request, "inspections/visit_detail.html", context)


# --- The county's rhythm ---------------------------------------------------------------------------------


@member_required
def visit_rhythm(request):
    counties = selectors.register_counties(user=request.user, edit=True)
    if not counties.exists():
        raise PermissionDenied
    today = site_today()
    years = [today.year - 1, today.year, today.year + 1]
    initial = {"year": today.year, "period": "每月", "months": list(DEFAULT_MONTHS)}
    chosen = counties.filter(pk=_id(request.GET.get("county"))).first() or counties.first()
    year = _id(request.GET.get("year")) or today.year
    existing = visit_selectors.rhythm_get(county=chosen, year=year)
    initial |= {"county": chosen, "year": year}
    if existing is not None:
        initial |= {"period": existing.period, "months": existing.months}
    form = VisitRhythmForm(request.POST or None, counties=counties, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        county = form.cleaned_data["county"]
        if not request.user.has_perm("inspections.set_visit_rhythm", county):
            raise PermissionDenied
        try:
            rhythm, issued, withdrawn = visit_rhythm_set(
                county=county,
                year=form.cleaned_data["year"],
                period=form.cleaned_data["period"],
                months=form.cleaned_data["months"],
                acting_user=request.user,
                today=today,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The visit rhythm of %(county)s for %(year)d was saved: %(issued)d visits issued, %(withdrawn)d withdrawn."
                )
                % {"county": county.name, "year": rhythm.year, "issued": issued, "withdrawn": withdrawn},
            )
            return redirect(f"{reverse('inspections:visit_rhythm')}?county={county.pk}&year={rhythm.year}")
    return render(
        request,
        "inspections/visit_rhythm.html",
        {"form": form, "rhythms": visit_selectors.rhythm_list(user=request.user), "url_name": "visit_rhythm"},
    )


def _id(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


# --- A zone's and a county's month -------------------------------------------------------------------


@member_required
def zone_visits(request, pk):
    zone = selectors.zone_get(pk=pk, user=request.user)
    if zone is None:
        raise Http404(_("No such zone."))
    today = site_today()
    month = visit_selectors.Month.parse(request.GET.get("month"), default=today)
    return render(
        request,
        "inspections/visit_zone_month.html",
        {"zone": zone, "view": visit_selectors.zone_month_get(zone=zone, month=month, today=today)},
    )


@member_required
def county_visits(request):
    if not request.user.has_perm("inspections.view_register"):
        raise PermissionDenied
    counties = selectors.register_county_list(user=request.user)
    asked = _id(request.GET.get("county"))
    county = next((item for item in counties if item.pk == asked), counties[0] if counties else None)
    today = site_today()
    month = visit_selectors.Month.parse(request.GET.get("month"), default=today)
    view = visit_selectors.county_month_get(county=county, month=month, today=today) if county else None
    return render(
        request,
        "inspections/visit_county_month.html",
        {
            "counties": counties,
            "county": county,
            "month": month,
            "view": view,
            "may_set_rhythm": county is not None and request.user.has_perm("inspections.set_visit_rhythm", county),
            "url_name": "county_visits",
        },
    )
