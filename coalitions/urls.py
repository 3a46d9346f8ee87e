"""URLs of the coalition pages (/coalities/)."""

from django.urls import path

from coalitions import views

app_name = "coalitions"
urlpatterns = [
    path("", views.coalition_list, name="list"),
    path("nieuw/", views.coalition_start, name="start"),
    path("<slug:slug>/", views.coalition_detail, name="detail"),
    path("<slug:slug>/leden/", views.coalition_members, name="members"),
]
