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

urlpatterns += []
