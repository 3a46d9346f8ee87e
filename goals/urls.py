"""URLs of the goal catalogues (/doelen/)."""

from django.urls import path

from goals import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_list, name="list"),
    path("nationaal/nieuw/", views.national_goal_create, name="national-create"),
    path("nationaal/<int:pk>/", views.national_goal_edit, name="national-edit"),
]
