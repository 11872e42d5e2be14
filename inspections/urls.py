from django.urls import path

from inspections.views import register, visits

app_name = "inspections"

urlpatterns = [
    path("register/schools/", register.school_list, name="school_list"),
    path("register/schools/new/", register.school_create, name="school_create"),
    path("register/schools/import/", register.school_import, name="school_import"),
    path("register/schools/import/confirm/", register.school_import_confirm, name="school_import_confirm"),
    path("register/schools/template.xlsx", register.school_template, name="school_template"),
    path("register/schools/<int:pk>/", register.school_detail, name="school_detail"),
    path("register/schools/<int:pk>/edit/", register.school_edit, name="school_edit"),
    path("register/schools/<int:pk>/close/", register.school_close, name="school_close"),
    path("register/inspectors/", register.inspector_list, name="inspector_list"),
    path("register/inspectors/new/", register.inspector_create, name="inspector_create"),
    path("register/inspectors/<int:pk>/edit/", register.inspector_edit, name="inspector_edit"),
    path("register/zones/", register.zone_list, name="zone_list"),
    path("register/zones/new/", register.zone_create, name="zone_create"),
    path("register/zones/<int:pk>/", register.zone_detail, name="zone_detail"),
    path("register/zones/<int:pk>/edit/", register.zone_edit, name="zone_edit"),
    path("register/zones/<int:pk>/schools/", register.zone_schools, name="zone_schools"),
    path("register/coverage/", register.coverage, name="coverage"),
    # 挂牌督导 visits
    path("register/rhythm/", visits.visit_rhythm, name="visit_rhythm"),
    path("register/visits/", visits.county_visits, name="county_visits"),
    path("register/zones/<int:pk>/visits/", visits.zone_visits, name="zone_visits"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("my/schools/", visits.my_schools, name="my_schools"),
]
