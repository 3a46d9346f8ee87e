"""URLs of notifications (/meldingen/)."""

from django.urls import path

from activity import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("gelezen/", views.notifications_mark_read, name="mark-read"),
    path("voorkeuren/", views.notification_preferences, name="preferences"),
]
