"""Mounted at the site's root: the working pages under /signalen/, the public ones under /openbaar/signalen/."""

from django.urls import path

from signals import views

app_name = "signals"

urlpatterns = [
    path("openbaar/signalen/", views.public_list, name="public-list"),
    path("openbaar/signalen/export.csv", views.export_csv, name="export-csv"),
    path("openbaar/signalen/<int:pk>/", views.public_detail, name="public-detail"),
    path("signalen/", views.index, name="index"),
    path("signalen/coalitie/<slug:slug>/", views.coalition_signals, name="coalition"),
    path("signalen/ministerie/<slug:slug>/", views.ministry_signals, name="ministry"),
    path("signalen/nieuw/<int:agenda_pk>/", views.signal_file, name="file"),
    path("signalen/<int:pk>/", views.signal_detail, name="detail"),
    path("signalen/<int:pk>/ontvangst/", views.signal_acknowledge, name="acknowledge"),
    path("signalen/<int:pk>/antwoord/", views.signal_answer, name="answer"),
    path("signalen/<int:pk>/afsluiten/", views.signal_close, name="close"),
    path("signalen/ministeries/", views.ministry_list, name="ministries"),
    path("signalen/ministeries/<int:pk>/", views.ministry_edit, name="ministry-edit"),
    path("signalen/ministeries/<int:pk>/ambtenaren/", views.ministry_official_add, name="official-add"),
    path(
        "signalen/ministeries/<int:pk>/ambtenaren/<int:user_id>/weghalen/",
        views.ministry_official_remove,
        name="official-remove",
    ),
]
