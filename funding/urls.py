from django.urls import path

from funding import national_views, views

app_name = "funding"

urlpatterns = [
    path("", views.decision_list, name="decisions"),
    path("programmas/", views.programme_list, name="programmes"),
    path("programmas/nieuw/", views.programme_create, name="programme-create"),
    path("beschikkingen/<int:pk>/", views.decision_detail, name="decision"),
    path("beschikkingen/<int:pk>/vaststellen/", views.decision_approve, name="approve"),
    path("beschikkingen/<int:pk>/afwijzen/", views.decision_reject, name="reject"),
    path("beschikkingen/<int:pk>/brief.pdf", views.decision_letter, name="letter"),
    path("indieningen/<int:submission_pk>/voorstel/", views.decision_propose, name="propose"),
    path("landelijk/", national_views.national_picture, name="national"),
    path("export.csv", national_views.export_csv, name="export-csv"),
    path("export.xlsx", national_views.export_xlsx, name="export-xlsx"),
]
