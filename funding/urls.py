from django.urls import path

from funding import monitoring_views, national_views, officials_views, views

app_name = "funding"

urlpatterns = [
    path("", views.decision_list, name="decisions"),
    path("programmas/", views.programme_list, name="programmes"),
    path("programmas/nieuw/", views.programme_create, name="programme-create"),
    path("programmas/<int:pk>/bewerken/", views.programme_edit, name="programme-edit"),
    path("beschikkingen/<int:pk>/", views.decision_detail, name="decision"),
    path("beschikkingen/<int:pk>/vaststellen/", views.decision_approve, name="approve"),
    path("beschikkingen/<int:pk>/afwijzen/", views.decision_reject, name="reject"),
    path("beschikkingen/<int:pk>/brief.pdf", views.decision_letter, name="letter"),
    path("indieningen/<int:submission_pk>/voorstel/", views.decision_propose, name="propose"),
    path("beschikkingen/<int:pk>/rapportages/nieuw/", monitoring_views.report_create, name="report-create"),
    path("rapportages/<int:pk>/", monitoring_views.report_detail, name="report"),
    path("rapportages/<int:pk>/accepteren/", monitoring_views.report_decide, {"accept": True}, name="report-accept"),
    path("rapportages/<int:pk>/terugsturen/", monitoring_views.report_decide, {"accept": False}, name="report-return"),
    path("tranches/<int:pk>/uitbetalen/", monitoring_views.tranche_release, name="tranche-release"),
    path("tranches/<int:pk>/terugvorderen/", monitoring_views.tranche_reclaim, name="tranche-reclaim"),
    path("beschikkingen/<int:pk>/wijzigen/", monitoring_views.amendment_create, name="amend"),
    path("wijzigingen/<int:pk>/vaststellen/", monitoring_views.amendment_approve, name="amendment-approve"),
    path("wijzigingen/<int:pk>/afwijzen/", monitoring_views.amendment_reject, name="amendment-reject"),
    path("wijzigingen/<int:pk>/brief.pdf", monitoring_views.amendment_letter, name="amendment-letter"),
    path("landelijk/", national_views.national_picture, name="national"),
    path("landelijk/kaart.svg", national_views.national_map, name="national-map"),
    path("export.csv", national_views.export_csv, name="export-csv"),
    path("export.xlsx", national_views.export_xlsx, name="export-xlsx"),
    path("ambtenaren/", officials_views.officials_page, name="officials"),
    path("ambtenaren/<int:user_id>/mandaat/", officials_views.mandate_set, name="mandate-set"),
    path("ambtenaren/<int:user_id>/functie/", officials_views.function_set, name="function-set"),
    path("ambtenaren/<int:user_id>/mandaat/intrekken/", officials_views.mandate_withdraw, name="mandate-withdraw"),
]
