from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/offices/<int:office_id>/channels/", views.office_channels, name="office_channels"),
    path("notifications/log/", views.delivery_log, name="delivery_log"),
    path("notifications/log/<int:pk>/retry/", views.message_retry, name="message_retry"),
]
