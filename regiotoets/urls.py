"""The register at /regiotoets/: public (list, map, entry, CSV), recording and editing, responding."""

from django.urls import path

from regiotoets import views

app_name = "regiotoets"

urlpatterns = [
    path("", views.register, name="list"),
    path("kaart.svg", views.map_svg, name="map"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("nieuw/", views.entry_new, name="new"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/bewerken/", views.entry_edit, name="edit"),
    path("<int:pk>/reageren/<slug:slug>/", views.entry_respond, name="respond"),
]
