"""An office's inspection dashboard for a year, as a page and as Excel."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from inspections.dashboards import office_dashboard_get
from inspections.outputs import inspection_dashboard_workbook
from organisation.selectors import office_get
from plans.models import WorkPlan
from plans.views.access import member_required
from supervision.localtime import site_today


def _dashboard_or_404(request, office_id: int, year: int):
    office = office_get(pk=office_id)
    readable = office is not None and request.user.has_perm("inspections.view_inspection_dashboard", office)
    if not readable or year not in WorkPlan.YEARS:
        raise Http404
    return office_dashboard_get(office=office, year=year, today=site_today())


def _charts(dashboard) -> dict:
    """What the page's bar charts draw (plans/templatetags/charts.py): the tables' figures."""
    months = [str(MONTHS_3[month]) for month in range(1, 13)]
    return {
        "months": months,
        "month_bars": list(zip(months, dashboard.inspection_months)),
        "finding_bars": [(row.label, row.severities) for row in dashboard.findings if row.total],
        "rectification_bars": [
            (row.name, [row.closed, row.open - row.overdue, row.overdue]) for row in dashboard.rectification
        ],
        "rectification_legend": [_("Closed out"), _("Open"), _("Overdue")],
        "zone_bars": [(row.name, [row.fulfilled, row.due - row.fulfilled]) for row in dashboard.zones],
        "inspector_bars": [(row.name, [row.fulfilled, row.due - row.fulfilled]) for row in dashboard.inspectors],
        "visit_legend": [_("Visits made"), _("Visits still owed")],
    }


@member_required
def inspection_dashboard(request, office_id, year):
    dashboard = _dashboard_or_404(request, office_id, year)
    return render(request, "inspections/dashboard.html", {"dashboard": dashboard, **_charts(dashboard)})


@member_required
def inspection_dashboard_xlsx(request, office_id, year):
    dashboard = _dashboard_or_404(request, office_id, year)
    title = _("%(office)s, inspections %(year)s") % {"office": dashboard.office.name, "year": year}
    return FileResponse(
        inspection_dashboard_workbook(dashboard=dashboard),
        as_attachment=True,
        filename=f"{title[:60]}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
