from django.urls import path

from inspections.views import dashboards, documents, findings, inspections, rectification, register, visits

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

# Documents and dashboards
urlpatterns += [
    path("inspections/<int:pk>/documents/", documents.inspection_documents, name="inspection_documents"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/docx", documents.document_docx_download, name="document_docx"),
    path(
        "inspections/dashboard/<int:office_id>/<int:year>/",
        dashboards.inspection_dashboard,
        name="inspection_dashboard",
    ),
    path(
        "inspections/dashboard/<int:office_id>/<int:year>/xlsx",
        dashboards.inspection_dashboard_xlsx,
        name="inspection_dashboard_xlsx",
    ),
]

# Inspections
urlpatterns += [
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", inspections.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/checklist/", inspections.inspection_checklist, name="inspection_checklist"),
    path("inspections/<int:pk>/status/", inspections.inspection_status, name="inspection_status"),
    path(
        "inspections/<int:pk>/self-assessment/<int:county_id>/",
        inspections.self_assessment,
        name="self_assessment",
    ),
    path("inspections/templates/", inspections.checklist_template_list, name="checklist_template_list"),
    path(
        "inspections/templates/<int:office_id>/<slug:kind>/",
        inspections.checklist_template_edit,
        name="checklist_template_edit",
    ),
]

# Findings and rectification
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
