from django.urls import path

from inspections.views import register

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
]

# Findings and rectification
from inspections.views import findings, rectification  # noqa: E402

urlpatterns += [
    path("inspections/<int:pk>/findings/", findings.finding_list, name="finding_list"),
    path("inspections/<int:pk>/findings/new/", findings.finding_create, name="finding_create"),
    path("inspections/<int:pk>/findings/rectify/", rectification.findings_rectify, name="findings_rectify"),
    path("inspections/<int:pk>/follow-up/", rectification.follow_up_items, name="follow_up_items"),
    path("inspections/visits/<int:visit_pk>/findings/new/", findings.visit_finding_create, name="visit_finding_create"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/rectify/", rectification.rectification_create, name="rectification_create"),
    path("findings/files/<int:pk>/", findings.finding_file, name="finding_file"),
    path("rectification/", rectification.rectification_list, name="rectification_list"),
    path("rectification/follow-up/", rectification.follow_up_add, name="follow_up_add"),
    path("rectification/<int:pk>/", rectification.rectification_detail, name="rectification_detail"),
    path("rectification/<int:pk>/escalate/", rectification.rectification_escalate, name="rectification_escalate"),
    path("rectification/<int:pk>/remind/", rectification.rectification_remind, name="rectification_remind"),
    path("rectification/<int:pk>/confirm/", rectification.rectification_confirm, name="rectification_confirm"),
]
