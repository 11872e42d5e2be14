from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("register/schools/", views.school_list, name="school_list"),
    path("register/schools/new/", views.school_create, name="school_create"),
    path("register/schools/import/", views.school_import, name="school_import"),
    path("register/schools/import/confirm/", views.school_import_confirm, name="school_import_confirm"),
    path("register/schools/template.xlsx", views.school_template, name="school_template"),
    path("register/schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("register/schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("register/schools/<int:pk>/close/", views.school_close, name="school_close"),
    path("register/inspectors/", views.inspector_list, name="inspector_list"),
    path("register/inspectors/new/", views.inspector_create, name="inspector_create"),
    path("register/inspectors/<int:pk>/edit/", views.inspector_edit, name="inspector_edit"),
    path("register/zones/", views.zone_list, name="zone_list"),
    path("register/zones/new/", views.zone_create, name="zone_create"),
    path("register/zones/<int:pk>/", views.zone_detail, name="zone_detail"),
    path("register/zones/<int:pk>/edit/", views.zone_edit, name="zone_edit"),
    path("register/zones/<int:pk>/schools/", views.zone_schools, name="zone_schools"),
    path("register/coverage/", views.coverage, name="coverage"),
]
