from django.urls import path, register_converter

from plans.transitions import TRANSITIONS
from plans.views import audit, editing, imports, outputs, plans, suggest


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
    path("import/", imports.import_upload, name="import_upload"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/preview/", imports.import_preview, name="import_preview"),
    path("import/batch/", imports.import_batch, name="import_batch"),
    path("import/batch/<int:pk>/", imports.import_batch_result, name="import_batch_result"),
    path("suggest/<suggestion:kind>/", suggest.suggest, name="suggest"),
    path("audit/users/<int:user_id>/", audit.user_audit, name="user_audit"),
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
