"""The county side's pages: a county's work, reports and their review, the dashboards that
follow the counties, reminders, and the county pages."""

from django.urls import path

from tracking.views import counties, tracking

app_name = "tracking"
urlpatterns = [
    path("my/", tracking.portal, name="portal"),
    path("assignments/<int:pk>/", tracking.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/report/", tracking.report_create, name="report_create"),
    path("assignments/<int:pk>/due-date/", tracking.assignment_due_date, name="assignment_due_date"),
    path("assignments/acknowledge/", tracking.assignment_acknowledge, name="assignment_acknowledge"),
    path("reports/<int:pk>/review/", tracking.report_review_view, name="report_review"),
    path("inbox/", tracking.inbox, name="inbox"),
    path("evidence/<int:pk>/", tracking.evidence_download, name="evidence_download"),
    path("plans/<int:pk>/dashboard/", tracking.plan_dashboard, name="plan_dashboard"),
    path("plans/<int:pk>/dashboard/export/", tracking.plan_dashboard_export, name="plan_dashboard_export"),
    path("plans/<int:pk>/publish/preview/", tracking.publish_preview, name="publish_preview"),
    path("plans/<int:pk>/remind/<int:county_id>/", tracking.reminder_send, name="reminder_send"),
    path("offices/<int:office_id>/dashboard/<int:year>/", tracking.office_dashboard, name="office_dashboard"),
    path(
        "offices/<int:office_id>/dashboard/<int:year>/remind/<int:county_id>/",
        tracking.office_reminder_send,
        name="office_reminder_send",
    ),
    path(
        "offices/<int:office_id>/dashboard/<int:year>/export/",
        tracking.office_dashboard_export,
        name="office_dashboard_export",
    ),
    path("progress/", tracking.progress_home, name="progress_home"),
    path("provinces/<int:region_id>/dashboard/<int:year>/", tracking.province_dashboard, name="province_dashboard"),
    path(
        "provinces/<int:region_id>/dashboard/<int:year>/export/",
        tracking.province_dashboard_export,
        name="province_dashboard_export",
    ),
    path("counties/", counties.county_list, name="county_list"),
    path("counties/<int:pk>/", counties.county_detail, name="county_detail"),
    path("counties/<int:pk>/contacts/", counties.county_contacts, name="county_contacts"),
]
