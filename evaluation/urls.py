"""评估考核's pages: indicator sheets, rounds with self-assessment, scoring and review, and the
published results with their objections."""

from django.urls import path  # noqa: F401

app_name = "evaluation"

urlpatterns: list = []

# --- Indicator sheets (evaluation/views/sheets.py) ------------------------------------------------

urlpatterns += []


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

urlpatterns += []
