"""URLs of the second factor (/account/tweestaps/, namespace ``two_factor``); see accounts/two_factor.py."""

from django.urls import path

from accounts import views as two_factor

app_name = "two_factor"
urlpatterns = [
    path("instellen/", two_factor.setup, name="setup"),
    path("bevestigen/", two_factor.verify, name="verify"),
]
