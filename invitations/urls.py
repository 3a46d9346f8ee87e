"""URLs of invitations (/uitnodiging/)."""

from django.urls import path

from invitations import views

app_name = "invitations"
urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("<int:pk>/opnieuw/", views.resend, name="resend"),
    path("<int:pk>/intrekken/", views.revoke, name="revoke"),
    path("<str:token>/", views.accept, name="accept"),
]
