from django.urls import path

from plans import views, views_import

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("counties/", views.county_list, name="county_list"),
    path("counties/<int:pk>/", views.county_detail, name="county_detail"),
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/confirm/", views_import.import_confirm, name="import_confirm"),
]
