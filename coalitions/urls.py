"""URLs of the coalition pages (/coalities/)."""

from django.urls import path

from coalitions import views

app_name = "coalitions"
urlpatterns = [
    path("", views.coalition_list, name="list"),
    path("<slug:slug>/", views.coalition_detail, name="detail"),
]
