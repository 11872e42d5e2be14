"""The county pages: which counties have work, and what one county has to do."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import CountyContact
from organisation.services.contacts import county_contact_update
from plans.permissions import counties_shown_to
from plans.views.access import member_required
from tracking.forms import CountyContactForm
from tracking.selectors.counties import (
    COUNTIES_PER_PAGE,
    county_get,
    county_list_year_plans,
    county_list_years,
    county_mentions,
    county_pages,
    county_year_links,
    county_year_shown,
    county_years,
)
from tracking.selectors.counties import county_list as county_list_select


@member_required
def county_list(request):
    """The counties with work one year at a time (`?year=`), with the years there is work in."""
    years = county_list_years(user=request.user)
    year, plan_ids = county_list_year_plans(
        user=request.user, years=years, asked=request.GET.get("year"), this_year=timezone.localdate().year
    )
    filterset, counties, first_page = county_list_select(
        user=request.user, plan_ids=plan_ids, filters=request.GET or None
    )
    page = request.GET.get("page")
    counties = county_pages(counties, plan_ids=plan_ids, per_page=COUNTIES_PER_PAGE, page=page, first_page=first_page)
    page_obj = Paginator(counties, COUNTIES_PER_PAGE).get_page(page)
    return render(
        request,
        "tracking/county_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "counties": page_obj.object_list,
            "year": year,
            "year_links": county_year_links(years=years, year=year),
        },
    )


@member_required
def county_detail(request, pk):
    """A county's work one year at a time (`?year=`), with the years it has work in."""
    county = county_get(pk=pk, user=request.user)
    if county is None:
        raise Http404(_("No such county."))
    years = county_years(county=county, user=request.user)
    year = county_year_shown(years=years, asked=request.GET.get("year"), this_year=timezone.localdate().year)
    return render(
        request,
        "tracking/county_detail.html",
        {
            "county": county,
            "year": year,
            "year_links": county_year_links(years=years, year=year),
            "mentions": county_mentions(county=county, user=request.user, year=year) if years else [],
            "viewer_counties": counties_shown_to(request.user),
            "may_view_contact": request.user.has_perm("plans.view_county_contact", county),
        },
    )


@member_required
def county_contacts(request, pk):
    """Whom the county's office is reached through (reminders go to its e-mail): read by
    staff and the county, kept by the county and by the offices that send it work."""
    county = county_get(pk=pk, user=request.user)
    if county is None or not request.user.has_perm("plans.view_county_contact", county):
        raise Http404(_("No such county."))
    may_change = request.user.has_perm("plans.change_county_contact", county)
    contact = CountyContact.objects.filter(county=county).select_related("updated_by").first()
    form = None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = CountyContactForm(request.POST)
        if form.is_valid():
            try:
                county_contact_update(county=county, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The contacts of %(county)s were saved.") % {"county": county.name})
                return redirect("tracking:county_contacts", pk=county.pk)
    elif may_change:
        initial = {"name": contact.name, "email": contact.email, "phone": contact.phone} if contact else {}
        form = CountyContactForm(initial=initial)
    return render(
        request,
        "tracking/county_contacts.html",
        {"county": county, "contact": contact, "form": form},
    )
