"""评估考核's pages: indicator sheets, rounds with self-assessment, scoring and review, and the
published results with their objections."""

from django.urls import path  # noqa: F401

app_name = "evaluation"

urlpatterns: list = []

# --- Indicator sheets (evaluation/views/sheets.py) ------------------------------------------------

urlpatterns += []


# --- Rounds, self-assessment, scoring, review (evaluation/views/rounds.py) --------------------------

urlpatterns += []


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
