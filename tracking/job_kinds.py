"""The dashboards' workbooks as background jobs (后台导出): an office's year or a plan with every
report, or a province's year, written by the same selectors and tracking.outputs as the pages'
direct export, for the years and provinces whose workbook takes longer than a request may."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import JobResult, job_kind_register
from organisation.models import Office, Region
from plans.models import WorkPlan
from supervision.localtime import site_today
from tracking.outputs import dashboard_workbook, province_dashboard_workbook
from tracking.selectors.tracking import (
    dashboard_get,
    office_year_plans,
    province_dashboard_get,
)

DASHBOARD_EXPORT = "tracking.dashboard_export"


def dashboard_export_params(*, plan: WorkPlan | None = None, office: Office | None = None, region=None, year=None):
    if plan is not None:
        return {"plan": plan.pk}
    if office is not None:
        return {"office": office.pk, "year": year}
    return {"region": region.pk, "year": year}


def _gone():
    # Checked again when the job runs: access may have ended since it was started.
    return ValidationError(_("You may no longer read this dashboard."), code="forbidden")


@job_kind_register(DASHBOARD_EXPORT, gettext_lazy("Dashboard workbook"), soft_time_limit=900, time_limit=960)
def dashboard_export(job, progress) -> JobResult:
    user, params, today = job.user, job.params, site_today()
    progress(0, 2, _("Counting the figures"))
    if "plan" in params:
        plan = WorkPlan.objects.filter(pk=params["plan"]).first()
        if plan is None or not (
            user.has_perm("plans.view_workplan", plan) and user.has_perm("tracking.view_tracking", plan)
        ):
            raise _gone()
        dashboard, title = dashboard_get(plans=[plan], title=plan.title, today=today), plan.title
    elif "office" in params:
        office, year = Office.objects.filter(pk=params["office"]).first(), params["year"]
        if office is None or not user.has_perm("tracking.view_office_tracking", office):
            raise _gone()
        title = _("%(office)s, %(year)s") % {"office": office.name, "year": year}
        dashboard = dashboard_get(
            plans=office_year_plans(office=office, year=year),
            title=title,
            today=today,
            office_year=(office.pk, year),
        )
    else:
        region, year = Region.objects.filter(pk=params["region"], level=Region.Level.PROVINCE).first(), params["year"]
        if region is None or not user.has_perm("tracking.view_province_tracking", region):
            raise _gone()
        title = _("%(province)s, %(year)s") % {"province": region.name, "year": year}
        dashboard = province_dashboard_get(region=region, year=year, today=today)
    progress(1, 2, _("Writing the workbook"))
    if "region" in params:
        workbook = province_dashboard_workbook(dashboard=dashboard)
    else:
        workbook = dashboard_workbook(dashboard=dashboard)
    with workbook:
        data = workbook.read()
    return JobResult(data=data, name=f"{title[:60]}-{today:%Y%m%d}.xlsx")
