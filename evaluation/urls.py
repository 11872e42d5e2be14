"""评估考核's pages: indicator sheets, rounds with self-assessment, scoring and review, and the
published results with their objections."""

from django.urls import path  # noqa: F401

app_name = "evaluation"

urlpatterns: list = []

# --- Indicator sheets (evaluation/views/sheets.py) ------------------------------------------------

from evaluation.views import sheets  # noqa: E402

urlpatterns += [
    path("evaluation/sheets/", sheets.sheet_list_view, name="sheet_list"),
    path("evaluation/sheets/new/", sheets.sheet_create, name="sheet_create"),
    path("evaluation/sheets/import/", sheets.sheet_import_view, name="sheet_import"),
    path("evaluation/sheets/import/confirm/", sheets.sheet_import_confirm, name="sheet_import_confirm"),
    path("evaluation/sheets/template.xlsx", sheets.sheet_template, name="sheet_template"),
    path("evaluation/sheets/<int:pk>/", sheets.sheet_detail, name="sheet_detail"),
    path("evaluation/sheets/<int:pk>/edit/", sheets.sheet_edit, name="sheet_edit"),
    path("evaluation/sheets/<int:pk>/copy/", sheets.sheet_copy, name="sheet_copy"),
]


# --- Rounds, self-assessment, scoring, review (evaluation/views/rounds.py) --------------------------

from evaluation.views import rounds as round_views  # noqa: E402

urlpatterns += [
    path("evaluation/", round_views.round_list, name="round_list"),
    path("evaluation/new/", round_views.round_create, name="round_create"),
    path("evaluation/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("evaluation/<int:pk>/edit/", round_views.round_edit, name="round_edit"),
    path("evaluation/<int:pk>/stage/", round_views.round_transition, name="round_transition"),
    path("evaluation/<int:pk>/fill/", round_views.round_fill_figures, name="round_fill_figures"),
    path("evaluation/participants/<int:pk>/self/", round_views.self_assessment, name="self_assessment"),
    path("evaluation/participants/<int:pk>/score/", round_views.scoring, name="scoring"),
    path("evaluation/participants/<int:pk>/review/", round_views.review, name="review"),
]


# --- Results, ranking, corrections, objections (evaluation/views/results.py) -----------------------

from evaluation.views import results  # noqa: E402

urlpatterns += [
    path("evaluation/<int:pk>/results/", results.round_results, name="round_results"),
    path("evaluation/<int:pk>/results.xlsx", results.round_results_xlsx, name="round_results_xlsx"),
    path("evaluation/<int:pk>/comparison/", results.round_comparison, name="round_comparison"),
    path("evaluation/<int:pk>/publish/", results.round_publish, name="round_publish"),
    path("evaluation/<int:pk>/correct/", results.round_correct, name="round_correct"),
    path("evaluation/participants/<int:pk>/", results.participant_detail, name="participant_detail"),
    path("evaluation/participants/<int:pk>/object/", results.objection_create, name="objection_create"),
    path("evaluation/objections/<int:pk>/answer/", results.objection_answer, name="objection_answer"),
]
