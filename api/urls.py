from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api import docs, pages, views

app_name = "api"

router = DefaultRouter()
# No ".json" twins of every URL: the answers are JSON already.
router.include_format_suffixes = False
router.register("plans", views.PlanViewSet, basename="plan")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("calendar-lines", views.ScheduleEntryViewSet, basename="calendar-line")
router.register("counties", views.CountyViewSet, basename="county")
router.register("obligations", views.ObligationViewSet, basename="obligation")
router.register("reports", views.ReportViewSet, basename="report")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("rectifications", views.RectificationViewSet, basename="rectification")

urlpatterns = [
    path("accounts/tokens/", pages.token_list, name="token_list"),
    path("accounts/tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("api/redoc/", docs.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("api/", include(router.urls)),
]
