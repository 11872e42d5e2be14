from django.urls import path

from bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/submit/", views.bulletin_submit, name="bulletin_submit"),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>/docx", views.bulletin_docx_download, name="bulletin_docx"),
    path("bulletins/<int:pk>/docx/job/", views.bulletin_docx_job, name="bulletin_docx_job"),
    path("bulletins/paragraphs/<int:office_id>/", views.paragraph_templates, name="paragraph_templates"),
]
