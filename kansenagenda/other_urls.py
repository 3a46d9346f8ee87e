"""URLs of notifications (/meldingen/) and the goal catalogues (/doelen/)."""

from django.urls import path

from kansenagenda.views import collaboration, goals

notification_patterns = (
    [
        path("", collaboration.notification_list, name="list"),
        path("gelezen/", collaboration.notifications_mark_read, name="mark-read"),
        path("voorkeuren/", collaboration.notification_preferences, name="preferences"),
    ],
    "notifications",
)

goal_patterns = (
    [
        path("", goals.goal_list, name="list"),
        path("nationaal/nieuw/", goals.national_goal_create, name="national-create"),
        path("nationaal/<int:pk>/", goals.national_goal_edit, name="national-edit"),
    ],
    "goals",
)
