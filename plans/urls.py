from django.urls import path, register_converter

from plans.transitions import TRANSITIONS
from plans.views import audit, counties, editing, imports, outputs, plans, suggest, tracking


class _WordConverter:
    """A path segment that is one of a few words (nothing else resolves)."""

    words: tuple[str, ...] = ()

    @property
    def regex(self):
        return "|".join(self.words)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class TransitionConverter(_WordConverter):
    words = tuple(TRANSITIONS)


class SuggestionConverter(_WordConverter):
    words = ("offices", "counties")


register_converter(TransitionConverter, "transition")
register_converter(SuggestionConverter, "suggestion")

app_name = "plans"

urlpatterns = [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/new/", editing.plan_create, name="plan_create"),
    path("plans/new/copy/", editing.plan_copy, name="plan_copy"),
    path("plans/<int:pk>/edit/", editing.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/edit/counties/", editing.plan_edit_counties, name="plan_edit_counties"),
    path("periods/", editing.period_check, name="period_check"),
    path("plans/<int:pk>/source/", plans.plan_source, name="plan_source"),
    path("plans/<int:pk>/source/file/", plans.plan_source_download, name="plan_source_download"),
    path("plans/<int:pk>/history/", plans.plan_history, name="plan_history"),
    path("plans/<int:pk>/revisions/", plans.revisions, name="revisions"),
    path("plans/<int:pk>/revisions/compare/", plans.revision_compare, name="revision_compare"),
    path("plans/<int:pk>/revisions/<int:number>/", plans.revision_detail, name="revision_detail"),
    path("plans/<int:pk>/<transition:action>/", plans.plan_transition, name="plan_transition"),
    path("counties/", counties.county_list, name="county_list"),
    path("counties/<int:pk>/", counties.county_detail, name="county_detail"),
    path("counties/<int:pk>/contacts/", counties.county_contacts, name="county_contacts"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("suggest/<suggestion:kind>/", suggest.suggest, name="suggest"),
    path("audit/users/<int:user_id>/", audit.user_audit, name="user_audit"),
    path("my/", tracking.portal, name="portal"),
    path("assignments/<int:pk>/", tracking.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/report/", tracking.report_create, name="report_create"),
    path("assignments/<int:pk>/due-date/", tracking.assignment_due_date, name="assignment_due_date"),
    path("assignments/acknowledge/", tracking.assignment_acknowledge, name="assignment_acknowledge"),
    path("reports/<int:pk>/review/", tracking.report_review_view, name="report_review"),
    path("inbox/", tracking.inbox, name="inbox"),
    path("evidence/<int:pk>/", tracking.evidence_download, name="evidence_download"),
    path("plans/<int:pk>/dashboard/", tracking.plan_dashboard, name="plan_dashboard"),
    path("plans/<int:pk>/publish/preview/", tracking.publish_preview, name="publish_preview"),
    path("plans/<int:pk>/remind/<int:county_id>/", tracking.reminder_send, name="reminder_send"),
    path("offices/<int:office_id>/dashboard/<int:year>/", tracking.office_dashboard, name="office_dashboard"),
    path(
        "offices/<int:office_id>/dashboard/<int:year>/remind/<int:county_id>/",
        tracking.office_reminder_send,
        name="office_reminder_send",
    ),
    path("progress/", tracking.progress_home, name="progress_home"),
    path("provinces/<int:region_id>/dashboard/<int:year>/", tracking.province_dashboard, name="province_dashboard"),
    # What staff take out of a plan (plans.views.outputs).
    path("plans/<int:pk>/print/", outputs.plan_print, name="plan_print"),
    path("plans/<int:pk>/calendar/", outputs.plan_calendar_view, name="plan_calendar"),
    path("plans/<int:pk>/excel/", outputs.plan_excel_export, name="plan_excel_export"),
    path("plans/<int:pk>/excel/import/", outputs.plan_excel_import, name="plan_excel_import"),
    path(
        "plans/<int:pk>/excel/import/confirm/",
        outputs.plan_excel_import_confirm,
        name="plan_excel_import_confirm",
    ),
    path("calendar/", outputs.calendar_home, name="calendar_home"),
    path("offices/<int:office_id>/calendar/<int:year>/", outputs.office_calendar_view, name="office_calendar"),
    path("feeds/", outputs.feed_settings, name="feed_settings"),
    path("feeds/<slug:token>/plans/<int:pk>.ics", outputs.plan_feed, name="plan_feed"),
    path("feeds/<slug:token>/offices/<int:office_id>.ics", outputs.office_feed, name="office_feed"),
]
